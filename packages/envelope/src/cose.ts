/**
 * The COSE_Sign1 layer of plaza/1 (RFC 9052 section 4.2): the outer structure, the protected header, and
 * the Sig_structure built by concatenating received bytes, never by re-encoding them.
 */
import {
  fail,
  MAJOR_ARRAY,
  MAJOR_BYTES,
  MAJOR_MAP,
  MAJOR_NINT,
  MAJOR_SIMPLE,
  MAJOR_TAG,
  MAJOR_TEXT,
  MAJOR_UINT,
  type StrictReader,
} from './cbor-reader.js';
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from './types.js';

/** A byte area reused across calls (for Sig_structures): a view from `get` is valid until the next `get`. */
export class Scratch {
  private buf = new Uint8Array(1024);

  get(length: number): Uint8Array {
    if (length > this.buf.length) this.buf = new Uint8Array(Math.max(length, 2 * this.buf.length));
    return this.buf.subarray(0, length);
  }
}

/** CBOR tag of COSE_Sign1. */
const COSE_SIGN1_TAG = 18;
/** COSE header labels and the one algorithm plaza/1 uses. */
const HEADER_ALG = 1;
const HEADER_KID = 4;
const ALG_EDDSA = -8;

/** `"Signature1"` context string of the Sig_structure, with the array(4) head before it. */
const SIG_STRUCTURE_PREFIX = Uint8Array.of(0x84, 0x6a, ...Array.from('Signature1', (c) => c.charCodeAt(0)));

/** Where the parts of a received envelope are, as offsets into its bytes. */
export interface CoseLayout {
  /** The protected header item (bstr head and content) as received. */
  protectedStart: number;
  protectedEnd: number;
  /** The payload item (bstr head and content), and its content alone. */
  payloadStart: number;
  payloadContentStart: number;
  payloadEnd: number;
  /** Where the 32-byte kid (the sender's public key) and the 64-byte signature are. */
  kidAt: number;
  signatureAt: number;
}

/** A layout to fill with {@link readCose}. */
export function newLayout(): CoseLayout {
  return {
    protectedStart: 0,
    protectedEnd: 0,
    payloadStart: 0,
    payloadContentStart: 0,
    payloadEnd: 0,
    kidAt: 0,
    signatureAt: 0,
  };
}

/** Reads the head of an item of COSE_Sign1 that must be of `major`; returns its argument. */
function outerItem(r: StrictReader, major: number, what: string): number {
  const got = r.head();
  if (got === major) return r.arg;
  if (got === MAJOR_TAG) fail('unexpected-tag', `${what}: tags are not allowed inside COSE_Sign1`);
  fail('not-cose-sign1', `${what}: wrong CBOR type`);
}

/**
 * Checks the outer structure `18([protected: bstr, unprotected: {}, payload: bstr, signature: bstr .size 64])`
 * and the protected header, reading with `r` (restarted on `bytes`), and fills `out`; fails with a reason.
 */
export function readCose(bytes: Uint8Array, out: CoseLayout, r: StrictReader): void {
  r.restart(bytes, 0, bytes.length);
  const top = r.head();
  const tag = r.arg;
  if (top !== MAJOR_TAG) fail('not-cose-sign1', 'expected tag 18 (COSE_Sign1) at the top');
  if (tag !== COSE_SIGN1_TAG) fail('unexpected-tag', `tag ${tag} at the top, expected 18 (COSE_Sign1)`);
  if (r.head() !== MAJOR_ARRAY || r.arg !== 4) fail('not-cose-sign1', 'COSE_Sign1 is an array of 4 items');

  out.protectedStart = r.pos;
  const protectedLength = outerItem(r, MAJOR_BYTES, 'protected header');
  const protectedContentStart = r.pos;
  r.skip(protectedLength);
  out.protectedEnd = r.pos;

  if (outerItem(r, MAJOR_MAP, 'unprotected header') !== 0)
    fail('unprotected-header-not-empty', 'the unprotected header must be an empty map');

  out.payloadStart = r.pos;
  const payloadHead = r.head();
  if (payloadHead === MAJOR_SIMPLE && r.info === 22)
    fail('detached-payload', 'detached payloads are not used');
  if (payloadHead !== MAJOR_BYTES) {
    if (payloadHead === MAJOR_TAG) fail('unexpected-tag', 'payload: tags are not allowed inside COSE_Sign1');
    fail('not-cose-sign1', 'payload: wrong CBOR type');
  }
  out.payloadContentStart = r.pos;
  r.skip(r.arg);
  out.payloadEnd = r.pos;

  const signatureLength = outerItem(r, MAJOR_BYTES, 'signature');
  // A length is judged at the head, before the content is looked for (docs/PROTOCOL.md section 4.1).
  if (signatureLength !== SIGNATURE_BYTES)
    fail('bad-signature-length', `the signature is ${signatureLength} bytes, not ${SIGNATURE_BYTES}`);
  out.signatureAt = r.pos;
  r.skip(signatureLength);
  if (!r.atEnd()) fail('trailing-bytes', 'bytes after the COSE_Sign1 structure');
  out.kidAt = readProtectedHeader(r, bytes, protectedContentStart, out.protectedEnd);
}

/** The protected header must be exactly `{1: -8, 4: h'<32-byte key>'}`; returns where the kid is. */
function readProtectedHeader(r: StrictReader, bytes: Uint8Array, start: number, end: number): number {
  if (start === end) fail('unsupported-alg', 'the protected header is empty: no alg');
  r.restart(bytes, start, end);
  const major = r.head();
  if (major === MAJOR_TAG) fail('unexpected-tag', 'protected header: tags are not allowed');
  if (major !== MAJOR_MAP) fail('bad-protected-header', 'the protected header must be a map');
  const count = r.arg;
  let kidAt = -1;
  let alg = false;
  // Per label, as for every map of an envelope: its type, known, not seen before, then in order
  // (docs/PROTOCOL.md section 3.3). Only labels 1 and 4 are known, both unsigned, so order is 1 before 4.
  let last = -1;
  for (let i = 0; i < count; i++) {
    const labelMajor = r.head();
    if (labelMajor === MAJOR_TAG) fail('unexpected-tag', 'protected header: tags are not allowed');
    if (labelMajor === MAJOR_TEXT || labelMajor === MAJOR_NINT)
      fail('unexpected-header-parameter', 'protected header: only labels 1 (alg) and 4 (kid) are allowed');
    if (labelMajor !== MAJOR_UINT)
      fail('bad-protected-header', 'protected header labels are integers or text (RFC 9052)');
    const label = r.arg;
    if (label !== HEADER_ALG && label !== HEADER_KID)
      fail('unexpected-header-parameter', `protected header parameter ${label} is not part of plaza/1`);
    if (label === last) fail('duplicate-key', `protected header: label ${label} appears twice`);
    if (label < last) fail('non-canonical-cbor', 'protected header: labels not in deterministic order');
    last = label;
    const valueMajor = r.head();
    if (valueMajor === MAJOR_TAG) fail('unexpected-tag', 'protected header: tags are not allowed');
    if (label === HEADER_ALG) {
      if (valueMajor !== MAJOR_NINT || -1 - r.arg !== ALG_EDDSA)
        fail('unsupported-alg', 'alg must be EdDSA (-8)');
      alg = true;
    } else {
      if (valueMajor !== MAJOR_BYTES || r.arg !== PUBLIC_KEY_BYTES)
        fail('bad-kid', `kid must be the sender's ${PUBLIC_KEY_BYTES}-byte Ed25519 public key`);
      kidAt = r.pos;
      r.skip(PUBLIC_KEY_BYTES);
    }
  }
  if (!r.atEnd()) fail('trailing-bytes', 'bytes after the protected header map');
  if (!alg) fail('unsupported-alg', 'the protected header has no alg');
  if (kidAt < 0) return fail('bad-kid', 'the protected header has no kid');
  return kidAt;
}

/** Where the two signed items (protected header and payload, each a whole bstr item) are in the bytes. */
type SignedItems = Pick<CoseLayout, 'protectedStart' | 'protectedEnd' | 'payloadStart' | 'payloadEnd'>;

/**
 * `Sig_structure = ["Signature1", protected, external_aad, payload]`, from the protected and payload items
 * exactly as received and the topic's bytes as AAD; with `scratch`, a view of it valid until its next use.
 */
export function sigStructure(
  bytes: Uint8Array,
  parts: SignedItems,
  aad: Uint8Array,
  scratch?: Scratch,
): Uint8Array {
  const { protectedStart, protectedEnd, payloadStart, payloadEnd } = parts;
  const aadLength = aad.length;
  const prefix = SIG_STRUCTURE_PREFIX.length;
  const length =
    prefix +
    (protectedEnd - protectedStart) +
    headLength(aadLength) +
    aadLength +
    (payloadEnd - payloadStart);
  const out = scratch === undefined ? new Uint8Array(length) : scratch.get(length);
  out.set(SIG_STRUCTURE_PREFIX, 0);
  let p = prefix;
  // The 40-byte protected item copied by hand: a view for `set` would be one more object.
  for (let i = protectedStart; i < protectedEnd; i++) out[p++] = bytes[i]!;
  p = writeHead(out, p, MAJOR_BYTES, aadLength);
  out.set(aad, p);
  out.set(bytes.subarray(payloadStart, payloadEnd), p + aadLength);
  return out;
}

/** The protected header item for `publicKey`: `bstr(<< {1: -8, 4: h'<key>'} >>)`, 40 bytes. */
export function protectedHeaderItem(publicKey: Uint8Array): Uint8Array {
  const out = new Uint8Array(40);
  out.set([0x58, 0x26, 0xa2, 0x01, 0x27, 0x04, 0x58, 0x20], 0);
  out.set(publicKey, 8);
  return out;
}

const signScratch = new Scratch();

/** Signs `payload` under `aad`: the COSE_Sign1 bytes. `sign` gets scratch space and must keep no reference to it. */
export function assemble(
  protectedItem: Uint8Array,
  payload: Uint8Array,
  aad: Uint8Array,
  sign: (message: Uint8Array) => Uint8Array,
): Uint8Array {
  const payloadHead = headLength(payload.length);
  const total = 2 + protectedItem.length + 1 + payloadHead + payload.length + 2 + SIGNATURE_BYTES;
  const out = new Uint8Array(total);
  out[0] = 0xd2; // tag 18
  out[1] = 0x84; // array(4)
  out.set(protectedItem, 2);
  let p = 2 + protectedItem.length;
  out[p++] = 0xa0; // unprotected: {}
  const payloadStart = p;
  p = writeHead(out, p, MAJOR_BYTES, payload.length);
  out.set(payload, p);
  p += payload.length;
  const signed = { protectedStart: 2, protectedEnd: 2 + protectedItem.length, payloadStart, payloadEnd: p };
  const toBeSigned = sigStructure(out, signed, aad, signScratch);
  const signature = sign(toBeSigned);
  if (!(signature instanceof Uint8Array) || signature.length !== SIGNATURE_BYTES)
    throw new TypeError(`signer.sign must return ${SIGNATURE_BYTES} bytes`);
  out[p++] = 0x58;
  out[p++] = SIGNATURE_BYTES;
  out.set(signature, p);
  return out;
}

/** The length of the head that encodes `value`. */
export function headLength(value: number): number {
  return value < 24 ? 1 : value < 0x100 ? 2 : value < 0x10000 ? 3 : value < 0x100000000 ? 5 : 9;
}

/** Writes the head of major type `major` with argument `value` into `out` at `offset`; returns the new offset. */
export function writeHead(out: Uint8Array, offset: number, major: number, value: number): number {
  const extra = headLength(value) - 1;
  out[offset] = (major << 5) | (extra === 0 ? value : 24 + Math.log2(extra));
  for (let i = extra, v = value; i > 0; i--, v = Math.floor(v / 256)) out[offset + i] = v % 256;
  return offset + 1 + extra;
}
