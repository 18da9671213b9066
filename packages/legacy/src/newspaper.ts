/**
 * Newspapers on `nara/newspaper/{name}`: `{From, Status, Signature}`, the signature over the bytes of
 * `Status` exactly as they appear in the message (PROTOCOL-FACTS §2.4, §3.4).
 */

import type { Signer } from '@nara/envelope';
import { goString } from './go-json.js';
import { type GoRecord, matchFields, readStruct, writeStruct } from './go-struct.js';
import { parseJson } from './json.js';
import { checkName as validateName } from './names.js';
import { guarded, type LegacyRejection, refuse } from './reasons.js';
import { NARA_STATUS, NEWSPAPER } from './schemas.js';
import { checkSignature, defaultChecker, type LegacyChecker, publicKeyFrom, toBase64 } from './signature.js';
import type { NaraStatus } from './types.js';

/** A verified legacy newspaper. */
export interface LegacyNewspaper {
  /** The sender, from the topic (equal to `From`). */
  readonly name: string;
  readonly status: NaraStatus;
  /** The signed bytes of `Status`, as received. */
  readonly statusBytes: Uint8Array;
  /** The base64 signature (distinct newspapers have distinct signatures: a replay guard keys on it). */
  readonly signature: string;
  /** The key it verified with. */
  readonly key: Uint8Array;
}

export interface NewspaperOptions {
  /** Default {@link DEFAULT_NEWSPAPER_MAX_BYTES}. */
  readonly maxBytes?: number;
  /** The key to verify with when `Status.PublicKey` is empty (Go then uses the key it knows). */
  readonly publicKey?: Uint8Array;
  /** Or a lookup of the key known for a name (`publicKey` wins). */
  readonly keyFor?: (name: string) => Uint8Array | undefined;
  readonly checker?: LegacyChecker;
}

export type NewspaperResult = { readonly ok: true; readonly newspaper: LegacyNewspaper } | LegacyRejection;

/** A Go newspaper is 1 to 2 KiB (Observations are sent as null); 64 KiB is far above any honest one. */
export const DEFAULT_NEWSPAPER_MAX_BYTES = 64 * 1024;
/** envelope, Status, Observations, one observation (and room for unknown additions). */
const MAX_DEPTH = 8;

const encoder = new TextEncoder();

/**
 * Verifies a newspaper received for `name` (the topic's last level). Refusals beyond the JSON ones:
 * `name-mismatch` (From is not the topic's name: Go ignores From), `unsigned` (Go accepts it), `invalid-field`
 * (Chattiness outside 0-100, Buzz outside 0-182, any type Go would not decode), `missing-key`, then the key and
 * signature under the plaza/1 policy (Go only logs a bad signature and carries on).
 *
 * @example
 * ```ts
 * const result = verifyNewspaper(payload, 'jojo');
 * if (result.ok) console.log(result.newspaper.status.Flair);
 * ```
 */
export function verifyNewspaper(
  bytes: Uint8Array,
  name: string,
  options: NewspaperOptions = {},
): NewspaperResult {
  return guarded(() => {
    const topicName = validateName(name);
    if (!topicName.ok) refuse('invalid-name', `topic name: ${topicName.reason}`);
    const { value, text } = parseJson(bytes, options.maxBytes ?? DEFAULT_NEWSPAPER_MAX_BYTES, MAX_DEPTH);
    if (value === null || typeof value !== 'object' || value.type !== 'object')
      refuse('not-an-object', 'a newspaper is a JSON object');
    const found = matchFields(value, NEWSPAPER, 'newspaper');
    const [fromField, statusField, signatureField] = NEWSPAPER.fields;
    const from = found.get(fromField!);
    if (from === undefined) refuse('missing-field', 'From');
    if (typeof from !== 'string') refuse('invalid-field', 'From: a string');
    if (from !== name) refuse('name-mismatch', 'From is not the name in the topic');
    const statusValue = found.get(statusField!);
    if (statusValue === undefined || statusValue === null) refuse('missing-field', 'Status');
    if (typeof statusValue !== 'object' || statusValue.type !== 'object')
      refuse('invalid-field', 'Status: an object');
    const status = readStruct(statusValue, NARA_STATUS, 'Status') as unknown as NaraStatus;
    checkRanges(status);
    const signature = found.get(signatureField!);
    if (signature !== undefined && typeof signature !== 'string')
      refuse('invalid-field', 'Signature: a string');
    if (signature === undefined || signature === '')
      refuse('unsigned', 'no Signature: Go accepts it, we do not');
    let key: Uint8Array;
    if (status.PublicKey !== '') key = publicKeyFrom(status.PublicKey, 'Status.PublicKey');
    else {
      const known = options.publicKey ?? options.keyFor?.(name);
      if (known === undefined)
        refuse('missing-key', 'Status.PublicKey is empty and no key is known for the name');
      key = known;
    }
    // The text was decoded from valid UTF-8, so encoding a slice of it gives back exactly the bytes received.
    const statusBytes = encoder.encode(text.slice(statusValue.start, statusValue.end));
    checkSignature(options.checker ?? defaultChecker(), key, statusBytes, signature);
    return { ok: true as const, newspaper: { name, status, statusBytes, signature, key } };
  });
}

/** The fields whose range Go keeps by construction and plaza/1 requires. */
function checkRanges(status: NaraStatus): void {
  if (status.Chattiness < 0 || status.Chattiness > 100)
    refuse('invalid-field', 'Status.Chattiness: 0 to 100');
  if (status.Buzz < 0 || status.Buzz > 182) refuse('invalid-field', 'Status.Buzz: 0 to 182');
}

/**
 * Writes a status as Go's `json.Marshal(status)` does: every field in declaration order, `omitempty` ones
 * left out when empty, maps sorted. Throws TypeError on a field not of its Go type.
 */
export function encodeNaraStatus(status: NaraStatus): string {
  return writeStruct(status as unknown as GoRecord, NARA_STATUS, 'status');
}

export interface BuildNewspaperOptions {
  readonly signer: Signer;
  readonly name: string;
  /** The status; its `PublicKey` is set to the signer's key (Go announces its own). */
  readonly status: NaraStatus;
}

/**
 * Builds a signed newspaper as Go's `SignNewspaper` and `json.Marshal` would: the signature over the status
 * bytes, which are embedded unchanged.
 *
 * @example
 * ```ts
 * const bytes = buildNewspaper({ signer: createSigner(seed), name, status });
 * ```
 */
export function buildNewspaper(options: BuildNewspaperOptions): Uint8Array {
  const check = validateName(options.name);
  if (!check.ok) throw new TypeError(`name: ${check.message}`);
  const status = { ...options.status, PublicKey: toBase64(options.signer.publicKey) };
  const statusJson = encodeNaraStatus(status);
  const statusBytes = encoder.encode(statusJson);
  const signature = toBase64(options.signer.sign(statusBytes));
  return encoder.encode(
    `{"From":${goString(options.name)},"Status":${statusJson},"Signature":"${signature}"}`,
  );
}
