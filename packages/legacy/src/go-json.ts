/**
 * Go's `encoding/json` output rules (Go 1.22 and later), for everything this package writes: strings with
 * `<`, `>`, `&`, U+2028 and U+2029 escaped as `\u003c` and so on, `\b \f \n \r \t` as short escapes, other
 * control characters as `\u00XX` (lowercase hex), every other character as raw UTF-8; floats in the
 * shortest form that reads back (exponent form below 1e-6 and from 1e21, with no exponent padding), `-0`
 * kept; map keys sorted by their bytes.
 */

const HEX = '0123456789abcdef';

/** Go's encoding of a string (lone surrogates cannot be written: Go would write U+FFFD, we refuse). */
export function goString(value: string): string {
  let out = '"';
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    let escaped: string | undefined;
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x3c || c === 0x3e || c === 0x26) {
      escaped = SHORT[c] ?? `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
    } else if (c === 0x2028 || c === 0x2029) {
      escaped = `\\u${c.toString(16)}`;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const pair = c <= 0xdbff && i + 1 < value.length && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      if (!pair) throw new TypeError('a string with a lone surrogate cannot be written as Go writes JSON');
      i++;
      continue;
    } else continue;
    out += value.slice(from, i) + escaped;
    from = i + 1;
  }
  return `${out + value.slice(from)}"`;
}

const SHORT: Record<number, string> = {
  8: '\\b',
  9: '\\t',
  10: '\\n',
  12: '\\f',
  13: '\\r',
  34: '\\"',
  92: '\\\\',
  60: '\\u003c',
  62: '\\u003e',
  38: '\\u0026',
};

/**
 * Go's encoding of a float64. JavaScript's shortest round-trip digits and its exponent thresholds (1e-6 and
 * 1e21) are Go's; only `-0` differs.
 */
export function goFloat(value: number): string {
  if (!Number.isFinite(value)) throw new TypeError(`Go cannot write ${value} as JSON`);
  if (Object.is(value, -0)) return '-0';
  return String(value);
}

/** A safe integer as Go writes any integer type. */
export function goInt(value: number): string {
  if (!Number.isSafeInteger(value)) throw new TypeError(`${value} is not a safe integer`);
  return String(value);
}

/** Compares two strings by their UTF-8 bytes (code point order), as Go sorts map keys. */
export function byteOrder(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}
