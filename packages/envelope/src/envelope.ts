/**
 * Signing, decoding and verifying plaza/1 envelopes, independent of which Ed25519 backend is used.
 */
import type { Ed25519Backend } from './backend.js';
import {
  bindVerified,
  fromFailure,
  readPayload,
  reject,
  signatureDetail,
  TopicCache,
  topicMismatch,
} from './binding.js';
import { allocate, BytePool, Scratch } from './cbor.js';
import { assemble, parseCose, protectedHeaderItem, sigStructure } from './cose.js';
import { InvalidContentError } from './errors.js';
import { writeContent } from './payload.js';
import { DEFAULT_KEY_CACHE_SIZE, integerOption, KeyCache } from './policy.js';
import {
  type AnyEnvelopeContent,
  type DecodedEnvelope,
  type DecodeResult,
  type EnvelopeContent,
  type EnvelopeKind,
  PUBLIC_KEY_BYTES,
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
  /**
   * Envelopes whose verified result is kept, so that the same bytes on the same topic delivered again
   * (bridged brokers, redelivery, several naras of one process) are not verified again. 0 turns it off.
   * Default {@link DEFAULT_DUPLICATE_CACHE_SIZE}.
   */
  duplicateCacheSize?: number;
}

/** Default size of the verify-once cache: the envelopes of the last few seconds of a large plaza. */
export const DEFAULT_DUPLICATE_CACHE_SIZE = 1024;

/** A verified envelope kept for its duplicates: exactly what was received, and what it was found to say. */
interface Verified {
  readonly topic: string;
  /** A private copy of the envelope bytes: a hit needs every byte equal, so a forged copy never hits. */
  readonly bytes: Uint8Array;
  /**
   * What the first delivery said. Its frozen body is shared; the envelope object itself is not kept: with its
   * two byte arrays it was a third of what each entry held alive, and everything an entry holds is copied by
   * each young-generation collection it lives through (the cache's share of the pipeline's GC time).
   */
  readonly kind: VerifiedEnvelope['kind'];
  readonly name: string;
  readonly naraId: string;
  readonly seq: number;
  readonly time: number;
  readonly body: VerifiedEnvelope['body'];
  /**
   * Where the key is in the bytes, and the epoch as two numbers: a duplicate's byte arrays are made from
   * these, not from copies kept per entry (two more arrays per envelope for the garbage collector to move).
   */
  readonly kidAt: number;
  /** The epoch in 16-bit pieces: small integers, where 32-bit ones could each need a heap box. */
  readonly epoch01: number;
  readonly epoch23: number;
  readonly epoch45: number;
  readonly epoch67: number;
}

/** A private copy of `length` bytes of `from` at `at`, from the shared pool (no ArrayBuffer of its own). */
function copyOut(from: Uint8Array, at: number, length: number): Uint8Array {
  const out = allocate(length);
  for (let i = 0; i < length; i++) out[i] = from[at + i]!;
  return out;
}

function epochPiece(epoch: Uint8Array, at: number): number {
  return (epoch[at]! << 8) | epoch[at + 1]!;
}

function epochBytes(hit: Verified): Uint8Array {
  const out = allocate(8);
  out[0] = hit.epoch01 >> 8;
  out[1] = hit.epoch01;
  out[2] = hit.epoch23 >> 8;
  out[3] = hit.epoch23;
  out[4] = hit.epoch45 >> 8;
  out[5] = hit.epoch45;
  out[6] = hit.epoch67 >> 8;
  out[7] = hit.epoch67;
  return out;
}

/**
 * The cache id of an envelope: 30 bits of the first 4 bytes of its last 64 (of the signature's R, when it
 * is well formed), a small integer, so that a lookup builds and hashes no string. Only an id: a hit is taken
 * only when the topic and every byte are equal too, and only verified envelopes are stored, so a collision,
 * chosen or not, can only make one entry take another's place (a miss, as the eviction a flood causes).
 */
function tailId(b: Uint8Array): number {
  const o = b.length - 64;
  if (o < 0) return -1;
  return b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | ((b[o + 3]! & 0x3f) << 24);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  const n = a.length;
  if (n !== b.length) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

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
  private readonly scratch = new Scratch(1024);
  private readonly seen = new Map<number, Verified>();
  private readonly seenCapacity: number;
  /** The ids in {@link seen}, oldest at {@link seenNext} once the ring has gone round. */
  private readonly seenOrder: Int32Array;
  private seenNext = 0;
  private readonly copies = new BytePool();
  private duplicateHits = 0;

  constructor(init: VerifierInit) {
    if (typeof init?.backend?.verify !== 'function') throw new TypeError('backend must be an Ed25519Backend');
    this.backend = init.backend.name;
    this.maxBytes = integerOption(init.maxBytes, 'maxBytes', DEFAULT_MAX_BYTES);
    const keyCacheSize = integerOption(init.keyCacheSize, 'keyCacheSize', DEFAULT_KEY_CACHE_SIZE);
    this.keys = new KeyCache(init.backend, keyCacheSize);
    const duplicates = init.duplicateCacheSize;
    this.seenCapacity = integerOption(duplicates, 'duplicateCacheSize', DEFAULT_DUPLICATE_CACHE_SIZE, 0);
    this.seenOrder = new Int32Array(this.seenCapacity).fill(-1);
  }

  /** How many envelopes were answered from the verify-once cache (duplicates), since creation. */
  get duplicates(): number {
    return this.duplicateHits;
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
    let id = -1;
    if (this.seenCapacity > 0) {
      id = tailId(bytes);
      const hit = this.seen.get(id);
      if (hit !== undefined && hit.topic === topic && sameBytes(hit.bytes, bytes))
        return { ok: true, envelope: this.again(hit, bytes) };
    }
    try {
      const parts = parseCose(bytes);
      const tbs = sigStructure(bytes, parts, t.aad, this.scratch);
      const refused = this.keys.check(parts.kid, tbs, parts.signature);
      if (refused !== null) return reject(refused, signatureDetail(refused));
      const kidAt = parts.kid.byteOffset - bytes.byteOffset;
      // The private copy the payload is read from (a newspaper's status is decoded from it when first read)
      // and duplicates are compared with. From a private pool: arrays handed out share the other pool's
      // buffers, so a caller writing through `.buffer` of one of those can never reach it.
      const copy = this.copies.take(bytes.length);
      copy.set(bytes);
      const publicKey = copyOut(bytes, kidAt, PUBLIC_KEY_BYTES);
      const bound = bindVerified(bytes, copy, parts, t.topic!, topic, publicKey);
      if (!('envelope' in bound)) return bound;
      const { content, envelope } = bound;
      // Checkpoint finals carry vote envelopes as byte arrays, which cannot be frozen and so not shared.
      if (this.seenCapacity > 0 && content.kind !== 'checkpoint')
        this.remember(id, topic, copy, envelope, kidAt);
      return { ok: true, envelope };
    } catch (error) {
      return fromFailure(error);
    }
  }

  /** Keeps a verified envelope (and `copy`, private, of its bytes) for its duplicates; oldest out first. */
  private remember(
    id: number,
    topic: string,
    copy: Uint8Array,
    envelope: VerifiedEnvelope,
    kidAt: number,
  ): void {
    if (id < 0) return;
    const seen = this.seen;
    if (!seen.has(id)) {
      // The ids in arrival order, in a ring: the slot to fill holds the oldest id. Not `seen.keys().next()`:
      // a Map keeps deleted entries as holes until it rehashes, and its iterator walks over them.
      const slot = this.seenNext;
      const oldest = this.seenOrder[slot]!;
      if (oldest >= 0) seen.delete(oldest);
      this.seenOrder[slot] = id;
      this.seenNext = slot + 1 === this.seenCapacity ? 0 : slot + 1;
    }
    // Read now, before the caller gets the envelope and may change its epoch array.
    const epoch = envelope.epoch;
    seen.set(id, {
      topic,
      bytes: copy,
      kind: envelope.kind,
      name: envelope.name,
      naraId: envelope.naraId,
      seq: envelope.seq,
      time: envelope.time,
      body: envelope.body,
      kidAt,
      epoch01: epochPiece(epoch, 0),
      epoch23: epochPiece(epoch, 2),
      epoch45: epochPiece(epoch, 4),
      epoch67: epochPiece(epoch, 6),
    });
  }

  /** A duplicate: the same frozen content, with its own byte arrays (callers may change those). */
  private again(hit: Verified, bytes: Uint8Array): VerifiedEnvelope {
    this.duplicateHits++;
    return Object.freeze({
      kind: hit.kind,
      name: hit.name,
      naraId: hit.naraId,
      epoch: epochBytes(hit),
      seq: hit.seq,
      time: hit.time,
      body: hit.body,
      topic: hit.topic,
      publicKey: copyOut(hit.bytes, hit.kidAt, PUBLIC_KEY_BYTES),
      bytes,
    }) as unknown as VerifiedEnvelope;
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
    const parts = parseCose(bytes);
    const content = readPayload(bytes, parts);
    const envelope = Object.freeze({
      kind: content.kind,
      name: content.name,
      naraId: content.naraId,
      epoch: content.epoch,
      seq: content.seq,
      time: content.time,
      body: content.body,
      publicKey: parts.kid.slice(),
      signature: parts.signature.slice(),
      bytes,
      verified: false,
    }) as unknown as DecodedEnvelope;
    return { ok: true, envelope };
  } catch (error) {
    return fromFailure(error);
  }
}

const protectedItems = new WeakMap<Signer, { key: Uint8Array; item: Uint8Array }>();

function protectedItemFor(signer: Signer): Uint8Array {
  const key = signer.publicKey;
  const cached = protectedItems.get(signer);
  if (cached !== undefined && cached.key === key) return cached.item;
  if (!(key instanceof Uint8Array) || key.length !== PUBLIC_KEY_BYTES)
    throw new TypeError(`signer.publicKey must be a Uint8Array of ${PUBLIC_KEY_BYTES} bytes`);
  const item = protectedHeaderItem(key);
  protectedItems.set(signer, { key, item });
  return item;
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
  return assemble(protectedItemFor(signer), payload, aad, (m) => signer.sign(m));
}
