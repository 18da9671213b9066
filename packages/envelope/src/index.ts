/**
 * Signed envelopes of the nara plaza (plaza/1): COSE_Sign1 over deterministic CBOR, Ed25519 with one
 * written policy that every backend enforces, strict decoding that never throws on hostile bytes.
 *
 * This is the portable entry point (browsers, and any runtime without node:crypto); on Node the `node`
 * export condition loads `./node.ts` instead, which is the same API with the node:crypto backend as default.
 *
 * @packageDocumentation
 */
import type { BackendChoice, Ed25519Backend } from './backend.js';
import type { EnvelopeVerifier } from './envelope.js';
import { type BackendOptions, factories, type VerifierOptions } from './factories.js';
import { nobleBackend } from './noble.js';
import type { SignatureChecker } from './policy.js';
import type { Signer } from './types.js';

export type { BackendChoice, BackendName, Ed25519Backend } from './backend.js';
export { commitmentTo, fulfils, NO_SUCCESSOR } from './commitment.js';
export {
  DEFAULT_DUPLICATE_CACHE_SIZE,
  DEFAULT_MAX_BYTES,
  type DecodeOptions,
  decodeEnvelope,
  EnvelopeVerifier,
  signEnvelope,
  type VerifierInit,
} from './envelope.js';
export { BackendUnavailableError, InvalidContentError } from './errors.js';
export type { BackendOptions, VerifierOptions } from './factories.js';
export { type NobleKey, nobleBackend } from './noble.js';
export {
  type CheckerInit,
  checkPublicKey,
  checkSignatureEncoding,
  type KeyRejection,
  type SignatureCheck,
  SignatureChecker,
  type SignatureRejection,
  SMALL_ORDER_Y,
} from './policy.js';
export {
  type AnyEnvelopeContent,
  type Aura,
  type BodyByKind,
  type BodyOf,
  type ChauBody,
  type ChauReason,
  type CheckpointBody,
  type CheckpointFinalBody,
  type CheckpointObservation,
  type CheckpointOp,
  type CheckpointProposeBody,
  type CheckpointVoteBody,
  COMMITMENT_BYTES,
  type DecodedEnvelope,
  type DecodeResult,
  ENVELOPE_KINDS,
  type EnvelopeContent,
  type EnvelopeKind,
  EPOCH_BYTES,
  type HeyThereBody,
  type HostStats,
  MAX_CHECKPOINT_VOTES,
  type NewspaperBody,
  type NewspaperStatus,
  type Personality,
  PUBLIC_KEY_BYTES,
  REJECT_REASONS,
  type Rejection,
  type RejectReason,
  SCHEMA_VERSION,
  SIGNATURE_BYTES,
  type Signer,
  type StashRefreshBody,
  type SuccessionBody,
  type TransportMode,
  type VerifiedEnvelope,
  type VerifyResult,
} from './types.js';
export {
  type AsyncEnvelopeVerifier,
  type AsyncSignatureChecker,
  type AsyncVerifierOptions,
  createAsyncSignatureChecker,
  createAsyncVerifier,
  type Ed25519Subtle,
  type WebCryptoKey,
  webCryptoEd25519Available,
} from './webcrypto.js';

const portable = factories({ auto: () => nobleBackend, node: () => null, sodium: () => null }, false);

/**
 * Resolves a backend choice. In this (portable) entry point `auto` is noble; `node` and `sodium` are
 * unavailable.
 *
 * @throws {BackendUnavailableError} for `node` or `sodium` outside the Node entry point.
 */
export function resolveBackend(choice?: BackendChoice): Ed25519Backend {
  return portable.resolveBackend(choice);
}

/**
 * Creates a verifier that holds its caches (keys, topics). On Node the default backend is libsodium (when
 * sodium-native is installed) or node:crypto, elsewhere noble; all give identical decisions.
 *
 * @example
 * ```ts
 * const verifier = createVerifier();
 * const result = verifier.verify('nara/plaza/hey-there', bytes);
 * if (!result.ok) console.log(result.reason);
 * ```
 */
export function createVerifier(options?: VerifierOptions): EnvelopeVerifier {
  return portable.createVerifier(options);
}

/**
 * Creates an Ed25519 signer from a 32-byte seed (the seed is the RFC 8032 private key, as in Go's
 * `ed25519.NewKeyFromSeed`). The seed cannot be read back from the signer.
 *
 * @example
 * ```ts
 * const signer = createSigner(seed);
 * console.log(String(signer)); // Signer { ed25519: <public key hex>, backend: ... }
 * ```
 */
export function createSigner(seed: Uint8Array, options?: BackendOptions): Signer {
  return portable.createSigner(seed, options);
}

/**
 * Creates a checker that applies the plaza/1 Ed25519 policy to raw messages (not envelopes).
 *
 * @example
 * ```ts
 * const checker = createSignatureChecker();
 * checker.verify(publicKey, message, signature); // { ok: true } or { ok: false, reason }
 * ```
 */
export function createSignatureChecker(
  options?: BackendOptions & { keyCacheSize?: number },
): SignatureChecker {
  return portable.createSignatureChecker(options);
}
