/**
 * Builds plaza/1 envelopes byte by byte, hostile ones included, for the hostile-input suite and the fuzzer.
 * Its CBOR encoder validates nothing (any order, duplicates, any tag, any head width), and it signs the
 * COSE Sig_structure itself with node:crypto, so a forged envelope can carry a valid signature over
 * content no honest nara would send: only the rule under test can reject it. docs/PROTOCOL.md is the spec.
 */
import { createHash, createPrivateKey, createPublicKey, sign as edSign, type KeyObject } from 'node:crypto';
import {
  type Cbor,
  concat,
  enc,
  hexToBytes,
  protectedItem,
  sigStructure,
} from '../../packages/envelope/scripts/cbor-raw.js';

export {
  type Cbor,
  concat,
  enc,
  head,
  protectedItem,
  raw,
  sigStructure,
  toHex,
} from '../../packages/envelope/scripts/cbor-raw.js';

/** Hex to bytes. */
export const hex = hexToBytes;

const PKCS8_ED25519 = hex('302e020100300506032b657004220420');

/** An Ed25519 key from a 32-byte seed, signing with node:crypto (RFC 8032, deterministic). */
export interface ForgeKey {
  readonly seed: Uint8Array;
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

export function keyFromSeed(seed: Uint8Array): ForgeKey {
  const privateKey: KeyObject = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicKey = new Uint8Array(spki.subarray(spki.length - 32));
  return {
    seed,
    publicKey,
    sign: (message) => new Uint8Array(edSign(null, message, privateKey)),
  };
}

/** A deterministic key for tests: seed = SHA-256(label). */
export function testKey(label: string): ForgeKey {
  return keyFromSeed(new Uint8Array(createHash('sha256').update(label).digest()));
}

/** The fields of a payload map, each given as a CBOR value; `extra` pairs are appended as they are. */
export interface PayloadFields {
  version?: Cbor;
  kind?: Cbor;
  name?: Cbor;
  naraId?: Cbor;
  epoch?: Cbor;
  seq?: Cbor;
  time?: Cbor;
  body?: Cbor;
}

const FIELD_KEYS: ReadonlyArray<[keyof PayloadFields, number]> = [
  ['version', 0],
  ['kind', 1],
  ['name', 2],
  ['naraId', 3],
  ['epoch', 4],
  ['seq', 5],
  ['time', 6],
  ['body', 7],
];

/** A payload map: the given fields in key order (absent ones left out), then `extra` pairs. */
export function payloadMap(fields: PayloadFields, extra: [Cbor, Cbor][] = []): Cbor {
  const pairs: [Cbor, Cbor][] = [];
  for (const [field, key] of FIELD_KEYS) {
    const value = fields[field];
    if (value !== undefined) pairs.push([key, value]);
  }
  return { map: [...pairs, ...extra] };
}

/** Pieces of an envelope, each an encoded CBOR item; defaults make an honest envelope. */
export interface EnvelopeParts {
  /** Default tag 18 and a 4-item array header: `d2 84`. */
  prefix?: Uint8Array;
  protected?: Uint8Array;
  unprotected?: Uint8Array;
  /** The payload item (a bstr holding the payload map, normally). */
  payload: Uint8Array;
  signature?: Uint8Array;
  suffix?: Uint8Array;
}

/**
 * Assembles an envelope. Without `signature`, signs the Sig_structure of exactly these protected and
 * payload items under `topic` with `key` (so a bad structure can carry a good signature).
 */
export function forge(key: ForgeKey, topic: string, parts: EnvelopeParts, kid = key.publicKey): Uint8Array {
  const prot = parts.protected ?? protectedItem(kid);
  const signature = parts.signature ?? enc(key.sign(sigStructure(prot, topic, parts.payload)));
  return concat(
    parts.prefix ?? Uint8Array.of(0xd2, 0x84),
    prot,
    parts.unprotected ?? Uint8Array.of(0xa0),
    parts.payload,
    signature,
    parts.suffix ?? new Uint8Array(0),
  );
}

/** Signs a payload given as CBOR (wrapped in a bstr), honestly, under `topic`. */
export function forgePayload(key: ForgeKey, topic: string, payload: Cbor, kid = key.publicKey): Uint8Array {
  return forge(key, topic, { payload: enc(enc(payload)) }, kid);
}
