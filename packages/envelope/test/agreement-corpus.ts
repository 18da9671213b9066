/**
 * The inputs every Ed25519 backend must decide identically under the policy: the speccheck cases, and a
 * corpus of edge cases around an honest key (torsion added to the key and to R, small-order keys and R,
 * S + L, S = 0, a flipped sign bit, bytes that are no point). Shared by the Node agreement test and the
 * WebCrypto tests (Node's WebCrypto, and Chromium's through a page).
 */
import { SMALL_ORDER_Y } from '@nara/envelope';
import { SPECCHECK_CASES } from '@nara/tooling/speccheck';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';

/** The ten cases of Chalkias, Garillot, Nikolaenko (2020); see vectors/README.md. */
export const speccheck = SPECCHECK_CASES;

export const hex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));

export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** A corpus of edge cases around one honest key and message: [name, key, signature]. */
export function edgeCases(seed: Uint8Array, message: Uint8Array): [string, Uint8Array, Uint8Array][] {
  const { Point } = ed25519;
  const Fn = Point.Fn;
  const pub = ed25519.getPublicKey(seed);
  const sig = ed25519.sign(message, seed);
  const smallOrder = SMALL_ORDER_Y.map(hex);
  const torsion = smallOrder
    .flatMap((y) => [y, Uint8Array.from(y, (b, i) => (i === 31 ? b | 0x80 : b))])
    .flatMap((bytes) => {
      try {
        return [Point.fromBytes(new Uint8Array(bytes), true)];
      } catch {
        return [];
      }
    });
  const r = sig.subarray(0, 32);
  const sBig = Fn.fromBytes(sig.subarray(32));
  const cases: [string, Uint8Array, Uint8Array][] = [['honest', pub, sig]];
  for (const [i, t] of torsion.entries()) {
    cases.push([`key+T${i}`, Point.fromBytes(pub).add(t).toBytes(), sig]);
    cases.push([
      `R+T${i}`,
      pub,
      concatBytes(Point.fromBytes(new Uint8Array(r)).add(t).toBytes(), sig.subarray(32)),
    ]);
    cases.push([`small key ${i}`, t.toBytes(), concatBytes(hex(`01${'00'.repeat(31)}`), new Uint8Array(32))]);
  }
  for (const y of smallOrder) {
    cases.push(['small-order R', pub, concatBytes(y, sig.subarray(32))]);
    cases.push(['small-order key bytes', y, sig]);
  }
  const L = Fn.ORDER;
  const sPlusL = new Uint8Array(32);
  let v = sBig + L;
  for (let i = 0; i < 32; i++, v >>= 8n) sPlusL[i] = Number(v & 0xffn);
  cases.push(['S+L', pub, concatBytes(r, sPlusL)]);
  cases.push(['S=0', pub, concatBytes(r, new Uint8Array(32))]);
  // A non-canonical R encoding of the honest R (when y < 19 is impossible, flip only the sign bit).
  cases.push([
    'R sign flipped',
    pub,
    concatBytes(concatBytes(r.subarray(0, 31), Uint8Array.of(r[31]! ^ 0x80)), sig.subarray(32)),
  ]);
  // The hash of the key as a key: usually not on the curve.
  cases.push(['random key bytes', sha512(pub).subarray(0, 32), sig]);
  return cases;
}

/** One input of the corpus, hex-encoded so that it can cross into a browser page as JSON. */
export interface CorpusCase {
  name: string;
  key: string;
  message: string;
  signature: string;
}

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/**
 * A fixed corpus: the speccheck cases, the edge cases around `keys` deterministic keys (seeded by SHA-256,
 * so every run and every platform gets the same inputs), and `random` cases of hashed bytes as key,
 * message and signature.
 */
export function fixedCorpus(keys = 6, random = 40): CorpusCase[] {
  const cases: CorpusCase[] = speccheck.map((c, i) => ({
    name: `speccheck ${i}`,
    key: c.pub_key,
    message: c.message,
    signature: c.signature,
  }));
  const text = (s: string) => new TextEncoder().encode(s);
  for (let k = 0; k < keys; k++) {
    const seed = sha256(text(`agreement key ${k}`));
    const message = sha512(text(`agreement message ${k}`)).subarray(0, k * 9);
    for (const [name, key, signature] of edgeCases(seed, message))
      cases.push({
        name: `key ${k}: ${name}`,
        key: toHex(key),
        message: toHex(message),
        signature: toHex(signature),
      });
  }
  for (let i = 0; i < random; i++) {
    const bytes = sha512(text(`agreement random ${i}`));
    const more = sha512(bytes);
    cases.push({
      name: `random ${i}`,
      key: toHex(bytes.subarray(0, 32)),
      message: toHex(bytes.subarray(32, 32 + (i % 16))),
      signature: toHex(more),
    });
  }
  return cases;
}
