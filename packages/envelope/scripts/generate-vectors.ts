/**
 * Generates vectors/valid.json and vectors/invalid.json from fixed seeds (deterministic: running it twice
 * gives the same bytes; a test checks the committed files are what it produces).
 *
 *   cd packages/envelope && npx tsx scripts/generate-vectors.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSigner, signEnvelope } from '../src/index.js';
import type { AnyEnvelopeContent } from '../src/types.js';
import {
  type Cbor,
  challenge,
  concat,
  enc,
  hexToBytes,
  Point,
  protectedItem,
  raw,
  assemble as rawAssemble,
  sign,
  signedParts,
  signWithIdentityR,
  sigStructure,
  TORSION_8,
  toHex,
} from './forge.js';
import { specVectors } from './generate-vectors-spec.js';
import {
  aliceAfter,
  aliceNext,
  successionCases,
  successionInvalidVectors,
  successionValidVectors,
} from './generate-vectors-succession.js';
import { SAMPLE_HOST_STATS } from './sample.js';
import {
  ALICE,
  ALICE_ID,
  alice,
  BOB,
  BOB_ID,
  bob,
  CHAU,
  checkpoint,
  checkpointBody,
  EPOCH,
  HEY,
  InvalidSet,
  type InvalidVector,
  L,
  paper,
  payloadOf,
  payloadPairs,
  project,
  STASH,
  TIME,
  type ValidVector,
} from './vector-kit.js';

export type { InvalidVector, ValidVector } from './vector-kit.js';

const utf8 = new TextEncoder();

function validVectors(): ValidVector[] {
  const aliceSigner = createSigner(alice.seed, { backend: 'noble' });
  const bobSigner = createSigner(bob.seed, { backend: 'noble' });
  const out: ValidVector[] = [];
  const add = (
    name: string,
    description: string,
    signer: typeof aliceSigner,
    topic: string,
    content: AnyEnvelopeContent,
  ) =>
    out.push({
      name,
      description,
      topic,
      envelope: toHex(signEnvelope(signer, topic, content)),
      publicKey: toHex(signer.publicKey),
      content: project(content),
    });
  const common = { name: ALICE, naraId: ALICE_ID, epoch: EPOCH, time: TIME };
  add('hey-there-minimal', 'hey-there with an empty body', aliceSigner, HEY, {
    ...common,
    kind: 'hey-there',
    seq: 0,
    body: {},
  });
  add('hey-there-mesh-ip', 'hey-there with a mesh address', aliceSigner, HEY, {
    ...common,
    kind: 'hey-there',
    seq: 1,
    body: { meshIp: '100.64.0.1' },
  });
  add('chau-left', 'a nara leaving on purpose', aliceSigner, CHAU, {
    ...common,
    kind: 'chau',
    seq: 42,
    body: { reason: 'left' },
  });
  add('chau-lost', 'the signed will, published by the broker when the connection drops', aliceSigner, CHAU, {
    ...common,
    kind: 'chau',
    seq: 0,
    time: TIME - 1,
    body: { reason: 'lost' },
  });
  add('newspaper-minimal', 'a newspaper with only the required status fields', aliceSigner, paper(ALICE), {
    ...common,
    kind: 'newspaper',
    seq: 2,
    body: { status: { chattiness: 0, buzz: 0 }, next: TIME + 300_000 },
  });
  add('newspaper-full', 'a newspaper with every status field', aliceSigner, paper(ALICE), {
    ...common,
    kind: 'newspaper',
    seq: 3,
    body: {
      status: {
        licensePlate: 'NARA-189',
        flair: '🌟🐻',
        hostStats: SAMPLE_HOST_STATS,
        chattiness: 75,
        buzz: 182,
        trend: 'vaporwave',
        trendEmoji: '🌴',
        personality: { agreeableness: 60, sociability: 80, chill: 40 },
        aura: { primary: '#ff8800', secondary: '#0044ff' },
        version: '0.2.0',
        publicUrl: 'https://nara.example/noisy-bear-189',
        meshEnabled: true,
        meshIp: 'fd7a:115c:a1e0::1',
        transportMode: 'hybrid',
        stashStored: 17,
        stashConfidants: 3,
      },
      next: TIME + 97_000,
    },
  });
  add('stash-refresh', 'asking the confidants for the stash back', aliceSigner, STASH, {
    ...common,
    kind: 'stash-refresh',
    seq: 5,
    body: {},
  });
  const observation = { restarts: 4, totalUptime: 1_000_000, startTime: 1_700_000_000 };
  add(
    'checkpoint-propose',
    'the subject proposes a checkpoint about itself',
    aliceSigner,
    checkpoint(ALICE, 'propose'),
    {
      ...common,
      kind: 'checkpoint',
      seq: 6,
      body: {
        op: 'propose',
        subject: ALICE,
        subjectId: ALICE_ID,
        observation,
        asOfTime: 1_767_225_600,
        round: 1,
        lastSeenCheckpointId: 'c0ffee',
      },
    },
  );
  const vote: AnyEnvelopeContent = {
    kind: 'checkpoint',
    name: BOB,
    naraId: BOB_ID,
    epoch: hexToBytes('0102030405060708'),
    seq: 9,
    time: TIME + 1500,
    body: {
      op: 'vote',
      subject: ALICE,
      subjectId: ALICE_ID,
      observation,
      asOfTime: 1_767_225_600,
      round: 1,
      proposalTime: 1_767_225_600,
      approved: true,
    },
  };
  const voteBytes = signEnvelope(bobSigner, checkpoint(ALICE, 'vote'), vote);
  out.push({
    name: 'checkpoint-vote',
    description: 'a peer votes on the proposal (the sender is not the subject)',
    topic: checkpoint(ALICE, 'vote'),
    envelope: toHex(voteBytes),
    publicKey: toHex(bobSigner.publicKey),
    content: project(vote),
  });
  add(
    'checkpoint-final',
    'the subject publishes the agreed checkpoint with the votes as received',
    aliceSigner,
    checkpoint(ALICE, 'final'),
    {
      ...common,
      kind: 'checkpoint',
      seq: 7,
      body: {
        op: 'final',
        subject: ALICE,
        subjectId: ALICE_ID,
        observation,
        asOfTime: 1_767_225_600,
        round: 2,
        previousCheckpointId: 'c0ffee',
        votes: [voteBytes],
      },
    },
  );
  add(
    'non-ascii-name',
    'a name outside ASCII: the topic AAD is its UTF-8 bytes',
    bobSigner,
    paper('なら-ä'),
    {
      kind: 'newspaper',
      name: 'なら-ä',
      naraId: BOB_ID,
      epoch: EPOCH,
      seq: 9_007_199_254_740_991,
      time: 9_007_199_254_740_991,
      body: { status: { chattiness: 100, buzz: 1 }, next: 0 },
    },
  );
  out.push(...successionValidVectors());
  return out;
}

function invalidVectors(): InvalidVector[] {
  const set = new InvalidSet();
  const add = set.add.bind(set);
  const { honest, honestBytes, honestPayload } = set;
  const signedPayload = set.signedPayload.bind(set);
  const withParts = set.withParts.bind(set);
  const withProtected = set.withProtected.bind(set);

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
    withProtected(
      enc(
        enc({
          map: [
            [1, -7],
            [4, alice.publicKey],
          ],
        }),
      ),
    ),
  );
  add(
    'alg-text',
    'unsupported-alg',
    'header',
    'alg as the text "EdDSA"',
    HEY,
    withProtected(
      enc(
        enc({
          map: [
            [1, 'EdDSA'],
            [4, alice.publicKey],
          ],
        }),
      ),
    ),
  );
  add(
    'kid-31-bytes',
    'bad-kid',
    'header',
    'a 31-byte kid',
    HEY,
    withProtected(
      enc(
        enc({
          map: [
            [1, -8],
            [4, alice.publicKey.subarray(0, 31)],
          ],
        }),
      ),
    ),
  );
  add('kid-missing', 'bad-kid', 'header', 'no kid', HEY, withProtected(enc(enc({ map: [[1, -8]] }))));
  add(
    'extra-header-parameter',
    'unexpected-header-parameter',
    'header',
    'content type (3) in the protected header',
    HEY,
    withProtected(
      enc(
        enc({
          map: [
            [1, -8],
            [3, 0],
            [4, alice.publicKey],
          ],
        }),
      ),
    ),
  );
  add(
    'header-labels-unsorted',
    'non-canonical-cbor',
    'header',
    'kid (4) before alg (1)',
    HEY,
    withProtected(
      enc(
        enc({
          map: [
            [4, alice.publicKey],
            [1, -8],
          ],
        }),
      ),
    ),
  );
  add(
    'header-duplicate-alg',
    'duplicate-key',
    'header',
    'alg twice',
    HEY,
    withProtected(
      enc(
        enc({
          map: [
            [1, -8],
            [1, -8],
            [4, alice.publicKey],
          ],
        }),
      ),
    ),
  );

  // 4. key policy
  const identity = hexToBytes('0100000000000000000000000000000000000000000000000000000000000000');
  {
    // Identity key, R = identity, S = 0: every message "verifies" under node:crypto and noble's default.
    const prot = protectedItem(identity);
    const payload = enc(honestPayload);
    add(
      'key-identity',
      'key-small-order',
      'key-policy',
      'the identity as public key, R = identity, S = 0: raw node:crypto and raw noble accept it for any message',
      HEY,
      rawAssemble({ protected: prot, payload, signature: enc(concat(identity, new Uint8Array(32))) }),
    );
    const order8 = hexToBytes('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a');
    add(
      'key-order-8',
      'key-small-order',
      'key-policy',
      'an order-8 public key, R = identity, S = 0',
      HEY,
      rawAssemble({
        protected: protectedItem(order8),
        payload,
        signature: enc(concat(identity, new Uint8Array(32))),
      }),
    );
    const pPlus1 = hexToBytes('eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
    add(
      'key-non-canonical-y',
      'key-non-canonical',
      'key-policy',
      'the identity encoded as y = p + 1 (raw node:crypto accepts it)',
      HEY,
      rawAssemble({
        protected: protectedItem(pPlus1),
        payload,
        signature: enc(concat(identity, new Uint8Array(32))),
      }),
    );
    const negZero = concat(alice.publicKey.subarray(0, 31), Uint8Array.of(alice.publicKey[31]! ^ 0x80));
    const signedNeg = signedParts(alice, HEY, honestPayload, negZero);
    add(
      'key-other-sign',
      'bad-signature',
      'signature',
      "alice's key with the sign bit flipped (a valid, different point): the signature fails",
      HEY,
      rawAssemble(signedNeg),
    );
    const xZeroSign = hexToBytes('0100000000000000000000000000000000000000000000000000000000000080');
    add(
      'key-x-zero-sign-bit',
      'key-non-canonical',
      'key-policy',
      'x = 0 with the sign bit set (the identity, non-canonically)',
      HEY,
      rawAssemble({
        protected: protectedItem(xZeroSign),
        payload,
        signature: enc(concat(identity, new Uint8Array(32))),
      }),
    );
    // y = 2 has no x on the curve.
    const notOnCurve = hexToBytes('0200000000000000000000000000000000000000000000000000000000000000');
    add(
      'key-not-on-curve',
      'key-not-on-curve',
      'key-policy',
      'y = 2: no point has it',
      HEY,
      rawAssemble(signedParts(alice, HEY, honestPayload, notOnCurve)),
    );
    // Mixed order: alice's point plus an order-8 point, signed with alice's scalar; the sequence number is
    // chosen so that k is a multiple of 8, which makes raw node:crypto accept it.
    const mixed = Point.fromBytes(alice.publicKey).add(TORSION_8).toBytes();
    for (let seq = 0; ; seq++) {
      const payloadBytes = enc(payloadOf(payloadPairs({ 5: seq })));
      const prot = protectedItem(mixed);
      const tbs = sigStructure(prot, HEY, payloadBytes);
      const rScalar = challenge(utf8.encode(`nonce ${seq}`), new Uint8Array(0), new Uint8Array(0));
      const R = Point.BASE.multiply(rScalar).toBytes();
      const k = challenge(R, mixed, tbs);
      if (k % 8n !== 0n) continue;
      const S = Point.Fn.create(rScalar + k * alice.scalar);
      add(
        'key-mixed-order',
        'key-mixed-order',
        'key-policy',
        'a public key with an order-8 torsion component; the signature satisfies the cofactorless equation (raw node:crypto accepts it)',
        HEY,
        rawAssemble({
          protected: prot,
          payload: payloadBytes,
          signature: enc(concat(R, Point.Fn.toBytes(S))),
        }),
      );
      break;
    }
  }

  // 5. signature
  const sig = honest.signature.subarray(2);
  add(
    'signature-63-bytes',
    'bad-signature-length',
    'signature',
    'the signature without its last byte',
    HEY,
    withParts({ signature: enc(sig.subarray(0, 63)) }),
  );
  add(
    'signature-65-bytes',
    'bad-signature-length',
    'signature',
    'the signature with a zero byte appended',
    HEY,
    withParts({ signature: enc(concat(sig, Uint8Array.of(0))) }),
  );
  {
    const s = BigInt(`0x${toHex(sig.subarray(32).slice().reverse())}`) + L;
    const sBytes = hexToBytes(s.toString(16).padStart(64, '0')).reverse();
    add(
      'signature-s-plus-l',
      'signature-s-out-of-range',
      'signature',
      'S + L: the malleated twin of the honest signature',
      HEY,
      withParts({ signature: enc(concat(sig.subarray(0, 32), sBytes)) }),
    );
  }
  {
    const payload = enc(honestPayload);
    const tbs = sigStructure(honest.protected, HEY, payload);
    add(
      'signature-r-identity',
      'signature-small-order-r',
      'key-policy',
      'R = identity and S = k·a: satisfies the cofactorless equation (raw node:crypto accepts it) but R is small-order',
      HEY,
      rawAssemble({ protected: honest.protected, payload, signature: enc(signWithIdentityR(alice, tbs)) }),
    );
    const pPlus1 = hexToBytes('eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
    add(
      'signature-r-non-canonical-small',
      'signature-small-order-r',
      'key-policy',
      'R = y = p + 1 (the identity, non-canonically), S = 0',
      HEY,
      withParts({ signature: enc(concat(pPlus1, new Uint8Array(32))) }),
    );
    const torsionR = Point.fromBytes(sig.subarray(0, 32)).add(TORSION_8).toBytes();
    add(
      'signature-r-plus-torsion',
      'bad-signature',
      'signature',
      'the honest R plus an order-8 point: the cofactored equation (raw noble) accepts, the cofactorless one does not',
      HEY,
      withParts({ signature: enc(concat(torsionR, sig.subarray(32))) }),
    );
  }
  {
    const flipped = sig.slice();
    flipped[10]! ^= 0x01;
    add(
      'signature-bit-flip',
      'bad-signature',
      'signature',
      'one bit of R flipped',
      HEY,
      withParts({ signature: enc(flipped) }),
    );
    add(
      'payload-changed',
      'bad-signature',
      'signature',
      'the payload of another message under the honest signature',
      HEY,
      withParts({ payload: enc(payloadOf(payloadPairs({ 5: 8 }))) }),
    );
    add(
      'wrong-topic',
      'bad-signature',
      'signature',
      'an honest chau checked on the hey-there topic: the topic is the external AAD',
      HEY,
      signedPayload(payloadOf(payloadPairs({}, 'chau', { map: [[0, 'left']] })), CHAU),
    );
    add(
      'other-signer',
      'bad-signature',
      'signature',
      "alice's kid, bob's signature",
      HEY,
      withParts({ signature: enc(sign(bob, sigStructure(honest.protected, HEY, honest.payload))) }),
    );
  }

  // 6. payload schema (each validly signed, so only the schema can reject it)
  const schema = set.schema.bind(set);
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
  const binding = set.binding.bind(set);
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
  specVectors(set);
  successionInvalidVectors(set);
  return set.out;
}

function order(key: Cbor): number {
  // Puts key 2 after key 3: the only disorder in the unsorted-keys case.
  return key === 2 ? 3.5 : (key as number);
}

export function buildVectors() {
  const header = {
    about: 'plaza/1 envelope vectors; schema in README.md beside this file',
    generatedBy: 'packages/envelope/scripts/generate-vectors.ts (deterministic, fixed seeds)',
    keys: {
      seeds: 'seed(i) = SHA-256(UTF-8 "nara plaza/1 vector key " + i); alice = 1, bob = 2',
      alice: toHex(alice.publicKey),
      bob: toHex(bob.publicKey),
    },
    maxBytes: 16_384,
  };
  return {
    valid: { ...header, vectors: validVectors() },
    invalid: { ...header, vectors: invalidVectors() },
    succession: {
      ...header,
      about:
        'plaza/1 key succession cases (docs/PROTOCOL.md section 13); schema in README.md beside this file',
      keys: {
        ...header.keys,
        aliceNext: toHex(aliceNext.publicKey),
        aliceAfter: toHex(aliceAfter.publicKey),
        more: "seed(3) and seed(4) are alice's next souls, seed(5) bob's next, seed(6) a thief's key",
      },
      vectors: successionCases(),
    },
  };
}

export const VECTOR_FILES = {
  valid: fileURLToPath(new URL('../vectors/valid.json', import.meta.url)),
  invalid: fileURLToPath(new URL('../vectors/invalid.json', import.meta.url)),
  succession: fileURLToPath(new URL('../vectors/succession.json', import.meta.url)),
};

export function serialize(value: unknown): string {
  return `${JSON.stringify(value, null, 1)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { valid, invalid, succession } = buildVectors();
  writeFileSync(VECTOR_FILES.valid, serialize(valid));
  writeFileSync(VECTOR_FILES.invalid, serialize(invalid));
  writeFileSync(VECTOR_FILES.succession, serialize(succession));
  console.log(
    `wrote ${valid.vectors.length} valid, ${invalid.vectors.length} invalid and ${succession.vectors.length} succession vectors`,
  );
}
