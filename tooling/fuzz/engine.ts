/**
 * The fuzzer's engine: feeds generated inputs through a receive path and checks two properties on every
 * one. One engine, two wires: plaza/1 envelopes (plaza.ts) and the Go nara's JSON (legacy.ts); each wire
 * makes the inputs and judges what its receive path accepted.
 *
 * - No exception escapes: `receive` returns for every input, and never with `internal-error` (the receive
 *   path's name for an exception it caught from our own code).
 * - No forgery is accepted: the wire's judge says whether an accepted message is an honest signer's, the
 *   attacker's own under a name no honest nara uses, or a forgery.
 *
 * Every run: each honest nara introduces itself first (so its name is pinned), then one input in
 * `trafficEvery` is live traffic (an honest nara's next message, one time in five the attacker's own), so
 * the registry stays live and the seeds stay inside the time window; the rest are random bytes, replays as
 * they are, and the wire's mutations of remembered seeds. About 3 ms of plaza time pass per input.
 * Deterministic for a seed.
 */
import { toHex } from '../src/forge.js';
import type { Rng } from './random.js';

/** A message the fuzzer remembers to mutate, replay or move to another topic. */
export interface Seed {
  readonly topic: string;
  readonly bytes: Uint8Array;
}

/** One generated input: how it was made (the report counts by this), its topic and its bytes. */
export interface FuzzInput extends Seed {
  readonly strategy: string;
}

/** What the judges read of an accepted message: whose name, which key, what bytes. */
export interface AcceptedMessage {
  readonly name: string;
  readonly publicKey: Uint8Array;
  readonly bytes: Uint8Array;
}

/** A refusal, as every receive path under test reports one. */
export interface FuzzRejected {
  readonly type: 'rejected';
  readonly reason: string;
  readonly detail?: string;
}

/** A receive path under test: its outcomes (accepted, rejected, or something it neither takes nor refuses). */
export interface FuzzTarget<Outcome extends { readonly type: string }> {
  receive(topic: string, bytes: Uint8Array): Outcome;
  /** Moves the target's clock to `ms` (ms since the Unix epoch). */
  setTime(ms: number): void;
}

/** What the wire's judge makes of an accepted message. */
export type Verdict = 'honest' | 'attacker' | { readonly forgery: string };

/** What a wire gives the engine: its inputs, and its judge of what was accepted. */
export interface FuzzWire<Accepted> {
  /** Topics an input is moved to, one time in twenty. */
  readonly topics: readonly string[];
  /** One input in this many is live traffic. */
  readonly trafficEvery: number;
  /** Rolls (of 100) below this are random bytes; below 8, replays; the rest go to {@link mutate}. */
  readonly randomBelow: number;
  /** The longest random input (one random input in ten may be up to this long; the rest, under 400 bytes). */
  readonly longestRandom: number;
  /** Each honest nara's first message, so that its name is pinned to its key. */
  introductions(now: number): Seed[];
  /** An honest nara's next message. */
  honest(now: number): Seed;
  /** The attacker's own, honestly signed traffic under its own names. */
  attacker(now: number): Seed;
  /** A mutated input for a roll of 8 or more. */
  mutate(roll: number, seed: Seed, topic: string, seeds: readonly Seed[], now: number): FuzzInput;
  /** Whether an accepted message (`bytes` as sent) is honest, the attacker's own, or a forgery. */
  judge(accepted: Accepted, bytes: Uint8Array): Verdict;
}

export interface FuzzOptions {
  readonly count: number;
  readonly seed: number;
  /** Called every `progressEvery` inputs. */
  readonly onProgress?: (done: number, report: FuzzReport) => void;
  readonly progressEvery?: number;
}

export interface FuzzFailure {
  /** The input's index in the run (-1: an introduction). */
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
  /** Inputs by how they were made (mutator name, `resign:<mutator>`, `random`, `replay`, `honest`). */
  strategies: Record<string, number>;
  accepted: number;
  /** Accepted inputs that were honest (replayed or first seen), and the attacker's own. */
  acceptedHonest: number;
  acceptedAttacker: number;
  rejected: Record<string, number>;
  exceptions: number;
  forgeries: number;
  /** The first few failures, with their bytes, to reproduce them. */
  failures: FuzzFailure[];
  elapsedMs: number;
}

/** The plaza time of the first input (ms since the Unix epoch). */
export const FUZZ_START = 1_760_000_000_000;
/** The honest naras of both wires (the attacker's own names are `mallory` and `mallory-2`). */
export const HONEST_NAMES = ['ana', 'bob', 'carl'] as const;
/** The nara ID every fuzzed message carries. */
export const FUZZ_NARA_ID = '2gdnSNmnqsnvDoTxnj5PVyupruDnVUCaMH6tdGcpUjqa';

/** Runs `wire`'s inputs through `target`, drawing every choice from `rng`, and returns what it found. */
export function runFuzz<Outcome extends { readonly type: string }>(
  target: FuzzTarget<Outcome>,
  options: FuzzOptions,
  rng: Rng,
  wire: FuzzWire<Extract<Outcome, { readonly type: 'accepted' }>>,
): FuzzReport {
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
  let now = FUZZ_START;
  target.setTime(now);

  const seeds: Seed[] = [];
  function remember(seed: Seed): void {
    if (seeds.length < 64) seeds.push(seed);
    else seeds[rng.int(seeds.length)] = seed;
  }

  function check(input: number, strategy: string, topic: string, bytes: Uint8Array): void {
    report.inputs += 1;
    report.strategies[strategy] = (report.strategies[strategy] ?? 0) + 1;
    let outcome: Outcome | FuzzRejected;
    try {
      outcome = target.receive(topic, bytes);
    } catch (error) {
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      fail(input, 'exception', strategy, topic, bytes, detail);
      return;
    }
    if (isRejected(outcome)) {
      report.rejected[outcome.reason] = (report.rejected[outcome.reason] ?? 0) + 1;
      if (outcome.reason === 'internal-error')
        fail(input, 'exception', strategy, topic, bytes, outcome.detail ?? 'internal-error');
      return;
    }
    if (!isAccepted(outcome)) return;
    report.accepted += 1;
    const verdict = wire.judge(outcome, bytes);
    if (verdict === 'honest') report.acceptedHonest += 1;
    else if (verdict === 'attacker') report.acceptedAttacker += 1;
    else fail(input, 'forgery', strategy, topic, bytes, verdict.forgery);
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

  for (const seed of wire.introductions(now)) {
    remember(seed);
    check(-1, 'honest', seed.topic, seed.bytes);
  }

  const progressEvery = options.progressEvery ?? 100_000;
  for (let i = 0; i < options.count; i++) {
    // Honest senders stay inside the time window, old seeds age out of it.
    now += 3;
    if (i % 8 === 0) target.setTime(now);
    if (i % wire.trafficEvery === 0) {
      const seed = rng.int(5) === 0 ? wire.attacker(now) : wire.honest(now);
      remember(seed);
      check(i, 'honest', seed.topic, seed.bytes);
      continue;
    }
    const roll = rng.int(100);
    const seed = rng.pick(seeds);
    const topic = rng.int(20) === 0 ? rng.pick(wire.topics) : seed.topic;
    if (roll < wire.randomBelow)
      check(i, 'random', topic, rng.bytes(rng.int(rng.int(10) === 0 ? wire.longestRandom : 400)));
    // Replays as they are: the registry's floors, epochs and wills must hold.
    else if (roll < 8) check(i, 'replay', topic, seed.bytes);
    else {
      const input = wire.mutate(roll, seed, topic, seeds, now);
      check(i, input.strategy, input.topic, input.bytes);
    }
    if ((i + 1) % progressEvery === 0) {
      report.elapsedMs = Math.round(performance.now() - started);
      options.onProgress?.(i + 1, report);
    }
  }
  report.elapsedMs = Math.round(performance.now() - started);
  return report;
}

function isRejected(outcome: { readonly type: string }): outcome is FuzzRejected {
  return outcome.type === 'rejected';
}

function isAccepted<Outcome extends { readonly type: string }>(
  outcome: Outcome,
): outcome is Extract<Outcome, { readonly type: 'accepted' }> {
  return outcome.type === 'accepted';
}
