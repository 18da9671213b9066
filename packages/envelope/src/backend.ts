import type { Signer } from './types.js';

/**
 * An Ed25519 implementation behind the plaza/1 policy. The policy (src/policy.ts) does every check that
 * could make two implementations disagree (key encoding and order, S range, small-order R) before the
 * backend is asked, so a backend only computes the one equation both sides agree on:
 * `encode([S]B - [k]A) == R` as bytes, with `k = SHA-512(R || A || M) mod L` (cofactorless, as OpenSSL).
 *
 * @example
 * ```ts
 * import { createVerifier, nobleBackend } from '@nara/envelope';
 * const verifier = createVerifier({ backend: nobleBackend });
 * ```
 */
export interface Ed25519Backend<Key = unknown> {
  /** A short name for logs and metrics: `noble`, `node`, `sodium`. */
  readonly name: string;
  /** Prepares a public key the policy accepted, once per key (the verifier caches the result). */
  importKey(publicKey: Uint8Array): Key;
  /**
   * The cofactorless equation. Called only after the policy accepted the key, S < L and R; returns false,
   * never throws, on anything it cannot judge. `message` and `signature` are the verifier's scratch space,
   * valid during the call only: a backend must not keep them, nor call back into the verifier that called it.
   */
  verify(key: Key, message: Uint8Array, signature: Uint8Array): boolean;
  /** A signer for the 32-byte Ed25519 seed (RFC 8032 private key). */
  createSigner(seed: Uint8Array): Signer;
}

/** Backend names: `auto` is the fastest one the entry point can load. */
export type BackendName = 'auto' | 'noble' | 'node' | 'sodium';

/** A backend object, or the name of one. */
export type BackendChoice = BackendName | Ed25519Backend;

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/**
 * Wraps a sign function whose secret lives in a closure: nothing enumerable holds the key, and
 * `toString`, `toJSON` and `util.inspect` show only the public key.
 */
export function wrapSigner(
  backend: string,
  publicKey: Uint8Array,
  sign: (m: Uint8Array) => Uint8Array,
): Signer {
  const publicHex = hex(publicKey);
  const describe = () => `Signer { ed25519: ${publicHex}, backend: ${backend} }`;
  return Object.freeze({
    publicKey,
    sign(message: Uint8Array): Uint8Array {
      if (!(message instanceof Uint8Array)) throw new TypeError('message must be a Uint8Array');
      return sign(message);
    },
    toString: describe,
    toJSON: () => ({ type: 'ed25519-signer', publicKey: publicHex, backend }),
    [INSPECT]: describe,
  });
}

/** A seed argument, checked. */
export function checkSeed(seed: unknown): Uint8Array {
  if (!(seed instanceof Uint8Array) || seed.length !== 32)
    throw new TypeError('seed must be a Uint8Array of 32 bytes');
  return seed;
}
