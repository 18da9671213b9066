/**
 * Hostile input through the real receive pipeline (createReceivePipeline: verifier -> registry -> metrics,
 * as a nara wires it): keys and signatures. Every case asserts its reason code, that the rejected counter for that
 * reason grew by exactly one, and that no peer state changed. HOSTILE-NOTES.md lists what a general decoder
 * or a lax Ed25519 verifier would have done with the same bytes.
 */
import { concat, enc, forge, hex, protectedItem, sigStructure } from '@nara/tooling/forge';
import { SPECCHECK_CASES, SPECCHECK_POLICY_REASONS } from '@nara/tooling/speccheck';
import { describe, it } from 'vitest';
import {
  ana,
  BOB_ID,
  bob,
  E1,
  expectRejected,
  H,
  honest,
  mallory,
  N,
  NOW,
  payloadItem,
  useFixture,
} from './hostile-fixture.js';

const { f, cases } = useFixture();

function malleate(signature: Uint8Array): Uint8Array {
  const L = 2n ** 252n + 27742317777372353535851937790883648493n;
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(signature[i]!);
  s += L;
  const out = signature.slice();
  for (let i = 32; i < 64; i++) {
    out[i] = Number(s & 0xffn);
    s >>= 8n;
  }
  return out;
}

/** An envelope from `kid` (any 32 bytes) with a given raw signature over ana's next hey-there. */
function withKeyAndSignature(kid: Uint8Array, signature: Uint8Array): Uint8Array {
  return forge(ana, H, { protected: protectedItem(kid), payload: payloadItem(), signature: enc(signature) });
}

const SMALL_ORDER_IDENTITY = hex('0100000000000000000000000000000000000000000000000000000000000000');
const ORDER_8 = hex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a');
const NON_CANONICAL_IDENTITY = hex('eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
const NOT_ON_CURVE = hex('0200000000000000000000000000000000000000000000000000000000000000');

describe('crypto', () => {
  const good = () => {
    const payload = payloadItem();
    return ana.sign(sigStructure(protectedItem(ana.publicKey), H, payload));
  };
  cases([
    {
      name: 'a 31-byte kid',
      topic: H,
      bytes: () => forge(ana, H, { payload: payloadItem() }, ana.publicKey.subarray(0, 31)),
      reason: 'bad-kid',
    },
    {
      name: 'a 33-byte kid (node:crypto would ignore the extra byte)',
      topic: H,
      bytes: () => forge(ana, H, { payload: payloadItem() }, concat(ana.publicKey, hex('00'))),
      reason: 'bad-kid',
    },
    {
      name: 'an empty kid',
      topic: H,
      bytes: () => forge(ana, H, { payload: payloadItem() }, new Uint8Array(0)),
      reason: 'bad-kid',
    },
    {
      name: 'a 63-byte signature',
      topic: H,
      bytes: () => withKeyAndSignature(ana.publicKey, good().subarray(0, 63)),
      reason: 'bad-signature-length',
    },
    {
      name: 'a 65-byte signature',
      topic: H,
      bytes: () => withKeyAndSignature(ana.publicKey, concat(good(), hex('00'))),
      reason: 'bad-signature-length',
    },
    {
      name: 'an empty signature',
      topic: H,
      bytes: () => withKeyAndSignature(ana.publicKey, new Uint8Array(0)),
      reason: 'bad-signature-length',
    },
    {
      name: 'the identity point as key, R = identity, S = 0 (both raw verifiers accept)',
      topic: H,
      bytes: () =>
        withKeyAndSignature(SMALL_ORDER_IDENTITY, concat(SMALL_ORDER_IDENTITY, new Uint8Array(32))),
      reason: 'key-small-order',
    },
    {
      name: 'an order-8 key',
      topic: H,
      bytes: () => withKeyAndSignature(ORDER_8, concat(SMALL_ORDER_IDENTITY, new Uint8Array(32))),
      reason: 'key-small-order',
    },
    {
      name: 'a non-canonical identity key (y = p + 1)',
      topic: H,
      bytes: () =>
        withKeyAndSignature(NON_CANONICAL_IDENTITY, concat(SMALL_ORDER_IDENTITY, new Uint8Array(32))),
      reason: 'key-non-canonical',
    },
    {
      name: 'a key that is not on the curve',
      topic: H,
      bytes: () => withKeyAndSignature(NOT_ON_CURVE, good()),
      reason: 'key-not-on-curve',
    },
    {
      name: 'a non-canonical S (S + L)',
      topic: H,
      bytes: () => withKeyAndSignature(ana.publicKey, malleate(good())),
      reason: 'signature-s-out-of-range',
    },
    {
      name: 'S = 2^256 - 1',
      topic: H,
      bytes: () =>
        withKeyAndSignature(ana.publicKey, concat(good().subarray(0, 32), new Uint8Array(32).fill(0xff))),
      reason: 'signature-s-out-of-range',
    },
    {
      name: 'one bit flipped in the signature',
      topic: H,
      bytes: () => {
        const s = good();
        s[5]! ^= 1;
        return withKeyAndSignature(ana.publicKey, s);
      },
      reason: 'bad-signature',
    },
    {
      name: 'a valid signature over another topic (newspaper AAD, sent on hey-there)',
      topic: H,
      bytes: () => {
        const payload = payloadItem();
        const signature = ana.sign(sigStructure(protectedItem(ana.publicKey), N('ana'), payload));
        return withKeyAndSignature(ana.publicKey, signature);
      },
      reason: 'bad-signature',
    },
    {
      name: "a valid newspaper for bob's topic replayed on ana's topic",
      topic: N('ana'),
      bytes: () =>
        honest(bob, N('bob'), {
          kind: 'newspaper',
          name: 'bob',
          naraId: BOB_ID,
          epoch: E1,
          seq: 1,
          time: NOW,
          body: { status: { chattiness: 1, buzz: 1 }, next: NOW + 60_000 },
        }),
      reason: 'bad-signature',
    },
    {
      name: "ana's key as kid, signed by mallory",
      topic: H,
      bytes: () => forge(mallory, H, { payload: payloadItem() }, ana.publicKey),
      reason: 'bad-signature',
    },
    {
      name: 'a payload changed after signing',
      topic: H,
      bytes: () => {
        const payload = payloadItem();
        const signature = ana.sign(sigStructure(protectedItem(ana.publicKey), H, payload));
        return withKeyAndSignature(ana.publicKey, signature).map((b, i, all) =>
          i === all.length - 70 ? b ^ 1 : b,
        );
      },
      reason: 'bad-signature',
    },
  ]);

  SPECCHECK_CASES.forEach((c, i) => {
    it(`speccheck case ${i} (key and signature in an otherwise valid envelope): ${SPECCHECK_POLICY_REASONS[i]}`, () => {
      expectRejected(
        f(),
        H,
        withKeyAndSignature(hex(c.pub_key), hex(c.signature)),
        SPECCHECK_POLICY_REASONS[i]!,
      );
    });
  });
});
