/**
 * The factories each entry point exposes, parameterised by the backends that entry can load: the browser
 * entry only has noble; the Node entry adds node:crypto and libsodium (when sodium-native is installed) and
 * makes the fastest one the default.
 */
import type { BackendChoice, Ed25519Backend } from './backend.js';
import { EnvelopeVerifier, type VerifierInit } from './envelope.js';
import { BackendUnavailableError } from './errors.js';
import { nobleBackend } from './noble.js';
import { SignatureChecker } from './policy.js';
import type { Signer } from './types.js';

/**
 * Options of `createSigner` and `createSignatureChecker`: `backend` is `auto` (default: libsodium when
 * sodium-native is installed, else node:crypto, on Node; noble elsewhere), `sodium`, `node`, `noble`, or a
 * backend object.
 */
export interface BackendOptions {
  backend?: BackendChoice;
}

/** Options of `createVerifier`: those of {@link EnvelopeVerifier}, with the backend chosen as in {@link BackendOptions}. */
export type VerifierOptions = Omit<VerifierInit, 'backend'> & BackendOptions;

/** What each entry point exports; on Node `auto` is libsodium when sodium-native loads, else node:crypto. */
export interface Factories {
  /**
   * Resolves a backend choice (`auto` by default).
   *
   * @throws {BackendUnavailableError} for `node` or `sodium` where they cannot be loaded.
   */
  resolveBackend(choice?: BackendChoice): Ed25519Backend;
  /**
   * Creates a verifier that holds its caches (keys, topics, recent envelopes). Every backend gives
   * identical decisions.
   *
   * @example
   * ```ts
   * const verifier = createVerifier();
   * const result = verifier.verify('nara/plaza/hey-there', bytes);
   * if (!result.ok) console.log(result.reason);
   * ```
   */
  createVerifier(options?: VerifierOptions): EnvelopeVerifier;
  /**
   * Creates an Ed25519 signer from a 32-byte seed (the RFC 8032 private key, as in Go's
   * `ed25519.NewKeyFromSeed`). The seed cannot be read back from the signer.
   *
   * @example
   * ```ts
   * const signer = createSigner(seed);
   * console.log(String(signer)); // Signer { ed25519: <public key hex>, backend: ... }
   * ```
   */
  createSigner(seed: Uint8Array, options?: BackendOptions): Signer;
  /**
   * Creates a checker that applies the plaza/1 Ed25519 policy to raw messages (not envelopes).
   *
   * @example
   * ```ts
   * const checker = createSignatureChecker();
   * checker.verify(publicKey, message, signature); // { ok: true } or { ok: false, reason }
   * ```
   */
  createSignatureChecker(options?: BackendOptions & { keyCacheSize?: number }): SignatureChecker;
}

/** What an entry point can load: `node` and `sodium` give null where they cannot be had. */
interface Loaders {
  auto(): Ed25519Backend;
  node(): Ed25519Backend | null;
  sodium(): Ed25519Backend | null;
}

const NODE_ONLY = 'is only in the Node entry point (the "node" export condition or @nara/envelope/node)';

export function factories(loaders: Loaders, nodeEntry: boolean): Factories {
  function resolveBackend(choice: BackendChoice = 'auto'): Ed25519Backend {
    if (typeof choice === 'object' && choice !== null && typeof choice.verify === 'function') return choice;
    if (choice === 'auto') return loaders.auto();
    if (choice === 'noble') return nobleBackend;
    if (choice !== 'node' && choice !== 'sodium')
      throw new TypeError('backend must be "auto", "sodium", "node", "noble" or an Ed25519Backend');
    const backend = loaders[choice]();
    if (backend !== null) return backend;
    throw new BackendUnavailableError(
      choice === 'sodium' && nodeEntry
        ? 'the sodium backend needs the optional sodium-native package, which could not be loaded'
        : `the ${choice} backend ${NODE_ONLY}`,
    );
  }
  return {
    resolveBackend,
    createVerifier(options = {}) {
      return new EnvelopeVerifier({ ...options, backend: resolveBackend(options.backend) });
    },
    createSigner(seed, options = {}) {
      return resolveBackend(options.backend).createSigner(seed);
    },
    createSignatureChecker(options = {}) {
      return new SignatureChecker({
        backend: resolveBackend(options.backend),
        keyCacheSize: options.keyCacheSize,
      });
    },
  };
}
