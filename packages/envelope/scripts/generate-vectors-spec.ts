/**
 * The invalid vectors that pin down the order of checks of docs/PROTOCOL.md (section 3.3, section 4,
 * section 5.5, section 7): one case per rule where two readings of the spec could give two reasons for the
 * same bytes. Called by scripts/generate-vectors.ts, which writes them after its own cases.
 */
import { type Cbor, concat, enc, head, hexToBytes, protectedItem, raw } from './forge.js';
import {
  ALICE,
  alice,
  BOB,
  CHAU,
  checkpoint,
  checkpointBody,
  EPOCH,
  HEY,
  type InvalidContext,
  paper,
  payloadOf,
  payloadPairs,
  STASH,
  TIME,
} from './vector-fixtures.js';

const ALG = Uint8Array.of(0x01, 0x27);
const KID = concat(Uint8Array.of(0x04, 0x58, 0x20), alice.publicKey);
const b = (...bytes: number[]) => Uint8Array.of(...bytes);
const identity = hexToBytes('0100000000000000000000000000000000000000000000000000000000000000');

/** A newspaper body by alice with these status pairs (chattiness and buzz included by the caller). */
const newspaper = (status: [Cbor, Cbor][], next: Cbor = TIME) =>
  payloadOf(
    payloadPairs({}, 'newspaper', {
      map: [
        [0, { map: status }],
        [1, next],
      ],
    }),
  );
const MINIMAL_STATUS: [Cbor, Cbor][] = [
  [3, 1],
  [4, 0],
];
/** The minimal status with one more field at `key` (above 4). */
const statusWith = (key: number, value: Cbor): [Cbor, Cbor][] => [...MINIMAL_STATUS, [key, value]];
const checkpointPayload = (body: Cbor) => payloadOf(payloadPairs({}, 'checkpoint', body));
const without = (key: number, pairs = payloadPairs()) => pairs.filter(([k]) => k !== key);
const VOTE_FIELDS: [Cbor, Cbor][] = [
  [7, 1_767_225_600],
  [8, true],
];

export function specVectors(set: InvalidContext): void {
  protectedHeader(set);
  outerStructure(set);
  counts(set);
  payloadShape(set);
  strings(set);
  values(set);
  keys(set);
  bindings(set);
}

/** Section 3.3: the protected header, its CBOR faults and its labels. */
function protectedHeader(set: InvalidContext): void {
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
function outerStructure(set: InvalidContext): void {
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

/** Section 4.2: counts are not judged on their own; array counts and string lengths are, at the head. */
function counts(set: InvalidContext): void {
  const pairs = payloadPairs();
  const flat = (list: [Cbor, Cbor][]) => list.flatMap(([k, v]) => [enc(k), enc(v)]);
  set.schema(
    'payload-count-over-input',
    'malformed-cbor',
    'a payload map of 9 with 8 entries',
    concat(head(5, 9), ...flat(pairs)),
  );
  set.schema(
    'payload-count-huge',
    'malformed-cbor',
    'a payload map of 1000 with 8 entries: read key by key to the end of the input',
    concat(head(5, 1000), ...flat(pairs)),
  );
  set.schema(
    'payload-count-huge-unknown-key',
    'unknown-field',
    'a payload map of 1000 whose ninth key is 9: the key is judged, not the count',
    concat(head(5, 1000), ...flat([...pairs, [9, 0]])),
  );
  set.schema(
    'stash-refresh-count-over-input',
    'malformed-cbor',
    'a stash-refresh body map of 65535 with no entry',
    concat(head(5, 8), ...flat(payloadPairs({}, 'stash-refresh').slice(0, 7)), enc(7), b(0xb9, 0xff, 0xff)),
    STASH,
  );
  const votes = (list: Cbor[]) => checkpointPayload(checkpointBody('final', ALICE, [[10, list]]));
  set.schema(
    'final-eleven-votes',
    'invalid-field',
    'a final with 11 votes: the count is judged at the array head',
    votes(Array.from({ length: 11 }, () => b(0x00))),
    checkpoint(ALICE, 'final'),
  );
  set.schema(
    'final-votes-count-over-input',
    'malformed-cbor',
    'a votes array of 3 with 2 items, at the end of the payload',
    concat(
      checkpointPayload(
        checkpointBody('final', ALICE, [[10, { raw: concat(head(4, 3), enc(b(0)), enc(b(1))) }]]),
      ),
    ),
    checkpoint(ALICE, 'final'),
  );
  set.schema(
    'final-no-votes',
    'invalid-field',
    'a final with an empty votes array: a final records agreement, and no vote records none',
    votes([]),
    checkpoint(ALICE, 'final'),
  );
  set.schema(
    'final-vote-too-long',
    'invalid-field',
    'a vote of 2049 bytes',
    votes([new Uint8Array(2049)]),
    checkpoint(ALICE, 'final'),
  );
  set.schema(
    'final-vote-text',
    'invalid-field',
    'a vote as a text string',
    votes(['vote']),
    checkpoint(ALICE, 'final'),
  );
  const heyBody = (meshIpItem: Uint8Array) =>
    payloadOf(payloadPairs({}, 'hey-there', { map: [[0, { raw: meshIpItem }]] }));
  set.schema(
    'mesh-ip-beyond-input',
    'malformed-cbor',
    'a 45-byte meshIp with 10 bytes left in the payload',
    concat(heyBody(b(0x78, 0x2d)), new Uint8Array(10).fill(0x31)),
  );
  set.schema(
    'mesh-ip-over-limit-and-input',
    'invalid-field',
    'a meshIp of 65535 bytes with 10 present: the limit is judged at the head',
    concat(heyBody(b(0x79, 0xff, 0xff)), new Uint8Array(10).fill(0x31)),
  );
  set.schema(
    'epoch-huge-length',
    'invalid-field',
    'an epoch head of 2^32 - 1 bytes',
    payloadOf(payloadPairs({ 4: raw('5affffffff') })),
  );
}

/** Sections 5.1 and 5.5: the payload map, the version, the kind, and the keys others depend on. */
function payloadShape(set: InvalidContext): void {
  set.schema('payload-array', 'invalid-field', 'the payload is an array', enc([1, 'hey-there']));
  set.schema('payload-text', 'invalid-field', 'the payload is a text string', enc('hello'));
  set.schema('payload-null', 'invalid-field', 'the payload is null', b(0xf6));
  set.schema(
    'payload-tagged-map',
    'unexpected-tag',
    'the payload map inside tag 259',
    concat(b(0xd9, 0x01, 0x03), payloadOf(payloadPairs())),
  );
  set.schema('version-text', 'invalid-field', 'version "1"', payloadOf(payloadPairs({ 0: '1' })));
  set.schema('version-negative', 'invalid-field', 'version -1', payloadOf(payloadPairs({ 0: -1 })));
  set.schema('version-true', 'invalid-field', 'version true', payloadOf(payloadPairs({ 0: true })));
  set.schema('version-0', 'unsupported-version', 'version 0', payloadOf(payloadPairs({ 0: 0 })));
  set.schema('kind-uint', 'invalid-field', 'kind 1', payloadOf(payloadPairs({ 1: 1 })));
  set.schema(
    'kind-long-unknown',
    'unknown-kind',
    'a 40-byte kind: any text that is not a known kind is unknown-kind, whatever its length',
    payloadOf(payloadPairs({ 1: 'a-kind-from-a-later-version-of-the-plaza' })),
  );
  set.schema(
    'kind-upper-case',
    'unknown-kind',
    'kind "Hey-There" (kinds are compared as bytes)',
    payloadOf(payloadPairs({ 1: 'Hey-There' })),
  );
  set.schema(
    'kind-invalid-utf8',
    'invalid-utf8',
    'a kind that is not UTF-8',
    payloadOf(payloadPairs({ 1: raw('62fffe') })),
  );
  set.schema(
    'hey-there-body-array',
    'invalid-field',
    'a hey-there body that is an array',
    payloadOf(payloadPairs({}, 'hey-there', [])),
  );
  set.schema(
    'payload-missing-version',
    'missing-field',
    'no version: key 1 is the first key',
    payloadOf(without(0)),
  );
  set.schema(
    'payload-missing-version-bad-name',
    'missing-field',
    'no version and the name "a/b": the missing version is found at the first key, before the name is read',
    payloadOf(without(0, payloadPairs({ 2: 'a/b' }))),
  );
  set.schema(
    'payload-missing-kind',
    'missing-field',
    'no kind: found when the body is reached',
    payloadOf(without(1)),
  );
  set.schema(
    'payload-missing-kind-bad-seq',
    'invalid-field',
    'no kind and seq a float: seq is read before the body, where the kind is needed',
    payloadOf(without(1, payloadPairs({ 5: raw('f94700') }))),
  );
  set.schema('payload-missing-body', 'missing-field', 'no body', payloadOf(without(7)));
  set.schema('payload-empty-map', 'missing-field', 'the empty map', b(0xa0));
  set.schema(
    'payload-unknown-first-key',
    'unknown-field',
    'the map {9: 0}: the key is judged before the missing version',
    payloadOf([[9, 0]]),
  );
  const cp = (
    name: string,
    expect: Parameters<InvalidContext['add']>[1],
    what: string,
    body: Cbor,
    op = 'propose',
  ) => set.schema(name, expect, what, checkpointPayload(body), checkpoint(ALICE, op));
  const propose = (checkpointBody('propose', ALICE, []) as { map: [Cbor, Cbor][] }).map;
  cp('checkpoint-missing-op', 'missing-field', 'a checkpoint body without op: found at key 1', {
    map: propose.slice(1),
  });
  cp(
    'checkpoint-missing-op-unknown-key',
    'unknown-field',
    'a checkpoint body {12: 0}: the key is judged before the missing op',
    { map: [[12, 0]] },
  );
  cp('checkpoint-op-unknown', 'invalid-field', 'op "veto"', { map: [[0, 'veto'], ...propose.slice(1)] });
  cp('checkpoint-missing-subject-id', 'missing-field', 'a propose without subjectId', {
    map: propose.filter(([k]) => k !== 2),
  });
  cp(
    'checkpoint-final-with-approved',
    'unknown-field',
    'a final carrying approved (a vote field)',
    checkpointBody('final', ALICE, [
      [8, true],
      [10, [b(0)]],
    ]),
    'final',
  );
  cp('checkpoint-round-0', 'invalid-field', 'round 0', {
    map: propose.map(([k, v]) => [k, k === 5 ? 0 : v]),
  });
  cp('checkpoint-round-3', 'invalid-field', 'round 3', {
    map: propose.map(([k, v]) => [k, k === 5 ? 3 : v]),
  });
  cp('checkpoint-subject-invalid', 'invalid-name', 'subject "a/b": the name rule, as for the sender', {
    map: propose.map(([k, v]) => [k, k === 1 ? 'a/b' : v]),
  });
  cp('checkpoint-subject-empty', 'invalid-name', 'an empty subject', {
    map: propose.map(([k, v]) => [k, k === 1 ? '' : v]),
  });
  cp('checkpoint-subject-65-bytes', 'invalid-field', 'a subject of 65 bytes: byte limits are invalid-field', {
    map: propose.map(([k, v]) => [k, k === 1 ? 'a'.repeat(65) : v]),
  });
  cp('checkpoint-subject-id-invalid', 'invalid-field', 'subjectId "0O" (outside base58)', {
    map: propose.map(([k, v]) => [k, k === 2 ? '0O' : v]),
  });
  cp(
    'checkpoint-approved-null',
    'invalid-field',
    'a vote whose approved is null',
    checkpointBody('vote', ALICE, [
      [7, 1_767_225_600],
      [8, null],
    ]),
    'vote',
  );
  set.schema(
    'stash-refresh-body-not-empty',
    'unknown-field',
    'a stash-refresh body {0: 0}',
    payloadOf(payloadPairs({}, 'stash-refresh', { map: [[0, 0]] })),
    STASH,
  );
  set.schema(
    'chau-body-extra-key',
    'unknown-field',
    'a chau body with key 1',
    payloadOf(
      payloadPairs({}, 'chau', {
        map: [
          [0, 'left'],
          [1, 0],
        ],
      }),
    ),
    CHAU,
  );
}

/** Section 4.1: strings, in the order head, limit, content present, UTF-8, value. */
function strings(set: InvalidContext): void {
  const name = (caseName: string, expect: Parameters<InvalidContext['add']>[1], what: string, value: Cbor) =>
    set.schema(caseName, expect, what, payloadOf(payloadPairs({ 2: value })));
  name(
    'name-zero-width-space',
    'invalid-name',
    'a name with U+200B ZERO WIDTH SPACE (Cf)',
    'noisy\u200bbear',
  );
  name('name-private-use', 'invalid-name', 'a name with U+E000 (Co, private use)', 'noisy-\ue000');
  name(
    'name-unassigned',
    'invalid-name',
    'a name with U+0378 (Cn, unassigned in Unicode 17.0)',
    'noisy-\u0378',
  );
  name('name-noncharacter', 'invalid-name', 'a name with U+FFFF (Cn, a noncharacter)', 'noisy-\uffff');
  name('name-not-nfc', 'invalid-name', 'a name in NFD (e and U+0301), not NFC', 'cafe\u0301');
  name(
    'name-ideographic-space',
    'invalid-name',
    'a name with U+3000 IDEOGRAPHIC SPACE (Zs)',
    'noisy\u3000bear',
  );
  name('name-line-separator', 'invalid-name', 'a name with U+2028 LINE SEPARATOR (Zl)', 'noisy\u2028bear');
  name('name-nul', 'invalid-name', 'a name with NUL (Cc)', 'noisy\u0000bear');
  name('name-leading-dollar', 'invalid-name', 'a name starting with "$"', '$SYS');
  name('name-hash', 'invalid-name', 'a name with "#"', 'noisy#bear');
  name('name-empty', 'invalid-name', 'an empty name', '');
  name('name-65-bytes', 'invalid-field', 'a name of 65 bytes: byte limits are invalid-field', 'a'.repeat(65));
  name(
    'name-invalid-utf8-over-limit',
    'invalid-field',
    'a name of 65 bytes that are not UTF-8: the limit is judged first',
    raw(concat(b(0x78, 0x41), new Uint8Array(65).fill(0xff))),
  );
  name(
    'name-encoded-surrogate',
    'invalid-utf8',
    'a name with the bytes ed a0 80 (a UTF-8-encoded surrogate)',
    raw('63eda080'),
  );
  name('name-overlong-utf8', 'invalid-utf8', 'a name with the overlong encoding c0 af of "/"', raw('62c0af'));
  name('name-bytes', 'invalid-field', 'the name as a byte string', new TextEncoder().encode(ALICE));
  set.schema(
    'transport-mode-invalid-utf8',
    'invalid-utf8',
    'transportMode bytes ff: UTF-8 is judged before the list of values',
    newspaper(statusWith(13, raw('61ff'))),
    paper(ALICE),
  );
  set.schema(
    'transport-mode-unknown',
    'invalid-field',
    'transportMode "carrier-pigeon"',
    newspaper(statusWith(13, 'pigeon')),
    paper(ALICE),
  );
  set.schema(
    'chau-reason-invalid-utf8',
    'invalid-utf8',
    'a chau reason that is not UTF-8',
    payloadOf(payloadPairs({}, 'chau', { map: [[0, raw('62fffe')]] })),
    CHAU,
  );
  set.schema(
    'mesh-ip-46-bytes',
    'invalid-field',
    'a hey-there meshIp of 46 bytes (length is its only rule)',
    payloadOf(payloadPairs({}, 'hey-there', { map: [[0, '1'.repeat(46)]] })),
  );
  set.schema(
    'public-url-257-bytes',
    'invalid-field',
    'a publicUrl of 257 bytes',
    newspaper(statusWith(10, `https://${'a'.repeat(249)}`)),
    paper(ALICE),
  );
  set.schema(
    'trend-emoji-33-bytes',
    'invalid-field',
    'a trendEmoji of 33 bytes',
    newspaper(statusWith(6, 'a'.repeat(33))),
    paper(ALICE),
  );
  set.schema(
    'epoch-9-bytes',
    'invalid-field',
    'a 9-byte epoch',
    payloadOf(payloadPairs({ 4: concat(EPOCH, b(0)) })),
  );
  set.schema('epoch-text', 'invalid-field', 'the epoch as text', payloadOf(payloadPairs({ 4: 'abcdefgh' })));
}

/** Section 4: integers, simple values and nulls where the schema has other types. */
function values(set: InvalidContext): void {
  const status = (
    name: string,
    expect: Parameters<InvalidContext['add']>[1],
    what: string,
    key: number,
    value: Cbor,
  ) => set.schema(name, expect, what, newspaper(statusWith(key, value)), paper(ALICE));
  status(
    'mesh-enabled-two-byte-simple-below-32',
    'malformed-cbor',
    'meshEnabled f8 15: a two-byte simple value below 32 is not well-formed',
    11,
    raw('f815'),
  );
  status('mesh-enabled-simple-32', 'invalid-field', 'meshEnabled simple value 32 (f8 20)', 11, raw('f820'));
  status('mesh-enabled-null', 'invalid-field', 'meshEnabled null', 11, null);
  status('mesh-enabled-undefined', 'invalid-field', 'meshEnabled undefined (f7)', 11, raw('f7'));
  status('mesh-enabled-one', 'invalid-field', 'meshEnabled 1', 11, 1);
  status('aura-colour-above-24-bits', 'invalid-field', 'an aura colour of 0x1000000', 8, {
    map: [
      [0, 0x1000000],
      [1, 0],
    ],
  });
  status(
    'aura-colour-text',
    'invalid-field',
    'an aura colour as the text "#ff8800" (the vectors\' JSON form, not the wire form)',
    8,
    {
      map: [
        [0, '#ff8800'],
        [1, 0],
      ],
    },
  );
  status('aura-missing-secondary', 'missing-field', 'an aura without its secondary colour', 8, {
    map: [[0, 0xff8800]],
  });
  status('personality-101', 'invalid-field', 'sociability 101', 7, {
    map: [
      [0, 1],
      [1, 101],
      [2, 1],
    ],
  });
  status('stash-stored-negative', 'invalid-field', 'stashStored -1', 14, -1);
  set.schema(
    'newspaper-buzz-183',
    'invalid-field',
    'buzz 183',
    newspaper([
      [3, 1],
      [4, 183],
    ]),
    paper(ALICE),
  );
  set.schema(
    'newspaper-missing-buzz',
    'missing-field',
    'a status without buzz',
    newspaper([[3, 1]]),
    paper(ALICE),
  );
  set.schema(
    'newspaper-missing-next',
    'missing-field',
    'a newspaper body without next',
    payloadOf(payloadPairs({}, 'newspaper', { map: [[0, { map: MINIMAL_STATUS }]] })),
    paper(ALICE),
  );
  set.schema(
    'seq-float16',
    'invalid-field',
    'seq 7.0 as a float16',
    payloadOf(payloadPairs({ 5: raw('f94700') })),
  );
  set.schema('seq-negative', 'invalid-field', 'seq -1', payloadOf(payloadPairs({ 5: -1 })));
  set.schema(
    'seq-tag-non-shortest',
    'non-canonical-cbor',
    'seq inside tag 1 written as d8 01: the head is judged before its type',
    payloadOf(payloadPairs({ 5: raw('d80107') })),
  );
  set.schema('time-2-53', 'invalid-field', 'time 2^53', payloadOf(payloadPairs({ 6: 2n ** 53n })));
}

/** Section 4.2: map keys, in the order type, known, not seen before, ascending. */
function keys(set: InvalidContext): void {
  const pairs = payloadPairs();
  set.schema(
    'payload-key-tagged',
    'unexpected-tag',
    'key 5 inside tag 0',
    payloadOf(pairs.map(([k, v]) => [k === 5 ? { tag: 0, value: 5 } : k, v])),
  );
  set.schema(
    'payload-key-float',
    'unknown-field',
    'key 5 as the float16 5.0',
    payloadOf(pairs.map(([k, v]) => [k === 5 ? raw('f94500') : k, v])),
  );
  set.schema('payload-key-negative', 'unknown-field', 'key -1 first', payloadOf([[-1, 0], ...pairs]));
  set.schema(
    'payload-key-non-shortest',
    'non-canonical-cbor',
    'key 5 written as 18 05',
    payloadOf(pairs.map(([k, v]) => [k === 5 ? raw('1805') : k, v])),
  );
  set.schema(
    'payload-unknown-key-out-of-order',
    'unknown-field',
    'key 9 between keys 2 and 3: unknown before out of order',
    payloadOf([...pairs.slice(0, 3), [9, 0], ...pairs.slice(3)]),
  );
  set.schema(
    'payload-duplicate-out-of-order',
    'duplicate-key',
    'key 2 again after key 3: seen before, before out of order',
    payloadOf([...pairs.slice(0, 4), [2, ALICE], ...pairs.slice(4)]),
  );
  const status = (
    name: string,
    expect: Parameters<InvalidContext['add']>[1],
    what: string,
    list: [Cbor, Cbor][],
  ) => set.schema(name, expect, what, newspaper(list), paper(ALICE));
  status('status-keys-unsorted', 'non-canonical-cbor', 'status keys 4, 3', [
    [4, 0],
    [3, 1],
  ]);
  status('status-key-duplicate', 'duplicate-key', 'status key 3 twice', [
    [3, 1],
    [3, 1],
    [4, 0],
  ]);
  status('status-unknown-key', 'unknown-field', 'status key 16', statusWith(16, 0));
  status(
    'host-stats-unknown-key',
    'unknown-field',
    'hostStats key 9',
    statusWith(2, { map: [[9, 0]] }).sort((x, y) => (x[0] as number) - (y[0] as number)),
  );
}

/** Section 6: the bindings, in the order kind, name (newspaper), subject, op, name (checkpoint). */
function bindings(set: InvalidContext): void {
  set.binding(
    'binding-kind-before-name',
    'kind-mismatch',
    "a hey-there by alice on jojo's newspaper topic",
    payloadOf(payloadPairs()),
    paper(BOB),
  );
  set.binding(
    'binding-subject-before-op',
    'subject-mismatch',
    'a vote about jojo on the propose topic about alice',
    checkpointPayload(checkpointBody('vote', BOB, VOTE_FIELDS)),
    checkpoint(ALICE, 'propose'),
  );
  set.binding(
    'binding-op-before-name',
    'op-mismatch',
    "alice's propose about jojo on jojo's vote topic",
    checkpointPayload(checkpointBody('propose', BOB, [])),
    checkpoint(BOB, 'vote'),
  );
  set.binding(
    'binding-final-by-other',
    'name-mismatch',
    'alice publishing the final about jojo',
    checkpointPayload(checkpointBody('final', BOB, [[10, [b(0)]]])),
    checkpoint(BOB, 'final'),
  );
  set.binding(
    'binding-newspaper-kind-on-chau',
    'kind-mismatch',
    'a newspaper on the chau topic',
    newspaper(MINIMAL_STATUS),
    CHAU,
  );
  set.add(
    'topic-newspaper-wildcard',
    'bad-topic',
    'topic',
    'a newspaper topic whose name is "a+b"',
    'nara/plaza/newspaper/a+b',
    set.honestBytes,
  );
  set.add(
    'topic-checkpoint-unknown-op',
    'bad-topic',
    'topic',
    'a checkpoint topic with op "veto"',
    checkpoint(ALICE, 'veto'),
    set.honestBytes,
  );
  set.add(
    'topic-extra-level',
    'bad-topic',
    'topic',
    'the hey-there topic with one more level',
    `${HEY}/x`,
    set.honestBytes,
  );
  set.add(
    'topic-name-not-nfc',
    'bad-topic',
    'topic',
    'a newspaper topic whose name is in NFD',
    paper('cafe\u0301'),
    set.honestBytes,
  );
}
