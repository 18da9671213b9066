/**
 * The verify-once cache of EnvelopeVerifier: the last N verified envelopes, so that the same bytes on the
 * same topic delivered again (bridged brokers, redelivery, several naras of one process) are answered
 * without a second signature check.
 *
 * Every message of a busy plaza passes through here: the entries are made once and refilled in place.
 */
import { verifiedEnvelope } from './binding.js';
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

/** One kept envelope. Made once per slot and refilled: an entry costs no allocation. */
class Entry {
  /** -1 while empty. */
  id = -1;
  topic = '';
  /** A private copy of the envelope bytes: a hit needs every byte equal, so a forged copy never hits. */
  copy: Uint8Array = EMPTY;
  kind: VerifiedEnvelope['kind'] = 'newspaper';
  name = '';
  naraId = '';
  seq = 0;
  time = 0;
  /** The frozen body, shared by every duplicate. */
  body: VerifiedEnvelope['body'] | null = null;
  commitment: Uint8Array | undefined = undefined;
  /** Where the key is in the copy. */
  kidAt = 0;
  /** The epoch's 8 bytes as two 32-bit halves. */
  epochHigh = 0;
  epochLow = 0;
}

export class DuplicateCache {
  /**
   * Slot by id, the id mixed with a random per-cache seed first, so that no one can line ids up into one
   * long chain of the Map's table ahead of time.
   */
  private readonly index = new Map<number, number>();
  private readonly seed = (Math.random() * 0x7fffffff) | 0;
  /**
   * The slots, filled in a ring (the next one holds the oldest), each entry made once and refilled in place:
   * where an object per envelope lived just long enough to be copied by a scavenge or two, and a column
   * per field touched a cache line per field.
   */
  private readonly entries: Entry[];
  private next = 0;
  /** The id {@link find} looked up last and the slot it found (-1: none). */
  private probedId = -1;
  private probedSlot = -1;
  /** How many envelopes were answered from here. */
  hits = 0;

  constructor(readonly capacity: number) {
    this.entries = Array.from({ length: capacity }, () => new Entry());
  }

  private key(id: number): number {
    return Math.imul(id ^ this.seed, 0x9e3779b1) & 0x3fffffff;
  }

  /** The slot holding `id`, or -1. */
  private slotOf(id: number): number {
    return this.index.get(this.key(id)) ?? -1;
  }

  /** The envelope verified earlier for exactly these bytes on this topic, with its own byte arrays; else undefined. */
  find(id: number, topic: string, bytes: Uint8Array): VerifiedEnvelope | undefined {
    const slot = this.slotOf(id);
    // Kept for `add`, which follows a miss for the same id: one probe of the index, not two.
    this.probedId = id;
    this.probedSlot = slot;
    if (slot < 0) return undefined;
    const e = this.entries[slot]!;
    if (e.topic !== topic || !sameBytes(e.copy, bytes)) return undefined;
    this.hits++;
    const epoch = new Uint8Array(8);
    const hi = e.epochHigh;
    const lo = e.epochLow;
    epoch[0] = hi >>> 24;
    epoch[1] = hi >>> 16;
    epoch[2] = hi >>> 8;
    epoch[3] = hi;
    epoch[4] = lo >>> 24;
    epoch[5] = lo >>> 16;
    epoch[6] = lo >>> 8;
    epoch[7] = lo;
    const publicKey = e.copy.slice(e.kidAt, e.kidAt + PUBLIC_KEY_BYTES);
    return verifiedEnvelope(e as unknown as VerifiedEnvelope, epoch, topic, publicKey, bytes);
  }

  /** Keeps a verified envelope (`copy`: a private copy of its bytes, `kidAt`: where its key is in it). */
  add(id: number, topic: string, copy: Uint8Array, envelope: VerifiedEnvelope, kidAt: number): void {
    if (id < 0) return;
    let slot = id === this.probedId ? this.probedSlot : this.slotOf(id);
    this.probedId = -1;
    if (slot < 0) {
      slot = this.next;
      this.next = slot + 1 === this.capacity ? 0 : slot + 1;
      const oldest = this.entries[slot]!.id;
      if (oldest >= 0) this.index.delete(this.key(oldest));
      this.entries[slot]!.id = id;
      this.index.set(this.key(id), slot);
    }
    const e = this.entries[slot]!;
    e.topic = topic;
    e.copy = copy;
    e.kind = envelope.kind;
    e.name = envelope.name;
    e.naraId = envelope.naraId;
    e.seq = envelope.seq;
    e.time = envelope.time;
    e.body = envelope.body;
    e.commitment = envelope.commitment?.slice();
    e.kidAt = kidAt;
    // Read now, before the caller gets the envelope and may change its epoch array.
    const b = envelope.epoch;
    e.epochHigh = (b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!;
    e.epochLow = (b[4]! << 24) | (b[5]! << 16) | (b[6]! << 8) | b[7]!;
  }
}
