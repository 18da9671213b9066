/**
 * A strict CBOR reader for exactly the items plaza/1 uses, driven by the schema: it never skips, never
 * recurses on attacker-chosen depth, and rejects everything RFC 8949 section 4.2.1 calls non-deterministic
 * (why not a general decoder such as cbor-x: the package README, "Decisions").
 */
import type { RejectReason } from './types.js';

/** The CBOR major types (RFC 8949 section 3.1), the first three bits of every item head. */
export const [
  MAJOR_UINT,
  MAJOR_NINT,
  MAJOR_BYTES,
  MAJOR_TEXT,
  MAJOR_ARRAY,
  MAJOR_MAP,
  MAJOR_TAG,
  MAJOR_SIMPLE,
] = [0, 1, 2, 3, 4, 5, 6, 7] as const;

/** Thrown inside the decoder and turned into a rejection at the package boundary; never escapes. */
export class DecodeFailure {
  constructor(
    readonly reason: RejectReason,
    readonly detail: string,
  ) {}
}

export function fail(reason: RejectReason, detail: string): never {
  throw new DecodeFailure(reason, detail);
}

const MAJOR_NAMES = ['unsigned integer', 'negative integer', 'byte string', 'text string', 'array', 'map'];
const SIMPLE_FALSE = 20;
const SIMPLE_TRUE = 21;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads one item head at a time from `bytes[start, end)`. Every head is checked: no indefinite lengths,
 * no reserved additional information, shortest form only, arguments at most 2^53 - 1.
 */
export class StrictReader {
  pos: number;
  /** The argument of the last head read: the value, length or count. */
  arg = 0;
  /** For major type 7: the additional information of the last head (20 false, 21 true, 22 null...). */
  info = 0;
  bytes: Uint8Array;
  end: number;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
  }

  /** Reads `bytes[start, end)` from now on (one reader serves many messages). */
  restart(bytes: Uint8Array, start: number, end: number): void {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
    this.arg = 0;
    this.info = 0;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** Reads a head, returns its major type, sets `arg` (and `info`). */
  head(): number {
    const { bytes, end } = this;
    if (this.pos >= end) fail('malformed-cbor', 'truncated: expected a data item');
    const initial = bytes[this.pos++]!;
    const major = initial >> 5;
    const info = initial & 0x1f;
    this.info = info;
    if (info < 24) {
      this.arg = info;
      return major;
    }
    if (info === 31) {
      if (major === MAJOR_SIMPLE) fail('malformed-cbor', 'unexpected break code');
      if (major === MAJOR_UINT || major === MAJOR_NINT || major === MAJOR_TAG)
        fail('malformed-cbor', 'indefinite length on a type that has none');
      fail('indefinite-length', 'indefinite-length items are not allowed');
    }
    if (info > 27) fail('malformed-cbor', `reserved additional information ${info}`);
    const size = 1 << (info - 24);
    if (this.pos + size > end) fail('malformed-cbor', 'truncated item head');
    let value: number;
    const p = this.pos;
    if (size === 1) value = bytes[p]!;
    else if (size === 2) value = (bytes[p]! << 8) | bytes[p + 1]!;
    else if (size === 4)
      value = bytes[p]! * 0x1000000 + ((bytes[p + 1]! << 16) | (bytes[p + 2]! << 8) | bytes[p + 3]!);
    else {
      const high = bytes[p]! * 0x1000000 + ((bytes[p + 1]! << 16) | (bytes[p + 2]! << 8) | bytes[p + 3]!);
      const low = bytes[p + 4]! * 0x1000000 + ((bytes[p + 5]! << 16) | (bytes[p + 6]! << 8) | bytes[p + 7]!);
      // Floats (major 7) are refused by every caller; only integer-like arguments need the safe range.
      if (major !== MAJOR_SIMPLE && high > 0x1fffff)
        fail('invalid-field', 'integer or length above 2^53 - 1');
      value = high * 0x100000000 + low;
    }
    this.pos = p + size;
    if (major === MAJOR_SIMPLE) {
      // Floats are refused by type by every caller (plaza/1 has none); simple values 24..31 in one byte
      // are not well-formed (RFC 8949 section 3.3).
      if (info === 24 && value < 32) fail('malformed-cbor', 'two-byte simple value below 32');
      this.arg = value;
      return major;
    }
    if (value < (size === 1 ? 24 : size === 2 ? 0x100 : size === 4 ? 0x10000 : 0x100000000))
      fail('non-canonical-cbor', 'integer or length not in its shortest form');
    this.arg = value;
    return major;
  }

  /** Reads a head that must be of `major`; `what` names the field for the detail. */
  expect(major: number, what: string): number {
    const got = this.head();
    if (got !== major) wrongType(got, this.info, MAJOR_NAMES[major] ?? 'item', what);
    return this.arg;
  }

  /** Reads a byte string and returns a view (no copy) of its content. */
  bytesView(what: string, max: number): Uint8Array {
    const length = this.expect(MAJOR_BYTES, what);
    if (length > max) fail('invalid-field', `${what}: at most ${max} bytes`);
    return this.take(length);
  }

  /** Reads a text string (strict UTF-8). */
  text(what: string, maxBytes: number): string {
    const length = this.expect(MAJOR_TEXT, what);
    if (length > maxBytes) fail('invalid-field', `${what}: at most ${maxBytes} bytes`);
    const view = this.take(length);
    try {
      return strictUtf8.decode(view);
    } catch {
      return fail('invalid-utf8', `${what}: not valid UTF-8`);
    }
  }

  /** Reads an unsigned integer in `[0, max]`. */
  uint(what: string, max: number): number {
    const value = this.expect(MAJOR_UINT, what);
    if (value > max) fail('invalid-field', `${what}: at most ${max}`);
    // `arg` holds doubles too (times): made a small integer again, a status number is kept unboxed.
    return value <= 0x3fffffff ? value | 0 : value;
  }

  bool(what: string): boolean {
    const major = this.head();
    if (major === MAJOR_SIMPLE && this.info === SIMPLE_FALSE) return false;
    if (major === MAJOR_SIMPLE && this.info === SIMPLE_TRUE) return true;
    return wrongType(major, this.info, 'boolean', what);
  }

  take(length: number): Uint8Array {
    if (length > this.end - this.pos) fail('malformed-cbor', 'truncated: string longer than the input');
    const start = this.pos;
    this.pos += length;
    return this.bytes.subarray(start, this.pos);
  }

  /** {@link take} without a view. */
  skip(length: number): void {
    if (length > this.end - this.pos) fail('malformed-cbor', 'truncated: string longer than the input');
    this.pos += length;
  }
}

/** What a simple value (major type 7) is, by its additional information, for details. */
const SIMPLE_NAMES: Readonly<Record<number, string>> = {
  20: 'boolean',
  21: 'boolean',
  22: 'null',
  25: 'float',
  26: 'float',
  27: 'float',
};

function wrongType(major: number, info: number, expected: string, what: string): never {
  if (major === MAJOR_TAG) fail('unexpected-tag', `${what}: tags are not allowed here`);
  const got =
    major === MAJOR_SIMPLE ? (SIMPLE_NAMES[info] ?? 'simple value') : (MAJOR_NAMES[major] ?? 'item');
  return fail('invalid-field', `${what}: expected ${expected}, got ${got}`);
}

/**
 * Walks the keys of the map at the reader's position, unsigned integers in deterministic order. `known` is a
 * bit set of the keys the schema defines (0..30). Rule order: key type, known, duplicate, ascending order.
 * The count is not judged on its own (docs/PROTOCOL.md section 4.2): the first entry breaking a rule is.
 */
export class MapKeys {
  private seen = 0;
  private last = -1;
  remaining: number;

  constructor(
    private readonly reader: StrictReader,
    private readonly known: number,
    private readonly what: string,
  ) {
    this.remaining = reader.expect(MAJOR_MAP, what);
  }

  /** The next key, or -1 when the map is done. */
  next(): number {
    if (this.remaining === 0) return -1;
    this.remaining--;
    const r = this.reader;
    const major = r.head();
    if (major !== MAJOR_UINT) {
      if (major === MAJOR_TAG) fail('unexpected-tag', `${this.what}: tags are not allowed here`);
      fail('unknown-field', `${this.what}: keys are unsigned integers`);
    }
    const key = r.arg;
    if (key > 30 || ((this.known >>> key) & 1) === 0)
      fail('unknown-field', `${this.what}: unknown key ${key}`);
    const bit = 1 << key;
    if (this.seen & bit) fail('duplicate-key', `${this.what}: key ${key} appears twice`);
    if (key < this.last) fail('non-canonical-cbor', `${this.what}: keys not in ascending order`);
    this.seen |= bit;
    this.last = key;
    return key;
  }

  has(key: number): boolean {
    return ((this.seen >>> key) & 1) === 1;
  }

  require(required: number): void {
    const missing = required & ~this.seen;
    if (missing === 0) return;
    const key = 31 - Math.clz32(missing & -missing);
    fail('missing-field', `${this.what}: key ${key} is required`);
  }
}

/** Bit set of keys, for {@link MapKeys}. */
export function keys(...list: number[]): number {
  let set = 0;
  for (const k of list) set |= 1 << k;
  return set;
}
