/**
 * Pre-rotation (docs/PROTOCOL.md section 12): a nara commits, in every message it signs, to the digest of
 * the public key of its next soul, so that only the holder of that next soul can later move its name.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { COMMITMENT_BYTES, PUBLIC_KEY_BYTES } from './types.js';

/**
 * The commitment to `nextPublicKey`: SHA-256 of its 32 bytes.
 *
 * @example
 * ```ts
 * const next = createSigner(nextSeed);            // kept offline by the operator
 * const commitment = commitmentTo(next.publicKey); // carried in every message of the current soul
 * ```
 */
export function commitmentTo(nextPublicKey: Uint8Array): Uint8Array {
  if (!(nextPublicKey instanceof Uint8Array) || nextPublicKey.length !== PUBLIC_KEY_BYTES)
    throw new TypeError(`the next public key must be a Uint8Array of ${PUBLIC_KEY_BYTES} bytes`);
  return sha256(nextPublicKey);
}

/** The commitment of a retired name: no successor will ever be accepted. */
export const NO_SUCCESSOR: Uint8Array = new Uint8Array(0);

/** Whether `publicKey` is the key `commitment` committed to (never for a retired commitment). */
export function fulfils(commitment: Uint8Array, publicKey: Uint8Array): boolean {
  if (commitment.length !== COMMITMENT_BYTES) return false;
  const digest = sha256(publicKey);
  let diff = 0;
  for (let i = 0; i < COMMITMENT_BYTES; i++) diff |= digest[i]! ^ commitment[i]!;
  return diff === 0;
}
