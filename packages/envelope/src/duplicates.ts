/**
 * The verify-once cache of EnvelopeVerifier: the last N verified envelopes, so that the same bytes on the
 * same topic delivered again (bridged brokers, redelivery, several naras of one process) are answered
 * without a second signature check.
 *
 * Kept as columns (typed arrays and plain arrays indexed by slot), not an object per entry: every message
 * of a busy plaza passes through here, and each entry object lived just long enough to be copied by a
 * young-generation collection or two, which was most of what the cache cost.
 */
import { allocate } from './cbor.js';
import { PUBLIC_KEY_BYTES, type VerifiedEnvelope } from './types.js';

const EMPTY = new Uint8Array(0);

/**
 * The cache id of an envelope: 30 bits of the first 4 bytes of its last 64 (of the signature's R, when it
 * is well formed), a small integer, so that a lookup builds and hashes no string. Only an id: a hit is taken
 * only when the topic and every byte are equal too, and only verified envelopes are stored, so a collision,
 * chosen or not, can only make one entry take another's place (a miss, as the eviction a flood causes).
 */
export function tailId(b: Uint8Array): number {
  const o = b.length - 64;
  if (o < 0) return -1;
  return b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | ((b[o + 3]! & 0x3f) << 24);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  const n = a.length;
  if (n !== b.length) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A private copy of `length` bytes of `from` at `at`, from the shared pool (no ArrayBuffer of its own). */
export function copyOut(from: Uint8Array, at: number, length: number): Uint8Array {
  const out = allocate(length);
  for (let i = 0; i < length; i++) out[i] = from[at + i]!;
  return out;
}

export class DuplicateCache {
  /** Slot by id. */
  private readonly index = new Map<number, number>();
  /** The id in each slot (-1: empty); slots are filled in a ring, so the next one holds the oldest. */
  private readonly ids: Int32Array;
  private next = 0;
  private readonly topics: string[];
  /** A private copy of the envelope bytes: a hit needs every byte equal, so a forged copy never hits. */
  private readonly copies: Uint8Array[];
  private readonly kinds: VerifiedEnvelope['kind'][];
  private readonly names: string[];
  private readonly naraIds: string[];
  /** The frozen body, shared by every duplicate. */
  private readonly bodies: VerifiedEnvelope['body'][];
  /** seq and time, two per slot. */
  private readonly numbers: Float64Array;
  /** Where the key is in the copy, and the epoch as two 32-bit halves: three per slot. */
  private readonly ints: Int32Array;
  /** How many envelopes were answered from here. */
  hits = 0;

  constructor(readonly capacity: number) {
    this.ids = new Int32Array(capacity).fill(-1);
    this.topics = new Array<string>(capacity).fill('');
    this.copies = new Array<Uint8Array>(capacity).fill(EMPTY);
    this.kinds = new Array<VerifiedEnvelope['kind']>(capacity).fill('newspaper');
    this.names = new Array<string>(capacity).fill('');
    this.naraIds = new Array<string>(capacity).fill('');
    this.bodies = new Array<VerifiedEnvelope['body']>(capacity).fill({} as VerifiedEnvelope['body']);
    this.numbers = new Float64Array(2 * capacity);
    this.ints = new Int32Array(3 * capacity);
  }

  /** The envelope verified earlier for exactly these bytes on this topic, with its own byte arrays; else undefined. */
  find(id: number, topic: string, bytes: Uint8Array): VerifiedEnvelope | undefined {
    const slot = this.index.get(id);
    if (slot === undefined || this.topics[slot] !== topic) return undefined;
    const copy = this.copies[slot]!;
    if (!sameBytes(copy, bytes)) return undefined;
    this.hits++;
    const ints = this.ints;
    const epoch = allocate(8);
    const hi = ints[3 * slot + 1]!;
    const lo = ints[3 * slot + 2]!;
    epoch[0] = hi >>> 24;
    epoch[1] = hi >>> 16;
    epoch[2] = hi >>> 8;
    epoch[3] = hi;
    epoch[4] = lo >>> 24;
    epoch[5] = lo >>> 16;
    epoch[6] = lo >>> 8;
    epoch[7] = lo;
    return Object.freeze({
      kind: this.kinds[slot]!,
      name: this.names[slot]!,
      naraId: this.naraIds[slot]!,
      epoch,
      seq: this.numbers[2 * slot]!,
      time: this.numbers[2 * slot + 1]!,
      body: this.bodies[slot]!,
      topic,
      publicKey: copyOut(copy, ints[3 * slot]!, PUBLIC_KEY_BYTES),
      bytes,
    }) as unknown as VerifiedEnvelope;
  }

  /** Keeps a verified envelope (`copy`: a private copy of its bytes, `kidAt`: where its key is in it). */
  add(id: number, topic: string, copy: Uint8Array, envelope: VerifiedEnvelope, kidAt: number): void {
    if (id < 0) return;
    let slot = this.index.get(id);
    if (slot === undefined) {
      slot = this.next;
      this.next = slot + 1 === this.capacity ? 0 : slot + 1;
      const oldest = this.ids[slot]!;
      if (oldest >= 0) this.index.delete(oldest);
      this.ids[slot] = id;
      this.index.set(id, slot);
    }
    this.topics[slot] = topic;
    this.copies[slot] = copy;
    this.kinds[slot] = envelope.kind;
    this.names[slot] = envelope.name;
    this.naraIds[slot] = envelope.naraId;
    this.bodies[slot] = envelope.body;
    this.numbers[2 * slot] = envelope.seq;
    this.numbers[2 * slot + 1] = envelope.time;
    // Read now, before the caller gets the envelope and may change its epoch array.
    const e = envelope.epoch;
    this.ints[3 * slot] = kidAt;
    this.ints[3 * slot + 1] = (e[0]! << 24) | (e[1]! << 16) | (e[2]! << 8) | e[3]!;
    this.ints[3 * slot + 2] = (e[4]! << 24) | (e[5]! << 16) | (e[6]! << 8) | e[7]!;
  }
}
