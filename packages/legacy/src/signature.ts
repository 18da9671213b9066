/**
 * Keys and signatures on the Go wire: standard base64 with padding (Go's `base64.StdEncoding`), held to the
 * canonical form (Go also skips CR and LF inside and accepts non-zero padding bits: we do not), then the
 * plaza/1 Ed25519 policy of @nara/envelope, which every honest Go signature passes.
 */
import { createSignatureChecker, type SignatureCheck } from '@nara/envelope';
import { base64 } from '@scure/base';
import { type LegacyRejectReason, refuse } from './reasons.js';

/** What verifies one signature: `createSignatureChecker()` of @nara/envelope, or anything shaped like it. */
export interface LegacyChecker {
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): SignatureCheck;
}

let shared: LegacyChecker | undefined;

/** The checker used when none is given: one per process, built on first use (node:crypto on Node). */
export function defaultChecker(): LegacyChecker {
  shared ??= createSignatureChecker();
  return shared;
}

/** Decodes canonical standard base64, or refuses with `bad-base64`. */
export function fromBase64(text: string, what: string): Uint8Array {
  try {
    return base64.decode(text);
  } catch {
    refuse('bad-base64', `${what}: not canonical standard base64`);
  }
}

export function toBase64(bytes: Uint8Array): string {
  return base64.encode(bytes);
}

/** Decodes a public key (32 bytes) from Go's text form. */
export function publicKeyFrom(text: string, what: string): Uint8Array {
  const key = fromBase64(text, what);
  if (key.length !== 32) refuse('key-non-canonical', `${what}: ${key.length} bytes, not 32`);
  return key;
}

/** Checks `signatureText` (base64) over `message` with `publicKey` under the policy, or refuses. */
export function checkSignature(
  checker: LegacyChecker,
  publicKey: Uint8Array,
  message: Uint8Array,
  signatureText: string,
): void {
  const signature = fromBase64(signatureText, 'signature');
  if (signature.length !== 64) refuse('bad-signature-length', `signature: ${signature.length} bytes, not 64`);
  const result = checker.verify(publicKey, message, signature);
  if (!result.ok) {
    const reason: LegacyRejectReason = result.reason === 'bad-kid' ? 'key-non-canonical' : result.reason;
    refuse(reason, `signature refused: ${reason}`);
  }
}
