/**
 * Shared fixtures of the plaza benchmarks: senders, their signed newspapers, the Sig_structures the raw
 * baselines verify, a fake clock for the registry, and the Go JSON newspaper for the same status. They take
 * the packages by name, through their public entry points (built: `pnpm bench` builds them first).
 */

import { createRequire } from 'node:module';
import {
  type AnyEnvelopeContent,
  createSigner,
  decodeEnvelope,
  type NewspaperStatus,
  type Signer,
  signEnvelope,
  type VerifiedEnvelope,
  type VerifyResult,
} from '@nara/envelope/node';
import type { Clock } from '@nara/interface';
import { encodeNaraStatus, toNaraStatus } from '@nara/legacy';
import { createPeerRegistry, type IngestResult, type PeerRegistry } from '@nara/peers';
import { SAMPLE_HOST_STATS, SAMPLE_TRAITS } from '../../packages/envelope/scripts/sample.js';
import type { Workload } from './measure.js';

/**
 * `registry.ingest(envelope)`. The suites that import @nara/envelope from its sources see its types twice
 * (sources and built declarations): the same brand twice to the compiler, one object at run time.
 */
export function ingest(registry: PeerRegistry, envelope: VerifiedEnvelope): IngestResult {
  return registry.ingest(envelope as unknown as Parameters<PeerRegistry['ingest']>[0]);
}

/** A typical status: what a running nara puts in its newspaper (every field the Go status still means). */
export const typicalStatus: NewspaperStatus = {
  flair: '🌟',
  hostStats: SAMPLE_HOST_STATS,
  chattiness: 75,
  buzz: 120,
  ...SAMPLE_TRAITS,
  meshEnabled: true,
  meshIp: '100.64.0.12',
  transportMode: 'hybrid',
};

/** The time every fixture message is sent at; the fake clock stands a little after it. */
export const T0 = 1_767_225_600_000;

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** A 44-character base58 nara ID, distinct per index (the length of a real one). */
export function naraIdOf(i: number): string {
  let tail = '';
  for (let v = i, k = 0; k < 4; k++, v = Math.floor(v / 58)) tail += BASE58[v % 58];
  return `BJaCQEz3nSxx6JJ5AYw9UgTwhHHr3EQNVrxLameiV${tail}`.slice(0, 44);
}

export const nameOf = (i: number): string => `bench-nara-${i}`;
export const seedOf = (i: number): Uint8Array => {
  const seed = new Uint8Array(32).fill(0x5a);
  seed[0] = i & 0xff;
  seed[1] = (i >> 8) & 0xff;
  seed[2] = (i >> 16) & 0xff;
  return seed;
};

export function newspaperContent(i: number, seq: number, status = typicalStatus): AnyEnvelopeContent {
  const time = T0 + seq * 1000;
  return {
    kind: 'newspaper',
    name: nameOf(i),
    naraId: naraIdOf(i),
    epoch: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, i & 0xff),
    seq,
    time,
    body: { status, next: time + 97_000 },
  };
}

/**
 * A received newspaper of peer i (seq 1), shaped as the verifier hands it over. The signature is not what
 * the registry figures measure, so a signer that writes zeros spares 100,000 signatures, and the envelope
 * is the payload as `decodeEnvelope` reads it (the verifier's own reader: the same strings and byte
 * arrays), with the fields a verified envelope has, frozen.
 */
export function receivedNewspaper(i: number): VerifiedEnvelope {
  const publicKey = new Uint8Array(32);
  publicKey[0] = i & 0xff;
  publicKey[1] = (i >> 8) & 0xff;
  publicKey[2] = (i >> 16) & 0xff;
  publicKey[31] = 0x42;
  const signer: Signer = { publicKey, sign: () => new Uint8Array(64) };
  const topic = `nara/plaza/newspaper/${nameOf(i)}`;
  const decoded = decodeEnvelope(signEnvelope(signer, topic, newspaperContent(i, 1)));
  if (!decoded.ok) throw new Error(decoded.reason);
  const { kind, name, naraId, epoch, seq, time, body, bytes } = decoded.envelope;
  const fields = { kind, name, naraId, epoch, seq, time, body, topic, publicKey: publicKey.slice(), bytes };
  return Object.freeze(fields) as unknown as VerifiedEnvelope;
}

/** One received message, with what the raw baselines need to verify the same signature. */
export interface Message {
  topic: string;
  bytes: Uint8Array;
  /** The Sig_structure (the bytes the signature covers) and the signature and key. */
  toBeSigned: Uint8Array;
  signature: Uint8Array;
  publicKey: Uint8Array;
  sender: number;
}

/**
 * `senders` senders, each with `perSender` newspapers (seq 1..perSender), ordered round-robin so that
 * consecutive messages come from different senders, as on a busy plaza.
 */
export function makeMessages(senders: number, perSender: number): { messages: Message[]; signers: Signer[] } {
  const id = `${senders}x${perSender}`;
  const hit = made.get(id);
  if (hit !== undefined) return hit;
  const signers = Array.from({ length: senders }, (_, i) => createSigner(seedOf(i)));
  const messages: Message[] = [];
  for (let seq = 1; seq <= perSender; seq++) {
    for (let i = 0; i < senders; i++) {
      const topic = `nara/plaza/newspaper/${nameOf(i)}`;
      // The Sig_structure is what the signer is handed: recorded on the way through.
      let toBeSigned = new Uint8Array(0);
      const recording: Signer = {
        publicKey: signers[i]!.publicKey,
        sign(message) {
          toBeSigned = message.slice();
          return signers[i]!.sign(message);
        },
      };
      const bytes = signEnvelope(recording, topic, newspaperContent(i, seq)).slice();
      messages.push({
        topic,
        bytes,
        toBeSigned,
        signature: bytes.slice(-64),
        publicKey: signers[i]!.publicKey.slice(),
        sender: i,
      });
    }
  }
  made.set(id, { messages, signers });
  return { messages, signers };
}
const made = new Map<string, { messages: Message[]; signers: Signer[] }>();

interface Sodium {
  crypto_sign_verify_detached(sig: Uint8Array, message: Uint8Array, key: Uint8Array): boolean;
}
const sodium = createRequire(import.meta.url)('sodium-native') as Sodium;

/**
 * A workload that goes through `items()` in turn, round and round, calling `one` on each (`setup` first,
 * then `items()` is read once): the loop every baseline of a fixture shares.
 */
export function cycle<T>(
  label: string,
  items: () => readonly T[],
  one: (item: T) => unknown,
  setup: () => void = () => {},
): Workload {
  let all: readonly T[] = [];
  let at = 0;
  return {
    label,
    setup() {
      setup();
      all = items();
      at = 0;
    },
    run(n) {
      for (let k = 0; k < n; k++) {
        one(all[at]!);
        if (++at === all.length) at = 0;
      }
    },
  };
}

/** The raw baseline: a bare libsodium verify of each of `fixtures()`'s signatures in turn, over the same bytes. */
export function rawSodiumVerify(label: string, fixtures: () => Message[]): Workload {
  return cycle(label, fixtures, (m) => {
    if (!sodium.crypto_sign_verify_detached(m.signature, m.toBeSigned, m.publicKey))
      throw new Error('raw verify failed');
  });
}

/** Benchmarks 1 and 5: 10 newspapers from each of 1,000 senders, round-robin. */
export const SENDERS = 1000;
export const PER_SENDER = 10;

/** The pipeline fixtures (made once). */
export function pipelineMessages(): Message[] {
  return makeMessages(SENDERS, PER_SENDER).messages;
}

/**
 * The registry side of the pipeline benchmarks: applies each verified newspaper, and starts a fresh
 * registry at each pass over the 10,000 messages, since a second pass would be replays (10% of the updates
 * are joins).
 */
export class PipelineRegistry {
  private registry = PipelineRegistry.fresh();
  private applied = 0;

  private static fresh(): PeerRegistry {
    return createPeerRegistry({ maxPeers: 2 * SENDERS }, { clock: fixedClock() });
  }

  apply(result: VerifyResult): void {
    if (!result.ok) throw new Error(`rejected: ${result.reason}`);
    const outcome = ingest(this.registry, result.envelope);
    if (!outcome.ok) throw new Error(`registry refused: ${outcome.reason}`);
    if (++this.applied === SENDERS * PER_SENDER) {
      this.applied = 0;
      this.registry.close();
      this.registry = PipelineRegistry.fresh();
    }
  }
}

/** A clock standing still just after the fixtures' send times; its timers never fire. */
export function fixedClock(now = T0 + 5_000): Clock {
  return { now: () => now, setTimeout: () => 0, clearTimeout: () => {} };
}

/**
 * The Go newspaper for `status` as PROTOCOL-FACTS 2.4 and 2.5 describe it: `{From, Status, Signature}`, the
 * NaraStatus keys in Go's order, floats where Go has them, the key and signature in standard base64.
 */
export function goNewspaperJson(name: string, naraId: string, status = typicalStatus): string {
  const b64 = (n: number) => Buffer.alloc(n, 7).toString('base64');
  const goStatus = toNaraStatus(status, { publicKey: b64(32), naraId });
  return `{"From":${JSON.stringify(name)},"Status":${encodeNaraStatus(goStatus)},"Signature":"${b64(64)}"}`;
}

let sink = 0;
/** Keeps results alive so the JIT cannot drop the work that made them. */
export function consume(value: unknown): void {
  if (value !== undefined) sink++;
}
export const sinkCount = (): number => sink;
