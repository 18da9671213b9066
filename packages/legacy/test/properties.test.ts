import { hexToBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LEGACY_REJECT_REASONS } from '../src/index.js';
import { type AnyResult, vectors, verifyVector } from './vectors.js';

/** What a signature vouches for in each kind: the fields a mutation must not change unnoticed. */
function signedFacts(result: AnyResult): unknown {
  if (!result.ok) return null;
  if ('event' in result) {
    const e = result.event;
    return [e.service, e.id, e.ts, e.emitter, e.from, e.publicKey, e.meshIp];
  }
  if ('newspaper' in result)
    return [result.newspaper.name, result.newspaper.statusBytes, result.newspaper.status];
  return [result.howdy.From, result.howdy.To, result.howdy.Seq, result.key];
}

describe('the legacy verifiers on hostile bytes', () => {
  it('never throw on random bytes, and refuse with a reason from the closed set', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.constantFrom(...vectors.valid), (bytes, v) => {
        const result = verifyVector({ ...v, payloadHex: Buffer.from(bytes).toString('hex') });
        expect(result.ok).toBe(false);
        if (!result.ok) expect(LEGACY_REJECT_REASONS).toContain(result.reason);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuse every mutation of a valid message, or read the same signed facts from it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...vectors.valid),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }),
        (v, edits) => {
          const bytes = hexToBytes(v.payloadHex);
          for (const [at, value] of edits) bytes[at % bytes.length] = value;
          const result = verifyVector({ ...v, payloadHex: Buffer.from(bytes).toString('hex') });
          if (result.ok) expect(signedFacts(result)).toEqual(signedFacts(verifyVector(v)));
          else expect(LEGACY_REJECT_REASONS).toContain(result.reason);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
