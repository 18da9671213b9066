import type { RandomSource } from './types.js';

/** The reconnect window of the seed spec: 5 to 35 seconds. */
export const DEFAULT_BACKOFF = Object.freeze({ minMs: 5_000, maxMs: 35_000 });

export interface BackoffOptions {
  /** The shortest delay, and the first attempt's lower bound. Default 5,000. */
  readonly minMs?: number;
  /** The longest delay. Default 35,000. */
  readonly maxMs?: number;
}

/**
 * The delay before reconnect attempt `attempt` (1 for the first): uniform in `[max(min, w / 2), w]` where
 * `w = min(max, min * 2^attempt)`. With the default 5 to 35 s window: 5-10 s, then 10-20 s, then 17.5-35 s
 * for every later attempt. The windows only move up, so successive delays grow while they can, and the
 * jitter never shrinks below half the ceiling, so naras dropped by one broker restart spread out rather
 * than return in the same second. Never a fixed period.
 *
 * @example
 * ```ts
 * backoffDelay(1, Math.random); // between 5000 and 10000
 * backoffDelay(9, Math.random, { minMs: 50, maxMs: 400 }); // between 200 and 400
 * ```
 */
export function backoffDelay(attempt: number, random: RandomSource, options: BackoffOptions = {}): number {
  const { minMs, maxMs } = resolveBackoff(options);
  if (!Number.isInteger(attempt) || attempt < 1)
    throw new TypeError(`attempt must be a positive integer, got ${String(attempt)}`);
  // 2^attempt overflows to Infinity for large attempts, which Math.min handles.
  const ceiling = Math.min(maxMs, minMs * 2 ** attempt);
  const floor = Math.max(minMs, ceiling / 2);
  const r = random();
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return Math.round(floor + unit * (ceiling - floor));
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
