import { backoffDelay, DEFAULT_BACKOFF } from '@nara/transport';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('backoffDelay', () => {
  it('stays inside the 5 to 35 s window of the seed spec by default, for any attempt and random value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, r) => {
        const delay = backoffDelay(n, () => r);
        return delay >= DEFAULT_BACKOFF.minMs && delay <= DEFAULT_BACKOFF.maxMs;
      }),
    );
  });

  it('grows with the attempt: each window starts where the previous one ended, until the ceiling', () => {
    expect([1, 2, 3, 4].map((n) => [backoffDelay(n, () => 0), backoffDelay(n, () => 1)])).toEqual([
      [5_000, 10_000],
      [10_000, 20_000],
      [17_500, 35_000],
      [17_500, 35_000],
    ]);
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (r1, r2) => {
          const opts = { minMs: 50, maxMs: 400 };
          return backoffDelay(1, () => r1, opts) <= backoffDelay(2, () => r2, opts);
        },
      ),
    );
  });

  it('spreads clients out: a later attempt still has a window of half the ceiling, never a fixed period', () => {
    const delays = new Set(Array.from({ length: 50 }, (_, i) => backoffDelay(12, () => i / 50)));
    expect(delays.size).toBe(50);
  });

  it('clamps a random source that misbehaves, and rejects bad arguments with TypeError naming them', () => {
    expect(backoffDelay(1, () => Number.NaN)).toBe(5_000);
    expect(backoffDelay(1, () => 7)).toBe(10_000);
    expect(() => backoffDelay(0, Math.random)).toThrow(/attempt/);
    expect(() => backoffDelay(1, Math.random, { minMs: 0 })).toThrow(/minMs/);
    expect(() => backoffDelay(1, Math.random, { minMs: 10, maxMs: 5 })).toThrow(/maxMs/);
  });
});
