/**
 * The measuring core of `pnpm bench`: every figure is a ratio of a subject against a baseline measured in the
 * same run, in interleaved windows after a warm-up, reported as the median of the per-window ratios with
 * their min and max. Single-threaded workloads are timed in this process's CPU time (the machine is shared).
 */
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** One side of a speed figure: `run(n)` performs `n` operations (so per-call overhead stays out of the loop). */
export interface Workload {
  label: string;
  run: (n: number) => void | Promise<void>;
  setup?: () => void | Promise<void>;
}

export interface SpeedFigure {
  kind: 'speed';
  name: string;
  description: string;
  subject: Workload;
  baseline: Workload;
  /** Minimum acceptable subject/baseline throughput ratio. */
  goal: number;
  /**
   * What a window's duration is measured in. `cpu` (the default): this process's CPU time, so that a
   * single-threaded workload is not charged for the time other processes on a shared machine take; `wall`
   * for workloads that use more than one thread, where elapsed time is the point.
   */
  clock?: 'cpu' | 'wall';
}

export interface SizeFigure {
  kind: 'size';
  name: string;
  description: string;
  subject: { label: string; value: number; unit: string };
  baseline: { label: string; value: number; unit: string };
  /** Maximum acceptable subject/baseline ratio (smaller is better). */
  goal: number;
}

/** What a custom figure's own measurement returns: both sides' statistics and the per-window ratios. */
export interface CustomMeasurement {
  subject: { label: string } & Stats;
  baseline: { label: string } & Stats;
  /** subject / baseline, one per window (or per run), in the figure's direction. */
  ratios: number[];
  /** Anything else worth recording in the JSON (absolute values, settings). */
  extra?: Record<string, unknown>;
}

/** A figure whose ratio comes from its own measurement (end to end runs, heap per peer, CPU per message). */
export interface CustomFigure {
  kind: 'custom';
  name: string;
  description: string;
  direction: 'at-least' | 'at-most';
  goal: number;
  measure(options: MeasureOptions): Promise<CustomMeasurement>;
}

export type Figure = SpeedFigure | SizeFigure | CustomFigure;

export interface Stats {
  median: number;
  min: number;
  max: number;
  unit: string;
}

export interface FigureResult {
  name: string;
  description: string;
  /** subject / baseline, medians; for speed higher is better, for size lower is better. */
  ratio: number;
  ratioMin: number;
  ratioMax: number;
  goal: number;
  direction: 'at-least' | 'at-most';
  met: boolean;
  subject: { label: string } & Stats;
  baseline: { label: string } & Stats;
  windows: number;
  clock?: 'cpu' | 'wall';
  extra?: Record<string, unknown>;
}

export interface MeasureOptions {
  /** Milliseconds per window. */
  windowMs: number;
  windows: number;
  warmupMs: number;
}

export const defaultMeasureOptions: MeasureOptions = { windowMs: 250, windows: 11, warmupMs: 1000 };

/** V8's `gc`, exposed for this process only, without a command-line flag. */
const gc = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as (options?: { type: 'major' | 'minor'; execution: 'sync' }) => void;
})();
/** A full collection (`gc()` without options: on Node 20, `{ type: 'major' }` runs a scavenge only). */
const collectGarbage = () => gc();
/** A young-generation collection (a scavenge). */
const collectYoung = () => gc({ type: 'minor', execution: 'sync' });

type Clock = () => number;
const wallMs: Clock = () => performance.now();
const cpuMs: Clock = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

async function calibrate(w: Workload, targetMs: number, now: Clock): Promise<number> {
  let n = 1;
  for (;;) {
    const t0 = now();
    await w.run(n);
    const dt = now() - t0;
    if (dt >= targetMs / 4 || n >= 1 << 24)
      return Math.max(1, Math.round((n * targetMs) / Math.max(dt, 0.001)));
    n *= 4;
  }
}

/**
 * One timed window. It starts with an empty young generation and ends by collecting it, inside its time:
 * each window pays for the garbage it made, and only that. Without this, garbage one side leaves behind is
 * collected in the other side's window: node:crypto's verify leaves a native handle per call (about 0.45 us
 * each to collect), which a bare-verify window, allocating little else, left for the next window of an
 * allocating subject to collect.
 */
async function window(w: Workload, n: number, now: Clock): Promise<number> {
  collectYoung();
  const t0 = now();
  await w.run(n);
  collectYoung();
  return (n * 1000) / Math.max(now() - t0, 0.001);
}

export function stats(xs: number[], unit: string): Stats {
  const sorted = [...xs].sort((a, b) => a - b);
  return {
    median: sorted[Math.floor(sorted.length / 2)] as number,
    min: sorted[0] as number,
    max: sorted.at(-1) as number,
    unit,
  };
}

export async function measure(
  figure: Figure,
  options: MeasureOptions = defaultMeasureOptions,
): Promise<FigureResult> {
  if (figure.kind === 'size') {
    const ratio = figure.subject.value / figure.baseline.value;
    const one = (v: number, unit: string) => ({ median: v, min: v, max: v, unit });
    return {
      name: figure.name,
      description: figure.description,
      ratio,
      ratioMin: ratio,
      ratioMax: ratio,
      goal: figure.goal,
      direction: 'at-most',
      met: ratio <= figure.goal,
      subject: { label: figure.subject.label, ...one(figure.subject.value, figure.subject.unit) },
      baseline: { label: figure.baseline.label, ...one(figure.baseline.value, figure.baseline.unit) },
      windows: 1,
    };
  }
  if (figure.kind === 'custom') {
    const m = await figure.measure(options);
    const R = stats(m.ratios, '');
    return {
      name: figure.name,
      description: figure.description,
      ratio: R.median,
      ratioMin: R.min,
      ratioMax: R.max,
      goal: figure.goal,
      direction: figure.direction,
      met: figure.direction === 'at-least' ? R.median >= figure.goal : R.median <= figure.goal,
      subject: m.subject,
      baseline: m.baseline,
      windows: m.ratios.length,
      ...(m.extra === undefined ? {} : { extra: m.extra }),
    };
  }
  const { subject, baseline } = figure;
  const clock = figure.clock ?? 'cpu';
  const now = clock === 'cpu' ? cpuMs : wallMs;
  await subject.setup?.();
  await baseline.setup?.();
  // The garbage of making fixtures (and of earlier figures) is neither side's work: collected now, it cannot
  // land in a window of whichever side happens to allocate first.
  collectGarbage();
  // Warm both up (JIT, caches), then size each window so it lasts about windowMs.
  const nS = await calibrate(subject, options.warmupMs, now);
  const nB = await calibrate(baseline, options.warmupMs, now);
  collectGarbage();
  const perS = Math.max(1, Math.round((nS * options.windowMs) / options.warmupMs));
  const perB = Math.max(1, Math.round((nB * options.windowMs) / options.warmupMs));
  const s: number[] = [];
  const b: number[] = [];
  const ratios: number[] = [];
  // Interleaved so that drift (thermal, other processes) hits both sides alike.
  for (let i = 0; i < options.windows; i++) {
    const rs = await window(subject, perS, now);
    const rb = await window(baseline, perB, now);
    s.push(rs);
    b.push(rb);
    ratios.push(rs / rb);
  }
  const unit = clock === 'cpu' ? 'ops/CPU-s' : 'ops/s';
  const S = stats(s, unit);
  const B = stats(b, unit);
  const R = stats(ratios, '');
  // The median of the per-window ratios: each pair of windows ran back to back, under the same load.
  const ratio = R.median;
  return {
    name: figure.name,
    description: figure.description,
    ratio,
    ratioMin: R.min,
    ratioMax: R.max,
    goal: figure.goal,
    direction: 'at-least',
    met: ratio >= figure.goal,
    subject: { label: subject.label, ...S },
    baseline: { label: baseline.label, ...B },
    windows: options.windows,
    clock,
  };
}
