/**
 * Reads a plaza/1 payload (a deterministic CBOR map with small unsigned-integer keys, docs/PROTOCOL.md)
 * with the strict reader, and fails with a reason on anything outside the schema.
 */

import { fail, keys, MAJOR_BYTES, MapKeys, type StrictReader } from './cbor-reader.js';
import { readCheckpoint } from './checkpoint.js';
import { isValidName } from './names.js';
import { readNaraId, readTable } from './read-fields.js';
import { HEY_THERE_BODY, MAX_INT, NEWSPAPER_BODY } from './schema.js';
import {
  type AnyEnvelopeContent,
  type ChauBody,
  COMMITMENT_BYTES,
  ENVELOPE_KINDS,
  type EnvelopeKind,
  EPOCH_BYTES,
  PUBLIC_KEY_BYTES,
  SCHEMA_VERSION,
  type SuccessionBody,
} from './types.js';

// Payload keys.
const P_VERSION = 0;
const P_KIND = 1;
const P_NAME = 2;
const P_ID = 3;
const P_EPOCH = 4;
const P_SEQ = 5;
const P_TIME = 6;
const P_BODY = 7;
const P_COMMITMENT = 8;
const PAYLOAD_KEYS = keys(0, 1, 2, 3, 4, 5, 6, 7, 8);
const PAYLOAD_REQUIRED = keys(0, 1, 2, 3, 4, 5, 6, 7);
const KEYS_0 = keys(0);
const _KEYS_01 = keys(0, 1);
// Never returned (the epoch is a required key): a placeholder, not an allocation per message.
const NO_EPOCH = new Uint8Array(0);

/** Decodes and validates a payload; fails with a reason on anything outside the schema. */
export function readContent(r: StrictReader): AnyEnvelopeContent {
  const map = new MapKeys(r, PAYLOAD_KEYS, 'payload');
  let kind: EnvelopeKind | undefined;
  let name = '';
  let naraId = '';
  // Never returned (the epoch is a required key): a placeholder, not an allocation per message.
  let epoch: Uint8Array = NO_EPOCH;
  let seq = 0;
  let time = 0;
  let body: unknown;
  let commitment: Uint8Array | undefined;
  for (let key = map.next(); key >= 0; key = map.next()) {
    // The version says how everything after it is read: it must be the first key (section 5.1).
    if (key !== P_VERSION && !map.has(P_VERSION))
      fail('missing-field', 'payload: key 0 (version) is required');
    switch (key) {
      case P_VERSION: {
        const v = r.expect(0, 'payload version');
        if (v !== SCHEMA_VERSION) fail('unsupported-version', `schema version ${v} is not ${SCHEMA_VERSION}`);
        break;
      }
      case P_KIND:
        kind = readKind(r);
        break;
      case P_NAME: {
        name = r.text('name', 64);
        const check = isValidName(name);
        if (!check.ok) fail('invalid-name', `name: ${check.reason}`);
        break;
      }
      case P_ID:
        naraId = readNaraId(r, 'naraId');
        break;
      case P_EPOCH:
        epoch = exactBytes(r, 'epoch', EPOCH_BYTES);
        break;
      case P_SEQ:
        seq = r.uint('seq', MAX_INT);
        break;
      case P_TIME:
        time = r.uint('time', MAX_INT);
        break;
      case P_BODY:
        if (kind === undefined) fail('missing-field', 'payload: key 1 (kind) is required');
        body = readBody(r, kind);
        break;
      case P_COMMITMENT:
        commitment = exactBytes(r, 'commitment', COMMITMENT_BYTES, true);
        break;
    }
  }
  map.require(PAYLOAD_REQUIRED);
  if (kind === 'succession' && commitment === undefined)
    fail('missing-field', 'payload: key 8 (commitment) is required in a succession');
  const content = { kind, name, naraId, epoch, seq, time, body } as AnyEnvelopeContent;
  if (commitment !== undefined) content.commitment = commitment;
  return content;
}

/** A byte string of exactly `length` bytes (or none, when `orNone`), copied. */
function exactBytes(r: StrictReader, what: string, length: number, orNone = false): Uint8Array {
  const n = r.expect(MAJOR_BYTES, what);
  if (n !== length && !(orNone && n === 0))
    fail(
      'invalid-field',
      orNone ? `${what}: ${length} bytes, or 0 (no successor)` : `${what}: exactly ${length} bytes`,
    );
  return r.take(n).slice();
}

function readKind(r: StrictReader): EnvelopeKind {
  // No length limit of its own: any text that is not a kind this version knows is `unknown-kind`, so a
  // future kind is told apart from a malformed one whatever its length (the envelope size bounds it).
  const kind = r.text('kind', MAX_INT) as EnvelopeKind;
  if (!ENVELOPE_KINDS.includes(kind))
    fail('unknown-kind', `unknown kind ${JSON.stringify(kind.slice(0, 16))}`);
  return kind;
}

function readBody(r: StrictReader, kind: EnvelopeKind): unknown {
  switch (kind) {
    case 'hey-there':
      return readTable(r, HEY_THERE_BODY);
    case 'chau':
      return readChau(r);
    case 'newspaper':
      return readTable(r, NEWSPAPER_BODY);
    case 'stash-refresh':
      new MapKeys(r, 0, 'stash-refresh body').next();
      return {};
    case 'checkpoint':
      return readCheckpoint(r);
    case 'succession':
      return readSuccession(r);
  }
}

function readSuccession(r: StrictReader): SuccessionBody {
  const map = new MapKeys(r, KEYS_0, 'succession body');
  let previous: Uint8Array | undefined;
  for (let key = map.next(); key >= 0; key = map.next()) {
    previous = exactBytes(r, 'previous', PUBLIC_KEY_BYTES);
  }
  map.require(KEYS_0);
  return { previous: previous! };
}

function readChau(r: StrictReader): ChauBody {
  const map = new MapKeys(r, KEYS_0, 'chau body');
  let reason = '';
  for (let key = map.next(); key >= 0; key = map.next()) reason = r.text('reason', 8);
  map.require(KEYS_0);
  if (reason !== 'left' && reason !== 'lost') fail('invalid-field', 'chau reason: "left" or "lost"');
  return { reason };
}
