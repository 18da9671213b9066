import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, randomBytes } from '@noble/hashes/utils.js';
import { generateName } from './names.js';
import { assertBytes, assertString, computeTag, type RandomSource, SEED_LENGTH, Soul } from './soul.js';

const encoder = new TextEncoder();
const SOUL_SALT = encoder.encode('nara:soul:v2');

/**
 * The hardware fingerprint Go derives from its soul fragments: SHA-256 of the UTF-8 text. Go's binary
 * passes `{HostID}-{MACs}` (see `@nara/identity/node` for reading those on Linux); Go's tests use
 * `hardware-1` and `hardware-2`. Go: `HashHardware`.
 *
 * @example
 * ```ts
 * hashHardware('hardware-1'); // SHA-256, e92af6aa...41ee05
 * ```
 */
export function hashHardware(fragments: string): Uint8Array {
  assertString(fragments, 'fragments');
  return sha256(encoder.encode(fragments));
}

/**
 * The native soul of a nara with a chosen name on this hardware: seed = HKDF-SHA256(secret = fingerprint,
 * salt = `nara:soul:v2`, info = `seed:custom:` + name), 32 bytes, with the tag bonding it to `name`. The
 * same hardware and name always give the same soul. Go: `NativeSoulCustom`.
 *
 * @example
 * ```ts
 * const soul = nativeSoulCustom(hashHardware('hardware-1'), 'jojo');
 * validateBond(soul, 'jojo'); // true
 * ```
 */
export function nativeSoulCustom(hardwareFingerprint: Uint8Array, name: string): Soul {
  assertBytes(hardwareFingerprint, 'hardwareFingerprint');
  assertString(name, 'name');
  const seed = hkdf(
    sha256,
    hardwareFingerprint,
    SOUL_SALT,
    encoder.encode(`seed:custom:${name}`),
    SEED_LENGTH,
  );
  return bonded(seed, name);
}

/**
 * The native soul of a nara whose name is generated: seed = HKDF-SHA256(secret = fingerprint, salt =
 * `nara:soul:v2`, info = `seed:generated`), 32 bytes; its name is `generateName(hex(seed))` and the tag bonds
 * the seed to that name. Go: `NativeSoulGenerated`.
 *
 * @example
 * ```ts
 * const soul = nativeSoulGenerated(hashHardware('hardware-1'));
 * nameFromSoul(soul); // 'noisy-bear-189'
 * ```
 */
export function nativeSoulGenerated(hardwareFingerprint: Uint8Array): Soul {
  assertBytes(hardwareFingerprint, 'hardwareFingerprint');
  const seed = hkdf(sha256, hardwareFingerprint, SOUL_SALT, encoder.encode('seed:generated'), SEED_LENGTH);
  return bonded(seed, generateName(bytesToHex(seed)));
}

/**
 * A fresh random soul in generated-name mode: a random seed, the name it generates, and the tag bonding
 * the two. What a new nara on a generic host gets when it should not be tied to the hardware.
 *
 * @example
 * ```ts
 * const { name, soul } = randomGeneratedSoul();
 * validateBond(soul, name); // true; name looks like 'noisy-bear-189'
 * ```
 */
export function randomGeneratedSoul(random: RandomSource = randomBytes): { name: string; soul: Soul } {
  const seed = random(SEED_LENGTH);
  assertBytes(seed, 'the random source output', SEED_LENGTH);
  const name = generateName(bytesToHex(seed));
  return { name, soul: Soul.fromParts(seed, computeTag(seed, name)) };
}

function bonded(seed: Uint8Array, name: string): Soul {
  const soul = Soul.fromParts(seed, computeTag(seed, name));
  seed.fill(0);
  return soul;
}
