/**
 * The main thread's half of worker verification: the cheap steps before the signature (topic, size, COSE
 * structure) and after it (payload schema, topic binding, the frozen VerifiedEnvelope), in the same order and
 * with the same reasons and details as `EnvelopeVerifier.verify`. The vectors test holds the two to agreement.
 */
import { type PlazaTopic, parseTopic } from '@nara/topics';
import { DecodeFailure, fail, StrictReader } from '../cbor.js';
import type { CoseParts } from '../cose.js';
import { readContent } from '../payload.js';
import type { AnyEnvelopeContent, Rejection, RejectReason, VerifiedEnvelope } from '../types.js';

export function reject(reason: RejectReason, detail: string): Rejection {
  return { ok: false, reason, detail };
}

export function fromFailure(error: unknown): Rejection {
  if (error instanceof DecodeFailure) return reject(error.reason, error.detail);
  return reject('malformed-cbor', `decoder error: ${error instanceof Error ? error.name : typeof error}`);
}

/** The detail each worker verdict is reported with, as the single-thread verifier words it. */
export function signatureDetail(reason: RejectReason): string {
  if (reason.startsWith('key-')) return 'the sender key is refused by the Ed25519 policy';
  if (reason === 'bad-signature') return 'the signature does not verify for this key, topic and payload';
  return 'the signature encoding is refused by the Ed25519 policy';
}

export interface TopicEntry {
  topic: PlazaTopic | null;
  aad: Uint8Array;
  rejection: Rejection | null;
}

const encoder = new TextEncoder();

export function topicEntry(topic: string): TopicEntry {
  const parsed = parseTopic(topic);
  return parsed.ok
    ? { topic: parsed.topic, aad: encoder.encode(topic), rejection: null }
    : { topic: null, aad: new Uint8Array(0), rejection: reject('bad-topic', parsed.message) };
}

function topicMismatch(topic: PlazaTopic, content: AnyEnvelopeContent): Rejection | null {
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
  return null;
}

function freezeBody(value: object): void {
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (typeof v === 'object' && v !== null && !(v instanceof Uint8Array)) freezeBody(v);
  }
  Object.freeze(value);
}

/**
 * The steps after a good signature: payload schema and topic binding, then the branded envelope. Only the
 * verifier module calls this, and only for bytes whose signature a worker accepted.
 */
export function finish(
  topic: string,
  entry: TopicEntry,
  bytes: Uint8Array,
  parts: CoseParts,
): { ok: true; envelope: VerifiedEnvelope } | Rejection {
  try {
    const reader = new StrictReader(bytes, parts.payloadContentStart, parts.payloadEnd);
    const content = readContent(reader);
    if (!reader.atEnd()) fail('trailing-bytes', 'bytes after the payload map');
    const mismatch = topicMismatch(entry.topic as PlazaTopic, content);
    if (mismatch !== null) return mismatch;
    freezeBody(content.body);
    const envelope = Object.freeze({
      kind: content.kind,
      name: content.name,
      naraId: content.naraId,
      epoch: content.epoch,
      seq: content.seq,
      time: content.time,
      body: content.body,
      topic,
      publicKey: parts.kid.slice(),
      bytes,
    }) as unknown as VerifiedEnvelope;
    return { ok: true, envelope };
  } catch (error) {
    return fromFailure(error);
  }
}
