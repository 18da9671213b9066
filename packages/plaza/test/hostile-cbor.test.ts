/**
 * Hostile input through the real receive pipeline (createReceivePipeline: verifier -> registry -> metrics,
 * as a nara wires it): bytes that are not the strict CBOR of an envelope. Every case asserts its reason code, that the rejected counter for that
 * reason grew by exactly one, and that no peer state changed. HOSTILE-NOTES.md lists what a general decoder
 * or a lax Ed25519 verifier would have done with the same bytes.
 */

import {
  concat,
  enc,
  forge,
  head,
  hex,
  payloadMap,
  protectedItem,
  raw,
  sigStructure,
} from '@nara/tooling/forge';
import { describe, expect, it } from 'vitest';
import {
  ana,
  anaFields,
  anaHeyThere,
  C,
  createFixture,
  expectRejected,
  H,
  N,
  NOW,
  newspaperBody,
  payloadItem,
  signed,
  useFixture,
} from './hostile-fixture.js';

const { f, cases } = useFixture();

const SEQ_FLOAT64 = raw(hex('fb4000000000000000')); // 2.0
const HALF_FLOAT = raw(hex('f94000')); // 2.0 as float16
const NAN = raw(hex('f97e00'));

describe('CBOR', () => {
  it('a valid envelope truncated at every byte offset: empty at 0, malformed-cbor everywhere else', () => {
    const whole = anaHeyThere();
    expect(f().pipeline.receive(H, whole).type).toBe('accepted');
    const fresh = createFixture();
    for (let at = 0; at < whole.length; at++) {
      const reason = at === 0 ? 'empty' : 'malformed-cbor';
      const outcome = expectRejected(fresh, H, whole.subarray(0, at), reason);
      expect(outcome.type, `offset ${at}`).toBe('rejected');
    }
    expect(fresh.pipeline.counters.rejected.get({ reason: 'malformed-cbor' })).toBe(whole.length - 1);
  });

  cases([
    {
      name: 'tag 17 (COSE_Mac0) instead of 18',
      topic: H,
      bytes: () => forge(ana, H, { prefix: hex('d184'), payload: payloadItem() }),
      reason: 'unexpected-tag',
    },
    {
      name: 'tag 98 (COSE_Sign) instead of 18',
      topic: H,
      bytes: () => forge(ana, H, { prefix: hex('d86284'), payload: payloadItem() }),
      reason: 'unexpected-tag',
    },
    {
      name: 'tag 18 written in two bytes',
      topic: H,
      bytes: () => forge(ana, H, { prefix: hex('d81284'), payload: payloadItem() }),
      reason: 'non-canonical-cbor',
    },
    {
      name: 'no tag at all',
      topic: H,
      bytes: () => forge(ana, H, { prefix: hex('84'), payload: payloadItem() }),
      reason: 'not-cose-sign1',
    },
    {
      name: 'the payload wrapped in tag 24 (embedded CBOR)',
      topic: H,
      bytes: () => forge(ana, H, { payload: enc({ tag: 24, value: enc(payloadMap(anaFields())) }) }),
      reason: 'unexpected-tag',
    },
    {
      name: 'the signature wrapped in tag 69 (a typed array cbor-x turns into a Uint16Array)',
      topic: H,
      bytes: () => {
        const payload = payloadItem();
        const signature = ana.sign(sigStructure(protectedItem(ana.publicKey), H, payload));
        return forge(ana, H, { payload, signature: enc({ tag: 69, value: signature }) });
      },
      reason: 'unexpected-tag',
    },
    {
      name: 'a bignum (tag 2) where seq belongs',
      topic: H,
      bytes: () => signed(ana, H, anaFields({ seq: { tag: 2, value: Uint8Array.of(3) } })),
      reason: 'unexpected-tag',
    },
    {
      name: 'a date (tag 1) where time belongs',
      topic: H,
      bytes: () => signed(ana, H, anaFields({ time: { tag: 1, value: Math.floor(NOW / 1000) } })),
      reason: 'unexpected-tag',
    },
    {
      name: 'COSE_Sign1 array of 3 items',
      topic: H,
      bytes: () => concat(hex('d283'), protectedItem(ana.publicKey), hex('a0'), payloadItem()),
      reason: 'not-cose-sign1',
    },
    {
      name: 'COSE_Sign1 array of 5 items',
      topic: H,
      bytes: () => forge(ana, H, { prefix: hex('d285'), payload: payloadItem(), suffix: hex('f6') }),
      reason: 'not-cose-sign1',
    },
    {
      name: 'COSE_Sign1 as an empty array',
      topic: H,
      bytes: () => hex('d280'),
      reason: 'not-cose-sign1',
    },
    {
      name: 'a map instead of the array',
      topic: H,
      bytes: () => hex('d2a0'),
      reason: 'not-cose-sign1',
    },
    {
      name: 'an indefinite-length outer array',
      topic: H,
      bytes: () => forge(ana, H, { prefix: hex('d29f'), payload: payloadItem(), suffix: hex('ff') }),
      reason: 'indefinite-length',
    },
    {
      name: 'an indefinite-length payload byte string',
      topic: H,
      bytes: () => {
        const content = enc(payloadMap(anaFields()));
        return forge(ana, H, { payload: concat(hex('5f'), enc(content), hex('ff')) });
      },
      reason: 'indefinite-length',
    },
    {
      name: 'an indefinite-length payload map (validly signed)',
      topic: H,
      bytes: () => {
        const definite = enc(payloadMap(anaFields()));
        const indefinite = concat(hex('bf'), definite.subarray(1), hex('ff'));
        return forge(ana, H, { payload: enc(indefinite) });
      },
      reason: 'indefinite-length',
    },
    {
      name: 'an indefinite-length name text (validly signed)',
      topic: H,
      bytes: () => signed(ana, H, anaFields({ name: raw(concat(hex('7f'), enc('ana'), hex('ff'))) })),
      reason: 'indefinite-length',
    },
    {
      name: 'a payload byte string declaring 2^32 bytes',
      topic: H,
      bytes: () =>
        concat(hex('d284'), protectedItem(ana.publicKey), hex('a0'), head(2, 2 ** 32, 8), hex('00')),
      reason: 'malformed-cbor',
    },
    {
      name: 'a payload byte string declaring 2^32 - 1 bytes',
      topic: H,
      bytes: () =>
        concat(hex('d284'), protectedItem(ana.publicKey), hex('a0'), head(2, 2 ** 32 - 1, 4), hex('00')),
      reason: 'malformed-cbor',
    },
    {
      name: 'a payload byte string declaring 2^64 - 1 bytes',
      topic: H,
      bytes: () =>
        concat(hex('d284'), protectedItem(ana.publicKey), hex('a0'), head(2, 2n ** 64n - 1n, 8), hex('00')),
      reason: 'invalid-field',
    },
    {
      name: 'an outer array declaring 2^64 - 1 items',
      topic: H,
      bytes: () => concat(hex('d2'), head(4, 2n ** 64n - 1n, 8)),
      reason: 'invalid-field',
    },
    // Counts are read entry by entry (docs/PROTOCOL.md section 4.2): the second entry is beyond the input.
    {
      name: 'a payload map declaring 2^32 entries (validly signed)',
      topic: H,
      bytes: () => forge(ana, H, { payload: enc(concat(head(5, 2 ** 32, 8), hex('0001'))) }),
      reason: 'malformed-cbor',
    },
    {
      name: 'a name declaring 2^64 - 1 bytes (validly signed)',
      topic: H,
      bytes: () => signed(ana, H, anaFields({ name: raw(head(3, 2n ** 64n - 1n, 8)) })),
      reason: 'invalid-field',
    },
    {
      name: '10,000 nested arrays as the whole message',
      topic: H,
      bytes: () => concat(new Uint8Array(10_000).fill(0x81), hex('00')),
      reason: 'not-cose-sign1',
    },
    {
      name: '10,000 nested tags 18',
      topic: H,
      bytes: () => concat(new Uint8Array(10_000).fill(0xd2), hex('00')),
      reason: 'not-cose-sign1',
    },
    {
      name: '10,000 nested arrays as the (validly signed) payload',
      topic: H,
      bytes: () => forge(ana, H, { payload: enc(concat(new Uint8Array(10_000).fill(0x81), hex('00'))) }),
      reason: 'invalid-field',
    },
    {
      name: '10,000 nested arrays as the (validly signed) meshIp',
      topic: H,
      bytes: () =>
        signed(
          ana,
          H,
          anaFields({ body: { map: [[0, raw(concat(new Uint8Array(10_000).fill(0x81), hex('00')))]] } }),
        ),
      reason: 'invalid-field',
    },
    {
      name: '10,000 nested maps as the (validly signed) body: 20,000 bytes, over the size limit',
      topic: H,
      bytes: () =>
        signed(
          ana,
          H,
          anaFields({ body: raw(concat(...Array.from({ length: 10_000 }, () => hex('a100')), hex('00'))) }),
        ),
      reason: 'too-large',
    },
    {
      name: 'a duplicate key in the payload (name twice: last-wins in a general decoder)',
      topic: H,
      bytes: () => signed(ana, H, anaFields(), [[2, 'bob']]),
      reason: 'duplicate-key',
    },
    {
      name: 'a duplicate alg in the protected header',
      topic: H,
      bytes: () =>
        forge(ana, H, {
          protected: enc(
            enc({
              map: [
                [1, -8],
                [1, -8],
                [4, ana.publicKey],
              ],
            }),
          ),
          payload: payloadItem(),
        }),
      reason: 'duplicate-key',
    },
    {
      name: 'a duplicate key in a newspaper status',
      topic: N('ana'),
      bytes: () =>
        signed(
          ana,
          N('ana'),
          anaFields({
            kind: 'newspaper',
            body: newspaperBody(NOW + 60_000, {
              map: [
                [3, 50],
                [3, 100],
                [4, 10],
              ],
            }),
          }),
        ),
      reason: 'duplicate-key',
    },
    {
      name: 'a float64 where seq belongs',
      topic: H,
      bytes: () => signed(ana, H, anaFields({ seq: SEQ_FLOAT64 })),
      reason: 'invalid-field',
    },
    {
      name: 'a float16 where time belongs',
      topic: H,
      bytes: () => signed(ana, H, anaFields({ time: HALF_FLOAT })),
      reason: 'invalid-field',
    },
    {
      name: 'NaN where chattiness belongs',
      topic: N('ana'),
      bytes: () =>
        signed(
          ana,
          N('ana'),
          anaFields({
            kind: 'newspaper',
            body: newspaperBody(NOW + 60_000, {
              map: [
                [3, NAN],
                [4, 10],
              ],
            }),
          }),
        ),
      reason: 'invalid-field',
    },
    {
      name: 'a negative integer where seq belongs',
      topic: H,
      bytes: () => signed(ana, H, anaFields({ seq: -1 })),
      reason: 'invalid-field',
    },
    {
      name: 'seq written in 8 bytes (non-shortest)',
      topic: H,
      bytes: () => signed(ana, H, anaFields({ seq: raw(head(0, 2, 8)) })),
      reason: 'non-canonical-cbor',
    },
    {
      name: 'payload keys out of order (time before seq)',
      topic: H,
      bytes: () => {
        const { seq, time, body, ...rest } = anaFields();
        return signed(ana, H, rest, [
          [6, time!],
          [5, seq!],
          [7, body!],
        ]);
      },
      reason: 'non-canonical-cbor',
    },
    {
      name: 'the payload byte string length in a longer form',
      topic: H,
      bytes: () => {
        const content = enc(payloadMap(anaFields()));
        return forge(ana, H, { payload: concat(head(2, content.length, 4), content) });
      },
      reason: 'non-canonical-cbor',
    },
    {
      name: 'protected header labels out of order',
      topic: H,
      bytes: () =>
        forge(ana, H, {
          protected: enc(
            enc({
              map: [
                [4, ana.publicKey],
                [1, -8],
              ],
            }),
          ),
          payload: payloadItem(),
        }),
      reason: 'non-canonical-cbor',
    },
    {
      name: 'an unknown kind "howdy" (validly signed)',
      topic: H,
      bytes: () => signed(ana, H, anaFields({ kind: 'howdy' })),
      reason: 'unknown-kind',
    },
    {
      name: 'an empty kind',
      topic: H,
      bytes: () => signed(ana, H, anaFields({ kind: '' })),
      reason: 'unknown-kind',
    },
    {
      name: 'a kind given as a number',
      topic: H,
      bytes: () => signed(ana, H, anaFields({ kind: 0 })),
      reason: 'invalid-field',
    },
    {
      name: 'a newspaper carrying a chau body',
      topic: N('ana'),
      bytes: () => signed(ana, N('ana'), anaFields({ kind: 'newspaper', body: { map: [[0, 'left']] } })),
      reason: 'invalid-field',
    },
    {
      name: 'a chau carrying a newspaper body',
      topic: C,
      bytes: () => signed(ana, C, anaFields({ kind: 'chau', body: newspaperBody() })),
      reason: 'invalid-field',
    },
    {
      name: 'a stash-refresh carrying a hey-there body',
      topic: 'nara/plaza/stash_refresh',
      bytes: () =>
        signed(
          ana,
          'nara/plaza/stash_refresh',
          anaFields({ kind: 'stash-refresh', body: { map: [[0, '10.0.0.1']] } }),
        ),
      reason: 'unknown-field',
    },
    {
      name: 'a text key "__proto__" in the payload',
      topic: H,
      bytes: () => signed(ana, H, anaFields(), [['__proto__', { map: [] }]]),
      reason: 'unknown-field',
    },
    {
      name: 'invalid UTF-8 in the name (a general decoder substitutes U+FFFD)',
      topic: H,
      bytes: () => signed(ana, H, anaFields({ name: raw(hex('63616efe')) })),
      reason: 'invalid-utf8',
    },
    {
      name: 'a byte after the payload map, inside the signed payload',
      topic: H,
      bytes: () => forge(ana, H, { payload: enc(concat(enc(payloadMap(anaFields())), hex('00'))) }),
      reason: 'trailing-bytes',
    },
    {
      name: 'a byte after the envelope',
      topic: H,
      bytes: () => concat(anaHeyThere(), hex('00')),
      reason: 'trailing-bytes',
    },
    {
      name: 'schema version 2',
      topic: H,
      bytes: () => signed(ana, H, anaFields({ version: 2 })),
      reason: 'unsupported-version',
    },
    {
      name: 'a payload without the nara ID',
      topic: H,
      bytes: () => signed(ana, H, anaFields({ naraId: undefined })),
      reason: 'missing-field',
    },
    {
      name: 'a detached (nil) payload',
      topic: H,
      bytes: () => forge(ana, H, { payload: hex('f6') }),
      reason: 'detached-payload',
    },
    {
      name: 'a kid in the unprotected header',
      topic: H,
      bytes: () => forge(ana, H, { unprotected: enc({ map: [[4, ana.publicKey]] }), payload: payloadItem() }),
      reason: 'unprotected-header-not-empty',
    },
    {
      name: 'alg ES256 (-7)',
      topic: H,
      bytes: () =>
        forge(ana, H, {
          protected: enc(
            enc({
              map: [
                [1, -7],
                [4, ana.publicKey],
              ],
            }),
          ),
          payload: payloadItem(),
        }),
      reason: 'unsupported-alg',
    },
  ]);
});

/** S + L: the same signature with a malleated, out-of-range scalar. */
