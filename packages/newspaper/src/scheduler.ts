import {
  type Clock,
  type Logger,
  mathRandom,
  type RandomSource,
  silentLogger,
  systemClock,
  type TimerHandle,
} from '@nara/interface';
import { RunTimeoutError, SchedulerStoppedError } from './errors.js';
import { DEFAULT_JITTER, jitteredDelayMs } from './interval.js';

/** Why a run happens: the first one after `start()`, the regular cadence, or `publishSoon()`. */
export type RunReason = 'start' | 'interval' | 'soon';

/** What a run is given. */
export interface NewspaperRun {
  /** Aborted when the scheduler stops, or when the run exceeds `runTimeoutMs`. */
  readonly signal: AbortSignal;
  readonly reason: RunReason;
  /** 1 for the first run of this scheduler, counting up across stop and start. */
  readonly sequence: number;
  /** When this run started (clock ms). */
  readonly startedAt: number;
  /**
   * The promised deadline of the next run (clock ms): put it in the newspaper. Drawn at the start of this
   * run from the chattiness of that moment; the next run happens no later than this unless this run
   * itself overruns it or the scheduler stops. `publishSoon()` may bring the next run earlier.
   */
  readonly next: number;
}

/** User configuration of a {@link NewspaperScheduler}. */
export interface NewspaperSchedulerInit {
  /** Publishes one newspaper. May be async; the next run waits for it to settle. */
  publish(run: NewspaperRun): Promise<void> | void;
  /** The current chattiness, 0..100. Read at the start of every run, so the cadence follows it. */
  chattiness(): number;
  /**
   * Told about every failed run (a throw, a rejection, or a bad chattiness value); the schedule goes on.
   * Without it, failures go to `logger.error`. Not called for a run that fails because `stop()` aborted it.
   */
  onError?(error: unknown, run: NewspaperRun): void;
  /** Fraction of the nominal interval by which a run may come early, uniform, 0..0.5. Default 0.1. */
  jitter?: number;
  /** How long after `publishSoon()` the run comes, so a burst of changes gives one run. Default 1000 ms. */
  soonDelayMs?: number;
  /** The least time between the starts of two runs when `publishSoon()` brings one forward. Default 5000 ms. */
  minSpacingMs?: number;
  /** A run's signal is aborted after this long (0 disables). Default 10000 ms. */
  runTimeoutMs?: number;
}

/** Injected components: only the app or a test wires these. */
export interface NewspaperSchedulerComponents {
  clock?: Clock;
  random?: RandomSource;
  logger?: Logger;
}

/** A repeating newspaper task. See {@link createNewspaperScheduler}. */
export interface NewspaperScheduler {
  /** Starts the schedule with a run right away. Idempotent. */
  start(): void;
  /**
   * Stops the schedule and aborts the run in flight, if any. Idempotent. The promise settles when that
   * run has settled, so a caller can send its chau knowing no newspaper follows it.
   */
  stop(): Promise<void>;
  /**
   * Asks for a run soon because something meaningful changed. A burst of calls gives one run,
   * `soonDelayMs` after the first call, and never less than `minSpacingMs` after the previous run started.
   * It only ever brings the next run forward. Ignored while stopped.
   */
  publishSoon(): void;
  /** The time of the next planned run (clock ms), or undefined when stopped. */
  nextDeadline(): number | undefined;
  /** Whether the scheduler is started. */
  readonly started: boolean;
  /** Whether a run is in flight. */
  readonly running: boolean;
}

const DEFAULT_SOON_DELAY_MS = 1000;
const DEFAULT_MIN_SPACING_MS = 5000;
const DEFAULT_RUN_TIMEOUT_MS = 10_000;

function checkNonNegative(value: number | undefined, name: string, fallback: number, max = Infinity): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    throw new TypeError(`${name} must be a finite number between 0 and ${max}`);
  }
  return value;
}

/**
 * Creates the scheduler of a nara's newspapers: one run right after `start()` (call it after hey-there),
 * then one every `30 + 270 * (100 - chattiness) / 100` seconds, shortened by up to `jitter` at random so
 * naras do not fall into step, and never more than 290 s. Runs never overlap: the next one is planned when
 * the previous one settles. Each run gets an AbortSignal and the deadline it must promise.
 *
 * @example
 * ```ts
 * import { createNewspaperScheduler } from '@nara/newspaper';
 *
 * const scheduler = createNewspaperScheduler({
 *   chattiness: () => 50,
 *   publish: async ({ signal, next }) => {
 *     // sign and publish a newspaper whose body promises `next`, passing `signal` to the transport
 *     console.log('newspaper, next one by', new Date(next).toISOString(), signal.aborted);
 *   },
 * });
 * scheduler.start();
 * await scheduler.stop();
 * ```
 */
export function createNewspaperScheduler(
  init: NewspaperSchedulerInit,
  components: NewspaperSchedulerComponents = {},
): NewspaperScheduler {
  if (init === null || typeof init !== 'object') throw new TypeError('init must be an object');
  if (typeof init.publish !== 'function') throw new TypeError('init.publish must be a function');
  if (typeof init.chattiness !== 'function') throw new TypeError('init.chattiness must be a function');
  if (init.onError !== undefined && typeof init.onError !== 'function') {
    throw new TypeError('init.onError must be a function');
  }
  const jitter = checkNonNegative(init.jitter, 'init.jitter', DEFAULT_JITTER, 0.5);
  const soonDelayMs = checkNonNegative(init.soonDelayMs, 'init.soonDelayMs', DEFAULT_SOON_DELAY_MS);
  const minSpacingMs = checkNonNegative(init.minSpacingMs, 'init.minSpacingMs', DEFAULT_MIN_SPACING_MS);
  const runTimeoutMs = checkNonNegative(init.runTimeoutMs, 'init.runTimeoutMs', DEFAULT_RUN_TIMEOUT_MS);
  const clock = components.clock ?? systemClock;
  const random = components.random ?? mathRandom;
  const logger = components.logger ?? silentLogger;
  if (
    typeof clock?.now !== 'function' ||
    typeof clock.setTimeout !== 'function' ||
    typeof clock.clearTimeout !== 'function'
  ) {
    throw new TypeError('components.clock must have now, setTimeout and clearTimeout');
  }
  if (typeof random !== 'function') throw new TypeError('components.random must be a function');

  let started = false;
  let timer: TimerHandle | undefined;
  let plannedAt: number | undefined;
  let plannedReason: RunReason = 'start';
  let sequence = 0;
  let lastRunAt: number | undefined;
  // Set while a run is in flight; a run may outlive a stop() and a new start(), hence its own fields.
  let inFlight: { promise: Promise<void>; controller: AbortController } | undefined;
  // publishSoon() or start() asked for a run while one was in flight: plan it when that run settles.
  let wantedSoon = false;
  let wantedStart = false;

  function report(error: unknown, run: NewspaperRun): void {
    if (init.onError) {
      try {
        init.onError(error, run);
        return;
      } catch (handlerError) {
        logger.error('newspaper onError handler threw', { error: describe(handlerError) });
      }
    }
    logger.error('newspaper run failed', {
      reason: run.reason,
      sequence: run.sequence,
      error: describe(error),
    });
  }

  function plan(at: number, reason: RunReason): void {
    if (timer !== undefined) clock.clearTimeout(timer);
    plannedAt = at;
    plannedReason = reason;
    timer = clock.setTimeout(fire, Math.max(0, at - clock.now()));
  }

  function fire(): void {
    timer = undefined;
    if (!started) return;
    // plan() is never called while a run is in flight, so this is a fresh run.
    run(plannedReason);
  }

  function readChattiness(): { value: number; error?: unknown } {
    try {
      const value = init.chattiness();
      if (typeof value === 'number' && !Number.isNaN(value)) return { value };
      return { value: 0, error: new TypeError(`chattiness() returned ${String(value)}, not a number`) };
    } catch (error) {
      // The slowest cadence is still an honest promise; the failure is reported below.
      return { value: 0, error };
    }
  }

  function run(reason: RunReason): void {
    const startedAt = clock.now();
    const chattiness = readChattiness();
    const next = startedAt + jitteredDelayMs(chattiness.value, jitter, random());
    const controller = new AbortController();
    sequence += 1;
    lastRunAt = startedAt;
    plannedAt = next;
    plannedReason = 'interval';
    const info: NewspaperRun = { signal: controller.signal, reason, sequence, startedAt, next };
    if (chattiness.error !== undefined) report(chattiness.error, info);

    let timeout: TimerHandle | undefined;
    if (runTimeoutMs > 0) {
      timeout = clock.setTimeout(() => controller.abort(new RunTimeoutError(runTimeoutMs)), runTimeoutMs);
    }
    logger.debug('newspaper run', { reason, sequence, next });
    const promise = (async () => {
      try {
        await init.publish(info);
      } catch (error) {
        if (controller.signal.reason instanceof SchedulerStoppedError) {
          logger.debug('newspaper run aborted by stop', { sequence });
        } else {
          report(error, info);
        }
      } finally {
        if (timeout !== undefined) clock.clearTimeout(timeout);
      }
    })().then(() => settled(info));
    inFlight = { promise, controller };
  }

  function settled(info: NewspaperRun): void {
    inFlight = undefined;
    if (!started) return;
    const now = clock.now();
    if (wantedStart) {
      wantedStart = false;
      wantedSoon = false;
      plan(now, 'start');
      return;
    }
    let at = info.next;
    let reason: RunReason = 'interval';
    if (wantedSoon) {
      wantedSoon = false;
      const soonAt = Math.max(now, info.startedAt + minSpacingMs);
      if (soonAt < at) {
        at = soonAt;
        reason = 'soon';
      }
    }
    if (now > info.next) {
      logger.warn('newspaper run overran its promised deadline', {
        sequence: info.sequence,
        lateByMs: now - info.next,
      });
    }
    plan(Math.max(at, now), reason);
  }

  return {
    start() {
      if (started) return;
      started = true;
      wantedSoon = false;
      if (inFlight) {
        // A run from before the last stop() is still settling: never two at once, so go right after it.
        wantedStart = true;
        plannedAt = clock.now();
        return;
      }
      plan(clock.now(), 'start');
    },
    stop() {
      const pending = inFlight?.promise ?? Promise.resolve();
      if (!started) return pending;
      started = false;
      wantedSoon = false;
      wantedStart = false;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      plannedAt = undefined;
      inFlight?.controller.abort(new SchedulerStoppedError());
      return pending;
    },
    publishSoon() {
      if (!started) return;
      if (inFlight) {
        wantedSoon = true;
        return;
      }
      const now = clock.now();
      const soonAt = Math.max(now + soonDelayMs, lastRunAt === undefined ? now : lastRunAt + minSpacingMs);
      if (plannedAt === undefined || soonAt < plannedAt) plan(soonAt, 'soon');
    },
    nextDeadline() {
      return started ? plannedAt : undefined;
    },
    get started() {
      return started;
    },
    get running() {
      return inFlight !== undefined;
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
