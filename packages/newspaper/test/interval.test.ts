import {
  DEFAULT_JITTER,
  jitterBounds,
  jitteredDelayMs,
  MAX_INTERVAL_MS,
  MAX_PROMISE_MS,
  MIN_INTERVAL_MS,
  nominalIntervalMs,
} from '@nara/newspaper';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('nominalIntervalMs', () => {
  it('follows 30 + 270 * (100 - C) / 100 seconds like the Go chattinessRate', () => {
    expect(nominalIntervalMs(100)).toBe(30_000);
    expect(nominalIntervalMs(75)).toBe(97_500);
    expect(nominalIntervalMs(50)).toBe(165_000);
    expect(nominalIntervalMs(0)).toBe(300_000);
  });

  it('clamps chattiness outside 0..100', () => {
    expect(nominalIntervalMs(-5)).toBe(MAX_INTERVAL_MS);
    expect(nominalIntervalMs(182)).toBe(MIN_INTERVAL_MS);
    expect(nominalIntervalMs(Infinity)).toBe(MIN_INTERVAL_MS);
  });

  it('throws a TypeError for a chattiness that is not a number', () => {
    expect(() => nominalIntervalMs(Number.NaN)).toThrow(TypeError);
    expect(() => nominalIntervalMs('50' as unknown as number)).toThrow(/chattiness/);
  });
});

describe('jittered delays', () => {
  it('stay between 90 % of the nominal interval and the nominal interval, never above 290 s', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (c, r) => {
          const nominal = nominalIntervalMs(c);
          const delay = jitteredDelayMs(c, DEFAULT_JITTER, r);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(nominal * 0.9));
          expect(delay).toBeLessThanOrEqual(Math.min(Math.ceil(nominal), MAX_PROMISE_MS));
        },
      ),
    );
  });

  it('cover the whole band, so naras do not fall into step', () => {
    expect(jitteredDelayMs(100, 0.1, 0)).toBe(27_000);
    expect(jitteredDelayMs(100, 0.1, 0.5)).toBe(28_500);
    expect(jitteredDelayMs(100, 0.1, 1)).toBe(30_000);
    expect(jitterBounds(300_000)).toEqual({ min: 270_000, max: MAX_PROMISE_MS });
  });

  it('without jitter are the nominal interval, still capped by the promise limit', () => {
    expect(jitteredDelayMs(100, 0, 0.3)).toBe(30_000);
    expect(jitteredDelayMs(0, 0, 0.3)).toBe(MAX_PROMISE_MS);
  });

  it('treat a random value outside [0, 1) as the nearest bound, and a non-number as the middle', () => {
    expect(jitteredDelayMs(100, 0.1, -3)).toBe(27_000);
    expect(jitteredDelayMs(100, 0.1, 7)).toBe(30_000);
    expect(jitteredDelayMs(100, 0.1, Number.NaN)).toBe(28_500);
  });
});
