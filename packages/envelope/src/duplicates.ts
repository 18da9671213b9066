/** The verify-once cache: the last N verified envelopes, so that a duplicate is not verified again. */
import { sameBytes, verifiedEnvelope } from './binding.js';
import { PUBLIC_KEY_BYTES, type VerifiedEnvelope } from './types.js';

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

/** One kept envelope: its frozen content, and private copies of its bytes, epoch and commitment. */
interface Entry {
  readonly topic: string;
  /** A hit needs every byte equal to this copy, so a forged copy never hits. */
  readonly copy: Uint8Array;
  readonly kidAt: number;
  readonly envelope: VerifiedEnvelope;
  readonly epoch: Uint8Array;
  readonly commitment: Uint8Array | undefined;
}

export class DuplicateCache {
  /**
   * By id mixed with a random per-cache seed (so that no one can line ids up into one long chain of the
   * Map's table ahead of time), oldest first.
   */
  private readonly entries = new Map<number, Entry>();
  private readonly seed = (Math.random() * 0x7fffffff) | 0;
  /** How many envelopes were answered from here. */
  hits = 0;

  constructor(readonly capacity: number) {}

  private key(id: number): number {
    return Math.imul(id ^ this.seed, 0x9e3779b1) & 0x3fffffff;
  }

  /** The envelope verified earlier for exactly these bytes on this topic, with its own byte arrays; else undefined. */
  find(id: number, topic: string, bytes: Uint8Array): VerifiedEnvelope | undefined {
    const e = this.entries.get(this.key(id));
    if (e === undefined || e.topic !== topic || !sameBytes(e.copy, bytes)) return undefined;
    this.hits++;
    const publicKey = e.copy.slice(e.kidAt, e.kidAt + PUBLIC_KEY_BYTES);
    return verifiedEnvelope(e.envelope, e.epoch.slice(), e.commitment, topic, publicKey, bytes);
  }

  /** Keeps a verified envelope (`copy`: a private copy of its bytes, `kidAt`: where its key is in it). */
  add(id: number, topic: string, copy: Uint8Array, envelope: VerifiedEnvelope, kidAt: number): void {
    if (id < 0) return;
    const key = this.key(id);
    if (!this.entries.delete(key) && this.entries.size >= this.capacity)
      this.entries.delete(this.entries.keys().next().value!);
    // The arrays are copied now, before the caller gets the envelope and may change them.
    const commitment = envelope.commitment?.slice();
    this.entries.set(key, { topic, copy, kidAt, envelope, epoch: envelope.epoch.slice(), commitment });
  }
}
