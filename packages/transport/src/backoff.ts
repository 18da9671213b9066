import type { RandomSource } from '@nara/interface';

/** The reconnect window of the seed spec: 5 to 35 seconds. */
export const DEFAULT_BACKOFF = Object.freeze({ minMs: 5_000, maxMs: 35_000 });

export interface BackoffOptions {
  /** The shortest delay, and the first attempt's lower bound. Default 5,000. */
  readonly minMs?: number;
  /** The longest delay. Default 35,000. */
  readonly maxMs?: number;
}

/**
 * The delay before reconnect attempt `attempt` (1 for the first): uniform in `[f, max]` where the floor
 * `f = max(min, min(max / 2, min * 2^(attempt - 1)))` doubles with each attempt up to half the window. With the
 * default 5 to 35 s window: 5-35 s, then 10-35 s, then 17.5-35 s for every later attempt. Every attempt uses
 * the whole window up to `max`, so naras dropped by one broker restart spread over it (20 naras: no
 * one-second window holds a quarter of them, where a 5-10 s first window would put 6 or more in one second
 * almost every time); the rising floor makes successive delays grow on average. Never a fixed period.
 *
 * @example
 * ```ts
 * backoffDelay(1, Math.random); // between 5000 and 35000
 * backoffDelay(9, Math.random, { minMs: 50, maxMs: 400 }); // between 200 and 400
 * ```
 */
export function backoffDelay(attempt: number, random: RandomSource, options: BackoffOptions = {}): number {
  const { minMs, maxMs } = resolveBackoff(options);
  if (!Number.isInteger(attempt) || attempt < 1)
    throw new TypeError(`attempt must be a positive integer, got ${String(attempt)}`);
  // 2^attempt overflows to Infinity for large attempts, which Math.min handles.
  const floor = Math.max(minMs, Math.min(maxMs / 2, minMs * 2 ** (attempt - 1)));
  const r = random();
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return Math.round(floor + unit * (maxMs - floor));
}

/** Checks and fills in backoff options. Throws `TypeError` naming the bad option. */
export function resolveBackoff(options: BackoffOptions = {}): { minMs: number; maxMs: number } {
  const minMs = options.minMs ?? DEFAULT_BACKOFF.minMs;
  const maxMs = options.maxMs ?? DEFAULT_BACKOFF.maxMs;
  if (!Number.isFinite(minMs) || minMs <= 0)
    throw new TypeError(`backoff.minMs must be a positive number, got ${String(minMs)}`);
  if (!Number.isFinite(maxMs) || maxMs < minMs)
    throw new TypeError(`backoff.maxMs must be a number >= backoff.minMs, got ${String(maxMs)}`);
  return { minMs, maxMs };
}
