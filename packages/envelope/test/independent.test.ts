import { createSigner, createVerifier, signEnvelope } from '@nara/envelope/node';
import { describe, expect, it } from 'vitest';
import { independentVerify } from './independent-verifier.js';
import { fromHex, invalidVectors, validVectors } from './vectors.js';

describe('an independent COSE_Sign1 verifier (RFC 9052, cborg + node:crypto)', () => {
  it('verifies every valid vector', () => {
    for (const v of validVectors) expect(independentVerify(v.topic, fromHex(v.envelope)), v.name).toBe(true);
  });

  it('verifies an envelope this package signs now', () => {
    const signer = createSigner(new Uint8Array(32).fill(9));
    const bytes = signEnvelope(signer, 'nara/plaza/chau', {
      kind: 'chau',
      name: 'jojo',
      naraId: '2gdnSNmnqsnvDoTxnj5PVyupruDnVUCaMH6tdGcpUjqa',
      epoch: new Uint8Array(8),
      seq: 0,
      time: 1,
      body: { reason: 'left' },
    });
    expect(independentVerify('nara/plaza/chau', bytes)).toBe(true);
    expect(independentVerify('nara/plaza/hey-there', bytes)).toBe(false);
    expect(createVerifier().verify('nara/plaza/chau', bytes).ok).toBe(true);
  });

  const signatureCases = invalidVectors.filter((v) => v.concerns === 'signature');
  it('has signature vectors to reject', () => {
    expect(signatureCases.length).toBeGreaterThanOrEqual(8);
  });
  it.each(signatureCases.map((v) => [v.name, v] as const))('rejects the signature vector %s', (_, v) => {
    expect(independentVerify(v.topic, fromHex(v.envelope))).toBe(false);
  });

  // Every schema and binding case is signed correctly, so the plaza/1 rule under test is the only thing
  // that can reject it: an RFC 9052 verifier that knows nothing of plaza/1 accepts each one.
  const ruleCases = invalidVectors.filter((v) => v.concerns === 'schema' || v.concerns === 'binding');
  it('has schema and binding vectors', () => {
    expect(ruleCases.length).toBeGreaterThanOrEqual(100);
  });
  it.each(ruleCases.map((v) => [v.name, v.expect, v] as const))(
    'finds a valid RFC 9052 signature on the %s vector (refused only by plaza/1: %s)',
    (_, _reason, v) => {
      expect(independentVerify(v.topic, fromHex(v.envelope))).toBe(true);
    },
  );

  // plaza/1 is stricter than RFC 9052 about the outer structure and the protected header: these are the
  // cases (and the only ones) where a plain COSE verifier accepts what plaza/1 refuses.
  const STRICTER_THAN_RFC_9052 = [
    'extra-header-parameter',
    'header-bstr-label',
    'header-float-label',
    'header-labels-unsorted',
    'header-negative-label',
    'header-text-label',
    'header-unknown-label-out-of-order',
    'indefinite-array',
    'protected-indefinite-map',
    'unprotected-indefinite',
    'unprotected-kid',
  ];
  it('rejects every other outer-structure and header vector too', () => {
    const accepted = invalidVectors
      .filter((v) => v.concerns === 'cbor' || v.concerns === 'header')
      .filter((v) => independentVerify(v.topic, fromHex(v.envelope)))
      .map((v) => v.name)
      .sort();
    expect(accepted).toEqual(STRICTER_THAN_RFC_9052);
  });
});
