/**
 * Mutations of envelopes: byte-level (bit flips, insert, delete, overwrite, duplicate, truncate, splice)
 * and CBOR-aware ones that find item heads and change their lengths, widths, major types and tags, the
 * places where decoders go wrong (HOSTILE-NOTES.md). Every mutator is pure given the Rng.
 */
import { head } from '../../packages/envelope/scripts/cbor-raw.js';
import type { Rng } from './random.js';

export type Mutator = (input: Uint8Array, rng: Rng, other: Uint8Array) => Uint8Array;

function splice(input: Uint8Array, at: number, removeCount: number, insert: Uint8Array): Uint8Array {
  const remove = Math.max(0, Math.min(removeCount, input.length - at));
  const out = new Uint8Array(input.length - remove + insert.length);
  out.set(input.subarray(0, at), 0);
  out.set(insert, at);
  out.set(input.subarray(at + remove), at + insert.length);
  return out;
}

/** Offsets of CBOR item heads, found by a tolerant walk that stops at the first thing it cannot read. */
export function headOffsets(bytes: Uint8Array, limit = 256): number[] {
  const heads: number[] = [];
  const stack: number[] = [1];
  let pos = 0;
  while (pos < bytes.length && stack.length > 0 && heads.length < limit) {
    const top = stack.length - 1;
    if (stack[top]! === 0) {
      stack.pop();
      continue;
    }
    stack[top]! -= 1;
    heads.push(pos);
    const initial = bytes[pos]!;
    const major = initial >> 5;
    const info = initial & 0x1f;
    pos += 1;
    let arg = info;
    if (info >= 24 && info <= 27) {
      const size = 1 << (info - 24);
      if (pos + size > bytes.length) break;
      arg = 0;
      for (let i = 0; i < size; i++) arg = arg * 256 + bytes[pos + i]!;
      pos += size;
    } else if (info > 27) break;
    if (major === 2 || major === 3) {
      // Payload byte strings hold CBOR too: walk into them as if they were items.
      if (major === 2 && arg > 0 && arg <= bytes.length - pos) stack.push(1);
      else pos += arg;
    } else if (major === 4) stack.push(Math.min(arg, 64));
    else if (major === 5) stack.push(Math.min(arg * 2, 128));
    else if (major === 6) stack.push(1);
  }
  return heads;
}

const INTERESTING_ARGS: readonly bigint[] = [
  0n,
  1n,
  23n,
  24n,
  31n,
  32n,
  63n,
  64n,
  65n,
  255n,
  256n,
  0xffffn,
  0x10000n,
  0xffffffffn,
  0x100000000n,
  2n ** 53n - 1n,
  2n ** 53n,
  2n ** 63n,
  2n ** 64n - 1n,
];

/** A head of `width` extra bytes (only the argument's low bytes kept); in the initial byte, the argument mod 24. */
function encodeHead(major: number, arg: bigint, width: number): Uint8Array {
  return width === 0 ? head(major, (arg & 0x1fn) % 24n, 0) : head(major, arg, width as 1 | 2 | 4 | 8);
}

function headLength(bytes: Uint8Array, at: number): number {
  const info = bytes[at]! & 0x1f;
  return info >= 24 && info <= 27 ? 1 + (1 << (info - 24)) : 1;
}

/** Replaces one head with another of the same major type and an interesting argument, in some width. */
const cborLength: Mutator = (input, rng) => {
  const heads = headOffsets(input);
  if (heads.length === 0) return input;
  const at = rng.pick(heads);
  const major = input[at]! >> 5;
  const arg = rng.pick(INTERESTING_ARGS);
  const width = rng.pick([0, 1, 2, 4, 8]);
  const fits = width === 0 ? arg < 24n : arg < 2n ** BigInt(8 * width);
  return splice(input, at, headLength(input, at), encodeHead(major, fits ? arg : arg & 0xffn, width));
};

/** Writes a head in a longer form than needed (non-canonical), keeping its value. */
const cborWiden: Mutator = (input, rng) => {
  const heads = headOffsets(input);
  if (heads.length === 0) return input;
  const at = rng.pick(heads);
  const initial = input[at]!;
  const info = initial & 0x1f;
  if (info > 27 || at + headLength(input, at) > input.length) return input;
  let arg = BigInt(info);
  if (info >= 24) {
    arg = 0n;
    for (let i = 1; i < headLength(input, at); i++) arg = arg * 256n + BigInt(input[at + i]!);
  }
  return splice(input, at, headLength(input, at), encodeHead(initial >> 5, arg, rng.pick([1, 2, 4, 8])));
};

/** Changes the major type of a head (an int becomes a float, a bstr a tstr, a map an array...). */
const cborMajor: Mutator = (input, rng) => {
  const heads = headOffsets(input);
  if (heads.length === 0) return input;
  const at = rng.pick(heads);
  const out = input.slice();
  out[at] = (rng.int(8) << 5) | (out[at]! & 0x1f);
  return out;
};

/** Makes a head indefinite-length, or a break, or a float/simple value. */
const cborSpecial: Mutator = (input, rng) => {
  const heads = headOffsets(input);
  if (heads.length === 0) return input;
  const at = rng.pick(heads);
  const special = rng.pick([
    0x5f, 0x7f, 0x9f, 0xbf, 0xff, 0xf4, 0xf5, 0xf6, 0xf7, 0xf9, 0xfa, 0xfb, 0x1f, 0xdf,
  ]);
  const out = input.slice();
  out[at] = special;
  return out;
};

/** Wraps an item in a tag (18, 24, 1, 2, 69, 28, 29, 55799 or random). */
const cborTag: Mutator = (input, rng) => {
  const heads = headOffsets(input);
  if (heads.length === 0) return input;
  const at = rng.pick(heads);
  const tag = rng.pick([18n, 24n, 1n, 2n, 3n, 27n, 28n, 29n, 69n, 55799n, BigInt(rng.u32())]);
  const width = tag < 24n ? 0 : tag < 256n ? 1 : tag < 65536n ? 2 : 4;
  return splice(input, at, 0, encodeHead(6, tag, width));
};

const bitFlip: Mutator = (input, rng) => {
  if (input.length === 0) return input;
  const out = input.slice();
  const flips = 1 + rng.int(4);
  for (let i = 0; i < flips; i++) out[rng.int(out.length)]! ^= 1 << rng.int(8);
  return out;
};

const byteSet: Mutator = (input, rng) => {
  if (input.length === 0) return input;
  const out = input.slice();
  out[rng.int(out.length)] = rng.pick([0x00, 0xff, 0x7f, 0x80, 0x17, 0x18, 0x1f, rng.int(256)]);
  return out;
};

const byteInsert: Mutator = (input, rng) =>
  splice(input, rng.int(input.length + 1), 0, rng.bytes(1 + rng.int(8)));

const byteDelete: Mutator = (input, rng) => {
  if (input.length === 0) return input;
  const at = rng.int(input.length);
  return splice(input, at, Math.min(1 + rng.int(8), input.length - at), new Uint8Array(0));
};

const truncate: Mutator = (input, rng) => input.subarray(0, rng.int(input.length + 1));

const duplicate: Mutator = (input, rng) => {
  if (input.length === 0) return input;
  const from = rng.int(input.length);
  const chunk = input.subarray(from, from + 1 + rng.int(32));
  return splice(input, rng.int(input.length + 1), 0, chunk);
};

/** The start of one envelope and the end of another (often another signer, kind or topic). */
const crossover: Mutator = (input, rng, other) => {
  const at = rng.int(input.length + 1);
  return splice(input, at, input.length - at, other.subarray(rng.int(other.length + 1)));
};

export const MUTATORS: ReadonlyArray<readonly [string, Mutator]> = [
  ['bit-flip', bitFlip],
  ['byte-set', byteSet],
  ['byte-insert', byteInsert],
  ['byte-delete', byteDelete],
  ['truncate', truncate],
  ['duplicate', duplicate],
  ['splice', crossover],
  ['cbor-length', cborLength],
  ['cbor-widen', cborWiden],
  ['cbor-major', cborMajor],
  ['cbor-special', cborSpecial],
  ['cbor-tag', cborTag],
];
