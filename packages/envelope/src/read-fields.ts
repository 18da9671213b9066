/** Reads the fields of plaza/1 with the strict reader: the tables of schema.ts, and nara IDs. */
import { fail, keys, MapKeys, type StrictReader } from './cbor-reader.js';
import { isBase58, MAX_NARA_ID } from './names.js';
import type { Field, Table } from './schema.js';

const KEYS_01 = keys(0, 1);

export function readNaraId(r: StrictReader, what: string): string {
  const id = r.text(what, MAX_NARA_ID);
  if (!isBase58(id)) fail('invalid-field', `${what}: base58, 1 to ${MAX_NARA_ID} characters`);
  return id;
}

/** Reads a map of `table`: every key known, in order, once; the required ones present. */
export function readTable(r: StrictReader, table: Table): Record<string, unknown> {
  const map = new MapKeys(r, table.known, table.what);
  const out: Record<string, unknown> = {};
  for (let key = map.next(); key >= 0; key = map.next()) {
    const field = table.fields[key]!;
    out[field.name] = readField(r, field);
  }
  map.require(table.required);
  return out;
}

export function readField(r: StrictReader, field: Field): unknown {
  switch (field.type) {
    case 'uint':
      return r.uint(field.name, field.max);
    case 'text': {
      const value = r.text(field.name, field.max);
      if (field.values && !field.values.includes(value))
        fail('invalid-field', `${field.name}: one of ${field.values.join(', ')}`);
      return value;
    }
    case 'bool':
      return r.bool(field.name);
    case 'map':
      return readTable(r, field.table);
    case 'colours': {
      const map = new MapKeys(r, KEYS_01, field.name);
      let primary = '';
      let secondary = '';
      for (let key = map.next(); key >= 0; key = map.next()) {
        const text = colour(r.uint('aura colour', 0xffffff));
        if (key === 0) primary = text;
        else secondary = text;
      }
      map.require(KEYS_01);
      return { primary, secondary };
    }
  }
}

function colour(value: number): string {
  return `#${value.toString(16).padStart(6, '0')}`;
}
