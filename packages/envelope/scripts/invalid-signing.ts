import {
  challenge,
  concat,
  enc,
  hexToBytes,
  Point,
  protectedItem,
  assemble as rawAssemble,
  sign,
  signedParts,
  signWithIdentityR,
  sigStructure,
  TORSION_8,
  toHex,
} from './forge.js';
import {
  alice,
  bob,
  CHAU,
  HEY,
  type InvalidContext,
  L,
  payloadOf,
  payloadPairs,
  utf8,
} from './vector-fixtures.js';

export function signingVectors(v: InvalidContext): void {
  const { add, honestPayload, honest, signedPayload, withParts } = v;
  // 4. key policy
  const identity = hexToBytes('0100000000000000000000000000000000000000000000000000000000000000');
  {
    // Identity key, R = identity, S = 0: every message "verifies" under node:crypto and noble's default.
    const payload = enc(honestPayload);
    /** The honest payload under `key`, with R = identity and S = 0 as its signature. */
    const identitySigned = (key: Uint8Array) =>
      rawAssemble({
        protected: protectedItem(key),
        payload,
        signature: enc(concat(identity, new Uint8Array(32))),
      });
    add(
      'key-identity',
      'key-small-order',
      'key-policy',
      'the identity as public key, R = identity, S = 0: raw node:crypto and raw noble accept it for any message',
      HEY,
      identitySigned(identity),
    );
    const order8 = hexToBytes('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a');
    add(
      'key-order-8',
      'key-small-order',
      'key-policy',
      'an order-8 public key, R = identity, S = 0',
      HEY,
      identitySigned(order8),
    );
    const pPlus1 = hexToBytes('eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
    add(
      'key-non-canonical-y',
      'key-non-canonical',
      'key-policy',
      'the identity encoded as y = p + 1 (raw node:crypto accepts it)',
      HEY,
      identitySigned(pPlus1),
    );
    const negZero = concat(alice.publicKey.subarray(0, 31), Uint8Array.of(alice.publicKey[31]! ^ 0x80));
    const signedNeg = signedParts(alice, HEY, honestPayload, negZero);
    add(
      'key-other-sign',
      'bad-signature',
      'signature',
      "alice's key with the sign bit flipped (a valid, different point): the signature fails",
      HEY,
      rawAssemble(signedNeg),
    );
    const xZeroSign = hexToBytes('0100000000000000000000000000000000000000000000000000000000000080');
    add(
      'key-x-zero-sign-bit',
      'key-non-canonical',
      'key-policy',
      'x = 0 with the sign bit set (the identity, non-canonically)',
      HEY,
      identitySigned(xZeroSign),
    );
    // y = 2 has no x on the curve.
    const notOnCurve = hexToBytes('0200000000000000000000000000000000000000000000000000000000000000');
    add(
      'key-not-on-curve',
      'key-not-on-curve',
      'key-policy',
      'y = 2: no point has it',
      HEY,
      rawAssemble(signedParts(alice, HEY, honestPayload, notOnCurve)),
    );
    // Mixed order: alice's point plus an order-8 point, signed with alice's scalar; the sequence number is
    // chosen so that k is a multiple of 8, which makes raw node:crypto accept it.
    const mixed = Point.fromBytes(alice.publicKey).add(TORSION_8).toBytes();
    for (let seq = 0; ; seq++) {
      const payloadBytes = enc(payloadOf(payloadPairs({ 5: seq })));
      const prot = protectedItem(mixed);
      const tbs = sigStructure(prot, HEY, payloadBytes);
      const rScalar = challenge(utf8.encode(`nonce ${seq}`), new Uint8Array(0), new Uint8Array(0));
      const R = Point.BASE.multiply(rScalar).toBytes();
      const k = challenge(R, mixed, tbs);
      if (k % 8n !== 0n) continue;
      const S = Point.Fn.create(rScalar + k * alice.scalar);
      add(
        'key-mixed-order',
        'key-mixed-order',
        'key-policy',
        'a public key with an order-8 torsion component; the signature satisfies the cofactorless equation (raw node:crypto accepts it)',
        HEY,
        rawAssemble({
          protected: prot,
          payload: payloadBytes,
          signature: enc(concat(R, Point.Fn.toBytes(S))),
        }),
      );
      break;
    }
  }

  // 5. signature
  const sig = honest.signature.subarray(2);
  add(
    'signature-63-bytes',
    'bad-signature-length',
    'signature',
    'the signature without its last byte',
    HEY,
    withParts({ signature: enc(sig.subarray(0, 63)) }),
  );
  add(
    'signature-65-bytes',
    'bad-signature-length',
    'signature',
    'the signature with a zero byte appended',
    HEY,
    withParts({ signature: enc(concat(sig, Uint8Array.of(0))) }),
  );
  {
    const s = BigInt(`0x${toHex(sig.subarray(32).slice().reverse())}`) + L;
    const sBytes = hexToBytes(s.toString(16).padStart(64, '0')).reverse();
    add(
      'signature-s-plus-l',
      'signature-s-out-of-range',
      'signature',
      'S + L: the malleated twin of the honest signature',
      HEY,
      withParts({ signature: enc(concat(sig.subarray(0, 32), sBytes)) }),
    );
  }
  {
    const payload = enc(honestPayload);
    const tbs = sigStructure(honest.protected, HEY, payload);
    add(
      'signature-r-identity',
      'signature-small-order-r',
      'key-policy',
      'R = identity and S = k·a: satisfies the cofactorless equation (raw node:crypto accepts it) but R is small-order',
      HEY,
      rawAssemble({ protected: honest.protected, payload, signature: enc(signWithIdentityR(alice, tbs)) }),
    );
    const pPlus1 = hexToBytes('eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
    add(
      'signature-r-non-canonical-small',
      'signature-small-order-r',
      'key-policy',
      'R = y = p + 1 (the identity, non-canonically), S = 0',
      HEY,
      withParts({ signature: enc(concat(pPlus1, new Uint8Array(32))) }),
    );
    const torsionR = Point.fromBytes(sig.subarray(0, 32)).add(TORSION_8).toBytes();
    add(
      'signature-r-plus-torsion',
      'bad-signature',
      'signature',
      'the honest R plus an order-8 point: the cofactored equation (raw noble) accepts, the cofactorless one does not',
      HEY,
      withParts({ signature: enc(concat(torsionR, sig.subarray(32))) }),
    );
  }
  {
    const flipped = sig.slice();
    flipped[10]! ^= 0x01;
    add(
      'signature-bit-flip',
      'bad-signature',
      'signature',
      'one bit of R flipped',
      HEY,
      withParts({ signature: enc(flipped) }),
    );
    add(
      'payload-changed',
      'bad-signature',
      'signature',
      'the payload of another message under the honest signature',
      HEY,
      withParts({ payload: enc(payloadOf(payloadPairs({ 5: 8 }))) }),
    );
    add(
      'wrong-topic',
      'bad-signature',
      'signature',
      'an honest chau checked on the hey-there topic: the topic is the external AAD',
      HEY,
      signedPayload(payloadOf(payloadPairs({}, 'chau', { map: [[0, 'left']] })), CHAU),
    );
    add(
      'other-signer',
      'bad-signature',
      'signature',
      "alice's kid, bob's signature",
      HEY,
      withParts({ signature: enc(sign(bob, sigStructure(honest.protected, HEY, honest.payload))) }),
    );
  }
}
