/**
 * The Node entry point: the whole API of `@nara/envelope` with the fastest native backend as the default
 * (libsodium through the optional sodium-native package when it loads, else node:crypto), plus the
 * backends themselves. Loaded for `@nara/envelope` through the `node` export condition, or as
 * `@nara/envelope/node`.
 *
 * @packageDocumentation
 */
import type { BackendChoice, Ed25519Backend } from './backend.js';
import type { EnvelopeVerifier } from './envelope.js';
import { type BackendOptions, factories, type VerifierOptions } from './factories.js';
import { nodeBackend } from './node/backend.js';
import { loadSodiumBackend } from './node/sodium.js';
import type { SignatureChecker } from './policy.js';
import type { Signer } from './types.js';

export * from './index.js';
export { nodeBackend } from './node/backend.js';
export { loadSodiumBackend } from './node/sodium.js';
export {
  createWorkerVerifier,
  type VerifyRequest,
  type WorkerVerifier,
  WorkerVerifierError,
  type WorkerVerifierOptions,
} from './node/workers.js';

const onNode = factories(
  { auto: () => loadSodiumBackend() ?? nodeBackend, node: () => nodeBackend, sodium: loadSodiumBackend },
  true,
);

/**
 * Resolves a backend choice; `auto` is libsodium when sodium-native loads, else node:crypto.
 *
 * @throws {BackendUnavailableError} for `sodium` when sodium-native cannot be loaded.
 */
export function resolveBackend(choice?: BackendChoice): Ed25519Backend {
  return onNode.resolveBackend(choice);
}

/**
 * Creates a verifier (default backend: libsodium when sodium-native loads, else node:crypto).
 *
 * @example
 * ```ts
 * const verifier = createVerifier();
 * console.log(verifier.backend); // 'sodium' or 'node'
 * ```
 */
export function createVerifier(options?: VerifierOptions): EnvelopeVerifier {
  return onNode.createVerifier(options);
}

/**
 * Creates an Ed25519 signer from a 32-byte seed (default backend: libsodium when sodium-native loads, its
 * expanded key in a closure; else node:crypto, a private KeyObject).
 *
 * @example
 * ```ts
 * const signer = createSigner(seed);
 * ```
 */
export function createSigner(seed: Uint8Array, options?: BackendOptions): Signer {
  return onNode.createSigner(seed, options);
}

/**
 * Creates a raw-message policy checker (default backend: libsodium when sodium-native loads, else
 * node:crypto).
 *
 * @example
 * ```ts
 * const checker = createSignatureChecker();
 * ```
 */
export function createSignatureChecker(
  options?: BackendOptions & { keyCacheSize?: number },
): SignatureChecker {
  return onNode.createSignatureChecker(options);
}
