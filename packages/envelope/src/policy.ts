/**
 * The plaza/1 Ed25519 policy, applied identically in front of every backend (docs/PROTOCOL.md, "Ed25519
 * policy"):
 *
 * 1. the public key must be a canonical encoding of a point of prime order L: not small-order, no torsion
 *    component (checked once per key with noble's point API, the verdict cached in a bounded LRU);
 * 2. the signature is 64 bytes, S < L, and R is none of the 14 encodings of a small-order point;
 * 3. the equation is cofactorless with R compared as bytes: `encode([S]B - [k]A) == R`.
 *
 * With A of prime order, both node:crypto (OpenSSL) and the noble backend compute the same group element
 * from the same bytes, so they return the same answer on every input.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { equalBytes } from '@noble/curves/utils.js';
import type { Ed25519Backend } from './backend.js';
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from './types.js';

/** Why a public key is refused. */
export type KeyRejection = 'key-non-canonical' | 'key-not-on-curve' | 'key-small-order' | 'key-mixed-order';

/** Why a signature is refused. */
export type SignatureRejection =
  | KeyRejection
  | 'bad-kid'
  | 'bad-signature-length'
  | 'signature-s-out-of-range'
  | 'signature-small-order-r'
  | 'bad-signature';

/** The outcome of checking one signature under the policy. */
export type SignatureCheck = { ok: true } | { ok: false; reason: SignatureRejection };

/**
 * Judges a public key under the policy (about 1.4 ms: one decode and one multiplication by L). Exported for
 * tools and tests; verifiers call it once per key and cache the verdict.
 *
 * @example
 * ```ts
 * checkPublicKey(signer.publicKey); // null: accepted
 * checkPublicKey(Uint8Array.of(1, ...new Uint8Array(31))); // 'key-small-order' (the identity)
 * ```
 */
export function checkPublicKey(publicKey: Uint8Array): KeyRejection | null {
  if (!(publicKey instanceof Uint8Array)) throw new TypeError('publicKey must be a Uint8Array');
  if (publicKey.length !== PUBLIC_KEY_BYTES) return 'key-non-canonical';
  let point: ReturnType<typeof ed25519.Point.fromBytes>;
  try {
    // zip215 = true decodes every y below 2^255 (and x = 0 with the sign bit set), so that a non-canonical
    // encoding of a real point is told apart from bytes that are no point at all.
    point = ed25519.Point.fromBytes(publicKey, true);
  } catch {
    return 'key-not-on-curve';
  }
  if (!equalBytes(point.toBytes(), publicKey)) return 'key-non-canonical';
  if (point.isSmallOrder()) return 'key-small-order';
  if (!point.isTorsionFree()) return 'key-mixed-order';
  return null;
}

/** L, the prime order of the base point, little-endian. */
const L_BYTES = Uint8Array.from([
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
]);

/** `true` when the little-endian scalar in the 32 bytes of `s` at `at` is below L (no view to make). */
function scalarBelowL(s: Uint8Array, at: number): boolean {
  for (let i = 31; i >= 0; i--) {
    const a = s[at + i]!;
    const b = L_BYTES[i]!;
    if (a !== b) return a < b;
  }
  return false;
}

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * The y coordinates (little-endian hex, sign bit clear) of every small-order point, canonical or not: y = 0,
 * 1, the two order-8 values, p - 1, p (= 0) and p + 1 (= 1). With either sign bit: 14 encodings.
 */
export const SMALL_ORDER_Y: readonly string[] = Object.freeze([
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
]);

// Private byte copies: exported typed arrays could be changed by any caller, and with them the policy.
const SMALL_ORDER_BYTES: readonly Uint8Array[] = SMALL_ORDER_Y.map(fromHex);

/** `true` when the first 32 bytes of `r` encode a small-order point, ignoring the sign bit. */
function smallOrderAt(r: Uint8Array): boolean {
  for (let k = 0; k < SMALL_ORDER_BYTES.length; k++) {
    const y = SMALL_ORDER_BYTES[k]!;
    let i = 0;
    while (i < 31 && r[i] === y[i]) i++;
    if (i === 31 && (r[31]! & 0x7f) === y[31]) return true;
  }
  return false;
}

/** The byte-level signature checks of the policy (length, S < L, R not small-order). */
export function checkSignatureEncoding(signature: Uint8Array): SignatureRejection | null {
  if (signature.length !== SIGNATURE_BYTES) return 'bad-signature-length';
  if (!scalarBelowL(signature, 32)) return 'signature-s-out-of-range';
  if (smallOrderAt(signature)) return 'signature-small-order-r';
  return null;
}

/** A cached per-key verdict: the rejection, or the backend's prepared key. */
export type KeyEntry = { reason: KeyRejection; key?: undefined } | { reason: null; key: unknown };

/**
 * A bounded least-recently-used cache of key verdicts and prepared keys, so that the policy check and the
 * key import happen once per key, not once per message.
 */
export class KeyCache {
  /** In recency order, oldest first: a key moves to the end when used (see {@link lookup}). */
  private readonly entries = new Map<string, Slot>();
  /** Lookups so far: the clock of {@link Slot.used}. */
  private lookups = 0;
  /** How many lookups old a slot may get before a hit moves it to the end. */
  private readonly stale: number;

  constructor(
    private readonly backend: Ed25519Backend,
    private readonly capacity: number,
  ) {
    this.stale = capacity >> 1;
  }

  get size(): number {
    return this.entries.size;
  }

  lookup(publicKey: Uint8Array): KeyEntry {
    const id = keyId(publicKey);
    const now = ++this.lookups;
    const hit = this.entries.get(id);
    if (hit !== undefined) {
      // Moving a key to the end (a delete and a set) on every hit was half the cost of a lookup. A hit
      // moves it only once it was last moved more than half the capacity's lookups ago: nearly LRU (the
      // tests' exact sequences included), and each lookup evicts at most one key, so a key used that often
      // is moved again before the keys in front of it can all be gone.
      if (now - hit.used > this.stale) {
        this.entries.delete(id);
        this.entries.set(id, hit);
        hit.used = now;
      }
      return hit.entry;
    }
    const reason = checkPublicKey(publicKey);
    const entry: KeyEntry = reason === null ? { reason, key: this.backend.importKey(publicKey) } : { reason };
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(id, { entry, used: now });
    return entry;
  }

  /**
   * The policy on one signature by a 32-byte key, in its order (key, encoding, equation): `null` when it
   * verifies, else the reason. The one sequence every verifier (envelope, worker, raw checker) runs.
   */
  check(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): SignatureRejection | null {
    const entry = this.lookup(publicKey);
    if (entry.reason !== null) return entry.reason;
    const encoding = checkSignatureEncoding(signature);
    if (encoding !== null) return encoding;
    return this.backend.verify(entry.key, message, signature) ? null : 'bad-signature';
  }
}

interface Slot {
  readonly entry: KeyEntry;
  /** The lookup count when the slot was last moved to the end. */
  used: number;
}

/**
 * The 32 bytes as 16 UTF-16 code units: a collision-free string key built in one call (about 6 times
 * cheaper than a string grown byte by byte, which was a tenth of the receive pipeline's own cost).
 */
function keyId(k: Uint8Array): string {
  return String.fromCharCode(
    k[0]! | (k[1]! << 8),
    k[2]! | (k[3]! << 8),
    k[4]! | (k[5]! << 8),
    k[6]! | (k[7]! << 8),
    k[8]! | (k[9]! << 8),
    k[10]! | (k[11]! << 8),
    k[12]! | (k[13]! << 8),
    k[14]! | (k[15]! << 8),
    k[16]! | (k[17]! << 8),
    k[18]! | (k[19]! << 8),
    k[20]! | (k[21]! << 8),
    k[22]! | (k[23]! << 8),
    k[24]! | (k[25]! << 8),
    k[26]! | (k[27]! << 8),
    k[28]! | (k[29]! << 8),
    k[30]! | (k[31]! << 8),
  );
}

/** Options of {@link SignatureChecker}. */
export interface CheckerInit {
  backend: Ed25519Backend;
  /** Keys whose verdict and prepared form are kept. Default 4096. */
  keyCacheSize?: number;
}

/**
 * Applies the policy in front of a backend, for raw (non-envelope) messages.
 *
 * @example
 * ```ts
 * const checker = new SignatureChecker({ backend: nobleBackend });
 * checker.verify(publicKey, message, signature); // { ok: true } or { ok: false, reason: 'bad-signature' }
 * ```
 */
export class SignatureChecker {
  readonly backend: string;
  private readonly keys: KeyCache;

  constructor(init: CheckerInit) {
    this.backend = init.backend.name;
    this.keys = new KeyCache(
      init.backend,
      integerOption(init.keyCacheSize, 'keyCacheSize', DEFAULT_KEY_CACHE_SIZE),
    );
  }

  /** Verifies `signature` of `message` by `publicKey` under the policy. Never throws on hostile bytes. */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): SignatureCheck {
    if (!(publicKey instanceof Uint8Array)) throw new TypeError('publicKey must be a Uint8Array');
    if (!(message instanceof Uint8Array)) throw new TypeError('message must be a Uint8Array');
    if (!(signature instanceof Uint8Array)) throw new TypeError('signature must be a Uint8Array');
    if (publicKey.length !== PUBLIC_KEY_BYTES) return { ok: false, reason: 'bad-kid' };
    const reason = this.keys.check(publicKey, message, signature);
    return reason === null ? { ok: true } : { ok: false, reason };
  }
}

/** Default number of keys a verifier or checker keeps (policy verdict and imported form). */
export const DEFAULT_KEY_CACHE_SIZE = 4096;

/**
 * An integer option of this package: `fallback` when absent, else a safe integer of at least `min` (1 or 0);
 * anything else is a TypeError naming the option.
 */
export function integerOption(value: number | undefined, name: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min)
    throw new TypeError(`${name} must be a ${min === 0 ? 'non-negative' : 'positive'} integer`);
  return value;
}
