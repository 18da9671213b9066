/** The fastest nominal cadence (chattiness 100), from the seed and the Go code: 30 s. */
export const MIN_INTERVAL_MS = 30_000;

/** The slowest nominal cadence (chattiness 0): 300 s. */
export const MAX_INTERVAL_MS = 300_000;

/**
 * The longest delay the scheduler ever promises: the seed's 5 minutes of silence minus 10 s, so that a
 * peer that keeps its promise is heard before any registry declares it MISSING, with 10 s left for
 * delivery (the Go code promises nothing and its 300 s threshold races its 300 s cadence).
 */
export const MAX_PROMISE_MS = 290_000;

/** The default jitter: a run comes up to 10 % earlier than the nominal interval. */
export const DEFAULT_JITTER = 0.1;

/**
 * The nominal interval for a chattiness: 30 + 270 * (100 - C) / 100 seconds, in milliseconds, with C
 * clamped to 0..100. Chattiness 100 gives 30 s, 50 gives 165 s, 0 gives 300 s.
 *
 * @example
 * ```ts
 * import { nominalIntervalMs } from '@nara/newspaper';
 * console.log(nominalIntervalMs(50)); // 165000
 * ```
 */
export function nominalIntervalMs(chattiness: number): number {
  if (typeof chattiness !== 'number' || Number.isNaN(chattiness)) {
    throw new TypeError('chattiness must be a number');
  }
  const c = Math.min(100, Math.max(0, chattiness));
  return MIN_INTERVAL_MS + ((MAX_INTERVAL_MS - MIN_INTERVAL_MS) * (100 - c)) / 100;
}

/**
 * The bounds of the jittered delay for a nominal interval: `[nominal * (1 - jitter), min(nominal,
 * MAX_PROMISE_MS)]`. Jitter only ever shortens the wait, so no nara is slower than its chattiness says
 * and no promise passes the seed's 5 minutes; at chattiness 0 the band is 270..290 s.
 */
export function jitterBounds(
  nominalMs: number,
  jitter: number = DEFAULT_JITTER,
): { min: number; max: number } {
  const max = Math.min(nominalMs, MAX_PROMISE_MS);
  const min = Math.min(nominalMs * (1 - jitter), max);
  return { min, max };
}

/**
 * A delay drawn uniformly from {@link jitterBounds}, given a random number in [0, 1). Rounded to whole
 * milliseconds because timers and envelope times are whole milliseconds.
 *
 * @example
 * ```ts
 * import { jitteredDelayMs } from '@nara/newspaper';
 * console.log(jitteredDelayMs(100, 0.1, 0.5)); // 28500 (30 s nominal, 27..30 s band)
 * ```
 */
export function jitteredDelayMs(chattiness: number, jitter: number, random: number): number {
  const { min, max } = jitterBounds(nominalIntervalMs(chattiness), jitter);
  const r = Number.isFinite(random) ? Math.min(Math.max(random, 0), 1) : 0.5;
  return Math.round(min + (max - min) * r);
}
