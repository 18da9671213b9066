import { inspect } from 'node:util';
import { createSigner, loadSodiumBackend, nobleBackend, nodeBackend } from '@nara/envelope/node';
import { ed25519 } from '@noble/curves/ed25519.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const hex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

// RFC 8032 section 7.1, TEST 1 and TEST 2.
const RFC8032 = [
  {
    seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature:
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
];

// sodium-native is installed in this workspace: a missing sodium backend fails here, it is never skipped.
const sodiumBackend = loadSodiumBackend();
if (sodiumBackend === null) throw new Error('sodium-native did not load');

describe.each([nodeBackend, nobleBackend, sodiumBackend])('a $name signer', (backend) => {
  it.each(RFC8032)('signs the RFC 8032 test vector for key $publicKey', (v) => {
    const signer = backend.createSigner(hex(v.seed));
    expect(toHex(signer.publicKey)).toBe(v.publicKey);
    expect(toHex(signer.sign(hex(v.message)))).toBe(v.signature);
  });

  it('never shows its seed in toString, toJSON, inspect or its own keys', () => {
    const seed = hex('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb');
    const signer = backend.createSigner(seed);
    const seedHex = toHex(seed);
    const seedB64 = Buffer.from(seed).toString('base64');
    const shown = [
      String(signer),
      `${signer}`,
      JSON.stringify(signer),
      inspect(signer, { showHidden: true, depth: 10 }),
      JSON.stringify(Object.getOwnPropertyNames(signer)),
    ].join('\n');
    expect(shown).toContain('3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c');
    expect(shown).not.toContain(seedHex);
    expect(shown).not.toContain(seedB64);
    for (const value of Object.values(signer)) {
      if (value instanceof Uint8Array) expect(toHex(value)).not.toBe(seedHex);
    }
  });

  it('refuses a seed that is not 32 bytes, and a message that is not bytes', () => {
    expect(() => backend.createSigner(new Uint8Array(31))).toThrow(TypeError);
    expect(() => backend.createSigner('seed' as unknown as Uint8Array)).toThrow(/seed/);
    const signer = backend.createSigner(new Uint8Array(32));
    expect(() => signer.sign('hello' as unknown as Uint8Array)).toThrow(/message/);
  });
});

describe('the three signers', () => {
  it('produce the signature noble computes by RFC 8032 for any seed and message', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 200 }),
        (seed, message) => {
          const expected = toHex(ed25519.sign(message, seed));
          expect(toHex(nodeBackend.createSigner(seed).sign(message))).toBe(expected);
          expect(toHex(nobleBackend.createSigner(seed).sign(message))).toBe(expected);
          expect(toHex(sodiumBackend.createSigner(seed).sign(message))).toBe(expected);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('default to libsodium from the Node entry point, and give node:crypto or noble when asked', () => {
    expect(JSON.stringify(createSigner(new Uint8Array(32)))).toContain('"backend":"sodium"');
    expect(JSON.stringify(createSigner(new Uint8Array(32), { backend: 'node' }))).toContain(
      '"backend":"node"',
    );
    expect(JSON.stringify(createSigner(new Uint8Array(32), { backend: 'noble' }))).toContain(
      '"backend":"noble"',
    );
  });
});
