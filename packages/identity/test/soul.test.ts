import { createHmac } from 'node:crypto';
import {
  computeNaraId,
  computeTag,
  formatSoul,
  InvalidSoulError,
  MAX_SOUL_TEXT_LENGTH,
  parseSoul,
  randomGeneratedSoul,
  randomSoul,
  SEED_LENGTH,
  SOUL_LENGTH,
  Soul,
  TAG_LENGTH,
  validateBond,
} from '@nara/identity';
import { bytesToHex } from '@noble/hashes/utils.js';
import { base58 } from '@scure/base';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const soulBytes = fc.uint8Array({ minLength: SOUL_LENGTH, maxLength: SOUL_LENGTH });
const seedBytes = fc.uint8Array({ minLength: SEED_LENGTH, maxLength: SEED_LENGTH });
const name = fc.string({ minLength: 1, maxLength: 24 });

describe('soul text', () => {
  it('parses what it formats, for every 40-byte soul', () => {
    fc.assert(
      fc.property(soulBytes, (bytes) => {
        const text = formatSoul(Soul.fromBytes(bytes));
        const parsed = parseSoul(text);
        return parsed.ok && bytesToHex(parsed.soul.unsafeBytes()) === bytesToHex(bytes);
      }),
    );
  });

  it('formats what it parses, so a soul passed on keeps its exact text', () => {
    fc.assert(
      fc.property(soulBytes, (bytes) => {
        const text = formatSoul(Soul.fromBytes(bytes));
        const parsed = parseSoul(text);
        return parsed.ok && formatSoul(parsed.soul) === text;
      }),
    );
  });

  it('keeps leading zero bytes as leading "1" characters, as Go base58 does', () => {
    const bytes = new Uint8Array(SOUL_LENGTH);
    bytes[39] = 1;
    const text = formatSoul(Soul.fromBytes(bytes));
    expect(text).toBe(`${'1'.repeat(39)}2`);
    const parsed = parseSoul(text);
    expect(parsed.ok && bytesToHex(parsed.soul.unsafeBytes())).toBe(bytesToHex(bytes));
  });

  it('refuses any text that does not decode to exactly 40 bytes, saying how many it decodes to', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 60 }), (bytes) => {
        fc.pre(bytes.length !== SOUL_LENGTH);
        const parsed = parseSoul(base58.encode(bytes));
        return !parsed.ok && parsed.reason === 'wrong-length';
      }),
    );
  });

  it('points out whitespace, the usual reason a pasted soul fails', () => {
    const text = `${formatSoul(randomSoul('jojo'))}\n`;
    const parsed = parseSoul(text);
    expect(parsed).toMatchObject({ ok: false, reason: 'invalid-character' });
    expect(parsed.ok ? '' : parsed.message).toMatch(/trailing newline/);
  });

  it('accepts the longest soul text there is: MAX_SOUL_TEXT_LENGTH characters, all 0xff bytes', () => {
    const largest = new Uint8Array(SOUL_LENGTH).fill(0xff);
    const text = formatSoul(Soul.fromBytes(largest));
    expect(text).toHaveLength(MAX_SOUL_TEXT_LENGTH);
    const parsed = parseSoul(text);
    expect(parsed.ok && bytesToHex(parsed.soul.unsafeBytes())).toBe(bytesToHex(largest));
    expect(parseSoul(`1${text}`)).toMatchObject({ ok: false, reason: 'wrong-length' });
  });

  it('refuses text longer than any soul before decoding it', () => {
    const parsed = parseSoul('z'.repeat(100_000));
    expect(parsed).toMatchObject({ ok: false, reason: 'wrong-length' });
    expect(parsed.ok ? '' : parsed.message).toContain('100000 characters');
  });
});

describe('bond tags', () => {
  it('is the first 8 bytes of HMAC-SHA256(seed, "nara:name:v2:" + name), names as UTF-8', () => {
    fc.assert(
      fc.property(seedBytes, fc.string({ maxLength: 24, unit: 'grapheme' }), (seed, n) => {
        const expected = createHmac('sha256', seed)
          .update(`nara:name:v2:${n}`, 'utf8')
          .digest()
          .subarray(0, 8);
        const tag = computeTag(seed, n);
        return tag.length === TAG_LENGTH && bytesToHex(tag) === expected.toString('hex');
      }),
    );
  });

  it('validates a bond only with the name the soul was made for', () => {
    fc.assert(
      fc.property(seedBytes, name, name, (seed, a, b) => {
        fc.pre(a !== b);
        const soul = Soul.fromParts(seed, computeTag(seed, a));
        return validateBond(soul, a) && !validateBond(soul, b);
      }),
    );
  });

  it('never validates a bond with the empty name, as Go', () => {
    fc.assert(
      fc.property(seedBytes, (seed) => !validateBond(Soul.fromParts(seed, computeTag(seed, '')), '')),
    );
  });

  it('breaks the bond when any tag or seed byte changes', () => {
    fc.assert(
      fc.property(
        seedBytes,
        name,
        fc.nat({ max: SOUL_LENGTH - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (seed, n, i, delta) => {
          const bytes = Soul.fromParts(seed, computeTag(seed, n)).unsafeBytes();
          bytes[i] = ((bytes[i] as number) + delta) % 256;
          return !validateBond(Soul.fromBytes(bytes), n);
        },
      ),
    );
  });
});

describe('one changed byte of a soul', () => {
  const flip = (bytes: Uint8Array, i: number, delta: number) => {
    const copy = bytes.slice();
    copy[i] = ((copy[i] as number) + delta) % 256;
    return Soul.fromBytes(copy);
  };

  it('changes the nara ID, whichever byte it is', () => {
    fc.assert(
      fc.property(
        soulBytes,
        name,
        fc.nat({ max: SOUL_LENGTH - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (bytes, n, i, d) => {
          return computeNaraId(Soul.fromBytes(bytes), n) !== computeNaraId(flip(bytes, i, d), n);
        },
      ),
    );
  });

  it('changes the public key when it is a seed byte (the tag is not part of the key)', () => {
    fc.assert(
      fc.property(
        soulBytes,
        fc.nat({ max: SEED_LENGTH - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (bytes, i, d) => {
          return bytesToHex(Soul.fromBytes(bytes).publicKey()) !== bytesToHex(flip(bytes, i, d).publicKey());
        },
      ),
      { numRuns: 50 },
    );
  });

  it('leaves the key alone but changes the ID and breaks the bond when it is a tag byte', () => {
    const soul = randomSoul('jojo');
    const changed = flip(soul.unsafeBytes(), SEED_LENGTH + 3, 1);
    expect(bytesToHex(changed.publicKey())).toBe(bytesToHex(soul.publicKey()));
    expect(computeNaraId(changed, 'jojo')).not.toBe(computeNaraId(soul, 'jojo'));
    expect(validateBond(changed, 'jojo')).toBe(false);
  });
});

describe('random souls', () => {
  it('bonds a random soul to the name it was made for, from the injected random source', () => {
    const seed = new Uint8Array(SEED_LENGTH).fill(7);
    const soul = randomSoul('jojo', () => seed.slice());
    expect(bytesToHex(soul.unsafeSeed())).toBe(bytesToHex(seed));
    expect(validateBond(soul, 'jojo')).toBe(true);
    expect(randomSoul('jojo', () => seed.slice()).equals(soul)).toBe(true);
  });

  it('gives two different souls from the default source', () => {
    expect(randomSoul('jojo').equals(randomSoul('jojo'))).toBe(false);
  });

  it('makes a generated-name soul whose name is the one its seed generates', () => {
    const { name: generated, soul } = randomGeneratedSoul(() => new Uint8Array(SEED_LENGTH).fill(1));
    expect(generated).toMatch(/^[a-z]+-[a-z]+-\d{3}$/);
    expect(validateBond(soul, generated)).toBe(true);
  });

  it('refuses an empty name and a random source that returns the wrong length', () => {
    expect(() => randomSoul('')).toThrow(TypeError);
    expect(() => randomSoul('jojo', () => new Uint8Array(31))).toThrow(/32 bytes/);
  });
});

describe('wrong argument types', () => {
  it('throw TypeErrors that name the argument', () => {
    const seed = new Uint8Array(SEED_LENGTH);
    expect(() => parseSoul(42 as unknown as string)).toThrow(/text must be a string/);
    expect(() => computeTag([1, 2] as unknown as Uint8Array, 'x')).toThrow(/seed must be a Uint8Array/);
    expect(() => computeTag(new Uint8Array(31), 'x')).toThrow(/seed must be 32 bytes/);
    expect(() => computeTag(seed, undefined as unknown as string)).toThrow(/name must be a string/);
    expect(() => formatSoul('soul' as unknown as Soul)).toThrow(/soul must be a Soul/);
    expect(() => validateBond({} as Soul, 'x')).toThrow(/soul must be a Soul/);
    expect(() => Soul.fromParts(seed, new Uint8Array(7))).toThrow(/tag must be 8 bytes/);
    expect(() => computeNaraId(3 as unknown as string, 'x')).toThrow(/soul must be a Soul or its text/);
  });

  it('throws InvalidSoulError for 40-byte-less bytes and for text that is not a soul', () => {
    expect(() => Soul.fromBytes(new Uint8Array(39))).toThrow(InvalidSoulError);
    expect(() => computeNaraId('not a soul', 'x')).toThrow(InvalidSoulError);
  });
});
