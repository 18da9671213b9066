/**
 * Signed envelopes of the nara plaza (plaza/1). The portable entry point (browsers, any runtime); on Node the
 * `node` export condition loads `./node.ts` instead: the same API with native backends.
 *
 * @packageDocumentation
 */
import { factories } from './factories.js';
import { nobleBackend } from './noble.js';

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
export type { BackendOptions, Factories, VerifierOptions } from './factories.js';
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
export * from './types.js';
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

/**
 * The factories (see {@link Factories} for each one's use): in this portable entry point `auto` is noble, and
 * `node` and `sodium` are unavailable.
 */
export const { resolveBackend, createVerifier, createSigner, createSignatureChecker } = factories(
  { auto: () => nobleBackend, node: () => null, sodium: () => null },
  false,
);
