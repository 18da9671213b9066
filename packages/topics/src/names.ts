import { InvalidNameError } from './errors.js';

/**
 * Longest accepted nara name, in UTF-8 bytes. Generated names are 15 to 25 bytes and host names at most 63;
 * 64 leaves room for both while keeping every plaza topic far below MQTT's 65,535-byte limit.
 */
export const MAX_NAME_BYTES = 64;

/** Why a name was refused. A closed set: these strings are stable and safe to use as metric labels. */
export type NameRejection =
  | 'not-a-string'
  | 'empty'
  | 'too-long'
  | 'invalid-utf8'
  | 'topic-separator'
  | 'wildcard'
  | 'control-character'
  | 'invisible-character'
  | 'unassigned-character'
  | 'leading-dollar'
  | 'not-normalized';

export type NameCheck = { ok: true; name: string } | { ok: false; reason: NameRejection; message: string };

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// Cc: C0/C1 controls and DEL. Cf: format characters (zero-width, bidi overrides) that make two names look
// alike or reorder a terminal line. Z*: every kind of space and line/paragraph separator.
const CONTROL = /\p{Cc}/u;
const INVISIBLE = /[\p{Cf}\p{Z}]/u;
// Cs: lone surrogates (not encodable as UTF-8). Cn/Co: unassigned and private-use code points, whose
// meaning (and rendering) differs between systems.
const LONE_SURROGATE = /\p{Cs}/u;
const UNASSIGNED = /[\p{Cn}\p{Co}]/u;

function reject(reason: NameRejection, message: string): NameCheck {
  return { ok: false, reason, message };
}

function describe(char: string): string {
  const cp = char.codePointAt(0) ?? 0;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Checks that `name` can stand as one topic level and identify a nara without ambiguity.
 *
 * Accepted: 1 to {@link MAX_NAME_BYTES} bytes of UTF-8 in Unicode normalization form C, made of assigned,
 * visible characters (letters, marks, digits, punctuation, symbols of any script), not starting with `$`,
 * and without `/`, `+` or `#`. Refused, each with its own reason: control characters (NUL included),
 * spaces and invisible format characters, unassigned or private-use code points, lone surrogates.
 *
 * Never throws, whatever it is given.
 *
 * @example
 * ```ts
 * validateName('noisy-bear-189'); // { ok: true, name: 'noisy-bear-189' }
 * validateName('a/b');            // { ok: false, reason: 'topic-separator', ... }
 * ```
 */
export function validateName(name: unknown): NameCheck {
  if (typeof name !== 'string')
    return reject('not-a-string', `a nara name must be a string, got ${typeof name}`);
  if (name.length === 0) return reject('empty', 'a nara name must not be empty');
  // Every UTF-16 unit is at least one UTF-8 byte, so a long string is refused before any encoding work.
  if (name.length > MAX_NAME_BYTES)
    return tooLong(name.length > 4096 ? undefined : encoder.encode(name).length);
  if (LONE_SURROGATE.test(name))
    return reject('invalid-utf8', 'a nara name must be valid UTF-8 (it has a lone surrogate)');
  const bytes = encoder.encode(name).length;
  if (bytes > MAX_NAME_BYTES) return tooLong(bytes);
  if (name.startsWith('$'))
    return reject('leading-dollar', 'a nara name must not start with "$" (reserved by MQTT brokers)');
  for (const char of name) {
    if (char === '/')
      return reject('topic-separator', 'a nara name must not contain "/" (it would add a topic level)');
    if (char === '+' || char === '#')
      return reject('wildcard', `a nara name must not contain "${char}" (an MQTT wildcard)`);
    if (CONTROL.test(char))
      return reject(
        'control-character',
        `a nara name must not contain the control character ${describe(char)}`,
      );
    if (INVISIBLE.test(char))
      return reject(
        'invisible-character',
        `a nara name must not contain spaces or invisible characters (${describe(char)})`,
      );
    if (UNASSIGNED.test(char))
      return reject(
        'unassigned-character',
        `a nara name must not contain unassigned or private-use characters (${describe(char)})`,
      );
  }
  if (name.normalize('NFC') !== name)
    return reject('not-normalized', 'a nara name must be in Unicode normalization form C (NFC)');
  return { ok: true, name };
}

function tooLong(bytes: number | undefined): NameCheck {
  const got = bytes === undefined ? 'far more' : `${bytes}`;
  return reject('too-long', `a nara name must be at most ${MAX_NAME_BYTES} UTF-8 bytes, got ${got}`);
}

/**
 * Validates a name received as raw bytes (for example a topic level straight off the wire): invalid UTF-8
 * is refused with reason `invalid-utf8` instead of being patched with U+FFFD.
 */
export function validateNameBytes(bytes: Uint8Array): NameCheck {
  if (!(bytes instanceof Uint8Array)) return reject('not-a-string', 'expected the name as a Uint8Array');
  if (bytes.length > MAX_NAME_BYTES) return tooLong(bytes.length);
  let text: string;
  try {
    text = strictDecoder.decode(bytes);
  } catch {
    return reject('invalid-utf8', 'a nara name must be valid UTF-8');
  }
  return validateName(text);
}

/** `true` when {@link validateName} accepts `name`. */
export function isValidName(name: unknown): name is string {
  return validateName(name).ok;
}

/**
 * Returns `name` unchanged if valid, otherwise throws {@link InvalidNameError} carrying the reason.
 * For configuration and builders, where a bad name is the caller's error.
 */
export function assertValidName(name: unknown): string {
  const check = validateName(name);
  if (!check.ok) throw new InvalidNameError(check.reason, check.message);
  return check.name;
}
