import { describe, expect, it } from 'vitest';
import { parseJson } from '../src/json.js';
import { guarded } from '../src/reasons.js';

const utf8 = new TextEncoder();
const read = (text: string, max = 1024, depth = 4) => guarded(() => parseJson(utf8.encode(text), max, depth));

describe('the strict JSON reader', () => {
  it('keeps numbers as written, so a nanosecond ts above 2^53 loses nothing', () => {
    const parsed = read('{"ts":1700000000000000001}');
    expect(parsed).toMatchObject({
      value: { members: [{ key: 'ts', value: { type: 'number', text: '1700000000000000001' } }] },
    });
  });

  it('reads escapes, surrogate pairs included', () => {
    const parsed = read('["\\u00e9\\ud83c\\udf0a\\n\\/"]');
    expect(parsed).toMatchObject({ value: { items: ['é🌊\n/'] } });
  });

  it.each([
    ['{"a":1,}', 'malformed-json'],
    ['{"a":01}', 'malformed-json'],
    ['{"a":1.}', 'malformed-json'],
    ['{"a":-}', 'malformed-json'],
    ['{"a":1e}', 'malformed-json'],
    ['{"a":tru}', 'malformed-json'],
    ['{"a":"\\x"}', 'malformed-json'],
    ['{"a":"\\u12"}', 'malformed-json'],
    ["{'a':1}", 'malformed-json'],
    ['{"a":1}//', 'malformed-json'],
    ['{"a":"', 'malformed-json'],
    ['', 'empty'],
    ['{"a":1,"a":2}', 'duplicate-key'],
    ['{"a":"\\udbff"}', 'lone-surrogate'],
    ['{"a":"\\udbff\\u0041"}', 'lone-surrogate'],
    ['[[[[[1]]]]]', 'too-deep'],
  ])('refuses %j (%s)', (text, reason) => {
    expect(read(text)).toMatchObject({ ok: false, reason });
  });

  it('checks the size before it reads anything', () => {
    expect(read(`{"a":"${'x'.repeat(2000)}"`)).toMatchObject({ ok: false, reason: 'too-large' });
  });

  it('refuses invalid UTF-8 and overlong or surrogate encodings', () => {
    for (const bytes of [
      [0x22, 0xff, 0x22],
      [0x22, 0xc0, 0xaf, 0x22],
      [0x22, 0xed, 0xa0, 0x80, 0x22],
    ])
      expect(guarded(() => parseJson(Uint8Array.from(bytes), 64, 4))).toMatchObject({
        ok: false,
        reason: 'invalid-utf8',
      });
  });
});

describe('canonical base64', () => {
  it('decodes exactly what a strict RFC 4648 decoder decodes, and refuses the rest', async () => {
    const { base64 } = await import('@scure/base');
    const { fromBase64 } = await import('../src/signature.js');
    const fc = (await import('fast-check')).default;
    const strict = (s: string) => {
      try {
        return base64.decode(s);
      } catch {
        return null;
      }
    };
    const ours = (s: string) => guarded(() => fromBase64(s, 'x'));
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 70 }),
        fc.nat(),
        fc.integer({ min: 0, max: 127 }),
        (bytes, at, c) => {
          const good = base64.encode(bytes);
          expect(ours(good)).toEqual(bytes);
          const bad =
            good.slice(0, at % (good.length + 1)) +
            String.fromCharCode(c) +
            good.slice((at % (good.length + 1)) + 1);
          const expected = strict(bad);
          const got = ours(bad);
          if (expected === null) expect(got).toMatchObject({ ok: false, reason: 'bad-base64' });
          else expect(got).toEqual(expected);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
