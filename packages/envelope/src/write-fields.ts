/**
 * Writes the fields of plaza/1 from what a caller gives, checking each (InvalidContentError otherwise, with
 * the path of the field): the tables of schema.ts, and the checks the payload writer shares.
 */
import type { Writer } from './cbor-writer.js';
import { InvalidContentError } from './errors.js';
import { isBase58, MAX_NARA_ID } from './names.js';
import type { Field, Table } from './schema.js';
import type { RejectReason } from './types.js';

const COLOUR = /^#[0-9a-f]{6}$/;
const AURA_KEYS = new Set(['primary', 'secondary']);

export function bad(reason: RejectReason, message: string): never {
  throw new InvalidContentError(reason, message);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

export function checkUint(value: unknown, what: string, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > max)
    bad('invalid-field', `${what} must be an integer from 0 to ${max}`);
  return value;
}

export function writeText(w: Writer, value: unknown, what: string, max: number): void {
  if (typeof value !== 'string') bad('invalid-field', `${what} must be a string`);
  // Lone surrogates would become U+FFFD on the way out: refuse them rather than sign a changed string.
  if (hasSurrogates(value) && LONE_SURROGATE.test(value))
    bad('invalid-utf8', `${what} must be well-formed Unicode`);
  if (value.length > max || (value.length * 3 > max && utf8Length(value) > max))
    bad('invalid-field', `${what} must be at most ${max} bytes of UTF-8`);
  w.text(value);
}

const LONE_SURROGATE = /\p{Cs}/u;

/** Whether `value` has any surrogate unit: a loop over a short string is cheaper than the RegExp. */
function hasSurrogates(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return true;
  }
  return false;
}

function utf8Length(value: string): number {
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Rejects keys the schema does not define, so a typo is not silently dropped from a signed message. */
export function checkKeys(value: Record<string, unknown>, allowed: ReadonlySet<string>, what: string): void {
  for (const key in value)
    if (value[key] !== undefined && !allowed.has(key)) bad('unknown-field', `${what} has no field ${key}`);
}

/** Values of the fields of the map being written, read once per field (keyed reads are the cost here). */
const values: unknown[] = [];

/** Writes `value` as a map of `table`; `what` is its path in the content, for messages. */
export function writeTable(w: Writer, value: unknown, table: Table, what: string): void {
  if (!isRecord(value)) bad('invalid-field', `${what} must be an object`);
  checkKeys(value, table.names, what);
  const { fields, required } = table;
  // Nested maps (hostStats in status) write after their parent has read its values: keep a frame each.
  const base = values.length;
  let count = 0;
  for (const field of fields) {
    const v = value[field.name];
    values.push(v);
    if (v !== undefined) count++;
    else if ((required >>> field.key) & 1) bad('missing-field', `${what}.${field.name} is required`);
  }
  try {
    w.head(5, count);
    for (let i = 0; i < fields.length; i++) {
      const v = values[base + i];
      if (v === undefined) continue;
      const field = fields[i]!;
      w.uint(field.key);
      writeField(w, v, field, what);
    }
  } finally {
    values.length = base;
  }
}

/** Writes one present field; the path for a message is only built when the value is refused. */
function writeField(w: Writer, v: unknown, field: Field, what: string): void {
  switch (field.type) {
    case 'uint':
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > field.max)
        checkUint(v, `${what}.${field.name}`, field.max);
      w.uint(v as number);
      return;
    case 'text':
      if (field.values && !field.values.includes(v as string))
        bad('invalid-field', `${what}.${field.name} must be one of ${field.values.join(', ')}`);
      if (typeof v === 'string' && v.length <= field.max && !hasSurrogates(v) && v.length * 3 <= field.max)
        w.text(v);
      else writeText(w, v, `${what}.${field.name}`, field.max);
      return;
    case 'bool':
      if (typeof v !== 'boolean') bad('invalid-field', `${what}.${field.name} must be a boolean`);
      w.bool(v);
      return;
    case 'map':
      writeTable(w, v, field.table, `${what}.${field.name}`);
      return;
    case 'colours': {
      const path = `${what}.${field.name}`;
      if (!isRecord(v)) bad('invalid-field', `${path} must be an object`);
      checkKeys(v, AURA_KEYS, path);
      w.head(5, 2);
      const primary = v.primary;
      const secondary = v.secondary;
      if (typeof primary !== 'string' || !COLOUR.test(primary))
        bad('invalid-field', `${path}.primary must be a lowercase #rrggbb colour`);
      if (typeof secondary !== 'string' || !COLOUR.test(secondary))
        bad('invalid-field', `${path}.secondary must be a lowercase #rrggbb colour`);
      w.uint(0);
      w.uint(Number.parseInt(primary.slice(1), 16));
      w.uint(1);
      w.uint(Number.parseInt(secondary.slice(1), 16));
      return;
    }
  }
}

export function writeNaraId(w: Writer, value: unknown, what: string): void {
  if (typeof value !== 'string' || !isBase58(value))
    bad('invalid-field', `${what} must be base58, 1 to ${MAX_NARA_ID} characters`);
  w.text(value);
}
