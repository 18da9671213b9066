/**
 * Issue 15: the Go-wire receive path (size cap, strict JSON, Go's struct rules, key and signature under the
 * plaza/1 policy, the newspaper replay guard, the mapping to plaza/1's status, the one registry) over Go
 * newspapers and hey_theres from 1,000 senders, against a bare node:crypto verify of the same signatures
 * over the same bytes.
 */
import { createPublicKey, type KeyObject, verify as nodeVerify } from 'node:crypto';
import { createSignatureChecker, createSigner, type Signer } from '@nara/envelope/node';
import { silentLogger } from '@nara/interface';
import {
  buildNewspaper,
  buildSyncEvent,
  computeEventId,
  contentString,
  legacyNewspaperTopic,
  signableDigest,
  toNaraStatus,
} from '@nara/legacy';
import { createPeerRegistry } from '@nara/peers';
import { createLegacyWire, type LegacyWire, MetricsRegistry } from '@nara/plaza';
import type { Figure, Workload } from '../measure.js';
import { cycle, fixedClock, nameOf, naraIdOf, seedOf, T0, typicalStatus } from '../plaza.js';

const SENDERS = 1000;
const PER_SENDER = 10;
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

interface GoMessage {
  readonly sender: number;
  readonly topic: string;
  readonly bytes: Uint8Array;
  /** What the signature covers: the status bytes, or the SyncEvent digest. */
  readonly signed: Uint8Array;
  readonly signature: Uint8Array;
}

const made = new Map<string, GoMessage[]>();
let signers: Signer[] = [];
let keyObjects: KeyObject[] = [];

/** 10 messages from each of 1,000 Go naras, round-robin by sender; made once per kind. */
function fixtures(kind: 'newspaper' | 'hey-there'): GoMessage[] {
  const cached = made.get(kind);
  if (cached) return cached;
  if (signers.length === 0) {
    signers = Array.from({ length: SENDERS }, (_, i) => createSigner(seedOf(i)));
    keyObjects = signers.map((s) =>
      createPublicKey({ key: Buffer.concat([SPKI_PREFIX, s.publicKey]), format: 'der', type: 'spki' }),
    );
  }
  const out: GoMessage[] = [];
  const utf8 = new TextEncoder();
  for (let k = 0; k < PER_SENDER; k++) {
    for (let i = 0; i < SENDERS; i++) {
      const signer = signers[i]!;
      const name = nameOf(i);
      const publicKey = Buffer.from(signer.publicKey).toString('base64');
      if (kind === 'newspaper') {
        const status = toNaraStatus(
          { ...typicalStatus, hostStats: { ...typicalStatus.hostStats, uptime: 10_000 + k } },
          { publicKey, naraId: naraIdOf(i) },
        );
        const bytes = buildNewspaper({ signer, name, status });
        const text = new TextDecoder().decode(bytes);
        const statusText = text.slice(text.indexOf('"Status":') + 9, text.lastIndexOf(',"Signature"'));
        const sig = /"Signature":"([^"]+)"/.exec(text)![1]!;
        out.push({
          sender: i,
          topic: legacyNewspaperTopic(name),
          bytes,
          signed: utf8.encode(statusText),
          signature: Buffer.from(sig, 'base64'),
        });
      } else {
        const ts = BigInt(T0) * 1_000_000n + BigInt(k);
        const bytes = buildSyncEvent('hey-there', { signer, name, ts, naraId: naraIdOf(i) });
        const content = contentString('hey-there', name, publicKey, '');
        const id = computeEventId(ts, 'hey-there', content);
        const sig = JSON.parse(new TextDecoder().decode(bytes)).sig as string;
        out.push({
          sender: i,
          topic: 'nara/plaza/hey_there',
          bytes,
          signed: signableDigest(id, ts, 'hey-there', name, content),
          signature: Buffer.from(sig, 'base64'),
        });
      }
    }
  }
  made.set(kind, out);
  return out;
}

/** The Go-wire receive path of one nara; a fresh one at each pass (a second pass would be replays). */
function legacyPath(kind: 'newspaper' | 'hey-there'): Workload {
  let all: GoMessage[] = [];
  let wire: LegacyWire;
  let at = 0;
  const checker = createSignatureChecker({ backend: 'node' });
  const fresh = () => {
    wire?.close();
    const registry = createPeerRegistry({ maxPeers: 2 * SENDERS }, { clock: fixedClock(T0) });
    wire = createLegacyWire({
      registry,
      metrics: new MetricsRegistry(),
      logger: silentLogger,
      now: () => T0,
      random: Math.random,
      checker,
    });
  };
  return {
    label: `our Go-wire receive path (${kind}, node:crypto)`,
    setup() {
      all = fixtures(kind);
      fresh();
      // Each key is judged by the policy once: not the steady state.
      for (let i = 0; i < SENDERS; i++) wire.receive(all[i]!.topic, all[i]!.bytes);
      at = SENDERS;
    },
    run(n) {
      for (let k = 0; k < n; k++) {
        const m = all[at]!;
        const outcome = wire.receive(m.topic, m.bytes);
        if (outcome.type !== 'accepted') throw new Error(`refused: ${JSON.stringify(outcome)}`);
        if (++at === all.length) {
          at = 0;
          fresh();
        }
      }
    },
  };
}

function bareVerify(kind: 'newspaper' | 'hey-there'): Workload {
  return cycle(
    'raw node:crypto verify of the same signature (KeyObject per sender)',
    () => fixtures(kind),
    (m) => {
      if (!nodeVerify(null, m.signed, keyObjects[m.sender]!, m.signature))
        throw new Error('raw verify failed');
    },
  );
}

const describeFor = (what: string) =>
  `the Go-wire receive path over 10,000 distinct Go ${what} from 1,000 senders (strict JSON, Go's rules, policy, signature, ${what === 'newspapers' ? 'replay guard, status mapping, ' : ''}registry) against a bare node:crypto verify of the same signatures over the same bytes; goal 0.5 (JSON costs more than plaza/1's CBOR; at least half the speed of the verify alone)`;

export const figures: Figure[] = [
  {
    kind: 'speed',
    name: 'legacy.newspaper',
    description: describeFor('newspapers'),
    goal: 0.5,
    subject: legacyPath('newspaper'),
    baseline: bareVerify('newspaper'),
  },
  {
    kind: 'speed',
    name: 'legacy.hey-there',
    description: describeFor('hey_theres'),
    goal: 0.5,
    subject: legacyPath('hey-there'),
    baseline: bareVerify('hey-there'),
  },
];
