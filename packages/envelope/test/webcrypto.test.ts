import {
  createAsyncSignatureChecker,
  createAsyncVerifier,
  createSignatureChecker,
  createVerifier,
  type SignatureCheck,
  type VerifyResult,
  webCryptoEd25519Available,
} from '@nara/envelope';
import { describe, expect, it } from 'vitest';
import { fixedCorpus, hex } from './agreement-corpus.js';
import { fromHex, invalidVectors, validVectors } from './vectors.js';

const show = (r: SignatureCheck) => (r.ok ? 'accept' : r.reason);
const verdict = (r: VerifyResult) => (r.ok ? 'accept' : r.reason);

describe("the WebCrypto backend (Node's WebCrypto here; Chromium's in webcrypto-chromium.test.ts)", () => {
  it('is found available on Node 20', async () => {
    expect(await webCryptoEd25519Available()).toBe(true);
    expect((await createAsyncVerifier()).backend).toBe('webcrypto');
  });

  it('gives the decisions of the noble backend on the speccheck cases and the edge-case corpus', async () => {
    const checker = await createAsyncSignatureChecker({ backend: 'webcrypto' });
    const noble = createSignatureChecker({ backend: 'noble' });
    const corpus = fixedCorpus();
    const tally = new Map<string, number>();
    for (const c of corpus) {
      const [k, m, s] = [hex(c.key), hex(c.message), hex(c.signature)];
      const expected = show(noble.verify(k, m, s));
      expect(show(await checker.verify(k, m, s)), c.name).toBe(expected);
      tally.set(expected, (tally.get(expected) ?? 0) + 1);
    }
    expect(corpus.length).toBe(10 + 366 + 40);
    expect(tally.get('accept')).toBeGreaterThan(0);
    expect(tally.get('bad-signature')).toBeGreaterThan(0);
  });

  it('accepts every valid vector and rejects every invalid one with its expected reason', async () => {
    const verifier = await createAsyncVerifier({ backend: 'webcrypto' });
    for (const v of validVectors)
      expect(verdict(await verifier.verify(v.topic, fromHex(v.envelope))), v.name).toBe('accept');
    for (const v of invalidVectors)
      expect(verdict(await verifier.verify(v.topic, fromHex(v.envelope))), v.name).toBe(v.expect);
  });

  it('gives the same verdicts when many verifications are in flight at once (no scratch space shared)', async () => {
    const verifier = await createAsyncVerifier({ backend: 'webcrypto' });
    const all = [...validVectors, ...invalidVectors];
    for (let round = 0; round < 2; round++) {
      const verdicts = await Promise.all(all.map((v) => verifier.verify(v.topic, fromHex(v.envelope))));
      expect(verdicts.map(verdict)).toEqual(all.map((v) => ('expect' in v ? v.expect : 'accept')));
    }
  });

  it('refuses a bad signature as bad-signature, also when its payload breaks the schema too', async () => {
    const verifier = await createAsyncVerifier({ backend: 'webcrypto' });
    const sync = createVerifier({ backend: 'noble' });
    for (const v of [...validVectors, ...invalidVectors]) {
      const bytes = fromHex(v.envelope);
      if (bytes.length < 80) continue;
      bytes[bytes.length - 1]! ^= 0x01;
      expect(verdict(await verifier.verify(v.topic, bytes)), v.name).toBe(
        verdict(sync.verify(v.topic, bytes)),
      );
    }
  });

  it('never accepts a forged copy of an envelope it accepted (no verify-once cache ahead of WebCrypto)', async () => {
    const verifier = await createAsyncVerifier({ backend: 'webcrypto' });
    const v = validVectors[0]!;
    const forged = fromHex(v.envelope);
    forged[forged.length - 10]! ^= 0x40;
    expect(verdict(await verifier.verify(v.topic, forged))).toBe('bad-signature');
    expect(verdict(await verifier.verify(v.topic, forged))).toBe('bad-signature');
    expect(verdict(await verifier.verify(v.topic, fromHex(v.envelope)))).toBe('accept');
  });

  it('falls back to noble where the platform has no Ed25519, and says so', async () => {
    const subtle = {
      importKey: () => Promise.reject(new Error('NotSupportedError')),
      verify: () => Promise.reject(new Error('NotSupportedError')),
    };
    expect(await webCryptoEd25519Available(subtle)).toBe(false);
    expect((await createAsyncVerifier({ subtle })).backend).toBe('noble');
    await expect(createAsyncVerifier({ subtle, backend: 'webcrypto' })).rejects.toThrow(
      /no WebCrypto Ed25519/,
    );
  });

  it('refuses a platform whose verify says yes to everything', async () => {
    const subtle = { importKey: async () => ({}), verify: async () => true };
    expect(await webCryptoEd25519Available(subtle)).toBe(false);
  });
});
