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
  const bytes = decodeCanonical(text);
  if (bytes === null) refuse('bad-base64', `${what}: not canonical standard base64`);
  return bytes;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

/**
 * Standard base64 with padding, only in its one canonical form (length a multiple of 4, padding only at
 * the end, unused bits zero), or null. A loop of its own: keys and signatures are read on every message.
 */
function decodeCanonical(text: string): Uint8Array | null {
  const n = text.length;
  if (n % 4 !== 0) return null;
  const pad = n === 0 ? 0 : text.charCodeAt(n - 1) === 61 ? (text.charCodeAt(n - 2) === 61 ? 2 : 1) : 0;
  const out = new Uint8Array((n / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < n; i += 4) {
    const last = i + 4 === n;
    const a = value(text, i);
    const b = value(text, i + 1);
    const c = last && pad === 2 ? 0 : value(text, i + 2);
    const d = last && pad >= 1 ? 0 : value(text, i + 3);
    if ((a | b | c | d) < 0) return null;
    const word = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = word >> 16;
    if (o < out.length) out[o++] = (word >> 8) & 0xff;
    if (o < out.length) out[o++] = word & 0xff;
    if (last && ((pad === 2 && (b & 15) !== 0) || (pad === 1 && (c & 3) !== 0))) return null;
  }
  return out;
}

function value(text: string, at: number): number {
  const c = text.charCodeAt(at);
  return c < 128 ? VALUES[c]! : -1;
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
