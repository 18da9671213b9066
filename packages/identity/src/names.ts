import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { ADJECTIVES, NOUNS } from './go-name-words.js';
import { GoRand } from './go-rand.js';
import { assertString, Soul } from './soul.js';

const encoder = new TextEncoder();

/**
 * The generated name for `id`, as Go's `GenerateName`: `unnamed-nara` for `''`; otherwise the first 8 bytes
 * of SHA-256(id) as a big-endian signed int64 seed Go's math/rand, which picks an adjective, a noun and a
 * number below 1000: `{adjective}-{noun}-{number:03d}`. Native generated names use the lowercase hex of
 * the soul's seed as `id` (see {@link nameFromSoul}).
 *
 * @example
 * ```ts
 * generateName('');  // 'unnamed-nara'
 * generateName('ef0e28ff950a1b1239334d6500df91658d308aa286f31c409bf15fd6069a25eb'); // 'noisy-bear-189'
 * ```
 */
export function generateName(id: string): string {
  assertString(id, 'id');
  if (id === '') return 'unnamed-nara';
  const hash = sha256(encoder.encode(id));
  const seed = new DataView(hash.buffer, hash.byteOffset, 8).getBigInt64(0, false);
  const r = new GoRand(seed);
  const adjective = ADJECTIVES[r.intn(ADJECTIVES.length)];
  const noun = NOUNS[r.intn(NOUNS.length)];
  const suffix = r.intn(1000);
  return `${adjective}-${noun}-${String(suffix).padStart(3, '0')}`;
}

/**
 * The generated name a soul carries in generated-name mode: {@link generateName} of the lowercase hex of
 * its seed. Go: `NameFromSoul`.
 *
 * @example
 * ```ts
 * nameFromSoul(nativeSoulGenerated(hashHardware('hardware-1'))); // 'noisy-bear-189'
 * ```
 */
export function nameFromSoul(soul: Soul): string {
  if (!(soul instanceof Soul)) throw new TypeError('soul must be a Soul');
  const seed = soul.unsafeSeed();
  const name = generateName(bytesToHex(seed));
  seed.fill(0);
  return name;
}

// Go's list, `Mac` included: after lower-casing the host name it can never match (see isGenericHostname).
const GENERIC_HOSTNAME_PARTS = [
  'localhost',
  'raspberrypi',
  'raspberry',
  'debian',
  'ubuntu',
  'nixos',
  'nara',
  'Mac',
];
const CONTAINER_ID = /^[0-9a-f]{12,}$/;

// Go's strings.ToLower maps rune by rune with simple case mappings; JavaScript's toLowerCase applies the
// full (special-casing) mappings. For the ASCII words matched here the one difference that matters is
// U+0130 (capital I with dot): Go lowers it to "i", JavaScript to "i" plus a combining dot.
function goToLower(text: string): string {
  return text.replaceAll('\u0130', 'i').toLowerCase();
}

/**
 * Whether a host name is too generic to name a nara, so that a name is generated instead, exactly as Go's
 * `IsGenericHostname` decides it, quirks included:
 *
 * - the lower-cased name *contains* (not equals) one of `localhost`, `raspberrypi`, `raspberry`, `debian`,
 *   `ubuntu`, `nixos`, `nara`: so `my-nara-box` and `banaras` are generic;
 * - Go's list also has `Mac`, which can never match the lower-cased name: `Mac-mini` is **not** generic;
 * - or the lower-cased name is 12 or more hex digits (a container ID such as `3068841f6679`).
 *
 * @example
 * ```ts
 * isGenericHostname('nixos');       // true
 * isGenericHostname('Mac-mini');    // false (Go's quirk)
 * isGenericHostname('3068841f6679'); // true
 * ```
 */
export function isGenericHostname(hostname: string): boolean {
  return genericNameRule(hostname) !== undefined;
}

/**
 * Which of Go's generic-host-name rules `name` falls under, in words (`contains "nara"`, `is 12 or more hex
 * digits, like a container ID`), or `undefined` when it is not generic: what a nara says when that rule
 * replaces a name someone typed.
 *
 * @example
 * ```ts
 * genericNameRule('my-nara');  // 'contains "nara"'
 * genericNameRule('jojo');     // undefined
 * ```
 */
export function genericNameRule(name: string): string | undefined {
  assertString(name, 'name');
  const lower = goToLower(name);
  for (const part of GENERIC_HOSTNAME_PARTS) if (lower.includes(part)) return `contains "${part}"`;
  return CONTAINER_ID.test(lower) ? 'is 12 or more hex digits, like a container ID' : undefined;
}
