import {
  createSigner,
  createVerifier,
  DEFAULT_MAX_BYTES,
  type DecodedEnvelope,
  decodeEnvelope,
  InvalidContentError,
  signEnvelope,
  type VerifiedEnvelope,
} from '@nara/envelope/node';
import { describe, expect, it } from 'vitest';
import { fromHex, validVectors } from './vectors.js';

const verifier = createVerifier();
const HEY = 'nara/plaza/hey-there';
const signer = createSigner(new Uint8Array(32).fill(3));
const content = {
  kind: 'hey-there' as const,
  name: 'jojo',
  naraId: '2gdnSNmnqsnvDoTxnj5PVyupruDnVUCaMH6tdGcpUjqa',
  epoch: new Uint8Array(8),
  seq: 0,
  time: 1_767_225_600_000,
  body: {},
};

const reason = (topic: string, bytes: Uint8Array) => {
  const r = verifier.verify(topic, bytes);
  return r.ok ? 'accepted' : r.reason;
};

describe('size before anything', () => {
  it('rejects a 256 KiB bignum at once as too large (cbor-x would block for minutes)', () => {
    const bignum = new Uint8Array(256 * 1024 + 5);
    bignum.set([0xc2, 0x5a, 0x00, 0x04, 0x00, 0x00]);
    expect(reason(HEY, bignum)).toBe('too-large');
    expect(DEFAULT_MAX_BYTES).toBe(16 * 1024);
  });

  it('honours a custom limit', () => {
    const bytes = signEnvelope(signer, HEY, content);
    expect(createVerifier({ maxBytes: bytes.length - 1 }).verify(HEY, bytes)).toMatchObject({
      reason: 'too-large',
    });
    expect(createVerifier({ maxBytes: bytes.length }).verify(HEY, bytes).ok).toBe(true);
  });
});

describe('structure', () => {
  it('rejects 100,000 nested arrays without recursing', () => {
    const nested = new Uint8Array(100_001).fill(0x81);
    nested[0] = 0xd2;
    expect(createVerifier({ maxBytes: 200_000 }).verify(HEY, nested)).toMatchObject({
      reason: 'not-cose-sign1',
    });
  });

  it('rejects a top-level byte string claiming 2^53 bytes without allocating', () => {
    const huge = Uint8Array.of(0xd2, 0x84, 0x5b, 0x00, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
    expect(reason(HEY, huge)).toBe('malformed-cbor');
  });

  it('keeps what was signed: the verified envelope holds the bytes as received', () => {
    const bytes = signEnvelope(signer, HEY, content);
    const result = verifier.verify(HEY, bytes);
    expect(result.ok && result.envelope.bytes).toBe(bytes);
    expect(Object.isFrozen(result.ok && result.envelope)).toBe(true);
  });

  it('reports a name mismatch only after the signature checked out', () => {
    const v = validVectors.find((x) => x.name === 'newspaper-minimal')!;
    expect(reason('nara/plaza/newspaper/jojo', fromHex(v.envelope))).toBe('bad-signature');
  });
});

describe('decodeEnvelope', () => {
  it('gives a structure that cannot pose as a verified envelope', () => {
    const decoded = decodeEnvelope(signEnvelope(signer, HEY, content));
    expect(decoded.ok).toBe(true);
    const needsVerified = (e: VerifiedEnvelope) => e.name;
    if (decoded.ok) {
      const envelope: DecodedEnvelope = decoded.envelope;
      // @ts-expect-error a decoded envelope lacks the brand only verification adds
      needsVerified(envelope);
      expect(envelope.verified).toBe(false);
    }
  });

  it('throws a TypeError for a non-bytes argument (a programming error, not hostile input)', () => {
    expect(() => decodeEnvelope('d284' as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => verifier.verify(HEY, [0xd2] as unknown as Uint8Array)).toThrow(/bytes/);
    expect(() => verifier.verify(42 as unknown as string, new Uint8Array(1))).toThrow(/topic/);
  });
});

describe('signEnvelope refuses content no receiver would accept', () => {
  const cases: [string, string, unknown, string][] = [
    [
      'a chau on the hey-there topic',
      HEY,
      { ...content, kind: 'chau', body: { reason: 'left' } },
      'kind-mismatch',
    ],
    [
      "a newspaper on someone else's topic",
      'nara/plaza/newspaper/other',
      { ...content, kind: 'newspaper', body: { status: { chattiness: 1, buzz: 1 }, next: 0 } },
      'name-mismatch',
    ],
    ['an invalid name', HEY, { ...content, name: 'a/b' }, 'invalid-name'],
    ['a 7-byte epoch', HEY, { ...content, epoch: new Uint8Array(7) }, 'invalid-field'],
    ['a fractional seq', HEY, { ...content, seq: 1.5 }, 'invalid-field'],
    ['a seq beyond 2^53', HEY, { ...content, seq: 2 ** 53 }, 'invalid-field'],
    ['an unknown field', HEY, { ...content, extra: 1 }, 'unknown-field'],
    ['an unknown body field', HEY, { ...content, body: { meshIp: '::1', port: 1 } }, 'unknown-field'],
    ['an unknown kind', HEY, { ...content, kind: 'howdy' }, 'unknown-kind'],
    [
      'a status missing buzz',
      'nara/plaza/newspaper/jojo',
      { ...content, kind: 'newspaper', body: { status: { chattiness: 1 }, next: 0 } },
      'missing-field',
    ],
    [
      'an uppercase aura colour',
      'nara/plaza/newspaper/jojo',
      {
        ...content,
        kind: 'newspaper',
        body: {
          status: { chattiness: 1, buzz: 1, aura: { primary: '#AABBCC', secondary: '#000000' } },
          next: 0,
        },
      },
      'invalid-field',
    ],
    ['a lone surrogate', HEY, { ...content, body: { meshIp: '\ud800' } }, 'invalid-utf8'],
    ['an unknown topic', 'nara/plaza/howdy', content, 'bad-topic'],
  ];
  it.each(cases)('%s', (_, topic, bad, expected) => {
    let error: unknown;
    try {
      signEnvelope(signer, topic, bad as typeof content);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidContentError);
    expect((error as InvalidContentError).reason).toBe(expected);
  });
});
