import { type NameCheck, validateName } from '@nara/topics';

/** Names that passed, remembered (bounded): the same few names arrive on every message. */
const valid = new Set<string>();
const REMEMBERED = 4096;

/** `validateName` of @nara/topics, with the names that passed remembered. */
export function checkName(name: string): NameCheck {
  if (valid.has(name)) return { ok: true, name };
  const check = validateName(name);
  if (check.ok) {
    if (valid.size >= REMEMBERED) valid.clear();
    valid.add(name);
  }
  return check;
}
