import { sha256 } from '@noble/hashes/sha2.js';
import { base58 } from '@scure/base';
import { InvalidSoulError } from './errors.js';
import { assertString, parseSoul, Soul } from './soul.js';

const encoder = new TextEncoder();

/**
 * The nara ID: base58 of SHA-256(the 40 soul bytes ‖ the UTF-8 name), about 44 characters. Stable across
 * restarts and different for two naras of the same name with different souls. It hashes the secret soul,
 * so nobody else can check it. Go: `ComputeNaraID`, which takes the soul's text; this takes a {@link Soul}
 * or its text, and throws {@link InvalidSoulError} (quoting none of it) where Go returns an error.
 *
 * @example
 * ```ts
 * computeNaraId(nativeSoulCustom(hashHardware('hardware-1'), 'jojo'), 'jojo');
 * // '2gdnSNmnqsnvDoTxnj5PVyupruDnVUCaMH6tdGcpUjqa'
 * ```
 */
export function computeNaraId(soul: Soul | string, name: string): string {
  assertString(name, 'name');
  let parsed: Soul;
  if (soul instanceof Soul) parsed = soul;
  else if (typeof soul === 'string') {
    const result = parseSoul(soul);
    if (!result.ok) throw new InvalidSoulError(result.reason, result.message);
    parsed = result.soul;
  } else throw new TypeError('soul must be a Soul or its text');
  const soulBytes = parsed.unsafeBytes();
  const nameBytes = encoder.encode(name);
  const input = new Uint8Array(soulBytes.length + nameBytes.length);
  input.set(soulBytes, 0);
  input.set(nameBytes, soulBytes.length);
  const id = base58.encode(sha256(input));
  soulBytes.fill(0);
  input.fill(0);
  return id;
}
