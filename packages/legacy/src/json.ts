/**
 * A strict, bounded JSON reader for the Go wire. RFC 8259 grammar only (no BOM, no comments, no trailing
 * commas), refused before anything is built when the bytes are too many; strings must be valid UTF-8 and
 * escapes may not leave a lone surrogate (Go would silently turn both into U+FFFD, so the bytes signed and
 * the text read would differ); objects may not repeat a key; nesting is bounded. Numbers are kept as their
 * source text, so a nanosecond `ts` above 2^53 loses nothing. Objects and arrays remember where they sit
 * in the text, so a newspaper's `Status` can be verified over its bytes as received.
 */
import { refuse } from './reasons.js';

/** A JSON value as read: objects and arrays keep their members in order and their span in the text. */
export type Json = JsonObject | JsonArray | JsonNumber | string | boolean | null;

export interface JsonObject {
  readonly type: 'object';
  readonly members: readonly Member[];
  /** Index in the text of `{`, and one past `}`. */
  readonly start: number;
  readonly end: number;
}

export interface Member {
  readonly key: string;
  readonly value: Json;
}

export interface JsonArray {
  readonly type: 'array';
  readonly items: readonly Json[];
  readonly start: number;
  readonly end: number;
}

export interface JsonNumber {
  readonly type: 'number';
  /** The number exactly as written (RFC 8259 grammar). */
  readonly text: string;
}

/** What {@link parseJson} returns: the value and the text it was read from (for spans). */
export interface ParsedJson {
  readonly value: Json;
  readonly text: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads `bytes` as one JSON value. Size is checked first (`empty`, `too-large`), then UTF-8, then the
 * grammar; every failure is a refusal with its reason.
 */
export function parseJson(bytes: Uint8Array, maxBytes: number, maxDepth: number): ParsedJson {
  if (bytes.length === 0) refuse('empty', 'no bytes');
  if (bytes.length > maxBytes) refuse('too-large', `${bytes.length} bytes, at most ${maxBytes}`);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    refuse('invalid-utf8', 'the bytes are not valid UTF-8');
  }
  const reader = new Reader(text, maxDepth);
  reader.space();
  const value = reader.value(0);
  reader.space();
  if (reader.at < text.length) refuse('malformed-json', `trailing bytes at ${reader.at}`);
  return { value, text };
}

enum C {
  Tab = 9,
  Lf = 10,
  Cr = 13,
  Space = 32,
  Quote = 34,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  Zero = 48,
  Nine = 57,
  Colon = 58,
  UpperE = 69,
  Backslash = 92,
  OpenBracket = 91,
  CloseBracket = 93,
  LowerE = 101,
  OpenBrace = 123,
  CloseBrace = 125,
}

const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

class Reader {
  at = 0;
  constructor(
    readonly text: string,
    readonly maxDepth: number,
  ) {}

  space(): void {
    const t = this.text;
    let c = t.charCodeAt(this.at);
    while (c === C.Space || c === C.Lf || c === C.Cr || c === C.Tab) c = t.charCodeAt(++this.at);
  }

  fail(what: string): never {
    if (this.at >= this.text.length) refuse('malformed-json', `unexpected end of JSON (${what})`);
    refuse('malformed-json', `${what} at ${this.at}`);
  }

  value(depth: number): Json {
    const c = this.text.charCodeAt(this.at);
    if (c === C.OpenBrace) return this.object(depth + 1);
    if (c === C.OpenBracket) return this.array(depth + 1);
    if (c === C.Quote) return this.string();
    if (c === C.Minus || (c >= C.Zero && c <= C.Nine)) return this.number();
    if (this.text.startsWith('true', this.at)) return this.literal(4, true);
    if (this.text.startsWith('false', this.at)) return this.literal(5, false);
    if (this.text.startsWith('null', this.at)) return this.literal(4, null);
    return this.fail('expected a value');
  }

  literal<T>(length: number, value: T): T {
    this.at += length;
    return value;
  }

  object(depth: number): JsonObject {
    if (depth > this.maxDepth) refuse('too-deep', `nested deeper than ${this.maxDepth}`);
    const start = this.at++;
    const members: Member[] = [];
    const seen = new Set<string>();
    this.space();
    if (this.text.charCodeAt(this.at) === C.CloseBrace) {
      this.at++;
      return { type: 'object', members, start, end: this.at };
    }
    for (;;) {
      this.space();
      if (this.text.charCodeAt(this.at) !== C.Quote) this.fail('expected a key');
      const key = this.string();
      if (seen.has(key)) refuse('duplicate-key', `key ${JSON.stringify(key.slice(0, 40))} twice`);
      seen.add(key);
      this.space();
      if (this.text.charCodeAt(this.at) !== C.Colon) this.fail('expected ":"');
      this.at++;
      this.space();
      members.push({ key, value: this.value(depth) });
      this.space();
      const c = this.text.charCodeAt(this.at++);
      if (c === C.CloseBrace) return { type: 'object', members, start, end: this.at };
      if (c !== C.Comma) {
        this.at--;
        this.fail('expected "," or "}"');
      }
    }
  }

  array(depth: number): JsonArray {
    if (depth > this.maxDepth) refuse('too-deep', `nested deeper than ${this.maxDepth}`);
    const start = this.at++;
    const items: Json[] = [];
    this.space();
    if (this.text.charCodeAt(this.at) === C.CloseBracket) {
      this.at++;
      return { type: 'array', items, start, end: this.at };
    }
    for (;;) {
      this.space();
      items.push(this.value(depth));
      this.space();
      const c = this.text.charCodeAt(this.at++);
      if (c === C.CloseBracket) return { type: 'array', items, start, end: this.at };
      if (c !== C.Comma) {
        this.at--;
        this.fail('expected "," or "]"');
      }
    }
  }

  string(): string {
    const t = this.text;
    let i = ++this.at;
    let out = '';
    let from = i;
    for (;;) {
      if (i >= t.length) {
        this.at = i;
        this.fail('unterminated string');
      }
      const c = t.charCodeAt(i);
      if (c === C.Quote) break;
      if (c < 0x20) {
        this.at = i;
        this.fail('control character in a string');
      }
      if (c !== C.Backslash) {
        i++;
        continue;
      }
      out += t.slice(from, i);
      const e = t[i + 1] ?? '';
      if (e === 'u') {
        const unit = this.hex4(i + 2);
        i += 6;
        if (unit >= 0xd800 && unit <= 0xdbff) {
          const low = t.startsWith('\\u', i) ? this.hex4(i + 2) : -1;
          if (low < 0xdc00 || low > 0xdfff)
            refuse('lone-surrogate', `escape \\u${hex(unit)} has no low half`);
          out += String.fromCharCode(unit, low);
          i += 6;
        } else if (unit >= 0xdc00 && unit <= 0xdfff) {
          refuse('lone-surrogate', `escape \\u${hex(unit)} has no high half`);
        } else out += String.fromCharCode(unit);
      } else {
        const plain = ESCAPES[e];
        if (plain === undefined) {
          this.at = i;
          this.fail('bad escape');
        }
        out += plain;
        i += 2;
      }
      from = i;
    }
    this.at = i + 1;
    return out + t.slice(from, i);
  }

  hex4(at: number): number {
    const digits = this.text.slice(at, at + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) {
      this.at = at;
      this.fail('bad \\u escape');
    }
    return Number.parseInt(digits, 16);
  }

  number(): JsonNumber {
    const t = this.text;
    const start = this.at;
    let i = start;
    if (t.charCodeAt(i) === C.Minus) i++;
    const first = t.charCodeAt(i);
    if (first === C.Zero) i++;
    else if (first > C.Zero && first <= C.Nine) i = digits(t, i);
    else {
      this.at = i;
      this.fail('bad number');
    }
    if (t.charCodeAt(i) === C.Dot) {
      const after = digits(t, i + 1);
      if (after === i + 1) {
        this.at = i;
        this.fail('bad number');
      }
      i = after;
    }
    const e = t.charCodeAt(i);
    if (e === C.LowerE || e === C.UpperE) {
      i++;
      const sign = t.charCodeAt(i);
      if (sign === C.Plus || sign === C.Minus) i++;
      const after = digits(t, i);
      if (after === i) {
        this.at = i;
        this.fail('bad number');
      }
      i = after;
    }
    this.at = i;
    return { type: 'number', text: t.slice(start, i) };
  }
}

function digits(t: string, i: number): number {
  let c = t.charCodeAt(i);
  while (c >= C.Zero && c <= C.Nine) c = t.charCodeAt(++i);
  return i;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function hex(unit: number): string {
  return unit.toString(16).padStart(4, '0');
}

/**
 * Go's key folding for struct fields (encoding/json `foldName`): ASCII letters upper-cased, and the two
 * non-ASCII runes whose case orbit holds an ASCII letter folded to it (U+017F LATIN SMALL LETTER LONG S is
 * `S`, U+212A KELVIN SIGN is `K`). Go matches a key to a field exactly first, then by this fold; we match
 * by the fold only and refuse two keys of one object that fold alike, so no key order decides anything.
 */
export function goFold(key: string): string {
  // Printable ASCII (every key Go writes): the native upper-casing is the fold.
  if (PRINTABLE_ASCII.test(key)) return key.toUpperCase();
  let out = '';
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) out += String.fromCharCode(c - 32);
    else if (c === 0x17f) out += 'S';
    else if (c === 0x212a) out += 'K';
    else out += key[i];
  }
  return out;
}
