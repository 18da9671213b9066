/**
 * Builds envelopes byte by byte, including ones no honest sender produces, for the vectors and tests. It
 * has its own tiny CBOR encoder (no validation, any order, duplicates allowed) and signs with noble's
 * RFC 8032 Ed25519, so a forged envelope can carry a valid signature over invalid content.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE } from '@noble/curves/utils.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { concat, enc, hexToBytes, protectedItem, sigStructure } from './cbor-raw.js';

const { Point } = ed25519;
const Fn = Point.Fn;
const utf8 = new TextEncoder();

export {
  type Cbor,
  concat,
  enc,
  head,
  hexToBytes,
  protectedItem,
  raw,
  sigStructure,
  toHex,
} from './cbor-raw.js';

/** A deterministic test key: seed = SHA-256("nara plaza/1 vector key " + index). */
export function testKey(index: number) {
  const seed = sha256(utf8.encode(`nara plaza/1 vector key ${index}`));
  const { scalar, pointBytes, prefix } = ed25519.utils.getExtendedPublicKey(seed);
  return { seed, scalar, prefix, publicKey: pointBytes };
}

export type TestKey = ReturnType<typeof testKey>;

/** RFC 8032 signature by `key`. */
export function sign(key: TestKey, message: Uint8Array): Uint8Array {
  return ed25519.sign(message, key.seed);
}

export function challenge(r: Uint8Array, a: Uint8Array, message: Uint8Array): bigint {
  return Fn.create(bytesToNumberLE(sha512(concat(r, a, message))));
}

/** A signature with R = `rBytes` that satisfies the cofactorless equation when R is the identity. */
export function signWithIdentityR(key: TestKey, message: Uint8Array, aBytes = key.publicKey): Uint8Array {
  const r = hexToBytes('0100000000000000000000000000000000000000000000000000000000000000');
  const s = Fn.create(challenge(r, aBytes, message) * key.scalar);
  return concat(r, Fn.toBytes(s));
}

/** Parts of an envelope; each is an already-encoded CBOR item. */
export interface Parts {
  prefix?: Uint8Array;
  protected: Uint8Array;
  unprotected?: Uint8Array;
  payload: Uint8Array;
  signature: Uint8Array;
  suffix?: Uint8Array;
}

export function assemble(p: Parts): Uint8Array {
  return concat(
    p.prefix ?? Uint8Array.of(0xd2, 0x84),
    p.protected,
    p.unprotected ?? Uint8Array.of(0xa0),
    p.payload,
    p.signature,
    p.suffix ?? new Uint8Array(0),
  );
}

/** Signs `payloadBytes` (the payload content) honestly under `topic` and returns the parts. */
export function signedParts(
  key: TestKey,
  topic: string,
  payloadBytes: Uint8Array,
  kid: Uint8Array = key.publicKey,
): Parts {
  const prot = protectedItem(kid);
  const payload = enc(payloadBytes);
  const signature = sign(key, sigStructure(prot, topic, payload));
  return { protected: prot, payload, signature: enc(signature) };
}

/** An order-8 point, for adding torsion. */
export const TORSION_8 = Point.fromBytes(
  hexToBytes('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'),
);
export { Point };
