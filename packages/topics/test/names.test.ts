import { assertValidName, isValidName, MAX_NAME_BYTES, validateName, validateNameBytes } from '@nara/topics';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** Characters that fall in the accepted set: letters, digits, marks, punctuation and symbols of any script. */
const nameChar = fc
  .oneof(
    fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:@!~'.split('')),
    fc.constantFrom('é', 'ñ', 'ü', 'ß', 'λ', 'ж', 'ا', '日', '本', 'ナ', '한', '🦊', '★', '€'),
  )
  .map((c) => c.normalize('NFC'));
const validName = fc
  .array(nameChar, { minLength: 1, maxLength: 16 })
  .map((cs) => cs.join(''))
  .filter((s) => !s.startsWith('$') && new TextEncoder().encode(s).length <= MAX_NAME_BYTES);

describe('validateName', () => {
  it('accepts generated Go names, host names and names in other scripts', () => {
    for (const name of [
      'noisy-bear-189',
      'unnamed-nara',
      'jojo',
      'raspberrypi.local',
      'Straße',
      'ナラ',
      'x',
    ]) {
      expect(validateName(name)).toEqual({ ok: true, name });
    }
  });

  it('accepts every name built from the documented character set', () => {
    fc.assert(fc.property(validName, (name) => validateName(name).ok));
  });

  it.each([
    ['', 'empty'],
    ['a/b', 'topic-separator'],
    ['/', 'topic-separator'],
    ['+', 'wildcard'],
    ['a#', 'wildcard'],
    ['a\u0000b', 'control-character'],
    ['tab\there', 'control-character'],
    ['new\nline', 'control-character'],
    ['del\u007f', 'control-character'],
    ['c1\u0085', 'control-character'],
    ['two words', 'invisible-character'],
    ['nbsp\u00a0', 'invisible-character'],
    ['zero\u200bwidth', 'invisible-character'],
    ['bidi\u202eevil', 'invisible-character'],
    ['line\u2028sep', 'invisible-character'],
    ['private\ue000', 'unassigned-character'],
    ['unassigned\u0378', 'unassigned-character'],
    ['lone\ud800', 'invalid-utf8'],
    ['$SYS', 'leading-dollar'],
    ['e\u0301', 'not-normalized'],
    ['a'.repeat(MAX_NAME_BYTES + 1), 'too-long'],
    ['é'.repeat(MAX_NAME_BYTES / 2 + 1), 'too-long'],
  ])('refuses %j with reason %s', (name, reason) => {
    const check = validateName(name);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toBe(reason);
  });

  it('accepts a name of exactly the byte limit, counted in UTF-8 bytes', () => {
    expect(validateName('a'.repeat(MAX_NAME_BYTES)).ok).toBe(true);
    expect(validateName('é'.repeat(MAX_NAME_BYTES / 2)).ok).toBe(true);
  });

  it('refuses every name containing a character that would change topic structure', () => {
    const structural = fc.constantFrom('/', '+', '#', '\u0000');
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), structural, fc.string({ maxLength: 10 }), (a, c, b) => {
        return !validateName(a + c + b).ok;
      }),
    );
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const check = validateName(value);
        return typeof check.ok === 'boolean';
      }),
    );
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 80 }),
        (s) => typeof validateName(s).ok === 'boolean',
      ),
    );
  });

  it('refuses a huge string quickly without encoding it whole', () => {
    const check = validateName('x'.repeat(10_000_000));
    expect(check).toMatchObject({ ok: false, reason: 'too-long' });
  });

  it('refuses non-strings with reason not-a-string', () => {
    expect(validateName(42)).toMatchObject({ ok: false, reason: 'not-a-string' });
    expect(isValidName(undefined)).toBe(false);
  });
});

describe('the Unicode data names are judged by', () => {
  // docs/PROTOCOL.md section 2 names Unicode 17.0: "assigned" must be one set for every implementation.
  // The categories come from the runtime's ICU, so a runtime with other Unicode data fails here first.
  it('is Unicode 17.0, the version docs/PROTOCOL.md names', () => {
    expect(process.versions.unicode).toBe('17.0');
  });

  it('refuses exactly the categories Cc, Cf, Zs, Zl, Zp, Cs, Co and Cn', () => {
    const refused = {
      Cc: '\u0007',
      Cf: '\u200d',
      Zs: '\u00a0',
      Zl: '\u2028',
      Zp: '\u2029',
      Co: '\uf8ff',
      Cn: '\u0378',
    };
    for (const [category, char] of Object.entries(refused))
      expect(validateName(`a${char}b`).ok, category).toBe(false);
    // One of each other category: letters, marks (in NFC), numbers, punctuation, symbols.
    for (const char of ['\u00e9', '\u0915\u093f', '\u0663', '\u00bf', '\u2603', '\u{1f43b}'])
      expect(validateName(`a${char}b`).ok, char).toBe(true);
  });
});

describe('validateNameBytes', () => {
  it('refuses invalid UTF-8 instead of replacing it', () => {
    expect(validateNameBytes(new Uint8Array([0x6a, 0xff, 0x6a]))).toMatchObject({
      ok: false,
      reason: 'invalid-utf8',
    });
    expect(validateNameBytes(new Uint8Array([0xc0, 0xaf]))).toMatchObject({
      ok: false,
      reason: 'invalid-utf8',
    });
  });

  it('accepts the UTF-8 bytes of every valid name', () => {
    fc.assert(fc.property(validName, (name) => validateNameBytes(new TextEncoder().encode(name)).ok));
  });
});

describe('assertValidName', () => {
  it('returns a valid name and throws InvalidNameError with the reason for a bad one', () => {
    expect(assertValidName('jojo')).toBe('jojo');
    expect(() => assertValidName('a/b')).toThrow(
      expect.objectContaining({ name: 'InvalidNameError', reason: 'topic-separator' }),
    );
  });
});
