/**
 * Writes a plaza/1 payload: every field checked (InvalidContentError otherwise), then encoded by cbor-x,
 * which writes plaza/1's items as RFC 8949 deterministic CBOR given Maps in key order (README, "Decisions").
 */
import { Encoder } from 'cbor-x';
import { checkpointValue } from './checkpoint.js';
import { isValidName } from './names.js';
import { MAX_INT, STATUS } from './schema.js';
import type { AnyEnvelopeContent, EnvelopeKind } from './types.js';
import * as plaza from './types.js';
import {
  bad,
  checkKeys,
  checkNaraId,
  checkText,
  checkUint,
  isRecord,
  tableValue,
  type Wire,
  type WireMap,
} from './write-fields.js';

/**
 * Plain CBOR only: no records or structured-clone extensions, byte arrays as byte strings (not tag 64),
 * map heads sized to their entries (the default writes a 16-bit size).
 */
const encoder = new Encoder({
  useRecords: false,
  structuredClone: false,
  pack: false,
  tagUint8Array: false,
  variableMapSize: true,
  mapsAsObjects: false,
});

const CONTENT_KEYS = new Set(['kind', 'name', 'naraId', 'epoch', 'seq', 'time', 'body', 'commitment']);
const SUCCESSION_KEYS = new Set(['previous']);
const HEY_THERE_KEYS = new Set(['meshIp']);
const CHAU_KEYS = new Set(['reason']);
const NEWSPAPER_KEYS = new Set(['status', 'next']);
const NO_KEYS = new Set<string>();

/** Encodes `content` as the plaza/1 payload, checking every field. */
export function writeContent(content: AnyEnvelopeContent): Uint8Array {
  if (!isRecord(content)) throw new TypeError('content must be an object');
  const c = content as unknown as Record<string, unknown>;
  checkKeys(c, CONTENT_KEYS, 'content');
  const kind = c.kind as EnvelopeKind;
  if (!plaza.ENVELOPE_KINDS.includes(kind))
    bad('unknown-kind', `content.kind: unknown kind ${JSON.stringify(kind)}`);
  if (typeof c.name !== 'string') bad('invalid-name', 'content.name must be a string');
  const name = isValidName(c.name);
  if (!name.ok) bad('invalid-name', `content.name: ${name.message}`);
  const naraId = checkNaraId(c.naraId, 'content.naraId');
  if (!(c.epoch instanceof Uint8Array) || c.epoch.length !== plaza.EPOCH_BYTES)
    bad('invalid-field', `content.epoch must be a Uint8Array of ${plaza.EPOCH_BYTES} bytes`);
  const payload: WireMap = new Map<number, Wire>([
    [0, plaza.SCHEMA_VERSION],
    [1, kind],
    [2, c.name],
    [3, naraId],
    [4, c.epoch],
    [5, checkUint(c.seq, 'content.seq', MAX_INT)],
    [6, checkUint(c.time, 'content.time', MAX_INT)],
    [7, bodyValue(kind, c.body)],
  ]);
  const commitment = c.commitment;
  if (commitment !== undefined) {
    if (
      !(commitment instanceof Uint8Array) ||
      (commitment.length !== 0 && commitment.length !== plaza.COMMITMENT_BYTES)
    )
      bad(
        'invalid-field',
        `content.commitment must be a Uint8Array of ${plaza.COMMITMENT_BYTES} bytes, or empty`,
      );
    payload.set(8, commitment);
  } else if (kind === 'succession') {
    bad('missing-field', 'content.commitment is required in a succession');
  }
  return encoder.encode(payload);
}

function bodyValue(kind: EnvelopeKind, body: unknown): WireMap {
  if (!isRecord(body)) bad('invalid-field', 'content.body must be an object');
  switch (kind) {
    case 'hey-there': {
      checkKeys(body, HEY_THERE_KEYS, 'hey-there body');
      const meshIp = body.meshIp;
      return meshIp === undefined ? new Map() : new Map([[0, checkText(meshIp, 'body.meshIp', 45)]]);
    }
    case 'chau': {
      checkKeys(body, CHAU_KEYS, 'chau body');
      const reason = body.reason;
      if (reason !== 'left' && reason !== 'lost')
        bad('invalid-field', 'body.reason must be "left" or "lost"');
      return new Map([[0, reason]]);
    }
    case 'newspaper': {
      checkKeys(body, NEWSPAPER_KEYS, 'newspaper body');
      const status = tableValue(body.status, STATUS, 'body.status');
      return new Map<number, Wire>([
        [0, status],
        [1, checkUint(body.next, 'body.next', MAX_INT)],
      ]);
    }
    case 'stash-refresh':
      checkKeys(body, NO_KEYS, 'stash-refresh body');
      return new Map();
    case 'checkpoint':
      return checkpointValue(body);
    case 'succession': {
      checkKeys(body, SUCCESSION_KEYS, 'succession body');
      const previous = body.previous;
      if (!(previous instanceof Uint8Array) || previous.length !== plaza.PUBLIC_KEY_BYTES)
        bad('invalid-field', `body.previous must be a Uint8Array of ${plaza.PUBLIC_KEY_BYTES} bytes`);
      return new Map([[0, previous]]);
    }
  }
}
