import { type Logger, systemClock } from '@nara/interface';
import {
  createNewspaperScheduler,
  type NewspaperRun,
  type NewspaperSchedulerInit,
  RunTimeoutError,
  SchedulerStoppedError,
} from '@nara/newspaper';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const T0 = 1_700_000_000_000;

interface Recorded {
  at: number;
  reason: NewspaperRun['reason'];
  next: number;
  sequence: number;
  signal: AbortSignal;
}

/** Records a run as the tests compare it: when it started (fake time) and what it was given. */
function record(runs: Recorded[], run: NewspaperRun): void {
  runs.push({
    at: Date.now(),
    reason: run.reason,
    next: run.next,
    sequence: run.sequence,
    signal: run.signal,
  });
}

function recordingLogger(): Logger & { lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  const log = (level: string) => (message: string) => {
    lines.push({ level, message });
  };
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** A scheduler on fake time whose runs are recorded; `random` is fixed so delays are exact. */
function setup(overrides: Partial<NewspaperSchedulerInit> = {}, random = () => 1 - Number.EPSILON) {
  const runs: Recorded[] = [];
  const errors: unknown[] = [];
  let chattiness = 100;
  const logger = recordingLogger();
  const scheduler = createNewspaperScheduler(
    {
      chattiness: () => chattiness,
      publish: (run) => {
        record(runs, run);
      },
      onError: (error) => {
        errors.push(error);
      },
      ...overrides,
    },
    { clock: systemClock, random, logger },
  );
  return {
    scheduler,
    runs,
    errors,
    logger,
    setChattiness: (c: number) => {
      chattiness = c;
    },
  };
}

/** Waits on fake time, or rejects as soon as the signal aborts, like a well-behaved publish. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      reject(signal.reason);
    });
  });
}

const elapsed = (runs: Recorded[]) => runs.map((r) => r.at - T0);
// Fake timers fire a zero-delay timer set inside a timer callback 1 ms later; whole seconds are what matter.
const seconds = (ms: number[]) => ms.map((m) => Math.round(m / 1000));

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the cadence', () => {
  it('publishes right after start and then every 30 s at chattiness 100', async () => {
    const { scheduler, runs } = setup();
    scheduler.start();
    await vi.advanceTimersByTimeAsync(95_000);
    expect(elapsed(runs)).toEqual([0, 30_000, 60_000, 90_000]);
    expect(runs.map((r) => r.reason)).toEqual(['start', 'interval', 'interval', 'interval']);
    expect(runs.map((r) => r.sequence)).toEqual([1, 2, 3, 4]);
    await scheduler.stop();
  });

  it('recomputes the interval from the chattiness at every run', async () => {
    const { scheduler, runs, setChattiness } = setup();
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1);
    setChattiness(50); // 165 s from the next run on
    await vi.advanceTimersByTimeAsync(30_000);
    setChattiness(0); // 300 s nominal, capped at the 290 s promise
    await vi.advanceTimersByTimeAsync(165_000 + 290_000);
    expect(elapsed(runs)).toEqual([0, 30_000, 195_000, 485_000]);
    await scheduler.stop();
  });

  it('shortens each interval by up to the jitter so naras started together drift apart', async () => {
    const a = setup({}, () => 0); // 10 % early: 27 s
    const b = setup({}, () => 0.5); // 5 % early: 28.5 s
    a.scheduler.start();
    b.scheduler.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(elapsed(a.runs)).toEqual([0, 27_000, 54_000]);
    expect(elapsed(b.runs)).toEqual([0, 28_500, 57_000]);
    await Promise.all([a.scheduler.stop(), b.scheduler.stop()]);
  });

  it('draws a new jitter for every interval', async () => {
    const draws = [0, 1 - Number.EPSILON, 0.5];
    const { scheduler, runs } = setup({}, () => draws.shift() ?? 0);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(90_000);
    expect(elapsed(runs)).toEqual([0, 27_000, 57_000, 85_500]);
    await scheduler.stop();
  });
});

describe('the promise', () => {
  it('gives every run the deadline of the next run and keeps it', async () => {
    const draws = [0.3, 0.9, 0.1, 0.7];
    const { scheduler, runs, setChattiness } = setup({}, () => draws.shift() ?? 0.5);
    setChattiness(20);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1_200_000);
    expect(runs.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < runs.length; i++) {
      expect(runs[i]!.at).toBe(runs[i - 1]!.next);
    }
    await scheduler.stop();
  });

  it('reports the planned run through nextDeadline, and nothing once stopped', async () => {
    const { scheduler, runs } = setup();
    expect(scheduler.nextDeadline()).toBeUndefined();
    scheduler.start();
    expect(scheduler.nextDeadline()).toBe(T0);
    await vi.advanceTimersByTimeAsync(1);
    expect(scheduler.nextDeadline()).toBe(runs[0]!.next);
    expect(runs[0]!.next).toBe(T0 + 30_000);
    await scheduler.stop();
    expect(scheduler.nextDeadline()).toBeUndefined();
  });

  it('never promises more than 290 s, inside the seed 5 minutes of silence', async () => {
    const { scheduler, runs, setChattiness } = setup({}, () => 1 - Number.EPSILON);
    setChattiness(0);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1);
    expect(runs[0]!.next - runs[0]!.at).toBe(290_000);
    await scheduler.stop();
  });
});

describe('never two runs at once', () => {
  it('plans the next run only after a slow run settles', async () => {
    let active = 0;
    let maxActive = 0;
    const starts: number[] = [];
    const { scheduler } = setup({
      publish: async ({ signal }) => {
        starts.push(Date.now() - T0);
        active += 1;
        maxActive = Math.max(maxActive, active);
        try {
          await sleep(45_000, signal);
        } finally {
          active -= 1;
        }
      },
      runTimeoutMs: 0,
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(140_000);
    expect(maxActive).toBe(1);
    // Each run promised +30 s but took 45 s: the next one starts as soon as the previous one settles.
    expect(seconds(starts)).toEqual([0, 45, 90, 135]);
    await scheduler.stop();
  });

  it('warns when a run overruns its own promise', async () => {
    const { scheduler, logger } = setup({
      publish: () => new Promise((resolve) => setTimeout(resolve, 31_000)),
      runTimeoutMs: 0,
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(31_000);
    expect(logger.lines).toContainEqual({
      level: 'warn',
      message: 'newspaper run overran its promised deadline',
    });
    await scheduler.stop();
  });

  it('reports itself running while a run is in flight', async () => {
    const { scheduler } = setup({ publish: () => new Promise((resolve) => setTimeout(resolve, 1000)) });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1);
    expect(scheduler.running).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(scheduler.running).toBe(false);
    await scheduler.stop();
  });
});

describe('publishSoon', () => {
  it('turns a burst of status changes into one run, soonDelayMs after the first', async () => {
    const { scheduler, runs } = setup();
    scheduler.start();
    await vi.advanceTimersByTimeAsync(10_000);
    scheduler.publishSoon();
    await vi.advanceTimersByTimeAsync(300);
    scheduler.publishSoon();
    await vi.advanceTimersByTimeAsync(300);
    scheduler.publishSoon();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(elapsed(runs)).toEqual([0, 11_000]);
    expect(runs[1]!.reason).toBe('soon');
    // The cadence restarts from the soon run.
    await vi.advanceTimersByTimeAsync(30_000);
    expect(elapsed(runs)).toEqual([0, 11_000, 41_000]);
    await scheduler.stop();
  });

  it('keeps minSpacingMs between the start of the previous run and a soon run', async () => {
    const { scheduler, runs } = setup({ minSpacingMs: 5000, soonDelayMs: 1000 });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1000);
    scheduler.publishSoon();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(elapsed(runs)).toEqual([0, 5000]);
    await scheduler.stop();
  });

  it('never postpones a run that is already planned sooner', async () => {
    const { scheduler, runs } = setup({ soonDelayMs: 5000 });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(27_000);
    scheduler.publishSoon(); // soon would be at 32 s, the cadence run is at 30 s
    await vi.advanceTimersByTimeAsync(6000);
    expect(elapsed(runs)).toEqual([0, 30_000]);
    expect(runs[1]!.reason).toBe('interval');
    await scheduler.stop();
  });

  it('asked during a run, runs soon after that run settles', async () => {
    const { scheduler, runs } = setup({
      publish: async (run) => {
        record(runs, run);
        await sleep(8000, run.signal);
      },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(2000);
    scheduler.publishSoon();
    scheduler.publishSoon();
    await vi.advanceTimersByTimeAsync(10_000);
    // The first run settles at 8 s, past the 5 s minimum spacing: the soon run starts right then.
    expect(seconds(elapsed(runs))).toEqual([0, 8]);
    expect(runs[1]!.reason).toBe('soon');
    await scheduler.stop();
  });

  it('is ignored while stopped', async () => {
    const { scheduler, runs } = setup();
    scheduler.publishSoon();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs).toEqual([]);
    expect(scheduler.nextDeadline()).toBeUndefined();
  });
});

describe('start and stop', () => {
  it('starting twice gives one schedule', async () => {
    const { scheduler, runs } = setup();
    scheduler.start();
    scheduler.start();
    await vi.advanceTimersByTimeAsync(31_000);
    expect(elapsed(runs)).toEqual([0, 30_000]);
    await scheduler.stop();
  });

  it('stopping twice is harmless and no run happens after stop', async () => {
    const { scheduler, runs } = setup();
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1);
    await scheduler.stop();
    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(runs).toHaveLength(1);
    expect(scheduler.started).toBe(false);
  });

  it('stop aborts the run in flight with SchedulerStoppedError and resolves once it settled', async () => {
    let settled = false;
    const { scheduler, runs, errors } = setup({
      publish: async (run) => {
        record(runs, run);
        await new Promise((resolve, reject) => {
          run.signal.addEventListener('abort', () => reject(run.signal.reason));
          setTimeout(resolve, 5000);
        });
        settled = true;
      },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1);
    const stopped = scheduler.stop();
    expect(runs[0]!.signal.aborted).toBe(true);
    expect(runs[0]!.signal.reason).toBeInstanceOf(SchedulerStoppedError);
    await stopped;
    expect(scheduler.running).toBe(false);
    expect(settled).toBe(false);
    // An abort caused by stop() is not a failure.
    expect(errors).toEqual([]);
  });

  it('started again while an aborted run still settles, waits for it before the first new run', async () => {
    let active = 0;
    let maxActive = 0;
    const starts: number[] = [];
    const { scheduler } = setup({
      publish: async () => {
        starts.push(Date.now() - T0);
        active += 1;
        maxActive = Math.max(maxActive, active);
        // Ignores its signal on purpose: a badly behaved publish.
        await new Promise((resolve) => setTimeout(resolve, 4000));
        active -= 1;
      },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1000);
    void scheduler.stop();
    scheduler.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(maxActive).toBe(1);
    expect(seconds(starts)).toEqual([0, 4]);
    await scheduler.stop();
  });

  it('restarts with a run right away after a stop', async () => {
    const { scheduler, runs } = setup();
    scheduler.start();
    await vi.advanceTimersByTimeAsync(10_000);
    await scheduler.stop();
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1);
    expect(elapsed(runs)).toEqual([0, 10_000]);
    expect(runs[1]!.reason).toBe('start');
    await scheduler.stop();
  });
});

describe('failures', () => {
  it('reports a rejected run to onError and keeps the schedule', async () => {
    let n = 0;
    const { scheduler, errors } = setup({
      publish: async () => {
        n += 1;
        if (n === 1) throw new Error('broker said no');
      },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(61_000);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('broker said no');
    expect(n).toBe(3);
    await scheduler.stop();
  });

  it('reports a synchronous throw the same way', async () => {
    const { scheduler, errors } = setup({
      publish: () => {
        throw new Error('boom');
      },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(31_000);
    expect(errors).toHaveLength(2);
    await scheduler.stop();
  });

  it('logs failures as errors when no onError is given', async () => {
    const logger = recordingLogger();
    const scheduler = createNewspaperScheduler(
      {
        chattiness: () => 100,
        publish: () => Promise.reject(new Error('nope')),
      },
      { clock: systemClock, random: () => 0.5, logger },
    );
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1);
    expect(logger.lines).toContainEqual({ level: 'error', message: 'newspaper run failed' });
    await scheduler.stop();
  });

  it('survives an onError handler that throws, and logs it', async () => {
    const { scheduler, logger } = setup({
      publish: () => Promise.reject(new Error('nope')),
      onError: () => {
        throw new Error('handler broke');
      },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(31_000);
    expect(logger.lines.filter((l) => l.message === 'newspaper onError handler threw')).toHaveLength(2);
    await scheduler.stop();
  });

  it('reports a chattiness that throws or is not a number, and falls back to the slowest cadence', async () => {
    const { scheduler, runs, errors } = setup({
      chattiness: () => {
        throw new Error('sensor broke');
      },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1);
    expect(errors).toHaveLength(1);
    expect(runs[0]!.next - runs[0]!.at).toBe(290_000);
    await scheduler.stop();

    const nan = setup({ chattiness: () => Number.NaN });
    nan.scheduler.start();
    await vi.advanceTimersByTimeAsync(1);
    expect(nan.errors[0]).toBeInstanceOf(TypeError);
    await nan.scheduler.stop();
  });

  it('aborts a run that exceeds runTimeoutMs with RunTimeoutError and reports it', async () => {
    let signal: AbortSignal | undefined;
    const { scheduler, errors } = setup({
      runTimeoutMs: 2000,
      publish: (run) => {
        signal = run.signal;
        return new Promise((_, reject) => {
          run.signal.addEventListener('abort', () => reject(run.signal.reason));
        });
      },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(2000);
    expect(signal?.reason).toBeInstanceOf(RunTimeoutError);
    expect(errors[0]).toBeInstanceOf(RunTimeoutError);
    await scheduler.stop();
  });
});

describe('arguments', () => {
  const ok: NewspaperSchedulerInit = { chattiness: () => 1, publish: () => {} };

  it('throws a TypeError naming the argument that is wrong', () => {
    expect(() => createNewspaperScheduler(null as unknown as NewspaperSchedulerInit)).toThrow(/init must/);
    expect(() =>
      createNewspaperScheduler({ ...ok, publish: 1 } as unknown as NewspaperSchedulerInit),
    ).toThrow(/init\.publish/);
    expect(() =>
      createNewspaperScheduler({ ...ok, chattiness: 'x' } as unknown as NewspaperSchedulerInit),
    ).toThrow(/init\.chattiness/);
    expect(() => createNewspaperScheduler({ ...ok, jitter: 0.9 })).toThrow(/init\.jitter/);
    expect(() => createNewspaperScheduler({ ...ok, soonDelayMs: -1 })).toThrow(/init\.soonDelayMs/);
    expect(() => createNewspaperScheduler({ ...ok, minSpacingMs: Number.NaN })).toThrow(/init\.minSpacingMs/);
    expect(() => createNewspaperScheduler({ ...ok, runTimeoutMs: Infinity })).toThrow(/init\.runTimeoutMs/);
    expect(() => createNewspaperScheduler(ok, { clock: {} as never })).toThrow(/components\.clock/);
    expect(() => createNewspaperScheduler(ok, { random: 3 as never })).toThrow(/components\.random/);
    expect(() =>
      createNewspaperScheduler({ ...ok, onError: 5 } as unknown as NewspaperSchedulerInit),
    ).toThrow(/init\.onError/);
  });
});
