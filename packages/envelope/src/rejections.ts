/** Rejections as every verifier reports them: the reason, and a detail for people. */
import { DecodeFailure } from './cbor-reader.js';
import type { SignatureRejection } from './policy.js';
import type { Rejection, RejectReason } from './types.js';

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
