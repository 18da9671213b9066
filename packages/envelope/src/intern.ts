/** The intern table of the strict reader's short text strings. */
import { isUtf8Of } from './utf8.js';

/**
 * Short strings seen recently, by a hash of their UTF-8 bytes. A plaza's text repeats (every newspaper of a
 * sender carries its name, ID, flair, version...): a hit costs one pass over the bytes and no allocation,
 * where decoding costs a call into TextDecoder and a new string, and receivers (the peer registry) then
 * share one string instead of keeping a copy per message. A hit is only taken when the received bytes are
 * exactly the UTF-8 encoding of the stored string, so a hash collision, chosen or not, only costs a miss.
 * Bounded: cleared when full.
 *
 * The table holds the strings alone, compared with the bytes by encoding them on the fly: a copy of each
 * string's bytes beside it was two more objects per string to fetch from memory on every lookup (nine
 * strings a newspaper, all of them cold again by the time their sender speaks next).
 */
export const INTERN_MAX_BYTES = 64;
const INTERN_CAPACITY = 8192;
const internTable = new Map<number, string>();

function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  // The length and up to four bytes at each end (FNV-1a over them): constant time, and distinct for the
  // strings a plaza repeats, which differ at their ends (name-123, IDs). A collision only costs a miss.
  const n = end - start;
  let h = Math.imul(0x811c9dc5 ^ n, 0x01000193);
  const head = Math.min(n, 4);
  for (let i = 0; i < head; i++) h = Math.imul(h ^ bytes[start + i]!, 0x01000193);
  for (let i = end - head; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  // 30 bits: a small integer, which a Map hashes without a heap number per lookup.
  return h & 0x3fffffff;
}

export function interned(bytes: Uint8Array, start: number, end: number): string | undefined {
  const hit = internTable.get(hashBytes(bytes, start, end));
  if (hit === undefined || !isUtf8Of(hit, bytes, start, end)) return undefined;
  return hit;
}

export function intern(view: Uint8Array, text: string): void {
  if (internTable.size >= INTERN_CAPACITY) internTable.clear();
  internTable.set(hashBytes(view, 0, view.length), text);
}
