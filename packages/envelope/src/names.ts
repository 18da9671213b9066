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

const BASE58_ID = /^[1-9A-HJ-NP-Za-km-z]{1,64}$/;

/** A nara ID: 1 to {@link MAX_NARA_ID} base58 (Bitcoin alphabet) characters. */
export function isBase58(id: string): boolean {
  return BASE58_ID.test(id);
}
