/**
 * The verify-once cache: the last N verified envelopes, so that a duplicate is not verified again. Entries
 * are made once and refilled in place: measured against a Map of fresh entries, a duplicate costs half as
 * much (duplicates.second-delivery 40 against 21-23, docs/BENCHMARKS.md).
 */
import { sameBytes, verifiedEnvelope } from './binding.js';
import { PUBLIC_KEY_BYTES, type VerifiedEnvelope } from './types.js';

const EMPTY = new Uint8Array(0);

/**
 * The cache id of an envelope: 30 bits of the first 4 bytes of its last 64 (of the signature's R, when it
 * is well formed), a small integer. Only an id: a hit is taken only when the topic and every byte are equal
 * too, and only verified envelopes are stored, so a collision, chosen or not, can only make one entry take
 * another's place (a miss, as the eviction a flood causes).
 */
export function tailId(b: Uint8Array): number {
  const o = b.length - 64;
  if (o < 0) return -1;
  return b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | ((b[o + 3]! & 0x3f) << 24);
}

/** One kept envelope, refilled in place. `copy`: a private copy; a hit needs every byte equal. */
class Entry {
  id = -1;
  topic = '';
  copy: Uint8Array = EMPTY;
  kind: VerifiedEnvelope['kind'] = 'newspaper';
  name = '';
  naraId = '';
  seq = 0;
  time = 0;
  body: VerifiedEnvelope['body'] | null = null;
  commitment: Uint8Array | undefined = undefined;
  kidAt = 0;
  readonly epoch = new Uint8Array(8);
}

export class DuplicateCache {
  /** Slot by id mixed with a random per-cache seed (no one can line ids up into one long chain ahead of time). */
  private readonly index = new Map<number, number>();
  private readonly seed = (Math.random() * 0x7fffffff) | 0;
  /** Filled in a ring: the next slot holds the oldest. */
  private readonly entries: Entry[];
  private next = 0;
  /** What {@link find} looked up last, for the `add` after a miss: one probe of the index, not two. */
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
    this.probedId = id;
    this.probedSlot = slot;
    if (slot < 0) return undefined;
    const e = this.entries[slot]!;
    if (e.topic !== topic || !sameBytes(e.copy, bytes)) return undefined;
    this.hits++;
    const epoch = new Uint8Array(e.epoch);
    const publicKey = e.copy.slice(e.kidAt, e.kidAt + PUBLIC_KEY_BYTES);
    return verifiedEnvelope(e as unknown as VerifiedEnvelope, epoch, e.commitment, topic, publicKey, bytes);
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
    // Copied now, before the caller gets the envelope and may change its epoch array.
    e.epoch.set(envelope.epoch);
  }
}
