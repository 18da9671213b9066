/** Signing, decoding and verifying plaza/1 envelopes, whatever the Ed25519 backend. */
import type { Ed25519Backend } from './backend.js';
import { bindVerified, readPayload, topicMismatch } from './binding.js';
import { StrictReader } from './cbor-reader.js';
import { assemble, newLayout, protectedHeaderItem, readCose, Scratch, sigStructure } from './cose.js';
import { DuplicateCache, tailId } from './duplicates.js';
import { InvalidContentError } from './errors.js';
import { writeContent } from './payload-writer.js';
import { DEFAULT_KEY_CACHE_SIZE, integerOption, KeyCache } from './policy.js';
import { fromFailure, reject, signatureDetail } from './rejections.js';
import { TopicCache } from './topic-cache.js';
import {
  type AnyEnvelopeContent,
  type DecodedEnvelope,
  type DecodeResult,
  type EnvelopeContent,
  type EnvelopeKind,
  PUBLIC_KEY_BYTES,
  SIGNATURE_BYTES,
  type Signer,
  type VerifiedEnvelope,
  type VerifyResult,
} from './types.js';

/** Default size limit, checked before any decoding. A typical newspaper envelope is about 300 bytes. */
export const DEFAULT_MAX_BYTES = 16 * 1024;

/** Options of {@link EnvelopeVerifier}. */
export interface VerifierInit {
  backend: Ed25519Backend;
  /** Envelopes longer than this are rejected before decoding. Default {@link DEFAULT_MAX_BYTES}. */
  maxBytes?: number;
  /** Public keys whose policy verdict and imported form are cached. Default 4096. */
  keyCacheSize?: number;
  /** Verified envelopes kept, so that the same bytes on the same topic are not verified again (0: none). */
  duplicateCacheSize?: number;
}

/** Default size of the verify-once cache: the envelopes of the last few seconds of a large plaza. */
export const DEFAULT_DUPLICATE_CACHE_SIZE = 1024;

/**
 * Verifies plaza/1 envelopes: size, structure, header, key policy, signature, schema, topic binding, in
 * that order. Holds the caches (keys, topics); synchronous; never throws on hostile bytes.
 */
export class EnvelopeVerifier {
  /** The backend's name (`node`, `noble`, or a custom one). */
  readonly backend: string;
  readonly maxBytes: number;
  private readonly keys: KeyCache;
  private readonly topics = new TopicCache();
  private readonly scratch = new Scratch();
  /** Where the parts of the envelope being verified are, and the reader that found them: one per verifier. */
  private readonly layout = newLayout();
  private readonly reader = new StrictReader(new Uint8Array(0));
  /** The verify-once cache, or null when turned off. */
  private readonly seen: DuplicateCache | null;

  constructor(init: VerifierInit) {
    if (typeof init?.backend?.verify !== 'function') throw new TypeError('backend must be an Ed25519Backend');
    this.backend = init.backend.name;
    this.maxBytes = integerOption(init.maxBytes, 'maxBytes', DEFAULT_MAX_BYTES);
    const keyCacheSize = integerOption(init.keyCacheSize, 'keyCacheSize', DEFAULT_KEY_CACHE_SIZE);
    this.keys = new KeyCache(init.backend, keyCacheSize);
    const duplicates = init.duplicateCacheSize;
    const capacity = integerOption(duplicates, 'duplicateCacheSize', DEFAULT_DUPLICATE_CACHE_SIZE, 0);
    this.seen = capacity > 0 ? new DuplicateCache(capacity) : null;
  }

  /** How many envelopes were answered from the verify-once cache (duplicates), since creation. */
  get duplicates(): number {
    return this.seen === null ? 0 : this.seen.hits;
  }

  /**
   * Verifies `bytes` received on `topic`. Returns the verified envelope or a rejection with a reason.
   *
   * @throws {TypeError} only when `topic` is not a string or `bytes` not a Uint8Array (a programming error).
   * @example
   * ```ts
   * const result = verifier.verify(topic, bytes);
   * if (result.ok) console.log(result.envelope.name);
   * else console.log(result.reason);
   * ```
   */
  verify(topic: string, bytes: Uint8Array): VerifyResult {
    if (typeof topic !== 'string') throw new TypeError('topic must be a string');
    if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
    const t = this.topics.get(topic);
    if (t.rejection !== null) return t.rejection;
    if (bytes.length === 0) return reject('empty', 'no bytes');
    if (bytes.length > this.maxBytes) return reject('too-large', `more than ${this.maxBytes} bytes`);
    const seen = this.seen;
    let id = -1;
    if (seen !== null) {
      id = tailId(bytes);
      const hit = seen.find(id, topic, bytes);
      if (hit !== undefined) return { ok: true, envelope: hit };
    }
    try {
      const layout = this.layout;
      readCose(bytes, layout, this.reader);
      const tbs = sigStructure(bytes, layout, t.aad, this.scratch);
      const kidAt = layout.kidAt;
      const refused = this.keys.checkIn(bytes, kidAt, layout.signatureAt, tbs);
      if (refused !== null) return reject(refused, signatureDetail(refused));
      const copy = bytes.slice();
      const envelope = bindVerified(bytes, copy, layout, t, topic, this.reader);
      if ('ok' in envelope) return envelope;
      // Checkpoint finals carry vote envelopes as byte arrays, which cannot be frozen and so not shared.
      if (seen !== null && envelope.kind !== 'checkpoint') seen.add(id, topic, copy, envelope, kidAt);
      return { ok: true, envelope };
    } catch (error) {
      return fromFailure(error);
    }
  }
}

/** Options of {@link decodeEnvelope}. */
export interface DecodeOptions {
  maxBytes?: number;
}

/**
 * Takes an envelope apart WITHOUT checking its signature, key or topic: for tools, logs and debugging. The
 * result is a {@link DecodedEnvelope}, which cannot be passed where a {@link VerifiedEnvelope} is expected.
 * Never throws on hostile bytes.
 *
 * @example
 * ```ts
 * const decoded = decodeEnvelope(bytes);
 * if (decoded.ok) console.log(decoded.envelope.kind, decoded.envelope.verified); // 'newspaper' false
 * ```
 */
export function decodeEnvelope(bytes: Uint8Array, options: DecodeOptions = {}): DecodeResult {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
  const maxBytes = integerOption(options.maxBytes, 'maxBytes', DEFAULT_MAX_BYTES);
  if (bytes.length === 0) return reject('empty', 'no bytes');
  if (bytes.length > maxBytes) return reject('too-large', `more than ${maxBytes} bytes`);
  try {
    const parts = newLayout();
    readCose(bytes, parts, new StrictReader(bytes));
    const content = readPayload(bytes, parts);
    const envelope = Object.freeze({
      ...content,
      commitment: content.commitment,
      publicKey: bytes.slice(parts.kidAt, parts.kidAt + PUBLIC_KEY_BYTES),
      signature: bytes.slice(parts.signatureAt, parts.signatureAt + SIGNATURE_BYTES),
      bytes,
      verified: false,
    }) as unknown as DecodedEnvelope;
    return { ok: true, envelope };
  } catch (error) {
    return fromFailure(error);
  }
}

/** Topics signers used recently, parsed and encoded (a nara signs on a handful of topics). */
const signTopics = new TopicCache();

/**
 * Signs `content` for `topic` and returns the envelope bytes (COSE_Sign1, tag 18). Checks the content
 * against the schema and the topic first, so that what is signed is what every receiver accepts.
 *
 * @throws {InvalidContentError} when the content is outside the schema or does not match the topic.
 * @example
 * ```ts
 * const bytes = signEnvelope(signer, HEY_THERE_TOPIC, {
 *   kind: 'hey-there', name: 'jojo', naraId: '2gdnSNmnqsnvDoTxnj5PVyupruDnVUCaMH6tdGcpUjqa',
 *   epoch, seq: 0, time: Date.now(), body: {},
 * });
 * ```
 */
export function signEnvelope<K extends EnvelopeKind>(
  signer: Signer,
  topic: string,
  content: EnvelopeContent<K>,
): Uint8Array {
  if (typeof signer?.sign !== 'function') throw new TypeError('signer must be a Signer');
  if (typeof topic !== 'string') throw new TypeError('topic must be a string');
  const { topic: parsed, aad, rejection } = signTopics.get(topic);
  if (rejection !== null) throw new InvalidContentError('bad-topic', `topic: ${rejection.detail}`);
  const c = content as unknown as AnyEnvelopeContent;
  const payload = writeContent(c);
  const mismatch = topicMismatch(parsed!, c);
  if (mismatch !== null) throw new InvalidContentError(mismatch.reason, mismatch.detail);
  const key = signer.publicKey;
  if (!(key instanceof Uint8Array) || key.length !== PUBLIC_KEY_BYTES)
    throw new TypeError(`signer.publicKey must be a Uint8Array of ${PUBLIC_KEY_BYTES} bytes`);
  return assemble(protectedHeaderItem(key), payload, aad, (m) => signer.sign(m));
}
