/**
 * The fuzzer's plaza/1 wire: envelopes through a nara's receive pipeline (target.ts), with the engine's two
 * properties (engine.ts). A forgery here: an accepted envelope that is not byte-identical to one an honest
 * signer produced, unless it is signed by the attacker's own key for a name no honest nara uses.
 *
 * Inputs: mutations of valid envelopes (byte-level and CBOR-aware, see mutators.ts), payloads mutated and
 * then re-signed by the attacker (so they reach the schema and registry checks, even under an honest
 * nara's key id), and random bytes. Honest traffic: fresh hey-theres, newspapers, stash-refreshes,
 * checkpoints, chau and wills, and now and then a succession to the nara's committed next soul.
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
import {
  type AcceptedMessage,
  FUZZ_NARA_ID,
  type FuzzOptions,
  type FuzzRejected,
  type FuzzReport,
  type FuzzWire,
  type FuzzTarget as GenericTarget,
  HONEST_NAMES,
  runFuzz,
  type Seed,
} from './engine.js';
import { MUTATORS } from './mutators.js';
import { Rng } from './random.js';

/** Where signEnvelope puts the payload item: after tag, array head, protected header item, unprotected map. */
const PAYLOAD_AT = 2 + 40 + 1;

/** What the fuzzer needs from a receive pipeline's outcome. */
export type FuzzOutcome =
  | { readonly type: 'accepted'; readonly envelope: AcceptedMessage }
  | FuzzRejected
  /** An empty payload on a newspaper topic: a retained newspaper cleared, neither taken nor refused. */
  | { readonly type: 'cleared' };

/** A pipeline under test, with a clock the fuzzer moves. */
export type FuzzTarget = GenericTarget<FuzzOutcome>;

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

/** Runs the plaza/1 fuzzer against `target` and returns what it found. */
export function fuzz(target: FuzzTarget, options: FuzzOptions): FuzzReport {
  const rng = new Rng(options.seed);
  return runFuzz(target, options, rng, plazaWire(rng));
}

function plazaWire(rng: Rng): FuzzWire<Extract<FuzzOutcome, { type: 'accepted' }>> {
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
  const attackerSigner = createSigner(mallory.seed);
  const attackerEpoch = rng.bytes(8);
  let attackerSeq = 0;

  const signed = (s: Speaker, topic: string, content: AnyEnvelopeContent): Seed => {
    const bytes = signEnvelope(s.signer, topic, content);
    honestBytes.add(toHex(bytes));
    return { topic, bytes };
  };

  /**
   * The next honest message of a speaker: hey-there, newspaper, stash-refresh, checkpoint, a chau, or (now
   * and then) a succession to its committed next soul.
   */
  function honestMessage(s: Speaker, now: number): Seed {
    const roll = rng.int(s.generation < 8 ? 21 : 20);
    if (roll === 20) {
      const previous = s.key.publicKey;
      s.generation += 1;
      s.key = soul(s.name, s.generation);
      s.signer = createSigner(s.key.seed);
      s.commitment = commitmentTo(soul(s.name, s.generation + 1).publicKey);
      s.epoch = rng.bytes(8);
      s.seq = 0;
      return signed(s, successionTopic(s.name), {
        name: s.name,
        naraId: FUZZ_NARA_ID,
        epoch: s.epoch,
        time: now,
        kind: 'succession',
        seq: s.seq++,
        body: { previous },
        commitment: s.commitment,
      });
    }
    const base = { name: s.name, naraId: FUZZ_NARA_ID, epoch: s.epoch, time: now, commitment: s.commitment };
    if (roll < 2) {
      // The connection ends: its will (published by the broker) or a chau said on purpose; the next
      // message starts a new epoch, as a reconnect does.
      const content: AnyEnvelopeContent = {
        ...base,
        kind: 'chau',
        seq: s.seq++,
        body: { reason: roll === 0 ? 'lost' : 'left' },
      };
      s.epoch = rng.bytes(8);
      s.seq = 0;
      return signed(s, CHAU_TOPIC, content);
    }
    if (roll < 5)
      return signed(s, HEY_THERE_TOPIC, {
        ...base,
        kind: 'hey-there',
        seq: s.seq++,
        body: rng.int(2) ? { meshIp: '100.64.0.7' } : {},
      });
    if (roll === 5)
      return signed(s, STASH_REFRESH_TOPIC, { ...base, kind: 'stash-refresh', seq: s.seq++, body: {} });
    if (roll === 6)
      return signed(s, checkpointTopic(s.name, 'propose'), {
        ...base,
        kind: 'checkpoint',
        seq: s.seq++,
        body: {
          op: 'propose',
          subject: s.name,
          subjectId: FUZZ_NARA_ID,
          observation: { restarts: rng.int(9), totalUptime: rng.int(99_999), startTime: 1_700_000_000 },
          asOfTime: Math.floor(now / 1000),
          round: 1,
        },
      });
    return signed(s, newspaperTopic(s.name), {
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
    });
  }

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

  return {
    topics: PLAZA_TOPICS,
    trafficEvery: 50,
    randomBelow: 5,
    longestRandom: 20_000,
    introductions: (now) =>
      speakers.map((s) =>
        signed(s, HEY_THERE_TOPIC, {
          kind: 'hey-there',
          name: s.name,
          naraId: FUZZ_NARA_ID,
          epoch: s.epoch,
          seq: s.seq++,
          time: now,
          body: {},
          commitment: s.commitment,
        }),
      ),
    honest: (now) => honestMessage(rng.pick(speakers), now),
    attacker(now) {
      const name = rng.pick(malloryNames);
      const topic = rng.int(2) ? HEY_THERE_TOPIC : newspaperTopic(name);
      const content = {
        kind: topic === HEY_THERE_TOPIC ? 'hey-there' : 'newspaper',
        name,
        naraId: FUZZ_NARA_ID,
        epoch: attackerEpoch,
        seq: attackerSeq++,
        time: now,
        body: topic === HEY_THERE_TOPIC ? {} : { status: { chattiness: 100, buzz: 0 }, next: now + 30_000 },
      } as AnyEnvelopeContent;
      return { topic, bytes: signEnvelope(attackerSigner, topic, content) };
    },
    mutate(roll, seed, topic, seeds) {
      if (roll < 30) {
        const content = payloadContent(seed.bytes);
        const [name, mutate] = rng.pick(MUTATORS);
        const mutated = mutate(content, rng, payloadContent(rng.pick(seeds).bytes));
        // The attacker signs whatever it likes with its own key, and even under an honest nara's key id.
        const kid = rng.int(4) === 0 ? rng.pick(speakers).key.publicKey : mallory.publicKey;
        return {
          strategy: `resign:${name}`,
          topic,
          bytes: forge(mallory, topic, { payload: enc(mutated) }, kid),
        };
      }
      const [name, mutate] = rng.pick(MUTATORS);
      let bytes = mutate(seed.bytes, rng, rng.pick(seeds).bytes);
      if (rng.int(4) === 0) bytes = rng.pick(MUTATORS)[1](bytes, rng, seed.bytes);
      return { strategy: name, topic, bytes };
    },
    judge({ envelope }, bytes) {
      if (honestBytes.has(toHex(bytes))) return 'honest';
      const honestName = (HONEST_NAMES as readonly string[]).includes(envelope.name);
      const honestKey = honestKeys.has(toHex(envelope.publicKey));
      if (!honestName && !honestKey) return 'attacker';
      return { forgery: `accepted as ${envelope.name} bytes no honest signer made` };
    },
  };
}
