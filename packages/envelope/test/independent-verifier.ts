/**
 * An independent COSE_Sign1 verifier written from RFC 9052 section 4.4, for the test suite only. It shares
 * no code with src/: it decodes with cborg (a different CBOR library), re-encodes the Sig_structure with
 * cborg, imports the key as a JWK, and verifies with node:crypto. It checks the cryptography only (no
 * plaza/1 key policy and no payload schema), so it answers "is this a valid EdDSA COSE_Sign1 for this
 * external AAD?".
 */
import { createPublicKey, verify } from 'node:crypto';
import { decode, encode } from 'cborg';

const COSE_SIGN1 = 18;
const ALG = 1;
const KID = 4;
const EDDSA = -8;

export function independentVerify(topic: string, envelope: Uint8Array): boolean {
  try {
    const tags: Record<number, (inner: () => unknown) => unknown> = [];
    tags[COSE_SIGN1] = (inner) => ({ coseSign1: inner() });
    const top = decode(envelope, { tags, strict: true, rejectDuplicateMapKeys: true, useMaps: true }) as {
      coseSign1?: unknown;
    };
    const message = top?.coseSign1;
    if (!Array.isArray(message) || message.length !== 4) return false;
    const [protectedBytes, unprotected, payload, signature] = message as unknown[];
    if (!(protectedBytes instanceof Uint8Array) || !(payload instanceof Uint8Array)) return false;
    if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
    if (!(unprotected instanceof Map)) return false;
    const header = decode(protectedBytes, { strict: true, rejectDuplicateMapKeys: true, useMaps: true });
    if (!(header instanceof Map) || header.get(ALG) !== EDDSA) return false;
    const kid = header.get(KID);
    if (!(kid instanceof Uint8Array) || kid.length !== 32) return false;
    // Sig_structure = ["Signature1", body_protected, external_aad, payload] (RFC 9052 section 4.4).
    const toBeSigned = encode(['Signature1', protectedBytes, new TextEncoder().encode(topic), payload]);
    const key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(kid).toString('base64url') },
      format: 'jwk',
    });
    return verify(null, toBeSigned, key, signature);
  } catch {
    return false;
  }
}
