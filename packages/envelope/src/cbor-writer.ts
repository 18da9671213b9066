/** A deterministic CBOR writer (RFC 8949 section 4.2.1) for the items plaza/1 uses. */
import { MAJOR_BYTES, MAJOR_TEXT, MAJOR_UINT } from './cbor-major.js';

const encoder = new TextEncoder();

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
