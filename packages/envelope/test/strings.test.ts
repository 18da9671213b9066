import { createSigner, decodeEnvelope, type NewspaperStatus, signEnvelope } from '@nara/envelope';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// The decoder remembers short strings by a hash of their bytes' length and ends, and reuses one only when
// the received bytes are exactly its UTF-8 encoding. These tests pick strings that share that hash.

const signer = createSigner(new Uint8Array(32).fill(9));
const TOPIC = 'nara/plaza/newspaper/jojo';

function newspaper(status: Partial<NewspaperStatus>): Uint8Array {
  return signEnvelope(signer, TOPIC, {
    kind: 'newspaper',
    name: 'jojo',
    naraId: '2gdnSNmnqsnvDoTxnj5PVyupruDnVUCaMH6tdGcpUjqa',
    epoch: new Uint8Array(8),
    seq: 1,
    time: 1_767_225_600_000,
    body: { status: { chattiness: 1, buzz: 1, ...status }, next: 1_767_225_700_000 },
  });
}

function trendOf(bytes: Uint8Array): string | undefined {
  const decoded = decodeEnvelope(bytes);
  if (!decoded.ok) throw new Error(`rejected: ${decoded.reason}`);
  if (decoded.envelope.kind !== 'newspaper') throw new Error('not a newspaper');
  return decoded.envelope.body.status.trend;
}

/** Where the UTF-8 bytes of `text` start in `bytes` (the first occurrence). */
function find(bytes: Uint8Array, text: string): number {
  const needle = new TextEncoder().encode(text);
  outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error(`${text} not found`);
}

describe('decoded strings', () => {
  it('give back each string exactly, whatever strings of the same length and ends came before', () => {
    // At most 56 bytes, so that the trend (at most 64 bytes) holds it with its ends.
    const middles = fc
      .string({ minLength: 0, maxLength: 12, unit: 'grapheme' })
      .filter((m) => new TextEncoder().encode(m).length <= 56);
    fc.assert(
      fc.property(middles, middles, (a, b) => {
        // Same first and last four bytes, same length in bytes when the middles are as long in UTF-8.
        const first = `abcd${a}wxyz`;
        const second = `abcd${b}wxyz`;
        expect(trendOf(newspaper({ trend: first }))).toBe(first);
        expect(trendOf(newspaper({ trend: second }))).toBe(second);
        expect(trendOf(newspaper({ trend: first }))).toBe(first);
      }),
      { numRuns: 200 },
    );
  });

  it('tell apart strings of one, two, three and four UTF-8 bytes per character with equal ends', () => {
    const family = ['abcdxxxxxxwxyz', 'abcdé¿éé¿wxyz', 'abcd中文字wxyz', 'abcd🌟🌴wxyz', 'abcdx🌟xwxyz'];
    for (const round of [1, 2]) {
      for (const text of family) expect(trendOf(newspaper({ trend: text })), `round ${round}`).toBe(text);
    }
  });

  it('are never made of bytes that are not valid UTF-8, even bytes that look like a string read before', () => {
    const text = 'abcd\u00e9wxyz'; // é is C3 A9
    const bytes = newspaper({ trend: text });
    expect(trendOf(bytes)).toBe(text);
    for (const bad of [
      [0xc0, 0xa9], // overlong
      [0xc3, 0x29], // a continuation byte missing
      [0xed, 0xa0], // the start of an encoded surrogate
    ]) {
      const forged = bytes.slice();
      const at = find(forged, text) + 4;
      forged[at] = bad[0]!;
      forged[at + 1] = bad[1]!;
      const decoded = decodeEnvelope(forged);
      expect(decoded.ok ? 'accepted' : decoded.reason).toBe('invalid-utf8');
    }
  });
});
