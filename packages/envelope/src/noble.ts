/** The portable backend: the policy's equation (cofactorless, R compared as bytes) with @noble/curves' points. */
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, equalBytes } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { checkSeed, type Ed25519Backend, wrapSigner } from './backend.js';

const { Point } = ed25519;
const Fn = Point.Fn;
type EdPoint = ReturnType<typeof Point.fromBytes>;

/** A public key prepared for the noble backend: the decoded point and its bytes (for the challenge hash). */
export interface NobleKey {
  readonly point: EdPoint;
  readonly bytes: Uint8Array;
}

function challenge(r: Uint8Array, a: Uint8Array, message: Uint8Array): bigint {
  return Fn.create(bytesToNumberLE(sha512.create().update(r).update(a).update(message).digest()));
}

/**
 * The portable Ed25519 backend (@noble/curves), available everywhere.
 *
 * @example
 * ```ts
 * import { createVerifier, nobleBackend } from '@nara/envelope';
 * const verifier = createVerifier({ backend: nobleBackend });
 * ```
 */
export const nobleBackend: Ed25519Backend<NobleKey> = Object.freeze({
  name: 'noble',
  importKey(publicKey: Uint8Array): NobleKey {
    return { point: Point.fromBytes(publicKey), bytes: publicKey.slice() };
  },
  verify(key: NobleKey, message: Uint8Array, signature: Uint8Array): boolean {
    try {
      if (signature.length !== 64) return false;
      const r = signature.subarray(0, 32);
      const s = bytesToNumberLE(signature.subarray(32));
      const k = challenge(r, key.bytes, message);
      const check = Point.BASE.multiplyUnsafe(s).subtract(key.point.multiplyUnsafe(k));
      return equalBytes(check.toBytes(), r);
    } catch {
      return false;
    }
  },
  createSigner(seed: Uint8Array) {
    // The expanded key (scalar, prefix, public point) is derived once, not on every signature.
    const { prefix, scalar, pointBytes } = ed25519.utils.getExtendedPublicKey(checkSeed(seed));
    return wrapSigner('noble', pointBytes.slice(), (message) => {
      const r = Fn.create(bytesToNumberLE(sha512.create().update(prefix).update(message).digest()));
      const big = Point.BASE.multiply(r).toBytes();
      const s = Fn.create(r + challenge(big, pointBytes, message) * scalar);
      const out = new Uint8Array(64);
      out.set(big, 0);
      out.set(Fn.toBytes(s), 32);
      return out;
    });
  },
});
