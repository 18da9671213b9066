/** A caller's fields checked (InvalidContentError naming the field's path) and turned into what cbor-x writes. */
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

/**
 * An unsigned integer of at most `max`, as cbor-x must be given it: a number below 2^32, a bigint from there
 * (cbor-x writes a number of 2^32 or more as a float64, a bigint as an unsigned integer in 8 bytes).
 */
export function checkUint(value: unknown, what: string, max: number): number | bigint {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > max)
    bad('invalid-field', `${what} must be an integer from 0 to ${max}`);
  return value > 0xffffffff ? BigInt(value) : value;
}

/**
 * A value as it goes on the wire: maps are Maps with integer keys, set in ascending order (cbor-x writes a
 * Map's entries in their order, and deterministic CBOR wants them ascending).
 */
export type Wire = number | bigint | string | boolean | Uint8Array | Wire[] | WireMap;
export type WireMap = Map<number, Wire>;

/** A string of at most `max` bytes of UTF-8, without lone surrogates. */
export function checkText(value: unknown, what: string, max: number): string {
  if (typeof value !== 'string') bad('invalid-field', `${what} must be a string`);
  // Lone surrogates would become U+FFFD on the way out: refuse them rather than sign a changed string.
  if (LONE_SURROGATE.test(value)) bad('invalid-utf8', `${what} must be well-formed Unicode`);
  if (value.length > max || (value.length * 3 > max && utf8Length(value) > max))
    bad('invalid-field', `${what} must be at most ${max} bytes of UTF-8`);
  return value;
}

const LONE_SURROGATE = /\p{Cs}/u;

const utf8 = new TextEncoder();
const utf8Length = (value: string): number => utf8.encode(value).length;

/** Rejects keys the schema does not define, so a typo is not silently dropped from a signed message. */
export function checkKeys(value: Record<string, unknown>, allowed: ReadonlySet<string>, what: string): void {
  for (const key in value)
    if (value[key] !== undefined && !allowed.has(key)) bad('unknown-field', `${what} has no field ${key}`);
}

/** `value` as a map of `table`; `what` is its path in the content, for messages. */
export function tableValue(value: unknown, table: Table, what: string): WireMap {
  if (!isRecord(value)) bad('invalid-field', `${what} must be an object`);
  checkKeys(value, table.names, what);
  const { fields, required } = table;
  // Every required field first, then each present one in key order: the order the checks were always in.
  for (const field of fields)
    if ((required >>> field.key) & 1 && value[field.name] === undefined)
      bad('missing-field', `${what}.${field.name} is required`);
  const out: WireMap = new Map();
  for (const field of fields) {
    const v = value[field.name];
    if (v !== undefined) out.set(field.key, fieldValue(v, field, what));
  }
  return out;
}

/** One present field; the path for a message is only built when the value is refused. */
export function fieldValue(v: unknown, field: Field, what: string): Wire {
  switch (field.type) {
    case 'uint':
      return checkUint(v, `${what}.${field.name}`, field.max);
    case 'text':
      if (field.values && !field.values.includes(v as string))
        bad('invalid-field', `${what}.${field.name} must be one of ${field.values.join(', ')}`);
      return checkText(v, `${what}.${field.name}`, field.max);
    case 'bool':
      if (typeof v !== 'boolean') bad('invalid-field', `${what}.${field.name} must be a boolean`);
      return v;
    case 'map':
      return tableValue(v, field.table, `${what}.${field.name}`);
    case 'colours': {
      const path = `${what}.${field.name}`;
      if (!isRecord(v)) bad('invalid-field', `${path} must be an object`);
      checkKeys(v, AURA_KEYS, path);
      const { primary, secondary } = v;
      if (typeof primary !== 'string' || !COLOUR.test(primary))
        bad('invalid-field', `${path}.primary must be a lowercase #rrggbb colour`);
      if (typeof secondary !== 'string' || !COLOUR.test(secondary))
        bad('invalid-field', `${path}.secondary must be a lowercase #rrggbb colour`);
      return new Map([
        [0, Number.parseInt(primary.slice(1), 16)],
        [1, Number.parseInt(secondary.slice(1), 16)],
      ]);
    }
  }
}

export function checkNaraId(value: unknown, what: string): string {
  if (typeof value !== 'string' || !isBase58(value))
    bad('invalid-field', `${what} must be base58, 1 to ${MAX_NARA_ID} characters`);
  return value;
}
