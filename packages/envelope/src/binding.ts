/**
 * What the single-thread verifier and the worker verifier's main-thread half share, so that both reject with
 * the same reasons and details and hand out envelopes frozen the same way: rejections, topic binding, the
 * payload read and the freezing of verified bodies.
 */
import { type PlazaTopic, parseTopic } from '@nara/topics';
import { BytePool, copyOut, DecodeFailure, fail, StrictReader } from './cbor.js';
import type { AsciiText, CoseLayout } from './cose.js';
import { readContent, type SenderHints } from './payload.js';
import type { SignatureRejection } from './policy.js';
import {
  type AnyEnvelopeContent,
  PUBLIC_KEY_BYTES,
  type Rejection,
  type RejectReason,
  type VerifiedEnvelope,
} from './types.js';

export function reject(reason: RejectReason, detail: string): Rejection {
  return { ok: false, reason, detail };
}

export function fromFailure(error: unknown): Rejection {
  if (error instanceof DecodeFailure) return reject(error.reason, error.detail);
  // A decoder bug must not become a crash of the receive pipeline: report it as malformed input.
  return reject('malformed-cbor', `decoder error: ${error instanceof Error ? error.name : typeof error}`);
}

/** The detail a signature rejection is reported with, by every verifier (the reason says which check). */
export function signatureDetail(reason: SignatureRejection): string {
  if (reason === 'bad-signature') return 'the signature does not verify for this key, topic and payload';
  if (reason.startsWith('key-')) return 'the sender key is refused by the Ed25519 policy';
  return 'the signature encoding is refused by the Ed25519 policy';
}

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
  return null;
}

/** Reads the payload. */
export function readPayload(
  bytes: Uint8Array,
  parts: CoseLayout,
  sender: SenderHints | null = null,
  reader?: StrictReader,
): AnyEnvelopeContent {
  if (reader === undefined) reader = new StrictReader(bytes, parts.payloadContentStart, parts.payloadEnd);
  else reader.restart(bytes, parts.payloadContentStart, parts.payloadEnd);
  const content = readContent(reader, sender);
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

/**
 * A topic as the verifiers cache it: parsed, its bytes as external AAD, or the rejection it earns; and what
 * it tells of its sender ({@link SenderHints}: a newspaper topic's name, the last nara ID verified on it).
 */
export interface TopicEntry extends SenderHints {
  topic: PlazaTopic | null;
  /**
   * The external AAD: the topic string itself when it is ASCII (its UTF-8 is its char codes; the string the
   * verifier was just handed is in cache already, see `sigStructure`), else its encoded bytes.
   */
  aad: Uint8Array | AsciiText;
  rejection: Rejection | null;
  naraId: string | null;
}

const encoder = new TextEncoder();

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}

function topicEntry(topic: string): TopicEntry {
  const parsed = parseTopic(topic);
  return parsed.ok
    ? {
        topic: parsed.topic,
        aad: isAscii(topic) ? topic : encoder.encode(topic),
        rejection: null,
        name: parsed.topic.kind === 'newspaper' ? parsed.topic.name : null,
        naraId: null,
      }
    : {
        topic: null,
        aad: new Uint8Array(0),
        rejection: reject('bad-topic', parsed.message),
        name: null,
        naraId: null,
      };
}

/** The topics a verifier or signer has seen, as {@link TopicEntry}s: at most 1024, cleared when full. */
export class TopicCache {
  private readonly entries = new Map<string, TopicEntry>();

  get(topic: string): TopicEntry {
    const hit = this.entries.get(topic);
    if (hit !== undefined) return hit;
    const entry = topicEntry(topic);
    if (this.entries.size >= 1024) this.entries.clear();
    this.entries.set(topic, entry);
    return entry;
  }
}

/** Block size of the private copies of verified envelopes (see {@link privateCopy}). */
export const PRIVATE_BLOCK_BYTES = 8 * 1024;

/**
 * Private copies of envelopes being verified, in 8 KiB blocks: never handed out (arrays handed out share
 * the other pool's buffers, so a caller writing through `.buffer` of one can never reach these), and small
 * blocks, because an unread status keeps its copy and with it its block.
 */
const copies = new BytePool(PRIVATE_BLOCK_BYTES);

/**
 * A private copy of an envelope's bytes: what the payload is read from (a newspaper's status is decoded from
 * it when first read) and duplicates are compared with. A caller that changes its array later changes
 * nothing a verifier handed out.
 */
export function privateCopy(bytes: Uint8Array): Uint8Array {
  const copy = copies.take(bytes.length);
  copy.set(bytes);
  return copy;
}

/** The read-only envelope, built field by field (spreading the content cost more than the rest of the path). */
export function verifiedEnvelope(
  c: Pick<VerifiedEnvelope, 'kind' | 'name' | 'naraId' | 'seq' | 'time' | 'body'>,
  epoch: Uint8Array,
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
 * The payload is read from `copy`, the verifier's private copy of `bytes` (a newspaper's status is decoded
 * from it later, on first read); the envelope hands out `bytes` itself.
 */
export function bindVerified(
  bytes: Uint8Array,
  copy: Uint8Array,
  parts: CoseLayout,
  entry: TopicEntry,
  topic: string,
  reader?: StrictReader,
): VerifiedEnvelope | Rejection {
  const content = readPayload(copy, parts, entry, reader);
  const mismatch = topicMismatch(entry.topic!, content);
  if (mismatch !== null) return mismatch;
  // Remembered only from a verified envelope on this topic; another sender's ID here costs only a miss.
  entry.naraId = content.naraId;
  freezeBody(content.body);
  const publicKey = copyOut(copy, parts.kidAt, PUBLIC_KEY_BYTES);
  return verifiedEnvelope(content as unknown as VerifiedEnvelope, content.epoch, topic, publicKey, bytes);
}
