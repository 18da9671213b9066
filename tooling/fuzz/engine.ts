/**
 * The fuzzer: feeds generated inputs through a receive pipeline and checks two properties on every one.
 *
 * - No exception escapes: `receive` returns for every input, and never with `internal-error` (the
 *   pipeline's name for an exception it caught from our own code).
 * - No forgery is accepted: an accepted envelope is byte-identical to one an honest signer produced, or it
 *   is signed by the attacker's own key for a name no honest nara uses.
 *
 * Inputs: mutations of valid envelopes (byte-level and CBOR-aware, see mutators.ts), payloads mutated and
 * then re-signed by the attacker (so they reach the schema and registry checks), and random bytes. Honest
 * traffic (fresh hey-theres, newspapers, chau and wills from honest naras) is interleaved, so the registry
 * stays live and the seeds stay inside the time window. Deterministic for a given seed.
 */
import {
  type AnyEnvelopeContent,
  commitmentTo,
  createSigner,
  type Signer,
  signEnvelope,
} from '@nara/envelope/node';
import {
  CHAU_TOPIC,
  checkpointTopic,
  HEY_THERE_TOPIC,
  newspaperTopic,
  STASH_REFRESH_TOPIC,
  successionTopic,
} from '@nara/topics';
import { enc, type ForgeKey, forge, testKey, toHex } from '../src/forge.js';
import { MUTATORS } from './mutators.js';
import { Rng } from './random.js';

/** Where signEnvelope puts the payload item: after tag, array head, protected header item, unprotected map. */
const PAYLOAD_AT = 2 + 40 + 1;

/** What the fuzzer needs from a receive pipeline's outcome. */
export type FuzzOutcome =
  | {
      readonly type: 'accepted';
      readonly envelope: {
        readonly name: string;
        readonly publicKey: Uint8Array;
        readonly bytes: Uint8Array;
      };
    }
  | { readonly type: 'rejected'; readonly reason: string; readonly detail?: string }
  /** An empty payload on a newspaper topic: a retained newspaper cleared, neither taken nor refused. */
  | { readonly type: 'cleared' };

/** A pipeline under test, with a clock the fuzzer moves. */
export interface FuzzTarget {
  receive(topic: string, bytes: Uint8Array): FuzzOutcome;
  /** Moves the target's clock to `ms` (ms since the Unix epoch). */
  setTime(ms: number): void;
}

export interface FuzzOptions {
  readonly count: number;
  readonly seed: number;
  /** Called every `progressEvery` inputs. */
  readonly onProgress?: (done: number, report: FuzzReport) => void;
  readonly progressEvery?: number;
}

export interface FuzzFailure {
  readonly input: number;
  readonly kind: 'exception' | 'forgery';
  readonly strategy: string;
  readonly topic: string;
  readonly hex: string;
  readonly detail: string;
}

export interface FuzzReport {
  seed: number;
  inputs: number;
  /** Inputs by how they were made (mutator name, `resign:<mutator>`, `random`, `honest`). */
  strategies: Record<string, number>;
  accepted: number;
  /** Accepted inputs that were honest bytes (replayed or first seen), and the attacker's own. */
  acceptedHonest: number;
  acceptedAttacker: number;
  rejected: Record<string, number>;
  exceptions: number;
  forgeries: number;
  /** The first few failures, with their bytes, to reproduce them. */
  failures: FuzzFailure[];
  elapsedMs: number;
}

const START = 1_760_000_000_000;
const HONEST_NAMES = ['ana', 'bob', 'carl'] as const;
const NARA_ID = '2gdnSNmnqsnvDoTxnj5PVyupruDnVUCaMH6tdGcpUjqa';
const PLAZA_TOPICS = [
  HEY_THERE_TOPIC,
  CHAU_TOPIC,
  STASH_REFRESH_TOPIC,
  newspaperTopic('ana'),
  newspaperTopic('bob'),
  newspaperTopic('mallory'),
  checkpointTopic('ana', 'propose'),
  checkpointTopic('bob', 'vote'),
  'nara/plaza/howdy',
  'nara/plaza/newspaper/ana/x',
  'nara/plaza/newspaper/+',
];

interface Seed {
  readonly topic: string;
  readonly bytes: Uint8Array;
}

interface Speaker {
  readonly name: string;
  key: ForgeKey;
  signer: Signer;
  /** Which soul it runs: each moves to its committed next soul now and then (a succession). */
  generation: number;
  /** The commitment to the next soul, carried in every message. */
  commitment: Uint8Array;
  epoch: Uint8Array;
  seq: number;
}

/** Runs the fuzzer against `target` and returns what it found. */
export function fuzz(target: FuzzTarget, options: FuzzOptions): FuzzReport {
  const rng = new Rng(options.seed);
  const started = performance.now();
  const report: FuzzReport = {
    seed: options.seed,
    inputs: 0,
    strategies: {},
    accepted: 0,
    acceptedHonest: 0,
    acceptedAttacker: 0,
    rejected: {},
    exceptions: 0,
    forgeries: 0,
    failures: [],
    elapsedMs: 0,
  };
  const honestBytes = new Set<string>();
  const honestKeys = new Set<string>();
  /** A speaker's soul of a generation; every one of them is an honest key. */
  const soul = (name: string, generation: number): ForgeKey => {
    const key = testKey(generation === 0 ? `fuzz honest ${name}` : `fuzz honest ${name} ${generation}`);
    honestKeys.add(toHex(key.publicKey));
    return key;
  };
  const speakers: Speaker[] = HONEST_NAMES.map((name) => {
    const key = soul(name, 0);
    const commitment = commitmentTo(soul(name, 1).publicKey);
    return {
      name,
      key,
      signer: createSigner(key.seed),
      generation: 0,
      commitment,
      epoch: rng.bytes(8),
      seq: 0,
    };
  });
  const mallory = testKey('fuzz mallory');
  const malloryNames = ['mallory', 'mallory-2'];
  let now = START;
  target.setTime(now);

  const seeds: Seed[] = [];
  function remember(seed: Seed): void {
    if (seeds.length < 64) seeds.push(seed);
    else seeds[rng.int(seeds.length)] = seed;
  }

  /**
   * The next honest message of a speaker: hey-there, newspaper, stash-refresh, checkpoint, a chau, or (now
   * and then) a succession to its committed next soul.
   */
  function honestMessage(s: Speaker): Seed {
    const roll = rng.int(s.generation < 8 ? 21 : 20);
    let topic: string;
    let content: AnyEnvelopeContent;
    if (roll === 20) {
      const previous = s.key.publicKey;
      s.generation += 1;
      s.key = soul(s.name, s.generation);
      s.signer = createSigner(s.key.seed);
      s.commitment = commitmentTo(soul(s.name, s.generation + 1).publicKey);
      s.epoch = rng.bytes(8);
      s.seq = 0;
      topic = successionTopic(s.name);
      content = {
        name: s.name,
        naraId: NARA_ID,
        epoch: s.epoch,
        time: now,
        kind: 'succession',
        seq: s.seq++,
        body: { previous },
        commitment: s.commitment,
      };
      const bytes = signEnvelope(s.signer, topic, content);
      honestBytes.add(toHex(bytes));
      return { topic, bytes };
    }
    const base = { name: s.name, naraId: NARA_ID, epoch: s.epoch, time: now, commitment: s.commitment };
    if (roll < 2) {
      // The connection ends: its will (published by the broker) or a chau said on purpose; the next
      // message starts a new epoch, as a reconnect does.
      topic = CHAU_TOPIC;
      content = { ...base, kind: 'chau', seq: s.seq++, body: { reason: roll === 0 ? 'lost' : 'left' } };
      s.epoch = rng.bytes(8);
      s.seq = 0;
    } else if (roll < 5) {
      topic = HEY_THERE_TOPIC;
      content = {
        ...base,
        kind: 'hey-there',
        seq: s.seq++,
        body: rng.int(2) ? { meshIp: '100.64.0.7' } : {},
      };
    } else if (roll === 5) {
      topic = STASH_REFRESH_TOPIC;
      content = { ...base, kind: 'stash-refresh', seq: s.seq++, body: {} };
    } else if (roll === 6) {
      topic = checkpointTopic(s.name, 'propose');
      content = {
        ...base,
        kind: 'checkpoint',
        seq: s.seq++,
        body: {
          op: 'propose',
          subject: s.name,
          subjectId: NARA_ID,
          observation: { restarts: rng.int(9), totalUptime: rng.int(99_999), startTime: 1_700_000_000 },
          asOfTime: Math.floor(now / 1000),
          round: 1,
        },
      };
    } else {
      topic = newspaperTopic(s.name);
      content = {
        ...base,
        kind: 'newspaper',
        seq: s.seq++,
        body: {
          status: {
            chattiness: rng.int(101),
            buzz: rng.int(183),
            version: '0.1.0',
            transportMode: 'mqtt',
            hostStats: { uptime: rng.int(10_000), memHeapMb: 40 },
            ...(rng.int(4) === 0 ? { flair: '🌱', aura: { primary: '#aabbcc', secondary: '#010203' } } : {}),
          },
          next: now + 30_000 + rng.int(270_000),
        },
      };
    }
    const bytes = signEnvelope(s.signer, topic, content);
    honestBytes.add(toHex(bytes));
    return { topic, bytes };
  }

  /** The attacker's own, honestly signed traffic under its own names. */
  function attackerMessage(): Seed {
    const name = rng.pick(malloryNames);
    const topic = rng.int(2) ? HEY_THERE_TOPIC : newspaperTopic(name);
    const signer = attackerSigner;
    const content = {
      kind: topic === HEY_THERE_TOPIC ? 'hey-there' : 'newspaper',
      name,
      naraId: NARA_ID,
      epoch: attackerEpoch,
      seq: attackerSeq++,
      time: now,
      body: topic === HEY_THERE_TOPIC ? {} : { status: { chattiness: 100, buzz: 0 }, next: now + 30_000 },
    } as AnyEnvelopeContent;
    return { topic, bytes: signEnvelope(signer, topic, content) };
  }
  const attackerSigner = createSigner(mallory.seed);
  const attackerEpoch = rng.bytes(8);
  let attackerSeq = 0;

  /**
   * The payload content of a seed. Every seed is an envelope made by signEnvelope: tag and array heads (2
   * bytes), the 40-byte protected header item, the empty unprotected map, the payload's byte string head
   * (1 to 3 bytes: payloads are under 64 KiB), the payload, then the 66-byte signature item.
   */
  function payloadContent(bytes: Uint8Array): Uint8Array {
    const info = bytes[PAYLOAD_AT]! & 0x1f;
    const start = PAYLOAD_AT + (info < 24 ? 1 : info === 24 ? 2 : 3);
    return bytes.subarray(start, bytes.length - 66);
  }

  function check(input: number, strategy: string, topic: string, bytes: Uint8Array): void {
    report.inputs += 1;
    report.strategies[strategy] = (report.strategies[strategy] ?? 0) + 1;
    let outcome: FuzzOutcome;
    try {
      outcome = target.receive(topic, bytes);
    } catch (error) {
      fail(
        input,
        'exception',
        strategy,
        topic,
        bytes,
        error instanceof Error ? (error.stack ?? error.message) : String(error),
      );
      return;
    }
    if (outcome.type === 'cleared') return;
    if (outcome.type === 'rejected') {
      report.rejected[outcome.reason] = (report.rejected[outcome.reason] ?? 0) + 1;
      if (outcome.reason === 'internal-error')
        fail(input, 'exception', strategy, topic, bytes, outcome.detail ?? 'internal-error');
      return;
    }
    report.accepted += 1;
    const env = outcome.envelope;
    const isHonestBytes = honestBytes.has(toHex(bytes));
    const honestName = (HONEST_NAMES as readonly string[]).includes(env.name);
    const honestKey = honestKeys.has(toHex(env.publicKey));
    if (isHonestBytes) report.acceptedHonest += 1;
    else if (!honestName && !honestKey) report.acceptedAttacker += 1;
    else
      fail(input, 'forgery', strategy, topic, bytes, `accepted as ${env.name} bytes no honest signer made`);
  }

  function fail(
    input: number,
    kind: FuzzFailure['kind'],
    strategy: string,
    topic: string,
    bytes: Uint8Array,
    detail: string,
  ): void {
    if (kind === 'exception') report.exceptions += 1;
    else report.forgeries += 1;
    if (report.failures.length < 20)
      report.failures.push({ input, kind, strategy, topic, hex: toHex(bytes.subarray(0, 4096)), detail });
  }

  // Honest naras introduce themselves first, so their names are pinned to their keys.
  for (const s of speakers) {
    const hey = {
      topic: HEY_THERE_TOPIC,
      bytes: signEnvelope(s.signer, HEY_THERE_TOPIC, {
        kind: 'hey-there',
        name: s.name,
        naraId: NARA_ID,
        epoch: s.epoch,
        seq: s.seq++,
        time: now,
        body: {},
        commitment: s.commitment,
      }),
    };
    honestBytes.add(toHex(hey.bytes));
    remember(hey);
    check(-1, 'honest', hey.topic, hey.bytes);
  }

  const progressEvery = options.progressEvery ?? 100_000;
  for (let i = 0; i < options.count; i++) {
    // About 3 ms of plaza time per input: honest senders stay inside the window, old seeds age out of it.
    now += 3;
    if (i % 8 === 0) target.setTime(now);
    if (i % 50 === 0) {
      const seed = rng.int(5) === 0 ? attackerMessage() : honestMessage(rng.pick(speakers));
      remember(seed);
      check(i, 'honest', seed.topic, seed.bytes);
      continue;
    }
    const roll = rng.int(100);
    const seed = rng.pick(seeds);
    const topic = rng.int(20) === 0 ? rng.pick(PLAZA_TOPICS) : seed.topic;
    if (roll < 5) {
      check(i, 'random', topic, rng.bytes(rng.int(rng.int(10) === 0 ? 20_000 : 400)));
    } else if (roll < 8) {
      // Replays as they are: the registry's floors, epochs and wills must hold.
      check(i, 'replay', topic, seed.bytes);
    } else if (roll < 30) {
      const content = payloadContent(seed.bytes);
      const [name, mutate] = rng.pick(MUTATORS);
      const mutated = mutate(content, rng, payloadContent(rng.pick(seeds).bytes));
      // The attacker signs whatever it likes with its own key, and even under an honest nara's key id.
      const kid = rng.int(4) === 0 ? rng.pick(speakers).key.publicKey : mallory.publicKey;
      check(i, `resign:${name}`, topic, forge(mallory, topic, { payload: enc(mutated) }, kid));
    } else {
      const [name, mutate] = rng.pick(MUTATORS);
      let bytes = mutate(seed.bytes, rng, rng.pick(seeds).bytes);
      if (rng.int(4) === 0) bytes = rng.pick(MUTATORS)[1](bytes, rng, seed.bytes);
      check(i, name, topic, bytes);
    }
    if ((i + 1) % progressEvery === 0) {
      report.elapsedMs = Math.round(performance.now() - started);
      options.onProgress?.(i + 1, report);
    }
  }
  report.elapsedMs = Math.round(performance.now() - started);
  return report;
}
