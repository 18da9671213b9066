import {
  createSigner,
  createVerifier,
  decodeEnvelope,
  REJECT_REASONS,
  signEnvelope,
} from '@nara/envelope/node';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentAndTopic, name, seed } from './arbitraries.js';
import { fromHex, validVectors } from './vectors.js';

const node = createVerifier({ backend: 'node' });
const noble = createVerifier({ backend: 'noble' });
const sodium = createVerifier({ backend: 'sodium' });
const verifiers = [node, noble, sodium];

function stripUndefined(value: unknown): unknown {
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map(stripUndefined);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, stripUndefined(v)]),
    );
  return value;
}

describe('sign then verify', () => {
  it('round-trips every kind of body on all three backends', () => {
    fc.assert(
      fc.property(seed, contentAndTopic, (key, { topic, content }) => {
        const signer = createSigner(key);
        const bytes = signEnvelope(signer, topic, content);
        for (const verifier of verifiers) {
          const result = verifier.verify(topic, bytes);
          if (!result.ok) throw new Error(`${verifier.backend}: ${result.reason} ${result.detail}`);
          const { topic: t, publicKey, bytes: b, ...decoded } = result.envelope;
          expect(t).toBe(topic);
          expect(publicKey).toEqual(signer.publicKey);
          expect(b).toBe(bytes);
          expect(decoded).toEqual(stripUndefined(content));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('gives the same bytes whichever backend signs (Ed25519 is deterministic)', () => {
    fc.assert(
      fc.property(seed, contentAndTopic, (key, { topic, content }) => {
        const a = signEnvelope(createSigner(key, { backend: 'node' }), topic, content);
        const b = signEnvelope(createSigner(key, { backend: 'noble' }), topic, content);
        const c = signEnvelope(createSigner(key, { backend: 'sodium' }), topic, content);
        expect(a).toEqual(b);
        expect(c).toEqual(b);
      }),
      { numRuns: 10 },
    );
  });
});

describe('tampering', () => {
  const signer = createSigner(new Uint8Array(32).fill(1));
  const samples = fc.sample(contentAndTopic, { numRuns: 8, seed: 42 }).map(({ topic, content }) => ({
    topic,
    bytes: signEnvelope(signer, topic, content),
  }));

  it('flipping any single byte of an envelope gives a rejection on all three backends', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...samples),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        ({ topic, bytes }, at, mask) => {
          const changed = bytes.slice();
          const index = at % changed.length;
          changed[index]! ^= mask;
          for (const verifier of verifiers) expect(verifier.verify(topic, changed).ok).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('flipping each byte of one envelope, one at a time, is rejected every time', () => {
    const { topic, bytes } = samples[0]!;
    for (let i = 0; i < bytes.length; i++) {
      const changed = bytes.slice();
      changed[i]! ^= 0x01;
      expect(node.verify(topic, changed).ok, `byte ${i}`).toBe(false);
    }
  });

  it('the same envelope checked against any other topic is rejected', () => {
    const otherTopic = fc.oneof(
      fc.constantFrom(
        'nara/plaza/hey-there',
        'nara/plaza/chau',
        'nara/plaza/stash_refresh',
        'nara/plaza/howdy',
        '',
      ),
      name.map((n) => `nara/plaza/newspaper/${n}`),
      fc
        .tuple(name, fc.constantFrom('propose', 'vote', 'final'))
        .map(([n, op]) => `nara/checkpoint/${n}/${op}`),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.constantFrom(...samples), otherTopic, ({ topic, bytes }, other) => {
        fc.pre(other !== topic);
        for (const verifier of verifiers) {
          const result = verifier.verify(other, bytes);
          expect(result.ok).toBe(false);
          if (!result.ok) expect(['bad-topic', 'bad-signature']).toContain(result.reason);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('hostile bytes', () => {
  const valid = validVectors.map((v) => ({ topic: v.topic, bytes: fromHex(v.envelope) }));
  const mutated = fc
    .tuple(
      fc.constantFrom(...valid),
      fc.array(
        fc.record({
          at: fc.nat(),
          op: fc.constantFrom('set', 'insert', 'delete', 'truncate'),
          byte: fc.nat(255),
        }),
        { minLength: 1, maxLength: 4 },
      ),
    )
    .map(([{ topic, bytes }, edits]) => {
      let b = Array.from(bytes);
      for (const { at, op, byte } of edits) {
        const i = b.length === 0 ? 0 : at % b.length;
        if (op === 'set') b[i] = byte;
        else if (op === 'insert') b.splice(i, 0, byte);
        else if (op === 'delete') b.splice(i, 1);
        else b = b.slice(0, i);
      }
      return { topic, bytes: Uint8Array.from(b) };
    });
  const random = fc.record({
    topic: fc.constantFrom('nara/plaza/hey-there', 'nara/plaza/newspaper/jojo'),
    bytes: fc.oneof(
      fc.uint8Array({ maxLength: 600 }),
      // Random bytes behind a plausible start, to get past the first checks.
      fc.uint8Array({ maxLength: 400 }).map((b) => Uint8Array.of(0xd2, 0x84, 0x58, 0x26, ...b)),
    ),
  });

  it('never throw: every input gives a result, a rejection names a known reason', () => {
    fc.assert(
      fc.property(fc.oneof(mutated, random), ({ topic, bytes }) => {
        for (const verifier of verifiers) {
          const result = verifier.verify(topic, bytes);
          expect(typeof result.ok).toBe('boolean');
          if (!result.ok) {
            expect(REJECT_REASONS).toContain(result.reason);
            expect(result.detail.length).toBeLessThan(200);
          }
        }
        const decoded = decodeEnvelope(bytes);
        if (!decoded.ok) expect(REJECT_REASONS).toContain(decoded.reason);
      }),
      { numRuns: 1500 },
    );
  });

  it('all three backends reach the same verdict on every mutated envelope', () => {
    fc.assert(
      fc.property(mutated, ({ topic, bytes }) => {
        const a = node.verify(topic, bytes);
        const b = noble.verify(topic, bytes);
        const c = sodium.verify(topic, bytes);
        expect(a.ok ? 'ok' : a.reason).toBe(b.ok ? 'ok' : b.reason);
        expect(c.ok ? 'ok' : c.reason).toBe(b.ok ? 'ok' : b.reason);
      }),
      { numRuns: 300 },
    );
  });
});
