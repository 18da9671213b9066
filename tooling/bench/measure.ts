/**
 * The measuring core of `pnpm bench`: every figure is a ratio of a subject against a baseline measured in the
 * same run, in interleaved windows after a warm-up, reported as the median of the windows with min and max.
 */
import { performance } from 'node:perf_hooks';

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

export type Figure = SpeedFigure | SizeFigure;

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
}

export interface MeasureOptions {
  /** Milliseconds per window. */
  windowMs: number;
  windows: number;
  warmupMs: number;
}

export const defaultMeasureOptions: MeasureOptions = { windowMs: 250, windows: 7, warmupMs: 300 };

async function calibrate(w: Workload, targetMs: number): Promise<number> {
  let n = 1;
  for (;;) {
    const t0 = performance.now();
    await w.run(n);
    const dt = performance.now() - t0;
    if (dt >= targetMs / 4 || n >= 1 << 24)
      return Math.max(1, Math.round((n * targetMs) / Math.max(dt, 0.001)));
    n *= 4;
  }
}

async function window(w: Workload, n: number): Promise<number> {
  const t0 = performance.now();
  await w.run(n);
  return (n * 1000) / (performance.now() - t0);
}

function stats(xs: number[], unit: string): Stats {
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
  const { subject, baseline } = figure;
  await subject.setup?.();
  await baseline.setup?.();
  // Warm both up (JIT, caches), then size each window so it lasts about windowMs.
  const nS = await calibrate(subject, options.warmupMs);
  const nB = await calibrate(baseline, options.warmupMs);
  const perS = Math.max(1, Math.round((nS * options.windowMs) / options.warmupMs));
  const perB = Math.max(1, Math.round((nB * options.windowMs) / options.warmupMs));
  const s: number[] = [];
  const b: number[] = [];
  const ratios: number[] = [];
  // Interleaved so that drift (thermal, other processes) hits both sides alike.
  for (let i = 0; i < options.windows; i++) {
    const rs = await window(subject, perS);
    const rb = await window(baseline, perB);
    s.push(rs);
    b.push(rb);
    ratios.push(rs / rb);
  }
  const S = stats(s, 'ops/s');
  const B = stats(b, 'ops/s');
  const R = stats(ratios, '');
  const ratio = S.median / B.median;
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
  };
}
