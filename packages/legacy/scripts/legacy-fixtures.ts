/**
 * The identities, clock, status and hand-forged messages the legacy vectors are built from
 * (generate-vectors.ts).
 */
import { createSigner, type Signer } from '@nara/envelope';
import { createIdentity } from '@nara/identity';
import { bytesToHex } from '@noble/hashes/utils.js';
import { base64 } from '@scure/base';
import {
  buildSyncEvent,
  computeEventId,
  contentString,
  encodeNaraStatus,
  type NaraStatus,
  signableDigest,
} from '../src/index.js';

export const JOJO_SOUL = '6iZE6ov6ids43ZDaW8cMaPwBmNtpTXYZqRNTaN8sJAr36UtoN2HnmQm';
export const BEAR_SOUL = 'CsvnQW7AuB6B4xyPgwrWQ6tkWbbpX84KpXgt5GKZssNHigzFtDE1FHA';

/** A nara of the vectors: its public facts, and the one signer (@nara/envelope's, from the soul's seed). */
export interface VectorNara {
  readonly naraId: string;
  readonly publicKeyBase64: string;
  readonly signer: Signer;
}

function vectorNara(name: string, soul: string): VectorNara {
  const identity = createIdentity({ name, soul });
  const { naraId, publicKeyBase64 } = identity;
  return { naraId, publicKeyBase64, signer: createSigner(identity.soul.unsafeSeed()) };
}

export const jojo = vectorNara('jojo', JOJO_SOUL);
export const bear = vectorNara('noisy-bear-189', BEAR_SOUL);
export const TS = 1_700_000_000_000_000_000n;
export const NOW = 1_700_000_000_000; // ms: the vectors' clock, equal to TS
export const utf8 = new TextEncoder();
export const hex = (bytes: Uint8Array) => bytesToHex(bytes);
export const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

export const STATUS: NaraStatus = {
  LicensePlate: 'JJ-0001',
  Flair: '🧓👑💬',
  HostStats: {
    Uptime: 86_400,
    LoadAvg: 0.42,
    MemAllocMB: 12,
    MemSysMB: 40,
    MemHeapMB: 20,
    MemStackMB: 1,
    NumGoroutines: 57,
    NumGC: 311,
    ProcCPUPercent: 1.25,
  },
  Chattiness: 75,
  Buzz: 120,
  Observations: null,
  Trend: 'vibing <&> together',
  TrendEmoji: '🌊',
  Personality: { Agreeableness: 61, Sociability: 48, Chill: 90 },
  Aura: { primary: '#A1B2C3', secondary: '#0F0E0D' },
  Version: '0.2.0',
  PublicUrl: 'https://jojo.example/?a=1&b=2',
  PublicKey: jojo.publicKeyBase64,
  ID: jojo.naraId,
  MeshEnabled: true,
  MeshIP: '100.64.0.1',
  coordinates: { x: 0.5, y: -1.25e-7, height: 0.00001, error: 1 },
  transport_mode: 'hybrid',
  event_store_total: 1200,
  event_store_by_service: { social: 700, 'hey-there': 20, chau: 3 },
  memory_mode: 'normal',
  memory_budget_mb: 256,
  memory_max_events: 50_000,
};

export function heyThere(over: { ts?: bigint; meshIp?: string } = {}): Uint8Array {
  return buildSyncEvent('hey-there', {
    signer: jojo.signer,
    name: 'jojo',
    ts: over.ts ?? TS,
    meshIp: over.meshIp ?? '100.64.0.1',
    naraId: jojo.naraId,
  });
}

/** A hey_there written by hand: fields as given, id and signature computed unless given. */
export function forgeHeyThere(f: {
  from?: string;
  emitter?: string;
  key?: string;
  ts?: string;
  id?: string;
  sig?: string | null;
  signer?: Signer;
  extra?: string;
}): Uint8Array {
  const from = f.from ?? 'jojo';
  const emitter = f.emitter ?? from;
  const key = f.key ?? jojo.publicKeyBase64;
  const ts = f.ts ?? String(TS);
  const content = contentString('hey-there', from, key, '100.64.0.1');
  const bigTs = /^-?\d+$/.test(ts) ? BigInt(ts) : TS;
  const id = f.id ?? computeEventId(bigTs, 'hey-there', content);
  const sig =
    f.sig === null
      ? ''
      : (f.sig ??
        base64.encode(
          (f.signer ?? jojo.signer).sign(signableDigest(id, bigTs, 'hey-there', emitter, content)),
        ));
  const signed = sig === '' ? '' : `"emitter":${JSON.stringify(emitter)},"sig":"${sig}",`;
  return utf8.encode(
    `{"id":"${id}","ts":${ts},"svc":"hey-there",${signed}${f.extra ?? ''}"hey_there":{"From":${JSON.stringify(from)},"PublicKey":"${key}","MeshIP":"100.64.0.1","ID":"${jojo.naraId}","Signature":""}}`,
  );
}

export function replaceOnce(bytes: Uint8Array, from: string, to: string): Uint8Array {
  const t = text(bytes);
  if (!t.includes(from)) throw new Error(`generator: ${from} not found`);
  return utf8.encode(t.replace(from, to));
}

export function flipSignatureBit(sig: string): string {
  const raw = base64.decode(sig);
  raw[10] = raw[10]! ^ 1;
  return base64.encode(raw);
}

/** A newspaper whose Status claims jojo's key, signed by `signer`. */
export function signedPaper(status: NaraStatus, signer = jojo.signer): Uint8Array {
  const statusText = encodeNaraStatus(status);
  const signature = base64.encode(signer.sign(utf8.encode(statusText)));
  return utf8.encode(`{"From":"jojo","Status":${statusText},"Signature":"${signature}"}`);
}

/** A chau from jojo without PublicKey: id over `chau:jojo:`, signed by `signer`. */
export function forgeKeylessChau(signer: Signer): Uint8Array {
  const ts = TS + 5_000_000_000n;
  const content = contentString('chau', 'jojo', '', '');
  const id = computeEventId(ts, 'chau', content);
  const sig = base64.encode(signer.sign(signableDigest(id, ts, 'chau', 'jojo', content)));
  return utf8.encode(
    `{"id":"${id}","ts":${ts},"svc":"chau","emitter":"jojo","sig":"${sig}","chau":{"From":"jojo","PublicKey":"","ID":"","Signature":""}}`,
  );
}
