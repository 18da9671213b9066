import type { Cbor } from './cbor-raw.js';
import { concat, enc } from './forge.js';
import { alice, HEY, type InvalidContext } from './vector-fixtures.js';

export function framingVectors(v: InvalidContext): void {
  const { add, honestPayload, honest, honestBytes, withParts, withProtected } = v;
  // 0. topic
  add(
    'topic-unknown',
    'bad-topic',
    'topic',
    'a valid envelope on a topic plaza/1 does not define',
    'nara/plaza/howdy',
    honestBytes,
  );
  add(
    'topic-outside-plaza',
    'bad-topic',
    'topic',
    'a valid envelope on a topic outside nara/',
    'other/plaza/hey-there',
    honestBytes,
  );

  // 1. size
  add('empty', 'empty', 'size', 'zero bytes', HEY, new Uint8Array(0));
  add(
    'too-large',
    'too-large',
    'size',
    'one byte over the default 16 KiB limit: rejected before any decoding (a 16 KiB bignum follows the tag)',
    HEY,
    concat(Uint8Array.of(0xc2, 0x59, 0x3f, 0xfd), new Uint8Array(16_381).fill(0xff)),
  );

  // 2. CBOR shape of the outer structure
  add(
    'truncated',
    'malformed-cbor',
    'cbor',
    'the envelope cut 10 bytes short',
    HEY,
    honestBytes.subarray(0, honestBytes.length - 10),
  );
  add(
    'reserved-additional-info',
    'malformed-cbor',
    'cbor',
    'a head with reserved additional information 28',
    HEY,
    Uint8Array.of(0xdc, 0x00),
  );
  add(
    'indefinite-array',
    'indefinite-length',
    'cbor',
    'COSE_Sign1 as an indefinite-length array',
    HEY,
    concat(
      Uint8Array.of(0xd2, 0x9f),
      honest.protected,
      Uint8Array.of(0xa0),
      honest.payload,
      honest.signature,
      Uint8Array.of(0xff),
    ),
  );
  add(
    'indefinite-payload',
    'indefinite-length',
    'cbor',
    'the payload as an indefinite-length byte string of one chunk',
    HEY,
    withParts({ payload: concat(Uint8Array.of(0x5f), honest.payload, Uint8Array.of(0xff)) }),
  );
  add(
    'non-shortest-tag',
    'non-canonical-cbor',
    'cbor',
    'tag 18 written in two bytes (d8 12)',
    HEY,
    concat(Uint8Array.of(0xd8, 0x12, 0x84), honestBytes.subarray(2)),
  );
  add(
    'non-shortest-length',
    'non-canonical-cbor',
    'cbor',
    'the payload length written with a 2-byte argument where 1 byte suffices',
    HEY,
    withParts({ payload: concat(Uint8Array.of(0x59, 0x00, honestPayload.length), honestPayload) }),
  );
  add(
    'self-described-cbor',
    'unexpected-tag',
    'cbor',
    'tag 55799 (self-described CBOR) around tag 18',
    HEY,
    concat(Uint8Array.of(0xd9, 0xd9, 0xf7), honestBytes),
  );
  add(
    'signature-in-typed-array-tag',
    'unexpected-tag',
    'cbor',
    'the honest signature re-wrapped in tag 69 (uint16 typed array), which cbor-x decodes to a Uint16Array that node:crypto accepts',
    HEY,
    withParts({ signature: concat(Uint8Array.of(0xd8, 0x45), honest.signature) }),
  );
  add(
    'trailing-byte',
    'trailing-bytes',
    'cbor',
    'one zero byte after the envelope',
    HEY,
    concat(honestBytes, Uint8Array.of(0)),
  );
  add(
    'untagged',
    'not-cose-sign1',
    'cbor',
    'the COSE_Sign1 array without tag 18',
    HEY,
    honestBytes.subarray(1),
  );
  add(
    'other-top-tag',
    'unexpected-tag',
    'cbor',
    'tag 98 (COSE_Sign) instead of 18',
    HEY,
    concat(Uint8Array.of(0xd8, 0x62), honestBytes.subarray(1)),
  );
  add(
    'array-of-three',
    'not-cose-sign1',
    'cbor',
    'tag 18 over an array of 3 (no signature)',
    HEY,
    concat(Uint8Array.of(0xd2, 0x83), honest.protected, Uint8Array.of(0xa0), honest.payload),
  );
  add(
    'protected-not-bstr',
    'not-cose-sign1',
    'cbor',
    'the protected header as a bare map instead of a byte string',
    HEY,
    withParts({
      protected: enc({
        map: [
          [1, -8],
          [4, alice.publicKey],
        ],
      }),
    }),
  );
  add(
    'detached-payload',
    'detached-payload',
    'cbor',
    'payload nil (detached)',
    HEY,
    withParts({ payload: Uint8Array.of(0xf6) }),
  );
  add(
    'unprotected-kid',
    'unprotected-header-not-empty',
    'header',
    'the kid repeated in the unprotected header',
    HEY,
    withParts({ unprotected: enc({ map: [[4, alice.publicKey]] }) }),
  );

  // 3. protected header
  /** The honest envelope with a protected header map of these entries, in this order. */
  const withHeader = (...entries: [Cbor, Cbor][]) => withProtected(enc(enc({ map: entries })));
  add(
    'protected-array',
    'bad-protected-header',
    'header',
    'the protected header bytes hold an array',
    HEY,
    withProtected(enc(enc([1, -8]))),
  );
  add(
    'protected-empty',
    'unsupported-alg',
    'header',
    'an empty protected header (no alg)',
    HEY,
    withProtected(enc(new Uint8Array(0))),
  );
  add(
    'alg-es256',
    'unsupported-alg',
    'header',
    'alg ES256 (-7)',
    HEY,
    withHeader([1, -7], [4, alice.publicKey]),
  );
  add(
    'alg-text',
    'unsupported-alg',
    'header',
    'alg as the text "EdDSA"',
    HEY,
    withHeader([1, 'EdDSA'], [4, alice.publicKey]),
  );
  add(
    'kid-31-bytes',
    'bad-kid',
    'header',
    'a 31-byte kid',
    HEY,
    withHeader([1, -8], [4, alice.publicKey.subarray(0, 31)]),
  );
  add('kid-missing', 'bad-kid', 'header', 'no kid', HEY, withHeader([1, -8]));
  add(
    'extra-header-parameter',
    'unexpected-header-parameter',
    'header',
    'content type (3) in the protected header',
    HEY,
    withHeader([1, -8], [3, 0], [4, alice.publicKey]),
  );
  add(
    'header-labels-unsorted',
    'non-canonical-cbor',
    'header',
    'kid (4) before alg (1)',
    HEY,
    withHeader([4, alice.publicKey], [1, -8]),
  );
  add(
    'header-duplicate-alg',
    'duplicate-key',
    'header',
    'alg twice',
    HEY,
    withHeader([1, -8], [1, -8], [4, alice.publicKey]),
  );
}
