/**
 * Go-compatible nara identities: souls (seed and bond tag), their text form, bond tags, native souls from
 * a hardware fingerprint, nara IDs, generated names (with a faithful port of Go's math/rand), identity
 * resolution, and the Ed25519 key pair a soul carries. Runs in browsers and Node; the Linux hardware
 * fingerprint lives in `@nara/identity/node`.
 *
 * @packageDocumentation
 */
export { IdentityError, InvalidSoulError } from './errors.js';
export { GoRand } from './go-rand.js';
export {
  type CreateIdentityOptions,
  createIdentity,
  determineIdentity,
  type Identity,
  type IdentityJSON,
  type IdentityRejection,
  type IdentityResult,
  type NameMode,
  type ReplacedName,
} from './identity.js';
export { generateName, genericNameRule, isGenericHostname, nameFromSoul } from './names.js';
export { computeNaraId } from './nara-id.js';
export { hashHardware, nativeSoulCustom, nativeSoulGenerated, randomGeneratedSoul } from './native.js';
export {
  computeTag,
  formatSoul,
  MAX_SOUL_TEXT_LENGTH,
  parseSoul,
  type RandomSource,
  randomSoul,
  SEED_LENGTH,
  SOUL_LENGTH,
  Soul,
  type SoulParse,
  type SoulRejection,
  TAG_LENGTH,
  validateBond,
} from './soul.js';
