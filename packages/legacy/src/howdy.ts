/**
 * howdy on `nara/plaza/howdy` (PROTOCOL-FACTS §2.6, §3.5): the answer to a hey_there. Go signs only
 * `howdy:{From}:{To}:{Seq}` with the key the same message claims in `Me.PublicKey`, so a verified howdy proves
 * only that someone holding that key said howdy; everything else in it is hearsay. Receivers take names
 * from it as hints, never as verified peers.
 */

import type { Signer } from '@nara/envelope';
import { type GoRecord, readStruct, writeStruct } from './go-struct.js';
import { parseJson } from './json.js';
import { checkName as validateName } from './names.js';
import { guarded, type LegacyRejection, refuse } from './reasons.js';
import { HOWDY } from './schemas.js';
import { checkSignature, defaultChecker, type LegacyChecker, publicKeyFrom, toBase64 } from './signature.js';
import type { HowdyEvent, NaraObservation, NaraStatus, NeighborInfo } from './types.js';

export interface HowdyOptions {
  /** Default {@link DEFAULT_HOWDY_MAX_BYTES}. */
  readonly maxBytes?: number;
  readonly checker?: LegacyChecker;
}

export type HowdyResult =
  | { readonly ok: true; readonly howdy: HowdyEvent; readonly key: Uint8Array }
  | LegacyRejection;

/** A howdy carries the sender's whole Observations map (about 200 bytes a nara): 256 KiB is ~1,000 naras. */
export const DEFAULT_HOWDY_MAX_BYTES = 256 * 1024;
const MAX_DEPTH = 8;
const encoder = new TextEncoder();

/** The bytes Go signs for a howdy. */
export function howdyMessage(from: string, to: string, seq: number): Uint8Array {
  return encoder.encode(`howdy:${from}:${to}:${seq}`);
}

/**
 * Reads and verifies a howdy. Refusals beyond the JSON ones: `invalid-name` (From or To), `unsigned`,
 * `missing-key` (no `Me.PublicKey`), then the key and signature.
 *
 * @example
 * ```ts
 * const result = verifyHowdy(payload);
 * if (result.ok) console.log(result.howdy.From, 'answered', result.howdy.To);
 * ```
 */
export function verifyHowdy(bytes: Uint8Array, options: HowdyOptions = {}): HowdyResult {
  return guarded(() => {
    const { value } = parseJson(bytes, options.maxBytes ?? DEFAULT_HOWDY_MAX_BYTES, MAX_DEPTH);
    if (value === null || typeof value !== 'object' || value.type !== 'object')
      refuse('not-an-object', 'a howdy is a JSON object');
    const howdy = readStruct(value, HOWDY, 'howdy') as unknown as HowdyEvent;
    for (const who of ['From', 'To'] as const) {
      const check = validateName(howdy[who]);
      if (!check.ok) refuse('invalid-name', `${who}: ${check.reason}`);
    }
    if (howdy.Signature === '') refuse('unsigned', 'no Signature');
    if (howdy.Me.PublicKey === '') refuse('missing-key', 'Me.PublicKey is empty');
    const key = publicKeyFrom(howdy.Me.PublicKey, 'Me.PublicKey');
    checkSignature(
      options.checker ?? defaultChecker(),
      key,
      howdyMessage(howdy.From, howdy.To, howdy.Seq),
      howdy.Signature,
    );
    return { ok: true as const, howdy, key };
  });
}

export interface BuildHowdyOptions {
  readonly signer: Signer;
  /** Our name. */
  readonly from: string;
  /** The hey_there sender we answer. */
  readonly to: string;
  /** 1 + the howdies already seen for `to` (Go's coordinator count). */
  readonly seq: number;
  /** Our status (its PublicKey is set to the signer's key). */
  readonly me: NaraStatus;
  readonly you?: NaraObservation;
  readonly neighbors?: NeighborInfo[] | null;
}

/** Builds a signed howdy as Go's `maybeRespondWithHowdy` and `json.Marshal` would. */
export function buildHowdy(options: BuildHowdyOptions): Uint8Array {
  for (const who of [options.from, options.to]) {
    const check = validateName(who);
    if (!check.ok) throw new TypeError(`name: ${check.message}`);
  }
  const howdy: HowdyEvent = {
    From: options.from,
    To: options.to,
    Seq: options.seq,
    You: options.you ?? {},
    Neighbors: options.neighbors ?? null,
    Me: { ...options.me, PublicKey: toBase64(options.signer.publicKey) },
    Signature: toBase64(options.signer.sign(howdyMessage(options.from, options.to, options.seq))),
  };
  return encoder.encode(writeStruct(howdy as unknown as GoRecord, HOWDY, 'howdy'));
}
