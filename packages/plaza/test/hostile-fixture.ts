import { type AnyEnvelopeContent, createSigner, createVerifier, signEnvelope } from '@nara/envelope/node';
import type { Clock } from '@nara/interface';
import { createPeerRegistry, type PeerRegistry } from '@nara/peers';
import {
  createReceivePipeline,
  MetricsRegistry,
  type ReceiveOutcome,
  type ReceivePipeline,
} from '@nara/plaza';
import {
  type Cbor,
  enc,
  type ForgeKey,
  forgePayload,
  type PayloadFields,
  payloadMap,
  testKey,
} from '@nara/tooling/forge';
import { CHAU_TOPIC, HEY_THERE_TOPIC, newspaperTopic } from '@nara/topics';
import { beforeEach, expect, it } from 'vitest';

/** The receiver's clock: fixed, so that every time rule is exact. */
export const NOW = 1_760_000_000_000;
export const H = HEY_THERE_TOPIC;
export const C = CHAU_TOPIC;
export const N = (name: string) => newspaperTopic(name);

export const ANA_ID = '2gdnSNmnqsnvDoTxnj5PVyupruDnVUCaMH6tdGcpUjqa';
export const BOB_ID = '7XjNU1tJh2xbRYtANkgkqzUbBNQjqBgAbkp6VFLgmDRh';
export const ana = testKey('hostile ana');
export const bob = testKey('hostile bob');
export const mallory = testKey('hostile mallory');

export const E1 = Uint8Array.of(1, 1, 1, 1, 1, 1, 1, 1);
export const E2 = Uint8Array.of(2, 2, 2, 2, 2, 2, 2, 2);
export const EB = Uint8Array.of(11, 11, 11, 11, 11, 11, 11, 11);

const signers = new Map<ForgeKey, ReturnType<typeof createSigner>>();

/** An honest envelope from `key`, made by the envelope package's own signer. */
export function honest(key: ForgeKey, topic: string, content: AnyEnvelopeContent): Uint8Array {
  let signer = signers.get(key);
  if (signer === undefined) {
    signer = createSigner(key.seed);
    signers.set(key, signer);
  }
  return signEnvelope(signer, topic, content);
}

export const status = { chattiness: 50, buzz: 10 };

/** The CBOR of an honest next message from ana (epoch E2, seq 2, time NOW), with `over` replacing fields. */
export function anaFields(over: PayloadFields = {}): PayloadFields {
  return {
    version: 1,
    kind: 'hey-there',
    name: 'ana',
    naraId: ANA_ID,
    epoch: E2,
    seq: 2,
    time: NOW,
    body: { map: [] },
    ...over,
  };
}

/** A newspaper body `{0: status, 1: next}` as CBOR. */
export function newspaperBody(next = NOW + 60_000, statusMap?: Cbor): Cbor {
  return {
    map: [
      [
        0,
        statusMap ?? {
          map: [
            [3, 50],
            [4, 10],
          ],
        },
      ],
      [1, next],
    ],
  };
}

/** Signs a payload given as fields (and extra pairs) with `key` under `topic`: a valid signature over it. */
export function signed(
  key: ForgeKey,
  topic: string,
  fields: PayloadFields,
  extra: [Cbor, Cbor][] = [],
): Uint8Array {
  return forgePayload(key, topic, payloadMap(fields, extra));
}

export interface Fixture {
  readonly pipeline: ReceivePipeline;
  readonly registry: PeerRegistry;
  readonly metrics: MetricsRegistry;
  /** The envelopes ana sent while the fixture was set up, for replays. */
  readonly history: {
    readonly heyThereE1: Uint8Array;
    readonly newspaperE1: Uint8Array;
    readonly heyThereE2: Uint8Array;
    readonly newspaperE2: Uint8Array;
    readonly willE1: Uint8Array;
  };
}

const fixedClock: Clock = {
  now: () => NOW,
  setTimeout: () => 0,
  clearTimeout: () => {},
};

/**
 * A receiver that knows two peers: ana (heard in epoch E1, then again in E2, so E1 is retired) and bob,
 * through the same pipeline a running nara uses (envelope verifier on the node:crypto backend, registry,
 * metrics).
 */
export function createFixture(): Fixture {
  const metrics = new MetricsRegistry();
  const registry = createPeerRegistry({}, { clock: fixedClock });
  const pipeline = createReceivePipeline({ verifier: createVerifier(), registry, metrics });
  const content = (
    kind: AnyEnvelopeContent['kind'],
    epoch: Uint8Array,
    seq: number,
    time: number,
    body: unknown,
  ) => ({ kind, name: 'ana', naraId: ANA_ID, epoch, seq, time, body }) as AnyEnvelopeContent;
  const history = {
    willE1: honest(ana, C, content('chau', E1, 0, NOW - 6000, { reason: 'lost' })),
    heyThereE1: honest(ana, H, content('hey-there', E1, 1, NOW - 5000, {})),
    newspaperE1: honest(
      ana,
      N('ana'),
      content('newspaper', E1, 2, NOW - 4000, { status, next: NOW + 60_000 }),
    ),
    heyThereE2: honest(ana, H, content('hey-there', E2, 0, NOW - 2000, {})),
    newspaperE2: honest(
      ana,
      N('ana'),
      content('newspaper', E2, 1, NOW - 1000, { status, next: NOW + 60_000 }),
    ),
  };
  const setup: Array<[string, Uint8Array]> = [
    [H, history.heyThereE1],
    [N('ana'), history.newspaperE1],
    [H, history.heyThereE2],
    [N('ana'), history.newspaperE2],
    [
      H,
      honest(bob, H, {
        kind: 'hey-there',
        name: 'bob',
        naraId: BOB_ID,
        epoch: EB,
        seq: 0,
        time: NOW - 1000,
        body: {},
      }),
    ],
  ];
  for (const [topic, bytes] of setup) {
    const outcome = pipeline.receive(topic, bytes);
    expect(outcome.type === 'rejected' ? outcome.reason : outcome.type).toBe('accepted');
  }
  return { pipeline, registry, metrics, history };
}

/** Peer state as JSON, to compare before and after. */
export function peerState(registry: PeerRegistry): unknown {
  return JSON.parse(JSON.stringify(registry.list()));
}

/**
 * Sends `bytes` on `topic` and asserts: rejected with `reason`, the rejected counter for that reason up by
 * exactly one (and nothing else counted as accepted), and the peers exactly as they were.
 */
export function expectRejected(
  fixture: Fixture,
  topic: string,
  bytes: Uint8Array,
  reason: string,
): ReceiveOutcome {
  const { pipeline, registry } = fixture;
  const before = peerState(registry);
  const counted = pipeline.counters.rejected.get({ reason });
  const acceptedBefore = totalAccepted(fixture);
  const outcome = pipeline.receive(topic, bytes);
  expect(
    outcome.type === 'rejected'
      ? `${outcome.reason}`
      : outcome.type === 'accepted'
        ? `accepted (${outcome.change})`
        : outcome.type,
  ).toBe(reason);
  expect(pipeline.counters.rejected.get({ reason })).toBe(counted + 1);
  expect(totalAccepted(fixture)).toBe(acceptedBefore);
  expect(peerState(registry)).toEqual(before);
  return outcome;
}

function totalAccepted(fixture: Fixture): number {
  return fixture.registry.stats().accepted;
}

/** A hostile case: the bytes, the topic they arrive on, the reason expected. */
export interface Case {
  readonly name: string;
  readonly topic: string;
  readonly bytes: () => Uint8Array;
  readonly reason: string;
}

/** One test per case, each against the fixture its test runs with. */
export function hostileCases(fixture: () => Fixture, list: readonly Case[]): void {
  for (const c of list) {
    it(`${c.name}: ${c.reason}`, () => {
      expectRejected(fixture(), c.topic, c.bytes(), c.reason);
    });
  }
}

/**
 * A fresh fixture before every test of the calling file: `cases` runs a list against it, `f()` returns
 * it.
 */
export function useFixture(): { f: () => Fixture; cases: (list: readonly Case[]) => void } {
  let current: Fixture | undefined;
  beforeEach(() => {
    current = createFixture();
  });
  const f = (): Fixture => {
    if (current === undefined) throw new Error('the fixture exists inside tests only');
    return current;
  };
  return { f, cases: (list) => hostileCases(f, list) };
}

/** ana's next honest hey-there as payload content bytes, signed properly. */
export const anaHeyThere = (): Uint8Array => signed(ana, H, anaFields());

/** The payload item (bstr) of a payload map, for envelopes assembled by hand. */
export const payloadItem = (fields = anaFields()): Uint8Array => enc(enc(payloadMap(fields)));
