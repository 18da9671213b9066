/**
 * The plaza/1 Ed25519 policy, the same in front of every backend (docs/PROTOCOL.md, "Ed25519 policy"): the
 * key a canonical encoding of a point of prime order (checked once per key, cached); S < L and R none of
 * the 14 small-order encodings; then the cofactorless equation, R compared as bytes. With the key of prime
 * order every backend computes the same group element, so all agree on every input.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { equalBytes } from '@noble/curves/utils.js';
import type { Ed25519Backend } from './backend.js';
import { type ED25519_POLICY_REASONS, PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from './types.js';

/** Why a signature is refused: the policy's reasons, or a kid that is not 32 bytes (raw checks). */
export type SignatureRejection = (typeof ED25519_POLICY_REASONS)[number] | 'bad-kid';

/** Why a public key is refused. */
export type KeyRejection = Extract<SignatureRejection, `key-${string}`>;

/** The outcome of checking one signature under the policy. */
export type SignatureCheck = { ok: true } | { ok: false; reason: SignatureRejection };

/**
 * Judges a public key under the policy (about 1.4 ms); verifiers call it once per key and cache the verdict.
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

export function fromHex(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (b) => Number.parseInt(b, 16));
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

/** `true` when the 32 bytes of `r` at `at` encode a small-order point, ignoring the sign bit. */
function smallOrderAt(r: Uint8Array, at: number): boolean {
  for (let k = 0; k < SMALL_ORDER_BYTES.length; k++) {
    const y = SMALL_ORDER_BYTES[k]!;
    let i = 0;
    while (i < 31 && r[at + i] === y[i]) i++;
    if (i === 31 && (r[at + 31]! & 0x7f) === y[31]) return true;
  }
  return false;
}

/** The encoding checks of the 64-byte signature at `at` in `bytes`: S < L, R not small-order. */
function signatureEncodingAt(bytes: Uint8Array, at: number): SignatureRejection | null {
  if (!scalarBelowL(bytes, at + 32)) return 'signature-s-out-of-range';
  if (smallOrderAt(bytes, at)) return 'signature-small-order-r';
  return null;
}

/** The byte-level signature checks of the policy (length, S < L, R not small-order). */
export function checkSignatureEncoding(signature: Uint8Array): SignatureRejection | null {
  if (signature.length !== SIGNATURE_BYTES) return 'bad-signature-length';
  return signatureEncodingAt(signature, 0);
}

/** A cached per-key verdict: the rejection, or the backend's prepared key. */
type KeyEntry = { reason: KeyRejection; key?: undefined } | { reason: null; key: unknown };

/**
 * A bounded least-recently-used cache of key verdicts and prepared keys, so that the policy check and the
 * key import happen once per key, not once per message.
 */
export class KeyCache {
  /** By the key's 32 bytes as a string (a Map hashes strings with a secret per-process seed), oldest use first. */
  private readonly entries = new Map<string, KeyEntry & { used: number }>();
  /** Lookups so far: the clock of `used`. */
  private lookups = 0;
  /** How many lookups old an entry may get before a hit moves it to the end. */
  private readonly stale: number;
  /** The signature handed to the backend by {@link checkIn}: copied here, not a view made per message. */
  private readonly signature = new Uint8Array(SIGNATURE_BYTES);

  constructor(
    private readonly backend: Ed25519Backend,
    private readonly capacity: number,
  ) {
    this.stale = capacity >> 1;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The verdict and prepared key for the 32-byte key at `at` in `bytes` (the whole array by default). */
  lookup(bytes: Uint8Array, at = 0): KeyEntry {
    const id = String.fromCharCode.apply(
      null,
      bytes.subarray(at, at + PUBLIC_KEY_BYTES) as unknown as number[],
    );
    const now = ++this.lookups;
    const hit = this.entries.get(id);
    if (hit !== undefined) {
      // Moved to the end (a delete and a set, half the cost of a lookup) only when last moved more than
      // half the capacity's lookups ago: nearly LRU, and a key used that often is never evicted.
      if (now - hit.used > this.stale) {
        this.entries.delete(id);
        this.entries.set(id, hit);
        hit.used = now;
      }
      return hit;
    }
    const publicKey = bytes.slice(at, at + PUBLIC_KEY_BYTES);
    const reason = checkPublicKey(publicKey);
    const entry =
      reason === null ? { reason, key: this.backend.importKey(publicKey), used: now } : { reason, used: now };
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(id, entry);
    return entry;
  }

  /** The policy on one signature, in its order (key, encoding, equation): `null` when it verifies, else the reason. */
  check(
    key: Uint8Array,
    keyAt: number,
    message: Uint8Array,
    signature: Uint8Array,
  ): SignatureRejection | null {
    const entry = this.lookup(key, keyAt);
    if (entry.reason !== null) return entry.reason;
    if (signature.length !== SIGNATURE_BYTES) return 'bad-signature-length';
    const encoding = signatureEncodingAt(signature, 0);
    if (encoding !== null) return encoding;
    return this.backend.verify(entry.key, message, signature) ? null : 'bad-signature';
  }

  /** {@link check} for the key and the signature inside a received envelope, making no views of them. */
  checkIn(
    bytes: Uint8Array,
    kidAt: number,
    signatureAt: number,
    message: Uint8Array,
  ): SignatureRejection | null {
    const signature = this.signature;
    for (let i = 0; i < SIGNATURE_BYTES; i++) signature[i] = bytes[signatureAt + i]!;
    return this.check(bytes, kidAt, message, signature);
  }
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
    const reason = this.keys.check(publicKey, 0, message, signature);
    return reason === null ? { ok: true } : { ok: false, reason };
  }
}

/** Default number of keys a verifier or checker keeps (policy verdict and imported form). */
export const DEFAULT_KEY_CACHE_SIZE = 4096;

/** An integer option: `fallback` when absent, else a safe integer of at least `min`, else a TypeError. */
export function integerOption(value: number | undefined, name: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min)
    throw new TypeError(`${name} must be a ${min === 0 ? 'non-negative' : 'positive'} integer`);
  return value;
}
