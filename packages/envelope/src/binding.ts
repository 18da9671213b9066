/** After a good signature (every verifier): the payload, its binding to the topic, the frozen envelope. */
import type { PlazaTopic } from '@nara/topics';
import { fail, StrictReader } from './cbor-reader.js';
import type { CoseLayout } from './cose.js';
import { readContent } from './payload-reader.js';
import { reject } from './rejections.js';
import type { TopicEntry } from './topic-cache.js';
import { type AnyEnvelopeContent, PUBLIC_KEY_BYTES, type Rejection, type VerifiedEnvelope } from './types.js';

/** Checks that a payload's kind, name and subject agree with the topic it came on. */
export function topicMismatch(topic: PlazaTopic, content: AnyEnvelopeContent): Rejection | null {
  if (content.kind !== topic.kind)
    return reject('kind-mismatch', `a ${content.kind} envelope on a ${topic.kind} topic`);
  if (topic.kind === 'newspaper' && content.name !== topic.name)
    return reject('name-mismatch', 'the sender is not the nara the newspaper topic names');
  if (topic.kind === 'checkpoint' && content.kind === 'checkpoint') {
    const body = content.body;
    if (body.subject !== topic.subject)
      return reject('subject-mismatch', 'the checkpoint subject is not the topic subject');
    if (body.op !== topic.op) return reject('op-mismatch', `a ${body.op} on a ${topic.op} topic`);
    if (body.op !== 'vote' && content.name !== body.subject)
      return reject('name-mismatch', `only the subject sends a checkpoint ${body.op}`);
  }
  if (topic.kind === 'succession' && content.name !== topic.name)
    return reject('name-mismatch', 'the sender is not the nara the succession topic names');
  return null;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  const n = a.length;
  if (n !== b.length) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Reads the payload. */
export function readPayload(bytes: Uint8Array, parts: CoseLayout, reader?: StrictReader): AnyEnvelopeContent {
  if (reader === undefined) reader = new StrictReader(bytes, parts.payloadContentStart, parts.payloadEnd);
  else reader.restart(bytes, parts.payloadContentStart, parts.payloadEnd);
  const content = readContent(reader);
  if (!reader.atEnd()) fail('trailing-bytes', 'bytes after the payload map');
  return content;
}

/**
 * Freezes a decoded body and the plain objects and arrays in it (not byte arrays, which cannot be frozen):
 * a verified envelope is read-only all the way down, so duplicates can share it.
 */
function freezeBody(value: object): void {
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (typeof v === 'object' && v !== null && !(v instanceof Uint8Array)) freezeBody(v);
  }
  Object.freeze(value);
}

/** The read-only envelope, built field by field (spreading the content cost more than the rest of the path). */
export function verifiedEnvelope(
  c: Pick<VerifiedEnvelope, 'kind' | 'name' | 'naraId' | 'seq' | 'time' | 'body'>,
  epoch: Uint8Array,
  commitment: Uint8Array | undefined,
  topic: string,
  publicKey: Uint8Array,
  bytes: Uint8Array,
): VerifiedEnvelope {
  return Object.freeze({
    kind: c.kind,
    name: c.name,
    naraId: c.naraId,
    epoch,
    seq: c.seq,
    time: c.time,
    body: c.body,
    // A copy per envelope, as the epoch: byte arrays cannot be frozen, and duplicates share an entry.
    commitment: commitment?.slice(),
    topic,
    publicKey,
    bytes,
  }) as unknown as VerifiedEnvelope;
}

/**
 * The payload after a good signature: read it (schema included), check it against its topic, and make the
 * read-only envelope. Only verifiers call this, and only for bytes whose signature they (or their workers)
 * accepted (a verify-once hit rebuilds what this made, through {@link verifiedEnvelope}).
 *
 * The payload is read from `copy`, the verifier's private copy of `bytes`; the envelope hands out `bytes`.
 */
export function bindVerified(
  bytes: Uint8Array,
  copy: Uint8Array,
  parts: CoseLayout,
  entry: TopicEntry,
  topic: string,
  reader?: StrictReader,
): VerifiedEnvelope | Rejection {
  const content = readPayload(copy, parts, reader);
  const mismatch = topicMismatch(entry.topic!, content);
  if (mismatch !== null) return mismatch;
  const publicKey = copy.slice(parts.kidAt, parts.kidAt + PUBLIC_KEY_BYTES);
  if (content.kind === 'succession' && sameBytes(publicKey, content.body.previous))
    return reject('signed-by-previous', 'a succession must be signed by the new key, not the previous one');
  freezeBody(content.body);
  return verifiedEnvelope(
    content as unknown as VerifiedEnvelope,
    content.epoch,
    content.commitment,
    topic,
    publicKey,
    bytes,
  );
}
