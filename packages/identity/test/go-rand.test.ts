import { createHash } from 'node:crypto';
import { GoRand, generateName } from '@nara/identity';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADJECTIVES, NOUNS } from '../src/go-name-words.js';
import { RNG_COOKED } from '../src/go-rng-cooked.js';

const M = 2 ** 31 - 1;
const int64 = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });
const draw = (r: GoRand, count: number) => Array.from({ length: count }, () => r.int63());

describe("the port of Go's math/rand", () => {
  it('carries the 607-entry rng_cooked table exactly as copied from Go (pinned by its SHA-256)', () => {
    expect(RNG_COOKED).toHaveLength(607);
    expect(RNG_COOKED.every((v) => v >= 0n && v < 1n << 63n)).toBe(true);
    const digest = createHash('sha256').update(RNG_COOKED.map(String).join(',')).digest('hex');
    expect(digest).toBe('62f0f2a1bc4361d0d0827df6ddba975c755d8e81a3a4e4ae4f73906ac8dd4213');
    expect(RNG_COOKED[0]).toBe(5041579894721019882n);
    expect(RNG_COOKED[606]).toBe(4152330101494654406n);
  });

  it('seeds as Go does: seeds equal modulo 2^31-1 give the same stream', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: BigInt(M) - 1n }), fc.bigInt({ min: -4n, max: 4n }), (s, k) => {
        const shifted = s + k * BigInt(M);
        return draw(new GoRand(s), 3).join() === draw(new GoRand(shifted), 3).join();
      }),
      { numRuns: 30 },
    );
  });

  it("maps seed 0 (and multiples of 2^31-1) to Go's replacement seed 89482311", () => {
    const expected = draw(new GoRand(89482311n), 3).join();
    expect(draw(new GoRand(0n), 3).join()).toBe(expected);
    expect(draw(new GoRand(BigInt(M)), 3).join()).toBe(expected);
    expect(draw(new GoRand(-BigInt(M)), 3).join()).toBe(expected);
  });

  it('keeps Int63 in [0, 2^63) and Intn in [0, n) for any int64 seed', () => {
    fc.assert(
      fc.property(int64, fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed, n) => {
        const r = new GoRand(seed);
        const x = r.int63();
        const y = r.intn(n);
        return x >= 0n && x < 1n << 63n && y >= 0 && y < n && Number.isInteger(y);
      }),
      { numRuns: 40 },
    );
  });

  it('uses a mask for powers of two and rejection sampling otherwise, as Int31n does', () => {
    const a = new GoRand(42n);
    const b = new GoRand(42n);
    expect(a.int31n(64)).toBe(b.int31() & 63);
    const c = new GoRand(42n);
    const d = new GoRand(42n);
    expect(c.int31n(59)).toBe(d.int31() % 59); // the first draw is below the rejection bound for this seed
  });

  it('takes Int63n for n above 2^31-1, as Intn does on 64-bit Go', () => {
    const a = new GoRand(7n);
    const b = new GoRand(7n);
    expect(a.intn(2 ** 40)).toBe(Number(b.int63() & (2n ** 40n - 1n)));
    expect(new GoRand(7n).int63n(10n ** 15n)).toBeLessThan(10n ** 15n);
  });

  it('refuses out-of-range seeds and bounds', () => {
    expect(() => new GoRand(1n << 63n)).toThrow(RangeError);
    expect(() => new GoRand(0.5)).toThrow(TypeError);
    expect(() => new GoRand(1n).intn(0)).toThrow(RangeError);
    expect(() => new GoRand(1n).int31n(2 ** 31)).toThrow(RangeError);
    expect(() => new GoRand(1n).int63n(0n)).toThrow(RangeError);
  });
});

describe('generated names', () => {
  it('always have the form adjective-noun-NNN from the Go word lists', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 64 }), (id) => {
        const match = /^([a-z]+)-([a-z]+)-(\d{3})$/.exec(generateName(id));
        return (
          match !== null && ADJECTIVES.includes(match[1] as string) && NOUNS.includes(match[2] as string)
        );
      }),
    );
  });

  it('use 59 adjectives and 57 nouns, in Go order (pinned to eljojo/nara identity/names.go by SHA-256)', () => {
    const digest = createHash('sha256')
      .update(JSON.stringify({ adjectives: ADJECTIVES, nouns: NOUNS }))
      .digest('hex');
    expect(digest).toBe('217668a0fde454afc4cc239be8781c7daeceed8a403b56b83998f17c7cca0080');
    expect(ADJECTIVES).toHaveLength(59);
    expect(NOUNS).toHaveLength(57);
    expect([ADJECTIVES[0], ADJECTIVES[58], NOUNS[0], NOUNS[56]]).toEqual([
      'mystic',
      'shimmering',
      'pizza',
      'veggie',
    ]);
  });

  it('are deterministic', () => {
    fc.assert(
      fc.property(fc.string(), (id) => {
        const first = generateName(id);
        return generateName(id) === first;
      }),
    );
  });
});
