/**
 * Order-of-checks vectors of the COSE framing: the protected header (section 3.3) and the outer structure
 * (section 7 step 2).
 */
import { concat, enc, head, hexToBytes, protectedItem } from './forge.js';
import { ALG, b, identity, KID } from './spec-fixtures.js';
import { alice, HEY, type InvalidContext } from './vector-fixtures.js';

/** Section 3.3: the protected header, its CBOR faults and its labels. */
export function protectedHeader(set: InvalidContext): void {
  const hdr = (
    name: string,
    expect: Parameters<InvalidContext['add']>[1],
    what: string,
    ...parts: Uint8Array[]
  ) => set.add(name, expect, 'header', what, HEY, set.withProtected(enc(concat(...parts))));
  hdr(
    'protected-empty-map',
    'unsupported-alg',
    'the protected header holds the empty map a0: no alg',
    b(0xa0),
  );
  hdr('header-no-alg', 'unsupported-alg', 'a kid and no alg', b(0xa1), KID);
  hdr(
    'alg-only-wrong',
    'unsupported-alg',
    'alg ES256 and no kid: the alg is judged before the missing kid',
    b(0xa1, 0x01, 0x26),
  );
  hdr(
    'kid-short-no-alg',
    'bad-kid',
    'a 31-byte kid and no alg: a value is judged at its label, before a missing label',
    b(0xa1, 0x04, 0x58, 0x1f),
    alice.publicKey.subarray(0, 31),
  );
  hdr(
    'protected-truncated',
    'malformed-cbor',
    'the header map ends inside the kid',
    b(0xa2),
    ALG,
    b(0x04, 0x58, 0x20),
    alice.publicKey.subarray(0, 31),
  );
  hdr(
    'protected-count-over-input',
    'malformed-cbor',
    'a map of 3 with 2 entries: the third label is beyond the header bytes',
    b(0xa3),
    ALG,
    KID,
  );
  hdr(
    'protected-indefinite-map',
    'indefinite-length',
    'the header as an indefinite-length map',
    b(0xbf),
    ALG,
    KID,
    b(0xff),
  );
  hdr(
    'protected-tagged-map',
    'unexpected-tag',
    'the header map inside tag 55799',
    b(0xd9, 0xd9, 0xf7, 0xa2),
    ALG,
    KID,
  );
  hdr(
    'protected-trailing-byte',
    'trailing-bytes',
    'a zero byte after the header map, inside its bstr',
    b(0xa2),
    ALG,
    KID,
    b(0x00),
  );
  hdr(
    'protected-non-shortest-count',
    'non-canonical-cbor',
    'the map count 2 written as b8 02',
    b(0xb8, 0x02),
    ALG,
    KID,
  );
  hdr(
    'protected-reserved-info',
    'malformed-cbor',
    'the alg value with reserved additional information (3c)',
    b(0xa2, 0x01, 0x3c),
    KID,
  );
  hdr('protected-break', 'malformed-cbor', 'the header bytes are a lone break code', b(0xff));
  hdr(
    'kid-length-non-shortest',
    'non-canonical-cbor',
    'the kid length 32 written as 59 00 20',
    b(0xa2),
    ALG,
    b(0x04, 0x59, 0x00, 0x20),
    alice.publicKey,
  );
  hdr('alg-non-shortest', 'non-canonical-cbor', 'alg -8 written as 38 07', b(0xa2, 0x01, 0x38, 0x07), KID);
  hdr('alg-tagged', 'unexpected-tag', 'alg -8 inside tag 1', b(0xa2, 0x01, 0xc1, 0x27), KID);
  hdr(
    'alg-above-2-53',
    'invalid-field',
    'alg a negative integer of magnitude 2^64: an argument above 2^53 - 1',
    b(0xa2, 0x01, 0x3b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
    KID,
  );
  hdr(
    'alg-wrong-then-unknown-label',
    'unsupported-alg',
    'alg ES256 then label 3: the value of label 1 is judged before label 3 is read',
    b(0xa2, 0x01, 0x26, 0x03, 0x00),
  );
  hdr(
    'kid-tagged',
    'unexpected-tag',
    'the kid inside tag 64 (uint8 typed array)',
    b(0xa2),
    ALG,
    b(0x04, 0xd8, 0x40, 0x58, 0x20),
    alice.publicKey,
  );
  hdr(
    'kid-text',
    'bad-kid',
    'the kid as a 32-byte text string',
    b(0xa2),
    ALG,
    b(0x04, 0x78, 0x20),
    new Uint8Array(32).fill(0x61),
  );
  hdr(
    'kid-33-bytes',
    'bad-kid',
    'a 33-byte kid',
    b(0xa2),
    ALG,
    b(0x04, 0x58, 0x21),
    alice.publicKey,
    b(0x00),
  );
  hdr(
    'header-text-label',
    'unexpected-header-parameter',
    'a text label "kid" after alg and kid',
    b(0xa3),
    ALG,
    KID,
    b(0x63, 0x6b, 0x69, 0x64, 0x00),
  );
  hdr(
    'header-negative-label',
    'unexpected-header-parameter',
    'label -1 after alg and kid',
    b(0xa3),
    ALG,
    KID,
    b(0x20, 0x00),
  );
  hdr(
    'header-bstr-label',
    'bad-protected-header',
    'a byte-string label (not a COSE label type)',
    b(0xa3),
    ALG,
    KID,
    b(0x41, 0x01, 0x00),
  );
  hdr(
    'header-float-label',
    'bad-protected-header',
    'label 1.0 as a float16',
    b(0xa2, 0xf9, 0x3c, 0x00, 0x27),
    KID,
  );
  hdr('header-tagged-label', 'unexpected-tag', 'label 1 inside tag 1', b(0xa2, 0xc1, 0x01, 0x27), KID);
  hdr(
    'header-unknown-label-out-of-order',
    'unexpected-header-parameter',
    'kid, then label 3, then alg: label 3 is unknown before it is out of order',
    b(0xa3),
    KID,
    b(0x03, 0x00),
    ALG,
  );
  hdr('header-duplicate-kid', 'duplicate-key', 'alg, kid, kid', b(0xa3), ALG, KID, KID);
}

/** Section 7 step 2: the outer structure, item by item. */
export function outerStructure(set: InvalidContext): void {
  const { honest, honestBytes } = set;
  const cbor = (
    name: string,
    expect: Parameters<InvalidContext['add']>[1],
    what: string,
    bytes: Uint8Array,
  ) => set.add(name, expect, 'cbor', what, HEY, bytes);
  const sig = honest.signature.subarray(2);
  const brokenHeader = enc(enc([1, -8]));
  cbor(
    'outer-array-non-shortest',
    'non-canonical-cbor',
    'the array of 4 written as 98 04',
    concat(b(0xd2, 0x98, 0x04), honestBytes.subarray(2)),
  );
  cbor(
    'outer-array-of-five',
    'not-cose-sign1',
    'tag 18 over an array of 5 (a null after the signature)',
    concat(b(0xd2, 0x85), honestBytes.subarray(2), b(0xf6)),
  );
  cbor(
    'outer-map',
    'not-cose-sign1',
    'tag 18 over a map',
    concat(b(0xd2, 0xa2), honest.protected, b(0xa0), honest.payload, honest.signature),
  );
  cbor('top-float', 'not-cose-sign1', 'a float16 1.0 and nothing else', b(0xf9, 0x3c, 0x00));
  cbor(
    'top-tag-above-2-53',
    'invalid-field',
    'a tag number of 2^64 - 1 at the top: an argument above 2^53 - 1',
    concat(b(0xdb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), honestBytes.subarray(1)),
  );
  cbor(
    'payload-length-above-2-53',
    'invalid-field',
    'the payload bstr length 2^53',
    set.withParts({ payload: concat(b(0x5b, 0x00, 0x20, 0, 0, 0, 0, 0, 0), set.honestPayload) }),
  );
  cbor(
    'unprotected-non-shortest',
    'non-canonical-cbor',
    'the empty unprotected map written as b8 00',
    set.withParts({ unprotected: b(0xb8, 0x00) }),
  );
  cbor(
    'unprotected-indefinite',
    'indefinite-length',
    'the unprotected map as an empty indefinite-length map',
    set.withParts({ unprotected: b(0xbf, 0xff) }),
  );
  cbor(
    'unprotected-tagged',
    'unexpected-tag',
    'the unprotected map inside tag 55799',
    set.withParts({ unprotected: b(0xd9, 0xd9, 0xf7, 0xa0) }),
  );
  cbor(
    'unprotected-array',
    'not-cose-sign1',
    'the unprotected header as an empty array',
    set.withParts({ unprotected: b(0x80) }),
  );
  set.add(
    'unprotected-before-detached',
    'unprotected-header-not-empty',
    'header',
    'a kid in the unprotected header and a nil payload: the unprotected map is judged from its count before the payload is read',
    HEY,
    set.withParts({ unprotected: enc({ map: [[4, alice.publicKey]] }), payload: b(0xf6) }),
  );
  cbor(
    'payload-tag-24',
    'unexpected-tag',
    'the payload bstr inside tag 24 (embedded CBOR)',
    set.withParts({ payload: concat(b(0xd8, 0x18), honest.payload) }),
  );
  cbor(
    'payload-as-text',
    'not-cose-sign1',
    'the payload as a text string',
    set.withParts({ payload: concat(head(3, set.honestPayload.length), set.honestPayload) }),
  );
  cbor(
    'payload-undefined',
    'not-cose-sign1',
    'the payload undefined (f7): only nil means detached',
    set.withParts({ payload: b(0xf7) }),
  );
  cbor(
    'detached-before-signature-length',
    'detached-payload',
    'a nil payload and a 63-byte signature: the payload is judged first',
    set.withParts({ payload: b(0xf6), signature: enc(sig.subarray(0, 63)) }),
  );
  cbor(
    'signature-truncated',
    'malformed-cbor',
    'the 64-byte signature cut after 30 bytes, at the end of the input',
    concat(honestBytes.subarray(0, honestBytes.length - 34)),
  );
  cbor(
    'signature-length-beyond-input',
    'bad-signature-length',
    'a signature head of 256 bytes with 64 present: the length is judged at the head',
    set.withParts({ signature: concat(b(0x59, 0x01, 0x00), sig) }),
  );
  cbor(
    'signature-indefinite',
    'indefinite-length',
    'the signature as an indefinite-length bstr of one chunk',
    set.withParts({ signature: concat(b(0x5f), honest.signature, b(0xff)) }),
  );
  cbor(
    'signature-as-text',
    'not-cose-sign1',
    'the signature as a 64-byte text string',
    set.withParts({ signature: concat(b(0x78, 0x40), new Uint8Array(64).fill(0x61)) }),
  );
  set.add(
    'signature-short-and-trailing',
    'bad-signature-length',
    'signature',
    'a 63-byte signature and a byte after the envelope',
    HEY,
    concat(set.withParts({ signature: enc(sig.subarray(0, 63)) }), b(0x00)),
  );
  cbor(
    'header-fault-and-trailing',
    'trailing-bytes',
    'a protected header holding an array and a byte after the envelope: step 2 before step 3',
    concat(set.withProtected(brokenHeader), b(0x00)),
  );
  set.add(
    'header-fault-and-short-signature',
    'bad-signature-length',
    'signature',
    'a protected header holding an array and a 63-byte signature',
    HEY,
    set.withParts({ protected: brokenHeader, signature: enc(sig.subarray(0, 63)) }),
  );
  // Key decoding (section 8.1): y is read modulo p, and x = 0 with the sign bit set decodes, so that both
  // reach the canonical-encoding check.
  const keyCase = (name: string, expect: Parameters<InvalidContext['add']>[1], what: string, key: string) =>
    set.add(
      name,
      expect,
      'key-policy',
      what,
      HEY,
      set.withParts({
        protected: protectedItem(hexToBytes(key)),
        signature: enc(concat(identity, new Uint8Array(32))),
      }),
    );
  keyCase(
    'key-y-p',
    'key-non-canonical',
    'y = p: decodes (mod p) to the order-4 point y = 0, refused as non-canonical before small order',
    'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  );
  keyCase(
    'key-y-p-sign-bit',
    'key-non-canonical',
    'y = p with the sign bit set',
    'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
  );
  keyCase(
    'key-y-p-plus-2',
    'key-not-on-curve',
    'y = p + 2 (= 2 mod p, no point): decoding fails before the encoding is judged',
    'efffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  );
  keyCase(
    'key-y-minus-one-sign-bit',
    'key-non-canonical',
    'y = p - 1 (x = 0, order 2) with the sign bit set: decodes to x = 0, non-canonical before small order',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
  );
}
