import { ed25519 } from '@noble/curves/ed25519.js';
import { equalBytes } from '@noble/curves/utils.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { base58 } from '@scure/base';
import { InvalidSoulError } from './errors.js';

/** Bytes in a soul's seed: the Ed25519 seed (RFC 8032 private key). Go: `identity.SeedLen`. */
export const SEED_LENGTH = 32;
/** Bytes in a soul's bond tag. Go: `identity.TagLen`. */
export const TAG_LENGTH = 8;
/** Bytes in a soul: seed then tag. Go: `identity.SoulLen`. */
export const SOUL_LENGTH = SEED_LENGTH + TAG_LENGTH;
/**
 * Longest text a 40-byte soul can have: base58 needs at most 55 characters for 40 bytes, leading zero bytes
 * included, so anything longer is refused before decoding (base58 decoding is quadratic).
 */
export const MAX_SOUL_TEXT_LENGTH = 55;

/** Why a soul's text or bytes were refused. A closed set: stable strings, safe as metric labels. */
export type SoulRejection = 'empty' | 'invalid-character' | 'wrong-length';

/** The outcome of {@link parseSoul}: a soul, or a reason and a message that quote nothing of the input. */
export type SoulParse = { ok: true; soul: Soul } | { ok: false; reason: SoulRejection; message: string };

/** Where randomness comes from: returns `length` cryptographically random bytes. Injected in tests. */
export type RandomSource = (length: number) => Uint8Array;

const BASE58 = /^[1-9A-HJ-NP-Za-km-z]*$/;
const NOT_BASE58 = /[^1-9A-HJ-NP-Za-km-z]/;
const WHITESPACE = /\s/;
const NAME_TAG_PREFIX = 'nara:name:v2:';
const encoder = new TextEncoder();

/** Node's util.inspect hook, reached through the global symbol registry so no `node:` import is needed. */
export const INSPECT = Symbol.for('nodejs.util.inspect.custom');

function assertBytes(value: unknown, argument: string, length?: number): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${argument} must be a Uint8Array`);
  if (length !== undefined && value.length !== length)
    throw new TypeError(`${argument} must be ${length} bytes, got ${value.length}`);
}

function assertString(value: unknown, argument: string): asserts value is string {
  if (typeof value !== 'string') throw new TypeError(`${argument} must be a string, got ${typeof value}`);
}

/**
 * A nara's soul: a 32-byte Ed25519 seed and the 8-byte tag that bonds it to one name. Whoever holds it can
 * speak as that nara, so it never prints: `String(soul)`, `JSON.stringify(soul)` and `util.inspect(soul)`
 * all give a redacted placeholder, and the bytes live in a private field. Getting at the secret takes a
 * method whose name says so (`unsafeSeed`, `unsafeBytes`) or the Go-named {@link formatSoul}. Make one with
 * {@link parseSoul} (its text), {@link randomSoul}, the native souls, or from raw bytes.
 *
 * @example
 * ```ts
 * const parsed = parseSoul(soulText); // soulText: the operator's secret, e.g. from the environment
 * if (parsed.ok) console.log(`${parsed.soul}`); // Soul(redacted)
 * ```
 */
export class Soul {
  readonly #bytes: Uint8Array;
  #publicKey: Uint8Array | undefined;

  private constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    Object.freeze(this);
  }

  /** A soul from its 40 raw bytes (seed then tag); the bytes are copied. */
  static fromBytes(bytes: Uint8Array): Soul {
    assertBytes(bytes, 'bytes');
    if (bytes.length !== SOUL_LENGTH)
      throw new InvalidSoulError('wrong-length', `a soul is ${SOUL_LENGTH} bytes; got ${bytes.length}`);
    return new Soul(bytes.slice());
  }

  /** A soul from a 32-byte seed and an 8-byte tag; both are copied. No bond is checked. */
  static fromParts(seed: Uint8Array, tag: Uint8Array): Soul {
    assertBytes(seed, 'seed', SEED_LENGTH);
    assertBytes(tag, 'tag', TAG_LENGTH);
    const bytes = new Uint8Array(SOUL_LENGTH);
    bytes.set(seed, 0);
    bytes.set(tag, SEED_LENGTH);
    return new Soul(bytes);
  }

  /** A copy of the 32-byte seed, which is the Ed25519 private key. Keep it secret. */
  unsafeSeed(): Uint8Array {
    return this.#bytes.slice(0, SEED_LENGTH);
  }

  /** A copy of the 8-byte bond tag (not secret by itself, but only meaningful with the seed). */
  tag(): Uint8Array {
    return this.#bytes.slice(SEED_LENGTH);
  }

  /** A copy of all 40 bytes, seed then tag. Keep them secret. */
  unsafeBytes(): Uint8Array {
    return this.#bytes.slice();
  }

  /** The 32-byte Ed25519 public key of the seed (a copy; derived once). */
  publicKey(): Uint8Array {
    if (this.#publicKey === undefined)
      this.#publicKey = ed25519.getPublicKey(this.#bytes.subarray(0, SEED_LENGTH));
    return this.#publicKey.slice();
  }

  /** Whether `other` holds the same 40 bytes (constant-time). */
  equals(other: Soul): boolean {
    if (!(other instanceof Soul)) return false;
    return equalBytes(this.#bytes, other.#bytes);
  }

  toString(): string {
    return 'Soul(redacted)';
  }

  toJSON(): string {
    return '[redacted soul]';
  }

  [INSPECT](): string {
    return 'Soul(redacted)';
  }
}

/**
 * Parses a soul's text form: base58 (Bitcoin alphabet) of exactly 40 bytes. Never throws on bad text: it
 * returns `{ ok: false, reason, message }` with reason `empty`, `invalid-character` or `wrong-length`, and the
 * message says what is wrong without quoting any of the text. Unlike Go's `ParseSoul`, which reports every
 * failure as "invalid soul length", the reason tells the three apart. Surrounding whitespace is not trimmed
 * (Go does not either), but the message points it out.
 *
 * @example
 * ```ts
 * const parsed = parseSoul('6iZE6ov6ids43ZDaW8cMaPwBmNtpTXYZqRNTaN8sJAr36UtoN2HnmQm');
 * if (parsed.ok) console.log(validateBond(parsed.soul, 'jojo')); // true
 * parseSoul('3vQB7B6MrGQZaxCuFg4oh'); // { ok: false, reason: 'wrong-length', ... decodes to 15 }
 * ```
 */
export function parseSoul(text: string): SoulParse {
  assertString(text, 'text');
  if (text.length === 0)
    return { ok: false, reason: 'empty', message: 'no soul given: a soul is about 55 base58 characters' };
  if (!BASE58.test(text)) {
    const at = text.search(NOT_BASE58);
    const hint = WHITESPACE.test(text.charAt(at))
      ? ' (it has whitespace: check for a stray space or trailing newline)'
      : '';
    return {
      ok: false,
      reason: 'invalid-character',
      message: `a soul is base58 text (digits and letters without 0, O, I and l); character ${at + 1} of ${text.length} is outside that alphabet${hint}`,
    };
  }
  if (text.length > MAX_SOUL_TEXT_LENGTH)
    return {
      ok: false,
      reason: 'wrong-length',
      message: `a soul is ${SOUL_LENGTH} bytes in base58, at most ${MAX_SOUL_TEXT_LENGTH} characters; this is ${text.length} characters`,
    };
  const bytes = base58.decode(text);
  if (bytes.length !== SOUL_LENGTH) {
    bytes.fill(0);
    return {
      ok: false,
      reason: 'wrong-length',
      message: `a soul is ${SOUL_LENGTH} bytes in base58; this decodes to ${bytes.length}`,
    };
  }
  return { ok: true, soul: Soul.fromBytes(bytes) };
}

/**
 * The soul's text form: base58 (Bitcoin alphabet) of seed then tag, as Go's `FormatSoul`. This is the
 * secret an operator passes to move a nara; it is the one function here whose output is the soul itself.
 *
 * @example
 * ```ts
 * formatSoul(nativeSoulCustom(hashHardware('hardware-1'), 'jojo'));
 * // '6iZE6ov6ids43ZDaW8cMaPwBmNtpTXYZqRNTaN8sJAr36UtoN2HnmQm'
 * ```
 */
export function formatSoul(soul: Soul): string {
  if (!(soul instanceof Soul)) throw new TypeError('soul must be a Soul');
  const bytes = soul.unsafeBytes();
  const text = base58.encode(bytes);
  bytes.fill(0);
  return text;
}

/**
 * The bond tag of `seed` for `name`: the first 8 bytes of HMAC-SHA256(key = seed, `nara:name:v2:` + name),
 * the name as UTF-8. Go: `ComputeTag`.
 *
 * @example
 * ```ts
 * computeTag(seed, 'jojo'); // Uint8Array(8)
 * ```
 */
export function computeTag(seed: Uint8Array, name: string): Uint8Array {
  assertBytes(seed, 'seed', SEED_LENGTH);
  assertString(name, 'name');
  return hmac(sha256, seed, encoder.encode(NAME_TAG_PREFIX + name)).slice(0, TAG_LENGTH);
}

/**
 * Whether `soul`'s tag bonds it to `name`, compared in constant time; an empty name never bonds. Go:
 * `ValidateBond`.
 *
 * @example
 * ```ts
 * validateBond(soul, 'jojo'); // true or false
 * ```
 */
export function validateBond(soul: Soul, name: string): boolean {
  if (!(soul instanceof Soul)) throw new TypeError('soul must be a Soul');
  assertString(name, 'name');
  if (name === '') return false;
  const seed = soul.unsafeSeed();
  const bonded = equalBytes(soul.tag(), computeTag(seed, name));
  seed.fill(0);
  return bonded;
}

/**
 * A fresh soul for `name`: 32 random bytes as the seed, and the tag that bonds it to `name`. The random
 * source defaults to the platform's CSPRNG (`crypto.getRandomValues`, through @noble/hashes).
 *
 * @example
 * ```ts
 * const soul = randomSoul('jojo');
 * validateBond(soul, 'jojo'); // true
 * ```
 */
export function randomSoul(name: string, random: RandomSource = randomBytes): Soul {
  assertString(name, 'name');
  if (name === '') throw new TypeError('name must not be empty (an empty name can never be bonded)');
  const seed = random(SEED_LENGTH);
  assertBytes(seed, 'the random source output', SEED_LENGTH);
  return Soul.fromParts(seed, computeTag(seed, name));
}

export { assertBytes, assertString };
