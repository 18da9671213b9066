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

  it('grows with the attempt: the floor doubles up to half the window, the ceiling is always the maximum', () => {
    expect([1, 2, 3, 4].map((n) => [backoffDelay(n, () => 0), backoffDelay(n, () => 1)])).toEqual([
      [5_000, 35_000],
      [10_000, 35_000],
      [17_500, 35_000],
      [17_500, 35_000],
    ]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, r) => {
        const opts = { minMs: 50, maxMs: 400 };
        return backoffDelay(n, () => r, opts) <= backoffDelay(n + 1, () => r, opts);
      }),
    );
  });

  it('spreads the first attempt over the whole window: 20 clients dropped at once rarely share a second', () => {
    // 20 evenly spread random values, as 20 naras would draw: no one-second window holds a quarter of them.
    const delays = Array.from({ length: 20 }, (_, i) => backoffDelay(1, () => (i + 0.5) / 20)).sort(
      (a, b) => a - b,
    );
    for (let i = 0; i + 5 < delays.length; i++) expect(delays[i + 5]! - delays[i]!).toBeGreaterThan(1_000);
  });

  it('spreads clients out: a later attempt still has a window of half the ceiling, never a fixed period', () => {
    const delays = new Set(Array.from({ length: 50 }, (_, i) => backoffDelay(12, () => i / 50)));
    expect(delays.size).toBe(50);
  });

  it('clamps a random source that misbehaves, and rejects bad arguments with TypeError naming them', () => {
    expect(backoffDelay(1, () => Number.NaN)).toBe(5_000);
    expect(backoffDelay(1, () => 7)).toBe(35_000);
    expect(() => backoffDelay(0, Math.random)).toThrow(/attempt/);
    expect(() => backoffDelay(1, Math.random, { minMs: 0 })).toThrow(/minMs/);
    expect(() => backoffDelay(1, Math.random, { minMs: 10, maxMs: 5 })).toThrow(/maxMs/);
  });
});
