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
});
