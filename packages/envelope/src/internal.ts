/**
 * Internals of `@nara/envelope` for the project's own packages (`@nara/envelope-workers` runs the
 * verifier's steps before and after the signature on the calling thread with these). Not part of the
 * public API: not semver-stable, may change in any release.
 *
 * @packageDocumentation
 */
export { bindVerified } from './binding.js';
export { StrictReader } from './cbor-reader.js';
export { type CoseLayout, newLayout, readCose, Scratch, sigStructure } from './cose.js';
export { DEFAULT_KEY_CACHE_SIZE, integerOption } from './policy.js';
export { fromFailure, reject, signatureDetail } from './rejections.js';
export { TopicCache, type TopicEntry } from './topic-cache.js';
