/**
 * A strict CBOR reader and a deterministic writer for exactly the items plaza/1 uses: unsigned and negative
 * integers, byte and text strings, arrays, maps with unsigned-integer keys, true/false, null and tag 18.
 *
 * Why not a general decoder: a general decoder turns tags into live objects (RegExp, typed arrays, cycles),
 * decodes bignums in quadratic time, and reports duplicate keys as last-wins (HOSTILE-NOTES). The plaza/1
 * grammar is fixed and tiny, so the reader is driven by the schema: it never skips, never recurses on
 * attacker-chosen depth, and rejects everything RFC 8949 section 4.2.1 calls non-deterministic.
 */
import type { RejectReason } from './types.js';

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

export const MAJOR_UINT = 0;
export const MAJOR_NINT = 1;
export const MAJOR_BYTES = 2;
export const MAJOR_TEXT = 3;
export const MAJOR_ARRAY = 4;
export const MAJOR_MAP = 5;
export const MAJOR_TAG = 6;
export const MAJOR_SIMPLE = 7;

const MAJOR_NAMES = ['unsigned integer', 'negative integer', 'byte string', 'text string', 'array', 'map'];
const SIMPLE_FALSE = 20;
const SIMPLE_TRUE = 21;
const SIMPLE_NULL = 22;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Short strings seen recently, by a hash of their UTF-8 bytes. A plaza's text repeats (every newspaper of a
 * sender carries its name, ID, flair, version...): a hit costs one pass over the bytes and no allocation,
 * where decoding costs a call into TextDecoder and a new string, and receivers (the peer registry) then
 * share one string instead of keeping a copy per message. A hit is only taken when the received bytes are
 * exactly the UTF-8 encoding of the stored string, so a hash collision, chosen or not, only costs a miss.
 * Bounded: cleared when full.
 *
 * The table holds the strings alone, compared with the bytes by encoding them on the fly: a copy of each
 * string's bytes beside it was two more objects per string to fetch from memory on every lookup (nine
 * strings a newspaper, all of them cold again by the time their sender speaks next).
 */
const INTERN_MAX_BYTES = 64;
const INTERN_CAPACITY = 8192;
const internTable = new Map<number, string>();

function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  // The length and up to four bytes at each end (FNV-1a over them): constant time, and distinct for the
  // strings a plaza repeats, which differ at their ends (name-123, IDs). A collision only costs a miss.
  const n = end - start;
  let h = Math.imul(0x811c9dc5 ^ n, 0x01000193);
  const head = Math.min(n, 4);
  for (let i = 0; i < head; i++) h = Math.imul(h ^ bytes[start + i]!, 0x01000193);
  for (let i = end - head; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  // 30 bits: a small integer, which a Map hashes without a heap number per lookup.
  return h & 0x3fffffff;
}

/**
 * Whether `bytes[start, end)` is exactly the UTF-8 encoding of `text`. The stored strings come from the
 * strict (fatal) decoder, so they hold no lone surrogates and have exactly one encoding: equal bytes here
 * means that decoding the received bytes would give this very string.
 */
export function isUtf8Of(text: string, bytes: Uint8Array, start: number, end: number): boolean {
  let p = start;
  const n = text.length;
  // As many bytes as UTF-16 units: equal only if every unit is ASCII and equals its byte (the common case,
  // names and IDs, in one tight loop).
  if (n === end - start) {
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c !== bytes[start + i] || c >= 0x80) return false;
    }
    return true;
  }
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if (p >= end || bytes[p] !== c) return false;
      p += 1;
    } else if (c < 0x800) {
      if (p + 2 > end || bytes[p] !== (0xc0 | (c >> 6)) || bytes[p + 1] !== (0x80 | (c & 0x3f))) return false;
      p += 2;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      // A surrogate pair (a lone one cannot be in a stored string, see above): four bytes.
      const cp = 0x10000 + ((c - 0xd800) << 10) + (text.charCodeAt(i + 1) - 0xdc00);
      i += 1;
      if (
        p + 4 > end ||
        bytes[p] !== (0xf0 | (cp >> 18)) ||
        bytes[p + 1] !== (0x80 | ((cp >> 12) & 0x3f)) ||
        bytes[p + 2] !== (0x80 | ((cp >> 6) & 0x3f)) ||
        bytes[p + 3] !== (0x80 | (cp & 0x3f))
      )
        return false;
      p += 4;
    } else {
      if (
        p + 3 > end ||
        bytes[p] !== (0xe0 | (c >> 12)) ||
        bytes[p + 1] !== (0x80 | ((c >> 6) & 0x3f)) ||
        bytes[p + 2] !== (0x80 | (c & 0x3f))
      )
        return false;
      p += 3;
    }
  }
  return p === end;
}

/**
 * Whether `bytes[start, end)` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
 * above U+10FFFF, no truncated sequence): exactly the inputs the strict (fatal) TextDecoder accepts, checked
 * without making a string. The verifier validates the text of a status this way and decodes it only when
 * someone reads the status.
 */
export function isWellFormedUtf8(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    const c = bytes[i]!;
    if (c < 0x80) {
      i += 1;
    } else if (c < 0xc2) {
      // A continuation byte where a sequence should start, or an overlong two-byte form (C0, C1).
      return false;
    } else if (c < 0xe0) {
      if (i + 1 >= end || (bytes[i + 1]! & 0xc0) !== 0x80) return false;
      i += 2;
    } else if (c < 0xf0) {
      if (i + 2 >= end) return false;
      const c1 = bytes[i + 1]!;
      if ((c1 & 0xc0) !== 0x80 || (bytes[i + 2]! & 0xc0) !== 0x80) return false;
      // E0 80..9F would be overlong; ED A0..BF would encode a surrogate.
      if ((c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 >= 0xa0)) return false;
      i += 3;
    } else if (c < 0xf5) {
      if (i + 3 >= end) return false;
      const c1 = bytes[i + 1]!;
      if ((c1 & 0xc0) !== 0x80 || (bytes[i + 2]! & 0xc0) !== 0x80 || (bytes[i + 3]! & 0xc0) !== 0x80)
        return false;
      // F0 80..8F would be overlong; F4 90..BF would be above U+10FFFF.
      if ((c === 0xf0 && c1 < 0x90) || (c === 0xf4 && c1 >= 0x90)) return false;
      i += 4;
    } else {
      return false;
    }
  }
  return true;
}

function interned(bytes: Uint8Array, start: number, end: number): string | undefined {
  const hit = internTable.get(hashBytes(bytes, start, end));
  if (hit === undefined || !isUtf8Of(hit, bytes, start, end)) return undefined;
  return hit;
}

function intern(view: Uint8Array, text: string): void {
  if (internTable.size >= INTERN_CAPACITY) internTable.clear();
  internTable.set(hashBytes(view, 0, view.length), text);
}

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

  /** Reads `bytes[start, end)` from now on: one reader serves many messages. */
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
      // Floats carry their bits, not an integer: shortest-form rules for them are the float rules, and
      // plaza/1 has no floats at all, so callers reject them by type. Simple values 24..31 as one byte
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
    // The common case, a one-byte head of the expected type (argument below 24), needs no decoding.
    const pos = this.pos;
    if (pos < this.end) {
      const initial = this.bytes[pos]!;
      if (initial >> 5 === major && (initial & 0x1f) < 24) {
        this.pos = pos + 1;
        this.info = initial & 0x1f;
        this.arg = this.info;
        return this.arg;
      }
    }
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
    if (length > this.end - this.pos) fail('malformed-cbor', 'truncated: string longer than the input');
    if (length <= INTERN_MAX_BYTES) {
      const start = this.pos;
      const known = interned(this.bytes, start, start + length);
      if (known !== undefined) {
        this.pos = start + length;
        return known;
      }
    }
    const view = this.take(length);
    let text: string;
    try {
      text = strictUtf8.decode(view);
    } catch {
      return fail('invalid-utf8', `${what}: not valid UTF-8`);
    }
    if (length <= INTERN_MAX_BYTES) intern(view, text);
    return text;
  }

  /**
   * Checks a text string as {@link text} does (same checks, order, reasons and details) without decoding it;
   * returns the position of its first byte (its length is in `arg`).
   */
  checkText(what: string, maxBytes: number): number {
    const length = this.expect(MAJOR_TEXT, what);
    if (length > maxBytes) fail('invalid-field', `${what}: at most ${maxBytes} bytes`);
    if (length > this.end - this.pos) fail('malformed-cbor', 'truncated: string longer than the input');
    const start = this.pos;
    if (!isWellFormedUtf8(this.bytes, start, start + length))
      fail('invalid-utf8', `${what}: not valid UTF-8`);
    this.pos = start + length;
    return start;
  }

  /**
   * Reads the next item if it is a text string whose bytes are exactly the UTF-8 encoding of `text` (a
   * string the caller already checked); otherwise reads nothing. A match needs no decoding, no string and
   * no lookup; a caller that gets `false` reads the item the ordinary way.
   */
  textEquals(text: string): boolean {
    const pos = this.pos;
    if (pos >= this.end) return false;
    const initial = this.bytes[pos]!;
    let length: number;
    let start: number;
    if (initial >= 0x60 && initial < 0x78) {
      length = initial - 0x60;
      start = pos + 1;
    } else if (initial === 0x78 && pos + 1 < this.end && this.bytes[pos + 1]! >= 24) {
      length = this.bytes[pos + 1]!;
      start = pos + 2;
    } else {
      return false;
    }
    if (length > this.end - start || !isUtf8Of(text, this.bytes, start, start + length)) return false;
    this.pos = start + length;
    this.arg = length;
    return true;
  }

  /** Reads an unsigned integer in `[0, max]`. */
  uint(what: string, max: number): number {
    // Integers below 2^16 are most of them (status numbers, counters): read in place, with the same checks
    // as `head` (shortest form) and the same order (shortest form, then the limit). The rest take `head`.
    const pos = this.pos;
    const bytes = this.bytes;
    if (pos + 2 < this.end) {
      const initial = bytes[pos]!;
      let value = -1;
      let size = 0;
      if (initial < 24) {
        value = initial;
      } else if (initial === 0x18) {
        value = bytes[pos + 1]!;
        size = 1;
        if (value < 24) fail('non-canonical-cbor', 'integer or length not in its shortest form');
      } else if (initial === 0x19) {
        value = (bytes[pos + 1]! << 8) | bytes[pos + 2]!;
        size = 2;
        if (value < 0x100) fail('non-canonical-cbor', 'integer or length not in its shortest form');
      } else if (initial === 0x1b && pos + 8 < this.end && bytes[pos + 1] === 0 && bytes[pos + 2]! < 0x20) {
        // Eight bytes below 2^53 (times, sequence numbers): the high word is at most 21 bits.
        const high = (bytes[pos + 2]! << 16) | (bytes[pos + 3]! << 8) | bytes[pos + 4]!;
        const low =
          bytes[pos + 5]! * 0x1000000 + ((bytes[pos + 6]! << 16) | (bytes[pos + 7]! << 8) | bytes[pos + 8]!);
        if (high === 0) fail('non-canonical-cbor', 'integer or length not in its shortest form');
        value = high * 0x100000000 + low;
        size = 8;
      }
      if (value >= 0) {
        if (value > max) fail('invalid-field', `${what}: at most ${max}`);
        this.pos = pos + 1 + size;
        this.arg = value;
        this.info = initial & 0x1f;
        return value;
      }
    }
    const value = this.expect(MAJOR_UINT, what);
    if (value > max) fail('invalid-field', `${what}: at most ${max}`);
    return value;
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

  /** Like {@link take}, without making a view: for content only its position is needed of. */
  skip(length: number): void {
    if (length > this.end - this.pos) fail('malformed-cbor', 'truncated: string longer than the input');
    this.pos += length;
  }
}

function wrongType(major: number, info: number, expected: string, what: string): never {
  let got = MAJOR_NAMES[major];
  if (major === MAJOR_TAG) fail('unexpected-tag', `${what}: tags are not allowed here`);
  if (major === MAJOR_SIMPLE)
    got =
      info === SIMPLE_FALSE || info === SIMPLE_TRUE
        ? 'boolean'
        : info === SIMPLE_NULL
          ? 'null'
          : info >= 25 && info <= 27
            ? 'float'
            : 'simple value';
  return fail('invalid-field', `${what}: expected ${expected}, got ${got ?? 'item'}`);
}

/**
 * Walks the keys of a map with unsigned-integer keys in deterministic order. `known` is a bit set of the
 * keys the schema defines (keys 0..30). Rule order: key type, known, duplicate, ascending order.
 */
export class MapKeys {
  private seen = 0;
  private last = -1;
  remaining = 0;
  private reader!: StrictReader;
  private known = 0;
  private what = '';

  /** Reads the map head at the reader's position (without arguments: an idle walker for {@link start}). */
  constructor(reader?: StrictReader, known = 0, what = '', maxEntries = 31) {
    if (reader !== undefined) this.start(reader, known, what, maxEntries);
  }

  /**
   * Starts walking the map at the reader's position, as the constructor does: a walker kept for the hot path
   * (one per nesting level) is restarted, not made anew, for each map of each message.
   */
  start(reader: StrictReader, known: number, what: string, maxEntries = 31): this {
    this.reader = reader;
    this.known = known;
    this.what = what;
    this.seen = 0;
    this.last = -1;
    this.remaining = reader.expect(MAJOR_MAP, what);
    if (this.remaining > maxEntries) fail('unknown-field', `${what}: more entries than the schema has`);
    return this;
  }

  /** The next key, or -1 when the map is done. */
  next(): number {
    if (this.remaining === 0) return -1;
    this.remaining--;
    const r = this.reader;
    let key: number;
    // Every plaza/1 key is below 24, a one-byte head: read it directly.
    const initial = r.pos < r.end ? r.bytes[r.pos]! : 0xff;
    if (initial < 24) {
      r.pos++;
      key = initial;
    } else {
      const major = r.head();
      if (major !== MAJOR_UINT) {
        if (major === MAJOR_TAG) fail('unexpected-tag', `${this.what}: tags are not allowed here`);
        fail('unknown-field', `${this.what}: keys are unsigned integers`);
      }
      key = r.arg;
    }
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

const encoder = new TextEncoder();

/**
 * A growable byte area reused across calls. Typed arrays above 64 bytes live off the V8 heap and cost far
 * more to allocate than to fill, so the hot paths write into scratch space and copy once into the result.
 * A view from `get` is valid until the next `get` on the same scratch.
 */
export class Scratch {
  private buf: Uint8Array;
  /**
   * The views handed out, by length: a receiver sees the same few lengths again and again, and a new view
   * per call was a tenth of the allocation of a verified envelope.
   */
  private views: (Uint8Array | undefined)[] = [];

  constructor(initial = 1024) {
    this.buf = new Uint8Array(initial);
  }

  get(length: number): Uint8Array {
    const known = this.views[length];
    if (known !== undefined) return known;
    if (length > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < length) size *= 2;
      this.buf = new Uint8Array(size);
      this.views = [];
    }
    const view = this.buf.subarray(0, length);
    // Bounded, and a dense enough array to stay one.
    if (length <= 4096) this.views[length] = view;
    return view;
  }
}

const POOL_SIZE = 64 * 1024;

/**
 * Small byte arrays carved from 64 KiB chunks (as Node's Buffer does), so that each one does not pay for an
 * off-heap allocation of its own. A carved array's `.buffer` holds other arrays of the same pool.
 */
export class BytePool {
  // The first chunk is made on first use.
  private chunk = new ArrayBuffer(0);
  private offset: number;

  /** Chunks of `chunkSize` bytes; arrays above an eighth of it get an ArrayBuffer of their own. */
  constructor(private readonly chunkSize = POOL_SIZE) {
    this.offset = chunkSize;
  }

  /** A zero-filled Uint8Array of `length` bytes (its own ArrayBuffer when large). */
  take(length: number): Uint8Array {
    const size = this.chunkSize;
    if (length > size / 8) return new Uint8Array(length);
    if (this.offset + length > size) {
      this.chunk = new ArrayBuffer(size);
      this.offset = 0;
    }
    const view = new Uint8Array(this.chunk, this.offset, length);
    this.offset += (length + 7) & ~7;
    return view;
  }
}

const shared = new BytePool();

/**
 * A zero-filled Uint8Array of `length` bytes from the pool shared by everything this package hands out
 * (signed envelopes, a verified envelope's key and epoch), so that each does not pay for an off-heap
 * allocation. Its `.buffer` may hold other such arrays; private state never comes from this pool.
 */
export function allocate(length: number): Uint8Array {
  return shared.take(length);
}

/** A copy of `length` bytes of `from` at `at`, from the shared pool (no ArrayBuffer, no view of `from`). */
export function copyOut(from: Uint8Array, at: number, length: number): Uint8Array {
  const out = allocate(length);
  for (let i = 0; i < length; i++) out[i] = from[at + i]!;
  return out;
}

/** Appends deterministic CBOR (RFC 8949 section 4.2.1) to a growing buffer. Callers write map keys in order. */
export class Writer {
  private buf: Uint8Array;
  length = 0;

  /** Writes into `buf` (for example scratch space), growing into a new array only if it is too small. */
  constructor(buf: Uint8Array) {
    this.buf = buf;
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  head(major: number, value: number): void {
    this.room(9);
    const b = this.buf;
    let p = this.length;
    const m = major << 5;
    if (value < 24) b[p++] = m | value;
    else if (value < 0x100) {
      b[p++] = m | 24;
      b[p++] = value;
    } else if (value < 0x10000) {
      b[p++] = m | 25;
      b[p++] = value >>> 8;
      b[p++] = value & 0xff;
    } else if (value < 0x100000000) {
      b[p++] = m | 26;
      b[p++] = value >>> 24;
      b[p++] = (value >>> 16) & 0xff;
      b[p++] = (value >>> 8) & 0xff;
      b[p++] = value & 0xff;
    } else {
      const high = Math.floor(value / 0x100000000);
      const low = value >>> 0;
      b[p++] = m | 27;
      b[p++] = high >>> 24;
      b[p++] = (high >>> 16) & 0xff;
      b[p++] = (high >>> 8) & 0xff;
      b[p++] = high & 0xff;
      b[p++] = low >>> 24;
      b[p++] = (low >>> 16) & 0xff;
      b[p++] = (low >>> 8) & 0xff;
      b[p++] = low & 0xff;
    }
    this.length = p;
  }

  uint(value: number): void {
    this.head(MAJOR_UINT, value);
  }

  bytes(value: Uint8Array): void {
    this.head(MAJOR_BYTES, value.length);
    this.raw(value);
  }

  text(value: string): void {
    // Short ASCII strings (names, IDs, versions) are copied unit by unit: cheaper than a call into encodeInto.
    const n = value.length;
    if (n < 24) {
      this.room(n + 1);
      const b = this.buf;
      const start = this.length + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x80) break;
        b[start + i] = c;
      }
      if (i === n) {
        b[this.length] = (MAJOR_TEXT << 5) | n;
        this.length = start + n;
        return;
      }
    }
    // Worst case 3 bytes per UTF-16 unit; encodeInto writes in place, then the head is fixed up.
    const max = value.length * 3;
    this.room(max + 9);
    const headSize = max < 24 ? 1 : max < 0x100 ? 2 : max < 0x10000 ? 3 : 5;
    const start = this.length + headSize;
    const { written } = encoder.encodeInto(value, this.buf.subarray(start, start + max));
    const actualHead = written < 24 ? 1 : written < 0x100 ? 2 : written < 0x10000 ? 3 : 5;
    if (actualHead !== headSize) this.buf.copyWithin(this.length + actualHead, start, start + written);
    this.head(MAJOR_TEXT, written);
    this.length += written;
  }

  bool(value: boolean): void {
    this.room(1);
    this.buf[this.length++] = value ? 0xf5 : 0xf4;
  }

  raw(value: Uint8Array): void {
    this.room(value.length);
    this.buf.set(value, this.length);
    this.length += value.length;
  }

  /** The written bytes (a view; the writer must not be used afterwards). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** The length of the head that encodes `value`. */
export function headLength(value: number): number {
  return value < 24 ? 1 : value < 0x100 ? 2 : value < 0x10000 ? 3 : value < 0x100000000 ? 5 : 9;
}

/** Writes the head of major type `major` with argument `value` into `out` at `offset`; returns the new offset. */
export function writeHead(out: Uint8Array, offset: number, major: number, value: number): number {
  const m = major << 5;
  let p = offset;
  if (value < 24) out[p++] = m | value;
  else if (value < 0x100) {
    out[p++] = m | 24;
    out[p++] = value;
  } else if (value < 0x10000) {
    out[p++] = m | 25;
    out[p++] = value >>> 8;
    out[p++] = value & 0xff;
  } else {
    out[p++] = m | 26;
    out[p++] = value >>> 24;
    out[p++] = (value >>> 16) & 0xff;
    out[p++] = (value >>> 8) & 0xff;
    out[p++] = value & 0xff;
  }
  return p;
}
