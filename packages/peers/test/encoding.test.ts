import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toBase64 } from '../src/encoding.js';

describe('toBase64', () => {
  it('writes standard base64 with padding, as Go and Node do, for short and long inputs alike', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ minLength: 1020, maxLength: 1100 })),
        (bytes) => {
          expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
        },
      ),
    );
  });
});
