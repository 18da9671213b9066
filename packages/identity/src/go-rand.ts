import { RNG_COOKED } from './go-rng-cooked.js';

// A port of Go's math/rand v1 generator (src/math/rand/rng.go and rand.go in golang/go): the additive lagged
// Fibonacci source of D. P. Mitchell and J. A. Reeds behind rand.New(rand.NewSource(seed)). Go's generated
// nara names depend on its exact output, so every step follows Go's integer semantics: the 64-bit register
// is kept in BigInt and masked to 63 bits exactly where Go masks, and the 31-bit seeding recurrence stays
// within exact double arithmetic.

const LEN = 607;
const TAP = 273;
const MASK_63 = (1n << 63n) - 1n;
const INT32_MAX = 2 ** 31 - 1;
const INT32_MAX_BIG = BigInt(INT32_MAX);
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

// seedrand: x[n+1] = 48271 * x[n] mod (2^31 - 1), by Schrage's method as in Go. Inputs are in [0, 2^31-1)
// and every intermediate stays below 2^31, so plain numbers are exact.
function seedrand(x: number): number {
  const hi = Math.trunc(x / 44488);
  const lo = x % 44488;
  const next = 48271 * lo - 3399 * hi;
  return next < 0 ? next + INT32_MAX : next;
}

/**
 * Go's `rand.New(rand.NewSource(seed))` from math/rand (v1), bit for bit: the same seed gives the same
 * `Int63`, `Int31`, `Int31n`, `Int63n` and `Intn` sequence as Go. Not for secrets: it is predictable by design.
 *
 * @example
 * ```ts
 * const r = new GoRand(1n);
 * r.int63(); // 5577006791947779410n, as Go's rand.New(rand.NewSource(1)).Int63()
 * ```
 */
export class GoRand {
  readonly #vec: bigint[] = new Array<bigint>(LEN);
  #tap = 0;
  #feed = LEN - TAP;

  /** @param seed a Go `int64` (BigInt in [-2^63, 2^63)); numbers must be safe integers. */
  constructor(seed: bigint | number) {
    let s: bigint;
    if (typeof seed === 'bigint') s = seed;
    else if (Number.isSafeInteger(seed)) s = BigInt(seed);
    else throw new TypeError('seed must be a bigint or a safe integer');
    if (s < INT64_MIN || s > INT64_MAX) throw new RangeError('seed must fit in a Go int64');

    // Go: seed = seed % _M (truncated, keeps the sign), then shifted into [0, _M); 0 is replaced.
    let reduced = s % INT32_MAX_BIG;
    if (reduced < 0n) reduced += INT32_MAX_BIG;
    if (reduced === 0n) reduced = 89482311n;

    let x = Number(reduced);
    for (let i = -20; i < LEN; i++) {
      x = seedrand(x);
      if (i >= 0) {
        // Go shifts int64(x) left by 40, which discards bits above 63; the mask below drops them too.
        let u = BigInt(x) << 40n;
        x = seedrand(x);
        u ^= BigInt(x) << 20n;
        x = seedrand(x);
        u ^= BigInt(x);
        u ^= RNG_COOKED[i] as bigint;
        this.#vec[i] = u & MASK_63;
      }
    }
  }

  /** A non-negative pseudo-random 63-bit integer, as Go's `Int63`. */
  int63(): bigint {
    this.#tap--;
    if (this.#tap < 0) this.#tap += LEN;
    this.#feed--;
    if (this.#feed < 0) this.#feed += LEN;
    const x = ((this.#vec[this.#feed] as bigint) + (this.#vec[this.#tap] as bigint)) & MASK_63;
    this.#vec[this.#feed] = x;
    return x;
  }

  /** A non-negative pseudo-random 31-bit integer, as Go's `Int31` (the top 31 of Int63's 63 bits). */
  int31(): number {
    return Number(this.int63() >> 32n);
  }

  /** A number in [0, n) for 0 < n < 2^31, as Go's `Int31n` (rejection sampling, then modulo). */
  int31n(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > INT32_MAX)
      throw new RangeError('n must be an integer in [1, 2^31-1]');
    if ((n & (n - 1)) === 0) return this.int31() & (n - 1);
    const max = INT32_MAX - (2 ** 31 % n);
    let v = this.int31();
    while (v > max) v = this.int31();
    return v % n;
  }

  /** A number in [0, n) for 0 < n < 2^63, as Go's `Int63n`. */
  int63n(n: bigint): bigint {
    if (n <= 0n || n > INT64_MAX) throw new RangeError('n must be in [1, 2^63-1]');
    if ((n & (n - 1n)) === 0n) return this.int63() & (n - 1n);
    const max = INT64_MAX - ((1n << 63n) % n);
    let v = this.int63();
    while (v > max) v = this.int63();
    return v % n;
  }

  /**
   * A number in [0, n), as Go's `Intn` on a 64-bit platform: `Int31n` when n fits in 31 bits, else `Int63n`.
   * n must be a positive safe integer.
   */
  intn(n: number): number {
    if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError('n must be a positive safe integer');
    if (n <= INT32_MAX) return this.int31n(n);
    return Number(this.int63n(BigInt(n)));
  }
}
