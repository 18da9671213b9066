import type { AnyEnvelopeContent, CheckpointBody, NewspaperStatus } from '@nara/envelope';
import { checkpointTopic, newspaperTopic } from '@nara/topics';
import fc from 'fast-check';

const safe = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const smallText = (maxLength: number) => fc.string({ maxLength, unit: 'grapheme-ascii' });
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
export const naraId = fc.string({ minLength: 1, maxLength: 64, unit: fc.constantFrom(...BASE58) });
export const name = fc.oneof(
  fc.constantFrom('noisy-bear-189', 'jojo', 'なら', 'ä-ö', 'a'),
  fc.string({
    minLength: 1,
    maxLength: 20,
    unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_.'),
  }),
);
const colour = fc.integer({ min: 0, max: 0xffffff }).map((n) => `#${n.toString(16).padStart(6, '0')}`);
const percent = fc.integer({ min: 0, max: 100 });

export const status: fc.Arbitrary<NewspaperStatus> = fc.record(
  {
    licensePlate: smallText(20),
    flair: fc.constantFrom('', '🌟', '🐻🌴', 'x'),
    hostStats: fc.record(
      {
        uptime: safe,
        loadCenti: safe,
        memAllocMb: safe,
        memSysMb: safe,
        memHeapMb: safe,
        memStackMb: safe,
        tasks: safe,
        gcCount: safe,
        cpuCenti: safe,
      },
      { requiredKeys: [] },
    ),
    chattiness: percent,
    buzz: fc.integer({ min: 0, max: 182 }),
    trend: smallText(20),
    trendEmoji: fc.constantFrom('', '🌴'),
    personality: fc.record({ agreeableness: percent, sociability: percent, chill: percent }),
    aura: fc.record({ primary: colour, secondary: colour }),
    version: fc.constantFrom('0.2.0', '1.0.0-beta.1'),
    publicUrl: smallText(60),
    meshEnabled: fc.boolean(),
    meshIp: fc.constantFrom('100.64.0.1', 'fd7a:115c:a1e0::1', ''),
    transportMode: fc.constantFrom('mqtt' as const, 'gossip' as const, 'hybrid' as const),
    stashStored: safe,
    stashConfidants: safe,
  },
  { requiredKeys: ['chattiness', 'buzz'] },
);

const observation = fc.record({ restarts: safe, totalUptime: safe, startTime: safe });

function checkpointBody(subject: string): fc.Arbitrary<CheckpointBody> {
  const common = {
    subject: fc.constant(subject),
    subjectId: naraId,
    observation,
    asOfTime: safe,
    round: fc.constantFrom(1 as const, 2 as const),
  };
  return fc.oneof(
    fc.record(
      { op: fc.constant('propose' as const), ...common, lastSeenCheckpointId: smallText(64) },
      { requiredKeys: ['op', 'subject', 'subjectId', 'observation', 'asOfTime', 'round'] },
    ),
    fc.record(
      {
        op: fc.constant('vote' as const),
        ...common,
        proposalTime: safe,
        approved: fc.boolean(),
        lastSeenCheckpointId: smallText(64),
      },
      {
        requiredKeys: [
          'op',
          'subject',
          'subjectId',
          'observation',
          'asOfTime',
          'round',
          'proposalTime',
          'approved',
        ],
      },
    ),
    fc.record(
      {
        op: fc.constant('final' as const),
        ...common,
        previousCheckpointId: smallText(64),
        votes: fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 10 }),
      },
      { requiredKeys: ['op', 'subject', 'subjectId', 'observation', 'asOfTime', 'round', 'votes'] },
    ),
  );
}

/** Any valid content together with the topic it belongs on. */
export const contentAndTopic: fc.Arbitrary<{ topic: string; content: AnyEnvelopeContent }> = fc
  .record({
    name,
    naraId,
    epoch: fc.uint8Array({ minLength: 8, maxLength: 8 }),
    seq: safe,
    time: safe,
    pick: fc.integer({ min: 0, max: 4 }),
    meshIp: fc.option(fc.constantFrom('100.64.0.1', '::1'), { nil: undefined }),
    reason: fc.constantFrom('left' as const, 'lost' as const),
    status,
    next: safe,
    subjectIsSender: fc.boolean(),
    otherName: name,
  })
  .chain((r): fc.Arbitrary<{ topic: string; content: AnyEnvelopeContent }> => {
    const base = { name: r.name, naraId: r.naraId, epoch: r.epoch, seq: r.seq, time: r.time };
    switch (r.pick) {
      case 0:
        return fc.constant({
          topic: 'nara/plaza/hey-there',
          content: {
            ...base,
            kind: 'hey-there' as const,
            body: r.meshIp === undefined ? {} : { meshIp: r.meshIp },
          },
        });
      case 1:
        return fc.constant({
          topic: 'nara/plaza/chau',
          content: { ...base, kind: 'chau' as const, body: { reason: r.reason } },
        });
      case 2:
        return fc.constant({
          topic: newspaperTopic(r.name),
          content: { ...base, kind: 'newspaper' as const, body: { status: r.status, next: r.next } },
        });
      case 3:
        return fc.constant({
          topic: 'nara/plaza/stash_refresh',
          content: { ...base, kind: 'stash-refresh' as const, body: {} },
        });
      default: {
        return checkpointBody(r.subjectIsSender ? r.name : r.otherName).map((body) => {
          // Only votes may come from someone other than the subject.
          const fixed = body.op === 'vote' ? body : { ...body, subject: r.name };
          return {
            topic: checkpointTopic(fixed.subject, fixed.op),
            content: { ...base, kind: 'checkpoint' as const, body: fixed },
          };
        });
      }
    }
  });

export const seed = fc.uint8Array({ minLength: 32, maxLength: 32 });
