/**
 * Writes a plaza/1 payload from a caller's content, checking every field (InvalidContentError otherwise), as
 * deterministic CBOR.
 */
import { Scratch } from './byte-pools.js';
import { Writer } from './cbor-writer.js';
import { writeCheckpoint } from './checkpoint.js';
import { isValidName } from './names.js';
import { MAX_INT, STATUS } from './schema.js';
import {
  type AnyEnvelopeContent,
  type ChauBody,
  type EnvelopeKind,
  EPOCH_BYTES,
  type HeyThereBody,
  type NewspaperBody,
  SCHEMA_VERSION,
} from './types.js';
import { bad, checkKeys, checkUint, isRecord, writeNaraId, writeTable, writeText } from './write-fields.js';

const CONTENT_KEYS = new Set(['kind', 'name', 'naraId', 'epoch', 'seq', 'time', 'body']);
const HEY_THERE_KEYS = new Set(['meshIp']);
const CHAU_KEYS = new Set(['reason']);
const NEWSPAPER_KEYS = new Set(['status', 'next']);
const NO_KEYS = new Set<string>();

const payloadScratch = new Scratch(1024);

/**
 * Encodes `content` as the plaza/1 payload, validating every field. Returns a view of scratch space, valid
 * until the next call: copy it before encoding another payload.
 */
export function writeContent(content: AnyEnvelopeContent): Uint8Array {
  if (!isRecord(content)) throw new TypeError('content must be an object');
  const c = content as unknown as Record<string, unknown>;
  checkKeys(c, CONTENT_KEYS, 'content');
  const w = new Writer(payloadScratch.get(1024));
  w.head(5, 8);
  w.uint(0);
  w.uint(SCHEMA_VERSION);
  w.uint(1);
  const kind = c.kind;
  if (
    kind !== 'hey-there' &&
    kind !== 'chau' &&
    kind !== 'newspaper' &&
    kind !== 'stash-refresh' &&
    kind !== 'checkpoint'
  )
    bad('unknown-kind', `content.kind: unknown kind ${JSON.stringify(kind)}`);
  w.text(kind);
  w.uint(2);
  if (typeof c.name !== 'string') bad('invalid-name', 'content.name must be a string');
  const name = isValidName(c.name);
  if (!name.ok) bad('invalid-name', `content.name: ${name.message}`);
  w.text(c.name);
  w.uint(3);
  writeNaraId(w, c.naraId, 'content.naraId');
  w.uint(4);
  if (!(c.epoch instanceof Uint8Array) || c.epoch.length !== EPOCH_BYTES)
    bad('invalid-field', `content.epoch must be a Uint8Array of ${EPOCH_BYTES} bytes`);
  w.bytes(c.epoch);
  w.uint(5);
  w.uint(checkUint(c.seq, 'content.seq', MAX_INT));
  w.uint(6);
  w.uint(checkUint(c.time, 'content.time', MAX_INT));
  w.uint(7);
  writeBody(w, kind, c.body);
  return w.finish();
}

function writeBody(w: Writer, kind: EnvelopeKind, body: unknown): void {
  if (!isRecord(body)) bad('invalid-field', 'content.body must be an object');
  switch (kind) {
    case 'hey-there': {
      const b = body as HeyThereBody;
      checkKeys(body, HEY_THERE_KEYS, 'hey-there body');
      w.head(5, b.meshIp === undefined ? 0 : 1);
      if (b.meshIp !== undefined) {
        w.uint(0);
        writeText(w, b.meshIp, 'body.meshIp', 45);
      }
      return;
    }
    case 'chau': {
      checkKeys(body, CHAU_KEYS, 'chau body');
      const reason = (body as unknown as ChauBody).reason;
      if (reason !== 'left' && reason !== 'lost')
        bad('invalid-field', 'body.reason must be "left" or "lost"');
      w.head(5, 1);
      w.uint(0);
      w.text(reason);
      return;
    }
    case 'newspaper': {
      checkKeys(body, NEWSPAPER_KEYS, 'newspaper body');
      const b = body as unknown as NewspaperBody;
      w.head(5, 2);
      w.uint(0);
      writeTable(w, b.status, STATUS, 'body.status');
      w.uint(1);
      w.uint(checkUint(b.next, 'body.next', MAX_INT));
      return;
    }
    case 'stash-refresh':
      checkKeys(body, NO_KEYS, 'stash-refresh body');
      w.head(5, 0);
      return;
    case 'checkpoint':
      writeCheckpoint(w, body);
      return;
  }
}
