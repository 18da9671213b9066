/** The valid vectors: one or more of every kind and checkpoint op, signed with the noble backend. */
import { createSigner, signEnvelope } from '../src/index.js';
import type { AnyEnvelopeContent } from '../src/types.js';
import { hexToBytes, toHex } from './forge.js';
import { SAMPLE_HOST_STATS, SAMPLE_TRAITS } from './sample.js';
import {
  ALICE,
  ALICE_ID,
  alice,
  BOB,
  BOB_ID,
  bob,
  CHAU,
  checkpoint,
  EPOCH,
  HEY,
  paper,
  project,
  STASH,
  TIME,
  type ValidVector,
  validVector,
} from './vector-fixtures.js';

export function validVectors(): ValidVector[] {
  const aliceSigner = createSigner(alice.seed, { backend: 'noble' });
  const bobSigner = createSigner(bob.seed, { backend: 'noble' });
  const out: ValidVector[] = [];
  const add = (
    name: string,
    description: string,
    signer: typeof aliceSigner,
    topic: string,
    content: AnyEnvelopeContent,
  ) => out.push(validVector(name, description, signer, topic, content));
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
        ...SAMPLE_TRAITS,
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
  return out;
}
