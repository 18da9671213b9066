/**
 * The libsodium backend (Node only), through the optional `sodium-native` package, loaded lazily with
 * `createRequire` so that importing this package never fails, nor loads a native addon, without it.
 * libsodium computes the policy's cofactorless equation; the policy runs before it, as for every backend.
 */
import { createRequire } from 'node:module';
import { checkSeed, type Ed25519Backend, wrapSigner } from '../backend.js';

/** The part of sodium-native's API this backend uses (it accepts any Uint8Array). */
interface SodiumNative {
  crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  crypto_sign_seed_keypair(publicKey: Uint8Array, secretKey: Uint8Array, seed: Uint8Array): void;
  crypto_sign_detached(signature: Uint8Array, message: Uint8Array, secretKey: Uint8Array): void;
}

let loaded: Ed25519Backend<Uint8Array> | null | undefined;

function isSodium(value: unknown): value is SodiumNative {
  const s = value as Partial<SodiumNative> | null;
  return (
    typeof s?.crypto_sign_verify_detached === 'function' &&
    typeof s.crypto_sign_seed_keypair === 'function' &&
    typeof s.crypto_sign_detached === 'function'
  );
}

function build(sodium: SodiumNative): Ed25519Backend<Uint8Array> {
  const verifyDetached = sodium.crypto_sign_verify_detached;
  return Object.freeze({
    name: 'sodium',
    importKey(publicKey: Uint8Array): Uint8Array {
      // A private copy: the caller's array may be a view into a message buffer that is reused.
      return publicKey.slice();
    },
    verify(key: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
      try {
        return verifyDetached(signature, message, key) === true;
      } catch {
        return false;
      }
    },
    createSigner(seed: Uint8Array) {
      const publicKey = new Uint8Array(32);
      // The expanded secret key (seed || public key) lives only in this closure.
      const secretKey = new Uint8Array(64);
      sodium.crypto_sign_seed_keypair(publicKey, secretKey, checkSeed(seed));
      return wrapSigner('sodium', publicKey, (message) => {
        const signature = new Uint8Array(64);
        sodium.crypto_sign_detached(signature, message, secretKey);
        return signature;
      });
    },
  });
}

/**
 * The libsodium backend when the optional `sodium-native` package can be loaded, else `null`. Loaded once,
 * on first call.
 *
 * @example
 * ```ts
 * import { createVerifier, loadSodiumBackend } from '@nara/envelope/node';
 * const sodium = loadSodiumBackend();
 * const verifier = createVerifier({ backend: sodium ?? 'node' });
 * ```
 */
export function loadSodiumBackend(): Ed25519Backend<Uint8Array> | null {
  if (loaded !== undefined) return loaded;
  try {
    const load = createRequire(import.meta.url);
    const sodium: unknown = load('sodium-native');
    loaded = isSodium(sodium) ? build(sodium) : null;
  } catch {
    // Not installed, or no prebuilt binary for this platform: the node:crypto backend serves instead.
    loaded = null;
  }
  return loaded;
}
