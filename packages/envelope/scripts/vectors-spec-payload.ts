/**
 * Order-of-checks vectors of counts (section 4.2) and of the payload map, version, kind and the keys others
 * depend on (sections 5.1 and 5.5).
 */
import { type Cbor, concat, enc, head, raw } from './forge.js';
import { b, checkpointPayload, without } from './spec-fixtures.js';
import {
  ALICE,
  CHAU,
  checkpoint,
  checkpointBody,
  type InvalidContext,
  payloadOf,
  payloadPairs,
  STASH,
} from './vector-fixtures.js';

/** Section 4.2: counts are not judged on their own; array counts and string lengths are, at the head. */
export function counts(set: InvalidContext): void {
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
export function payloadShape(set: InvalidContext): void {
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
