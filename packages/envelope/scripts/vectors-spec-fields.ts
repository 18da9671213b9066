/**
 * Order-of-checks vectors of strings (section 4.1), values (section 4), map keys (section 4.2) and the
 * bindings (section 6).
 */
import { type Cbor, concat, raw } from './forge.js';
import { b, checkpointPayload, MINIMAL_STATUS, newspaper, statusWith, VOTE_FIELDS } from './spec-fixtures.js';
import {
  ALICE,
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
} from './vector-fixtures.js';

/** Section 4.1: strings, in the order head, limit, content present, UTF-8, value. */
export function strings(set: InvalidContext): void {
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
export function values(set: InvalidContext): void {
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
export function keys(set: InvalidContext): void {
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
export function bindings(set: InvalidContext): void {
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
