/** The checks of a nara's name and nara ID, shared by the payload reader and writer. */
import { validateName } from '@nara/topics';

export const MAX_NARA_ID = 64;

/**
 * Names that passed validateName, remembered (a pure function's results, bounded): a plaza has few names
 * and each arrives again and again, while the Unicode checks cost about a microsecond.
 */
const validNames = new Set<string>();
const VALID: { readonly ok: true } = Object.freeze({ ok: true });

export function isValidName(name: string): { ok: true } | { ok: false; reason: string; message: string } {
  if (validNames.has(name)) return VALID;
  const check = validateName(name);
  if (!check.ok) return check;
  if (validNames.size >= 4096) validNames.clear();
  validNames.add(name);
  return VALID;
}

/** Base58 (Bitcoin alphabet) characters by code unit: a table walk is cheaper than a RegExp here. */
const BASE58_CHARS = (() => {
  const table = new Uint8Array(128);
  for (const c of '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz') table[c.charCodeAt(0)] = 1;
  return table;
})();

/** A nara ID: 1 to 64 base58 characters (`/^[1-9A-HJ-NP-Za-km-z]{1,64}$/`). */
export function isBase58(id: string): boolean {
  const n = id.length;
  if (n === 0 || n > MAX_NARA_ID) return false;
  for (let i = 0; i < n; i++) {
    const c = id.charCodeAt(i);
    if (c >= 128 || BASE58_CHARS[c] === 0) return false;
  }
  return true;
}
