/**
 * Go structs as tables: one table per Go type says each field's JSON key, its type and whether Go omits it
 * when empty. The same table reads a JSON object the way Go's decoder does (keys matched by Go's fold, a
 * type mismatch refuses the whole message, absent fields take Go's zero value) and writes one the way
 * Go's encoder does (declaration order, `omitempty`). Stricter than Go: a key twice under the fold, `null`
 * for a non-pointer field, and integers beyond 2^53 are refused.
 */
import { byteOrder, goFloat, goInt, goString } from './go-json.js';
import { goFold, type Json, type JsonObject } from './json.js';
import { refuse } from './reasons.js';

/** A Go field type as this package reads and writes it. */
export type GoType =
  | { readonly kind: 'string'; readonly max: number }
  | { readonly kind: 'int'; readonly min: number; readonly max: number }
  | { readonly kind: 'float' }
  | { readonly kind: 'bool' }
  | { readonly kind: 'struct'; readonly struct: GoStruct; readonly pointer: boolean }
  | { readonly kind: 'map'; readonly value: GoType; readonly maxEntries: number }
  | { readonly kind: 'slice'; readonly element: GoType; readonly maxItems: number };

export interface GoField {
  /** The JSON key Go writes. */
  readonly key: string;
  readonly type: GoType;
  readonly omitempty: boolean;
}

/** A Go struct: its fields in declaration order, and whether unknown keys are refused (stricter than Go). */
export interface GoStruct {
  readonly name: string;
  readonly fields: readonly GoField[];
  readonly closed: boolean;
  /** Folded key to field (built once). */
  readonly byFold: ReadonlyMap<string, GoField>;
}

export function goStruct(name: string, fields: readonly GoField[], closed: boolean): GoStruct {
  return { name, fields, closed, byFold: new Map(fields.map((f) => [goFold(f.key), f])) };
}

export function field(key: string, type: GoType, omitempty = false): GoField {
  return { key, type, omitempty };
}

const MAX_INT = Number.MAX_SAFE_INTEGER;
export const t = {
  string: (max = 256): GoType => ({ kind: 'string', max }),
  int: (min = -MAX_INT, max = MAX_INT): GoType => ({ kind: 'int', min, max }),
  uint: (max = MAX_INT): GoType => ({ kind: 'int', min: 0, max }),
  float: { kind: 'float' } as GoType,
  bool: { kind: 'bool' } as GoType,
  struct: (struct: GoStruct, pointer = false): GoType => ({ kind: 'struct', struct, pointer }),
  map: (value: GoType, maxEntries = 4096): GoType => ({ kind: 'map', value, maxEntries }),
  slice: (element: GoType, maxItems = 64): GoType => ({ kind: 'slice', element, maxItems }),
};

/** A decoded Go value: structs and maps are null-prototype records, slices arrays, nil maps/slices null. */
export type GoValue = string | number | boolean | null | GoRecord | GoValue[];
export interface GoRecord {
  [key: string]: GoValue | undefined;
}

/**
 * The members of `object` matched to `struct`'s fields under Go's fold, each at most once. Unknown keys are
 * refused for closed structs and skipped otherwise (Go skips them).
 */
export function matchFields(object: JsonObject, struct: GoStruct, what: string): Map<GoField, Json> {
  const found = new Map<GoField, Json>();
  for (const member of object.members) {
    const f = struct.byFold.get(goFold(member.key));
    if (f === undefined) {
      if (struct.closed)
        refuse('unknown-field', `${what}: unknown key ${JSON.stringify(member.key.slice(0, 40))}`);
      continue;
    }
    if (found.has(f)) refuse('duplicate-key', `${what}: ${f.key} twice (Go matches keys ignoring case)`);
    found.set(f, member.value);
  }
  return found;
}

/** Reads `value` as Go reads it into a field of `type`; `what` names the field in a refusal. */
export function readGo(value: Json, type: GoType, what: string): GoValue {
  switch (type.kind) {
    case 'string': {
      if (typeof value !== 'string') refuse('invalid-field', `${what}: a string`);
      if (value.length > type.max) refuse('invalid-field', `${what}: at most ${type.max} characters`);
      return value;
    }
    case 'int': {
      if (
        value === null ||
        typeof value !== 'object' ||
        value.type !== 'number' ||
        !/^-?\d+$/.test(value.text)
      )
        refuse('invalid-field', `${what}: an integer`);
      const n = Number(value.text);
      if (!Number.isSafeInteger(n) || n < type.min || n > type.max)
        refuse('invalid-field', `${what}: an integer from ${type.min} to ${type.max}`);
      return n === 0 ? 0 : n;
    }
    case 'float': {
      if (value === null || typeof value !== 'object' || value.type !== 'number')
        refuse('invalid-field', `${what}: a number`);
      const n = Number(value.text);
      if (!Number.isFinite(n)) refuse('invalid-field', `${what}: a finite float64`);
      return n;
    }
    case 'bool':
      if (typeof value !== 'boolean') refuse('invalid-field', `${what}: true or false`);
      return value;
    case 'struct': {
      if (value === null && type.pointer) return null;
      if (value === null || typeof value !== 'object' || value.type !== 'object')
        refuse('invalid-field', `${what}: an object`);
      return readStruct(value, type.struct, what);
    }
    case 'map': {
      if (value === null) return null;
      if (typeof value !== 'object' || value.type !== 'object')
        refuse('invalid-field', `${what}: an object or null`);
      if (value.members.length > type.maxEntries)
        refuse('invalid-field', `${what}: at most ${type.maxEntries} entries`);
      const out: GoRecord = Object.create(null);
      for (const member of value.members) out[member.key] = readGo(member.value, type.value, `${what}[…]`);
      return out;
    }
    case 'slice': {
      if (value === null) return null;
      if (typeof value !== 'object' || value.type !== 'array')
        refuse('invalid-field', `${what}: an array or null`);
      if (value.items.length > type.maxItems)
        refuse('invalid-field', `${what}: at most ${type.maxItems} items`);
      return value.items.map((item, i) => readGo(item, type.element, `${what}[${i}]`));
    }
  }
}

/** Reads a JSON object into a Go struct: every field present, absent ones at Go's zero value. */
export function readStruct(object: JsonObject, struct: GoStruct, what: string): GoRecord {
  const found = matchFields(object, struct, what);
  const out: GoRecord = Object.create(null);
  for (const f of struct.fields) {
    const value = found.get(f);
    if (value !== undefined) out[f.key] = readGo(value, f.type, `${what}.${f.key}`);
    else if (!f.omitempty || f.type.kind !== 'struct') out[f.key] = zero(f.type);
  }
  return out;
}

/** Go's zero value of a type (a pointer's is nil, here null; an optional pointer field stays absent). */
export function zero(type: GoType): GoValue {
  switch (type.kind) {
    case 'string':
      return '';
    case 'int':
    case 'float':
      return 0;
    case 'bool':
      return false;
    case 'struct':
      return type.pointer ? null : zeroStruct(type.struct);
    case 'map':
    case 'slice':
      return null;
  }
}

function zeroStruct(struct: GoStruct): GoRecord {
  const out: GoRecord = Object.create(null);
  for (const f of struct.fields) if (!(f.omitempty && f.type.kind === 'struct')) out[f.key] = zero(f.type);
  return out;
}

/** Whether Go's `omitempty` leaves the value out (zero scalars, nil pointers, empty maps and slices). */
function empty(value: GoValue | undefined, type: GoType): boolean {
  if (value === undefined || value === null) return true;
  switch (type.kind) {
    case 'string':
      return value === '';
    case 'int':
    case 'float':
      return value === 0;
    case 'bool':
      return value === false;
    case 'struct':
      return false;
    case 'map':
      return Object.keys(value as GoRecord).length === 0;
    case 'slice':
      return (value as GoValue[]).length === 0;
  }
}

/** Writes `value` as Go's encoder writes a value of `type`. Throws TypeError on a value not of the type. */
export function writeGo(value: GoValue | undefined, type: GoType, what: string): string {
  switch (type.kind) {
    case 'string':
      if (typeof value !== 'string') throw new TypeError(`${what} must be a string`);
      return goString(value);
    case 'int':
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < type.min || value > type.max)
        throw new TypeError(`${what} must be an integer from ${type.min} to ${type.max}`);
      return goInt(value);
    case 'float':
      if (typeof value !== 'number') throw new TypeError(`${what} must be a number`);
      return goFloat(value);
    case 'bool':
      if (typeof value !== 'boolean') throw new TypeError(`${what} must be a boolean`);
      return value ? 'true' : 'false';
    case 'struct':
      if (value === null || value === undefined) {
        if (type.pointer) return 'null';
        throw new TypeError(`${what} must be an object`);
      }
      return writeStruct(value as GoRecord, type.struct, what);
    case 'map': {
      if (value === null || value === undefined) return 'null';
      const record = value as GoRecord;
      const keys = Object.keys(record).sort(byteOrder);
      const parts = keys.map((k) => `${goString(k)}:${writeGo(record[k], type.value, `${what}[…]`)}`);
      return `{${parts.join(',')}}`;
    }
    case 'slice': {
      if (value === null || value === undefined) return 'null';
      if (!Array.isArray(value)) throw new TypeError(`${what} must be an array`);
      return `[${value.map((v, i) => writeGo(v, type.element, `${what}[${i}]`)).join(',')}]`;
    }
  }
}

/** Writes a struct: fields in declaration order, absent non-omitempty fields at their zero value. */
export function writeStruct(record: GoRecord, struct: GoStruct, what: string): string {
  if (typeof record !== 'object' || record === null) throw new TypeError(`${what} must be an object`);
  const parts: string[] = [];
  for (const f of struct.fields) {
    let value = record[f.key];
    if (f.omitempty && empty(value, f.type)) continue;
    if (value === undefined) value = zero(f.type);
    parts.push(`${goString(f.key)}:${writeGo(value, f.type, `${what}.${f.key}`)}`);
  }
  return `{${parts.join(',')}}`;
}
