/**
 * Speed and size of plaza/1 envelopes, as ratios against baselines measured in the same run:
 *   verify (full receive pipeline) vs raw node:crypto verify with a cached KeyObject,
 *   signEnvelope vs raw node:crypto sign of the same number of bytes,
 *   a typical newspaper envelope vs the Go JSON newspaper for the same status.
 *
 *   cd packages/envelope && npx tsx bench/envelope.ts
 */
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import {
  type AnyEnvelopeContent,
  createSignatureChecker,
  createSigner,
  createVerifier,
  type NewspaperStatus,
  signEnvelope,
} from '../src/node.js';

/** Microseconds per call of `fn`, over `ms` of wall time after a warm-up. */
function time(fn: () => void, ms = 300): number {
  for (let i = 0; i < 200; i++) fn();
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 50; i++) fn();
    n += 50;
    now = performance.now();
  }
  return ((now - start) * 1000) / n;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Runs candidate and baseline alternately for `rounds` rounds (the machine is shared: load changes from
 * second to second) and reports the median per-round ratio of their rates.
 */
function compare(label: string, candidate: () => void, baseline: () => void, rounds = 7): number {
  const ratios: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const b = time(baseline);
    const t = time(candidate);
    ratios.push(b / t);
    c.push(t);
  }
  const ratio = median(ratios);
  console.log(
    `${label.padEnd(52)} ${Math.round(1e6 / median(c))
      .toLocaleString('en')
      .padStart(7)}/s  ratio ${ratio.toFixed(3)}`,
  );
  return ratio;
}

function rate(label: string, fn: () => void): number {
  const perSecond = 1e6 / time(fn, 1000);
  console.log(`${label.padEnd(52)} ${Math.round(perSecond).toLocaleString('en').padStart(7)}/s`);
  return perSecond;
}

const seed = new Uint8Array(32).fill(42);
const name = 'noisy-bear-189';
const naraId = 'BJaCQEz3nSxx6JJ5AYw9UgTwhHHr3EQNVrxLameiVY4J';
const status: NewspaperStatus = {
  flair: '🌟',
  hostStats: {
    uptime: 86_400,
    loadCenti: 37,
    memAllocMb: 12,
    memSysMb: 30,
    memHeapMb: 20,
    memStackMb: 1,
    tasks: 41,
    gcCount: 1234,
    cpuCenti: 250,
  },
  chattiness: 75,
  buzz: 120,
  trend: 'vaporwave',
  trendEmoji: '🌴',
  personality: { agreeableness: 60, sociability: 80, chill: 40 },
  aura: { primary: '#ff8800', secondary: '#0044ff' },
  version: '0.2.0',
  meshEnabled: true,
  meshIp: '100.64.0.12',
  transportMode: 'hybrid',
};
const topic = `nara/plaza/newspaper/${name}`;
const content: AnyEnvelopeContent = {
  kind: 'newspaper',
  name,
  naraId,
  epoch: new Uint8Array(8).fill(7),
  seq: 1234,
  time: 1_767_225_600_000,
  body: { status, next: 1_767_225_697_000 },
};

const signer = createSigner(seed);
const envelope = signEnvelope(signer, topic, content);

// Baselines: raw node:crypto on a message of the envelope's Sig_structure size.
const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
const publicKey = createPublicKey(privateKey);
const message = new Uint8Array(envelope.length + 20).fill(1);
const signature = sign(null, message, privateKey);

console.log(`plaza/1 envelope benchmark (Node ${process.version}, single thread)\n`);
const rawVerify = rate('raw node:crypto verify (cached KeyObject)', () =>
  verify(null, message, publicKey, signature),
);
const nodeVerifier = createVerifier({ backend: 'node' });
const verifyRatio = compare(
  'verifier.verify, node backend (full pipeline)',
  () => {
    if (!nodeVerifier.verify(topic, envelope).ok) throw new Error('rejected');
  },
  () => verify(null, message, publicKey, signature),
);
const nobleVerifier = createVerifier({ backend: 'noble' });
const fullNoble = rate('verifier.verify, noble backend (full pipeline)', () => {
  if (!nobleVerifier.verify(topic, envelope).ok) throw new Error('rejected');
});
const signRatio = compare(
  'signEnvelope, node signer',
  () => signEnvelope(signer, topic, content),
  () => sign(null, message, privateKey),
);
const nobleSigner = createSigner(seed, { backend: 'noble' });
rate('signEnvelope, noble signer', () => signEnvelope(nobleSigner, topic, content));
let i = 0;
const keyPolicy = rate('policy check and import of a new key', () => {
  const s = new Uint8Array(32);
  s[0] = i & 0xff;
  s[1] = (i++ >> 8) & 0xff;
  createSignatureChecker({ backend: 'node' }).verify(createSigner(s).publicKey, message, signature);
});

const b64 = (n: number) => Buffer.alloc(n, 7).toString('base64');
const goStatus = {
  LicensePlate: '',
  Flair: status.flair,
  HostStats: {
    Uptime: 86_400,
    LoadAvg: 0.37,
    MemAllocMB: 12,
    MemSysMB: 30,
    MemHeapMB: 20,
    MemStackMB: 1,
    NumGoroutines: 41,
    NumGC: 1234,
    ProcCPUPercent: 2.5,
  },
  Chattiness: 75,
  Buzz: 120,
  Observations: null,
  Trend: 'vaporwave',
  TrendEmoji: '🌴',
  Personality: { Agreeableness: 60, Sociability: 80, Chill: 40 },
  Aura: { primary: '#ff8800', secondary: '#0044ff' },
  Version: '0.2.0',
  PublicUrl: '',
  PublicKey: b64(32),
  ID: naraId,
  MeshEnabled: true,
  MeshIP: '100.64.0.12',
  transport_mode: 'hybrid',
};
const goJson = Buffer.byteLength(JSON.stringify({ From: name, Status: goStatus, Signature: b64(64) }));

console.log('\nratios');
console.log(`  full receive pipeline (node) / raw verify   ${verifyRatio.toFixed(3)}   (goal >= 0.90)`);
console.log(`  noble pipeline / raw node verify            ${(fullNoble / rawVerify).toFixed(3)}`);
console.log(`  signEnvelope (node) / raw sign              ${signRatio.toFixed(3)}   (goal >= 0.85)`);
console.log(`  new-key policy check cost, in raw verifies  ${(rawVerify / keyPolicy).toFixed(1)}`);
console.log(
  `  newspaper envelope ${envelope.length} B / Go JSON ${goJson} B = ${(envelope.length / goJson).toFixed(3)}   (goal <= 0.5)`,
);
