import { concat, enc, raw } from './forge.js';
import {
  ALICE,
  BOB,
  CHAU,
  checkpoint,
  checkpointBody,
  EPOCH,
  HEY,
  type InvalidContext,
  order,
  paper,
  payloadOf,
  payloadPairs,
  TIME,
} from './vector-fixtures.js';

export function payloadVectors(v: InvalidContext): void {
  const { schema, binding } = v;
  // 6. payload schema (each validly signed, so only the schema can reject it)
  schema(
    'payload-unsorted-keys',
    'non-canonical-cbor',
    'payload keys 0, 1, 3, 2, ... (not in deterministic order)',
    payloadOf(payloadPairs().sort((a, b) => order(a[0]) - order(b[0]))),
  );
  schema(
    'payload-duplicate-key',
    'duplicate-key',
    'seq (5) twice',
    payloadOf([...payloadPairs().slice(0, 6), [5, 8], ...payloadPairs().slice(6)]),
  );
  schema(
    'payload-non-shortest-int',
    'non-canonical-cbor',
    'seq 7 written as 18 07',
    payloadOf(payloadPairs({ 5: raw('1807') })),
  );
  schema(
    'payload-indefinite-map',
    'indefinite-length',
    'the payload as an indefinite-length map',
    concat(Uint8Array.of(0xbf), ...payloadPairs().flatMap(([k, v]) => [enc(k), enc(v)]), Uint8Array.of(0xff)),
  );
  schema(
    'payload-bignum-seq',
    'unexpected-tag',
    'seq as a tag 2 bignum (quadratic-time decode in cbor-x)',
    payloadOf(payloadPairs({ 5: { tag: 2, value: new Uint8Array(512).fill(0xff) } })),
  );
  schema(
    'payload-date-time',
    'unexpected-tag',
    'time as a tag 1 date',
    payloadOf(payloadPairs({ 6: { tag: 1, value: 1_767_225_600 } })),
  );
  schema(
    'payload-float-seq',
    'invalid-field',
    'seq as a float64 7.0',
    payloadOf(payloadPairs({ 5: raw('fb401c000000000000') })),
  );
  schema(
    'payload-seq-2-53',
    'invalid-field',
    'seq = 2^53, above the safe-integer range',
    payloadOf(payloadPairs({ 5: 2n ** 53n })),
  );
  schema(
    'payload-trailing',
    'trailing-bytes',
    'one byte after the payload map',
    concat(payloadOf(payloadPairs()), Uint8Array.of(0)),
  );
  schema(
    'payload-invalid-utf8',
    'invalid-utf8',
    'a name that is not UTF-8',
    payloadOf(payloadPairs({ 2: raw('63ff6162') })),
  );
  schema('payload-version-2', 'unsupported-version', 'schema version 2', payloadOf(payloadPairs({ 0: 2 })));
  schema('payload-unknown-kind', 'unknown-kind', 'kind "howdy"', payloadOf(payloadPairs({ 1: 'howdy' })));
  schema(
    'payload-missing-nara-id',
    'missing-field',
    'no nara ID (key 3)',
    payloadOf(payloadPairs().filter(([k]) => k !== 3)),
  );
  schema('payload-unknown-key', 'unknown-field', 'an extra key 9', payloadOf([...payloadPairs(), [9, 0]]));
  schema(
    'payload-text-key',
    'unknown-field',
    'a text key "seq" instead of 5',
    payloadOf(payloadPairs().map(([k, v]) => [k === 5 ? 'seq' : k, v])),
  );
  schema(
    'payload-epoch-7-bytes',
    'invalid-field',
    'a 7-byte epoch',
    payloadOf(payloadPairs({ 4: EPOCH.subarray(0, 7) })),
  );
  schema(
    'payload-bad-name',
    'invalid-name',
    'the name "evil/+" (a topic separator and a wildcard)',
    payloadOf(payloadPairs({ 2: 'evil/+' })),
  );
  schema(
    'payload-bad-nara-id',
    'invalid-field',
    'a nara ID with "0", outside base58',
    payloadOf(payloadPairs({ 3: '0OIl' })),
  );
  schema(
    'chau-without-reason',
    'missing-field',
    'a chau body without its reason',
    payloadOf(payloadPairs({}, 'chau', { map: [] })),
    CHAU,
  );
  schema(
    'chau-bad-reason',
    'invalid-field',
    'chau reason "crashed"',
    payloadOf(payloadPairs({}, 'chau', { map: [[0, 'crashed']] })),
    CHAU,
  );
  schema(
    'newspaper-chattiness-101',
    'invalid-field',
    'chattiness 101',
    payloadOf(
      payloadPairs({}, 'newspaper', {
        map: [
          [
            0,
            {
              map: [
                [3, 101],
                [4, 0],
              ],
            },
          ],
          [1, TIME],
        ],
      }),
    ),
    paper(ALICE),
  );
  schema(
    'newspaper-load-float',
    'invalid-field',
    'a float where an integer belongs (hostStats.loadCenti = 0.5)',
    payloadOf(
      payloadPairs({}, 'newspaper', {
        map: [
          [
            0,
            {
              map: [
                [2, { map: [[1, raw('f93800')]] }],
                [3, 1],
                [4, 0],
              ],
            },
          ],
          [1, TIME],
        ],
      }),
    ),
    paper(ALICE),
  );
  schema(
    'checkpoint-propose-with-vote-field',
    'unknown-field',
    'a propose carrying approved (a vote field)',
    payloadOf(payloadPairs({}, 'checkpoint', checkpointBody('propose', ALICE, [[8, true]]))),
    checkpoint(ALICE, 'propose'),
  );

  // 7. binding to the topic
  binding(
    'kind-mismatch',
    'kind-mismatch',
    'a chau signed for and published on the hey-there topic',
    payloadOf(payloadPairs({}, 'chau', { map: [[0, 'left']] })),
    HEY,
  );
  binding(
    'newspaper-other-name',
    'name-mismatch',
    "alice's newspaper signed for and published on bob's newspaper topic",
    payloadOf(
      payloadPairs({}, 'newspaper', {
        map: [
          [
            0,
            {
              map: [
                [3, 1],
                [4, 0],
              ],
            },
          ],
          [1, TIME],
        ],
      }),
    ),
    paper(BOB),
  );
  binding(
    'checkpoint-subject-mismatch',
    'subject-mismatch',
    'a vote about jojo on a topic about noisy-bear-189',
    payloadOf(
      payloadPairs(
        {},
        'checkpoint',
        checkpointBody('vote', BOB, [
          [7, 1],
          [8, true],
        ]),
      ),
    ),
    checkpoint(ALICE, 'vote'),
  );
  binding(
    'checkpoint-op-mismatch',
    'op-mismatch',
    'a vote on the propose topic',
    payloadOf(
      payloadPairs(
        {},
        'checkpoint',
        checkpointBody('vote', ALICE, [
          [7, 1],
          [8, true],
        ]),
      ),
    ),
    checkpoint(ALICE, 'propose'),
  );
  binding(
    'checkpoint-propose-by-other',
    'name-mismatch',
    'alice proposing a checkpoint about jojo',
    payloadOf(payloadPairs({}, 'checkpoint', checkpointBody('propose', BOB, []))),
    checkpoint(BOB, 'propose'),
  );
}
