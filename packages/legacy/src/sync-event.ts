/**
 * hey_there and chau SyncEvents (PROTOCOL-FACTS §2.1-2.3, §3.1): read strictly, verified as Go signs them
 * and harder than Go checks them, and built byte for byte as Go writes them.
 */

import type { Signer } from '@nara/envelope';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { goString } from './go-json.js';
import { matchFields, readGo } from './go-struct.js';
import { type Json, type JsonObject, parseJson } from './json.js';
import { checkName as validateName } from './names.js';
import { guarded, type LegacyRejection, refuse } from './reasons.js';
import { CHAU, HEY_THERE, SYNC_EVENT } from './schemas.js';
import { checkSignature, defaultChecker, type LegacyChecker, publicKeyFrom, toBase64 } from './signature.js';

/** The two SyncEvent services this package reads and writes, as `svc` spells them. */
export type LegacyService = 'hey-there' | 'chau';

/** A hey_there or chau SyncEvent as read. */
export interface LegacySyncEvent {
  readonly service: LegacyService;
  /** The event id (32 lowercase hex), checked against its content. */
  readonly id: string;
  /** Nanoseconds since the Unix epoch, exactly (Go's int64). */
  readonly ts: bigint;
  /** The signer's name; equal to `from` in every accepted event. */
  readonly emitter: string;
  readonly emitterId: string;
  readonly from: string;
  /** The sender's key as written (standard base64); may be `''` in a chau. */
  readonly publicKey: string;
  /** hey_there's MeshIP (`''` when none, and in a chau). */
  readonly meshIp: string;
  /** The payload's nara ID (`''` when none). Not covered by Go's signature. */
  readonly naraId: string;
  /** The base64 signature. */
  readonly sig: string;
}

/** A verified event: its key, as checked. */
export interface VerifiedSyncEvent extends LegacySyncEvent {
  readonly key: Uint8Array;
}

export interface SyncEventOptions {
  /** Size cap checked before parsing; default {@link DEFAULT_SYNC_EVENT_MAX_BYTES}. */
  readonly maxBytes?: number;
  /**
   * Our clock in ms, for the time window; `null` skips the window (vectors and tools only). Default: now.
   */
  readonly now?: number | null;
  /** How far ahead of `now` ts may be (default 30 s, as plaza/1). */
  readonly maxFutureMs?: number;
  /** How far behind `now` ts may be (default 60 s, as plaza/1). */
  readonly maxAgeMs?: number;
  /** The key to verify a chau that carries none (Go resolves it from its neighbourhood). */
  readonly publicKey?: Uint8Array;
  /** Or a lookup of the key known for a name, for the same purpose (`publicKey` wins). */
  readonly keyFor?: (name: string) => Uint8Array | undefined;
  readonly checker?: LegacyChecker;
}

export type SyncEventResult = { readonly ok: true; readonly event: VerifiedSyncEvent } | LegacyRejection;

/** A hey_there is about 330 bytes; 4 KiB leaves room for long names and nothing else. */
export const DEFAULT_SYNC_EVENT_MAX_BYTES = 4096;
/** Nesting: the event and its payload. */
const MAX_DEPTH = 4;
const PAYLOAD_KEY = { 'hey-there': 'hey_there', chau: 'chau' } as const;
const OTHER_PAYLOADS = ['social', 'ping', 'observation', 'seen', 'checkpoint'];

const encoder = new TextEncoder();

/** Go's ContentString: what the id and the signature cover. */
export function contentString(
  service: LegacyService,
  from: string,
  publicKey: string,
  meshIp: string,
): string {
  return service === 'hey-there' ? `hey_there:${from}:${publicKey}:${meshIp}` : `chau:${from}:${publicKey}`;
}

/** Go's `ComputeID`: lowercase hex of the first 16 bytes of SHA-256(`{ts}:{svc}:` ‖ content). */
export function computeEventId(ts: bigint, service: LegacyService, content: string): string {
  return bytesToHex(sha256(encoder.encode(`${ts}:${service}:${content}`)).subarray(0, 16));
}

/** Go's `signableData`: SHA-256(`{id}:{ts}:{svc}:{emitter}:` ‖ content), the 32 bytes Ed25519 signs. */
export function signableDigest(
  id: string,
  ts: bigint,
  service: LegacyService,
  emitter: string,
  content: string,
): Uint8Array {
  return sha256(encoder.encode(`${id}:${ts}:${service}:${emitter}:${content}`));
}

/**
 * Reads and verifies a hey_there or chau SyncEvent. Refusals, in order: size and JSON; shape (`svc` must be
 * `service`, keys as Go's structs, nothing else); `invalid-name`; `unsigned` (Go accepts unsigned events, we
 * do not); `emitter-mismatch` (emitter must be From); `id-mismatch`; `invalid-ts`, `from-future`, `too-old`;
 * key and signature under the plaza/1 policy. Never throws on hostile bytes.
 *
 * @example
 * ```ts
 * const result = verifySyncEvent(payload, 'hey-there');
 * if (result.ok) console.log(result.event.from, result.event.ts);
 * else console.log(result.reason); // e.g. 'unsigned'
 * ```
 */
export function verifySyncEvent(
  bytes: Uint8Array,
  service: LegacyService,
  options: SyncEventOptions = {},
): SyncEventResult {
  return guarded(() => {
    const event = readSyncEvent(bytes, service, options.maxBytes ?? DEFAULT_SYNC_EVENT_MAX_BYTES);
    checkWindow(event.ts, options);
    const keyText = event.publicKey;
    let key: Uint8Array;
    if (keyText !== '') key = publicKeyFrom(keyText, 'PublicKey');
    else {
      const known = options.publicKey ?? options.keyFor?.(event.from);
      if (known === undefined)
        refuse('missing-key', 'a chau without PublicKey, and no key known for its name');
      key = known;
    }
    const content = contentString(service, event.from, keyText, event.meshIp);
    const digest = signableDigest(event.id, event.ts, service, event.emitter, content);
    checkSignature(options.checker ?? defaultChecker(), key, digest, event.sig);
    return { ok: true as const, event: { ...event, key } };
  });
}

function checkWindow(ts: bigint, options: SyncEventOptions): void {
  const now = options.now === undefined ? Date.now() : options.now;
  if (now === null) return;
  const ms = Number(ts / 1_000_000n);
  if (ms - now > (options.maxFutureMs ?? 30_000)) refuse('from-future', `ts ${ms - now} ms ahead of ours`);
  if (now - ms > (options.maxAgeMs ?? 60_000)) refuse('too-old', `ts ${now - ms} ms behind ours`);
}

/** Reads the event and checks everything but time and signature. */
function readSyncEvent(bytes: Uint8Array, service: LegacyService, maxBytes: number): LegacySyncEvent {
  const { value } = parseJson(bytes, maxBytes, MAX_DEPTH);
  if (value === null || typeof value !== 'object' || value.type !== 'object')
    refuse('not-an-object', 'a SyncEvent is a JSON object');
  const found = matchFields(value, SYNC_EVENT, 'SyncEvent');
  const get = (key: string) => found.get(SYNC_EVENT.byFold.get(key.toUpperCase())!);
  for (const other of OTHER_PAYLOADS)
    if (get(other) !== undefined) refuse('wrong-service', `a ${other} payload in a ${service} event`);
  const svc = get('svc');
  if (svc === undefined) refuse('missing-field', 'svc');
  if (readGo(svc, SYNC_EVENT.byFold.get('SVC')!.type, 'svc') !== service)
    refuse('wrong-service', `svc is not ${service}`);
  const otherPayload = PAYLOAD_KEY[service === 'chau' ? 'hey-there' : 'chau'];
  if (get(otherPayload) !== undefined)
    refuse('wrong-service', `a ${otherPayload} payload in a ${service} event`);
  const idValue = get('id');
  if (idValue === undefined) refuse('missing-field', 'id');
  const id = readGo(idValue, SYNC_EVENT.byFold.get('ID')!.type, 'id') as string;
  const ts = readTs(get('ts'));
  const text = (key: string) => {
    const v = get(key);
    return v === undefined ? '' : (readGo(v, SYNC_EVENT.byFold.get(key.toUpperCase())!.type, key) as string);
  };
  const emitter = text('emitter');
  const emitterId = text('emitter_id');
  const sig = text('sig');
  const payloadValue = get(PAYLOAD_KEY[service]);
  if (payloadValue === undefined || payloadValue === null) refuse('missing-field', PAYLOAD_KEY[service]);
  if (typeof payloadValue !== 'object' || payloadValue.type !== 'object')
    refuse('invalid-field', `${PAYLOAD_KEY[service]}: an object`);
  const payload = readPayload(payloadValue, service);
  const name = validateName(payload.from);
  if (!name.ok) refuse('invalid-name', `From: ${name.reason}`);
  if (emitter === '' || sig === '') refuse('unsigned', 'no emitter or no sig: Go accepts it, we do not');
  if (emitter !== payload.from) refuse('emitter-mismatch', 'emitter is not From');
  if (service === 'hey-there' && payload.publicKey === '') refuse('missing-field', 'hey_there.PublicKey');
  const content = contentString(service, payload.from, payload.publicKey, payload.meshIp);
  if (id !== computeEventId(ts, service, content)) refuse('id-mismatch', 'id is not the hash of the event');
  return { service, id, ts, emitter, emitterId, sig, ...payload };
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** `ts` as Go's int64 reads it: an integer literal in range, kept exact as a bigint. Zero is not valid. */
function readTs(value: Json | undefined): bigint {
  if (value === undefined) refuse('missing-field', 'ts');
  if (value === null || typeof value !== 'object' || value.type !== 'number' || !/^-?\d+$/.test(value.text))
    refuse('invalid-ts', 'ts: an integer number of nanoseconds');
  const ts = BigInt(value.text);
  if (ts < INT64_MIN || ts > INT64_MAX) refuse('invalid-ts', 'ts: beyond int64');
  if (ts <= 0n) refuse('invalid-ts', 'ts: not after 1970');
  return ts;
}

function readPayload(object: JsonObject, service: LegacyService) {
  const struct = service === 'hey-there' ? HEY_THERE : CHAU;
  const found = matchFields(object, struct, PAYLOAD_KEY[service]);
  const text = (key: string): string => {
    const f = struct.byFold.get(key.toUpperCase());
    const v = f === undefined ? undefined : found.get(f);
    return v === undefined || f === undefined
      ? ''
      : (readGo(v, f.type, `${PAYLOAD_KEY[service]}.${key}`) as string);
  };
  if (found.get(struct.fields[0]!) === undefined) refuse('missing-field', `${PAYLOAD_KEY[service]}.From`);
  // Go never fills the inner Signature and nothing checks it; it is read for its type and dropped.
  text('Signature');
  return { from: text('From'), publicKey: text('PublicKey'), meshIp: text('MeshIP'), naraId: text('ID') };
}

export interface BuildSyncEventOptions {
  /** `createSigner(seed)` of @nara/envelope: the one signer, plaza/1's and the Go wire's. */
  readonly signer: Signer;
  /** The nara's name (From and emitter). */
  readonly name: string;
  /** Nanoseconds since the Unix epoch; see {@link nowNanoseconds}. */
  readonly ts: bigint;
  /** The nara ID written in the payload (Go writes it; the signature does not cover it). */
  readonly naraId?: string;
  /** hey_there only: the mesh address. */
  readonly meshIp?: string;
}

/** Our clock as Go's `time.Now().UnixNano()`: ms precision, as a bigint. */
export function nowNanoseconds(nowMs: number = Date.now()): bigint {
  return BigInt(Math.trunc(nowMs)) * 1_000_000n;
}

/**
 * Builds a signed SyncEvent exactly as Go's `NewHeyThereSyncEvent`/`NewChauSyncEvent` and `json.Marshal`
 * would, with the same key and time. Throws TypeError on an invalid name or field (our own input).
 *
 * @example
 * ```ts
 * const bytes = buildSyncEvent('hey-there', { signer: createSigner(seed), name, ts: nowNanoseconds() });
 * ```
 */
export function buildSyncEvent(service: LegacyService, options: BuildSyncEventOptions): Uint8Array {
  const { signer, name, ts } = options;
  const check = validateName(name);
  if (!check.ok) throw new TypeError(`name: ${check.message}`);
  if (typeof ts !== 'bigint' || ts <= 0n || ts > INT64_MAX)
    throw new TypeError('ts must be a positive int64 bigint');
  const publicKey = toBase64(signer.publicKey);
  const meshIp = service === 'hey-there' ? (options.meshIp ?? '') : '';
  const naraId = options.naraId ?? '';
  const content = contentString(service, name, publicKey, meshIp);
  const id = computeEventId(ts, service, content);
  const sig = toBase64(signer.sign(signableDigest(id, ts, service, name, content)));
  const payload =
    service === 'hey-there'
      ? `"hey_there":{"From":${goString(name)},"PublicKey":${goString(publicKey)},"MeshIP":${goString(meshIp)},"ID":${goString(naraId)},"Signature":""}`
      : `"chau":{"From":${goString(name)},"PublicKey":${goString(publicKey)},"ID":${goString(naraId)},"Signature":""}`;
  const json = `{"id":"${id}","ts":${ts},"svc":"${service}","emitter":${goString(name)},"sig":"${sig}",${payload}}`;
  return encoder.encode(json);
}
