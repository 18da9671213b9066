import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STATUS } from '../scripts/generate-vectors.js';
import { byteOrder, goFloat, goString } from '../src/go-json.js';
import { encodeNaraStatus } from '../src/index.js';
import { goFold } from '../src/json.js';

describe("Go's JSON encoder rules", () => {
  it('escape <, >, &, U+2028 and U+2029, and write other non-ASCII as raw UTF-8', () => {
    expect(goString('a<b>&c\u2028\u2029é🌊')).toBe('"a\\u003cb\\u003e\\u0026c\\u2028\\u2029é🌊"');
  });

  it('write \\b \\f \\n \\r \\t short, other controls as \\u00XX in lowercase hex, and escape " and \\', () => {
    expect(goString('\b\f\n\r\t\u0000\u001f\u007f"\\')).toBe('"\\b\\f\\n\\r\\t\\u0000\\u001f\u007f\\"\\\\"');
  });

  it('refuse to write a lone surrogate (Go would write U+FFFD instead of what was given)', () => {
    expect(() => goString('a\ud800')).toThrow(TypeError);
    expect(() => goString('\udc00b')).toThrow(TypeError);
  });

  it('agree with JSON.parse on every well-formed string (what Go writes reads back unchanged)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(JSON.parse(goString(s))).toBe(s);
      }),
    );
  });

  it('write floats as Go does: shortest digits, exponent below 1e-6 and from 1e21, -0 kept', () => {
    expect(goFloat(0.42)).toBe('0.42');
    expect(goFloat(1)).toBe('1');
    expect(goFloat(1e-7)).toBe('1e-7');
    expect(goFloat(-1.25e-7)).toBe('-1.25e-7');
    expect(goFloat(0.000001)).toBe('0.000001');
    expect(goFloat(1e21)).toBe('1e+21');
    expect(goFloat(123456789012345680000)).toBe('123456789012345680000');
    expect(goFloat(-0)).toBe('-0');
    expect(() => goFloat(Number.NaN)).toThrow(TypeError);
  });

  it('sort map keys by their UTF-8 bytes, as Go does (not by UTF-16 units)', () => {
    const keys = ['\uff61', '😀', 'b', 'B', 'a'];
    expect([...keys].sort(byteOrder)).toEqual(['B', 'a', 'b', '\uff61', '😀']);
  });

  it('write a NaraStatus in declaration order with omitempty fields left out when empty', () => {
    const json = encodeNaraStatus({
      ...STATUS,
      coordinates: null,
      event_store_by_service: {},
      transport_mode: '',
    });
    const keys = Object.keys(JSON.parse(json));
    expect(keys).toEqual([
      'LicensePlate',
      'Flair',
      'HostStats',
      'Chattiness',
      'Buzz',
      'Observations',
      'Trend',
      'TrendEmoji',
      'Personality',
      'Aura',
      'Version',
      'PublicUrl',
      'PublicKey',
      'ID',
      'MeshEnabled',
      'MeshIP',
      'event_store_total',
      'memory_mode',
      'memory_budget_mb',
      'memory_max_events',
    ]);
    expect(json).toContain('"Observations":null');
    expect(json).toContain('"Trend":"vibing \\u003c\\u0026\\u003e together"');
  });
});

describe("Go's key folding", () => {
  it('upper-cases ASCII and folds U+017F to S and U+212A (Kelvin) to K, as encoding/json does', () => {
    expect(goFold('publicKey')).toBe('PUBLICKEY');
    expect(goFold('\u017fvc')).toBe('SVC');
    expect(goFold('\u212aey')).toBe('KEY');
    expect(goFold('İd')).toBe('İD');
  });
});
