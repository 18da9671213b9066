/**
 * Builds envelopes byte by byte, including ones no honest sender produces, for the vectors and tests. It
 * has its own tiny CBOR encoder (no validation, any order, duplicates allowed) and signs with noble's
 * RFC 8032 Ed25519, so a forged envelope can carry a valid signature over invalid content.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE } from '@noble/curves/utils.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';

const { Point } = ed25519;
const Fn = Point.Fn;
const utf8 = new TextEncoder();

/** A CBOR value for {@link enc}: maps are lists of pairs (so order and duplicates are free). */
export type Cbor =
  | number
  | bigint
  | string
  | boolean
  | null
  | Uint8Array
  | Cbor[]
  | { map: [Cbor, Cbor][] }
  | { tag: number; value: Cbor }
  | { raw: Uint8Array };

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function head(major: number, value: number | bigint): Uint8Array {
  const v = BigInt(value);
  const m = major << 5;
  if (v < 24n) return Uint8Array.of(m | Number(v));
  if (v < 0x100n) return Uint8Array.of(m | 24, Number(v));
  if (v < 0x10000n) return Uint8Array.of(m | 25, Number(v >> 8n), Number(v & 0xffn));
  if (v < 0x100000000n) {
    const out = new Uint8Array(5);
    out[0] = m | 26;
    new DataView(out.buffer).setUint32(1, Number(v));
    return out;
  }
  const out = new Uint8Array(9);
  out[0] = m | 27;
  new DataView(out.buffer).setBigUint64(1, v);
  return out;
}

export function enc(value: Cbor): Uint8Array {
  if (typeof value === 'number' || typeof value === 'bigint') {
    const v = BigInt(value);
    return v >= 0n ? head(0, v) : head(1, -1n - v);
  }
  if (typeof value === 'string') {
    const bytes = utf8.encode(value);
    return concat(head(3, bytes.length), bytes);
  }
  if (typeof value === 'boolean') return Uint8Array.of(value ? 0xf5 : 0xf4);
  if (value === null) return Uint8Array.of(0xf6);
  if (value instanceof Uint8Array) return concat(head(2, value.length), value);
  if (Array.isArray(value)) return concat(head(4, value.length), ...value.map(enc));
  if ('map' in value)
    return concat(head(5, value.map.length), ...value.map.flatMap(([k, v]) => [enc(k), enc(v)]));
  if ('tag' in value) return concat(head(6, value.tag), enc(value.value));
  return value.raw;
}

export const raw = (bytes: Uint8Array | string): { raw: Uint8Array } => ({
  raw: typeof bytes === 'string' ? hexToBytes(bytes) : bytes,
});

export function hexToBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A deterministic test key: seed = SHA-256("nara plaza/1 vector key " + index). */
export function testKey(index: number) {
  const seed = sha256(utf8.encode(`nara plaza/1 vector key ${index}`));
  const { scalar, pointBytes, prefix } = ed25519.utils.getExtendedPublicKey(seed);
  return { seed, scalar, prefix, publicKey: pointBytes };
}

export type TestKey = ReturnType<typeof testKey>;

/** The standard protected header item for `kid`. */
export function protectedItem(kid: Uint8Array): Uint8Array {
  return enc(
    enc({
      map: [
        [1, -8],
        [4, kid],
      ],
    }),
  );
}

export function sigStructure(protectedBstrItem: Uint8Array, topic: string, payloadBstrItem: Uint8Array) {
  return concat(head(4, 4), enc('Signature1'), protectedBstrItem, enc(utf8.encode(topic)), payloadBstrItem);
}

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
