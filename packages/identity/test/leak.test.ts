import { format, inspect } from 'node:util';
import {
  computeNaraId,
  createIdentity,
  determineIdentity,
  formatSoul,
  hashHardware,
  IdentityError,
  InvalidSoulError,
  parseSoul,
} from '@nara/identity';
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { vectors } from './vectors.js';

const jojo = vectors.nativeSoulCustom[0] as (typeof vectors.nativeSoulCustom)[number];
const soulText = jojo.soul;
const seedHex = jojo.seed;
const soul = createIdentity({ name: 'jojo', soul: soulText }).soul;
const seed = soul.unsafeSeed();

// Every way the secret could show up in text: the soul text (and any 8-character piece of it), the seed in
// hex (either case), in base64, and as the comma-separated decimal bytes util.inspect prints for arrays.
const secretForms = (() => {
  const forms = [soulText, seedHex, seedHex.toUpperCase(), Buffer.from(seed).toString('base64')];
  // util.inspect pads array columns, so decimal bytes are compared with whitespace removed (see below).
  forms.push(
    `${[...seed.slice(0, 6)].join(',')}`,
    Buffer.from(seed.slice(0, 6))
      .toString('hex')
      .replace(/(..)(?!$)/g, '$1 '),
  );
  for (let i = 0; i + 8 <= soulText.length; i += 4) forms.push(soulText.slice(i, i + 8));
  for (let i = 0; i + 16 <= seedHex.length; i += 8) forms.push(seedHex.slice(i, i + 16));
  return forms;
})();

function expectNoSecret(text: string, where: string): void {
  const squeezed = text.replace(/\s+/g, '');
  for (const form of secretForms) {
    expect(text, `${where} shows "${form}"`).not.toContain(form);
    expect(squeezed, `${where} shows "${form}"`).not.toContain(form.replace(/\s+/g, ''));
  }
}

function printings(value: unknown): [string, string][] {
  return [
    ['String()', String(value)],
    ['template literal', `${value}`],
    ['JSON.stringify', JSON.stringify(value) ?? ''],
    ['JSON.stringify in an object', JSON.stringify({ nested: { value } })],
    ['util.inspect', inspect(value)],
    [
      'util.inspect depth Infinity showHidden',
      inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    ],
    [
      'util.inspect without custom inspect',
      inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true, customInspect: false }),
    ],
    ['util.inspect nested', inspect({ a: [value] }, { depth: 10, showHidden: true })],
    ['util.format %s %o %O %j', format('%s %o %O %j', value, value, value, value)],
    ['Object.keys and entries', JSON.stringify(Object.entries(value as object))],
    ['spread', inspect({ ...(value as object) }, { showHidden: true })],
    ['structuredClone', inspect(tryClone(value), { showHidden: true, depth: 10 })],
  ];
}

function tryClone(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch (error) {
    return String(error);
  }
}

describe('a soul never prints', () => {
  it('sanity: the secret forms are what the soul holds, and the check catches them when printed', () => {
    expect(bytesToHex(seed)).toBe(seedHex);
    expect(formatSoul(soul)).toBe(soulText);
    expect(() => expectNoSecret(inspect(seed), 'raw seed')).toThrow();
    expect(() => expectNoSecret(inspect(Buffer.from(seed)), 'raw seed buffer')).toThrow();
    expect(() => expectNoSecret(`soul ${soulText.slice(8, 20)}`, 'piece of soul')).toThrow();
    expect(() => expectNoSecret(seedHex.slice(20, 40), 'piece of seed hex')).toThrow();
  });

  it.each(printings(soul))('Soul through %s', (where, text) => {
    expectNoSecret(text, where);
  });

  const identity = createIdentity({ name: 'jojo', soul: soulText });

  it.each(printings(identity))('Identity through %s', (where, text) => {
    expectNoSecret(text, where);
  });

  it('Identity prints its public facts: name, nara ID and public key', () => {
    expect(String(identity)).toBe(`Identity(jojo, ${jojo.naraId})`);
    expect(JSON.parse(JSON.stringify(identity))).toEqual({
      name: 'jojo',
      naraId: jojo.naraId,
      publicKey: jojo.publicKeyBase64,
    });
    expect(inspect(identity)).toContain(jojo.publicKeyBase64);
  });

  const result = determineIdentity('jojo', soulText, 'some-server', hashHardware('hardware-1'));
  it.each(printings(result))('determineIdentity result through %s', (where, text) => {
    expectNoSecret(text, where);
  });

  const fromSoul = determineIdentity('jojo', soul, 'x');
  it.each(printings(fromSoul))(
    'determineIdentity result of a Soul without hardware through %s',
    (where, text) => {
      expectNoSecret(text, where);
    },
  );

  const parsed = parseSoul(soulText);
  it.each(printings(parsed))('parseSoul result through %s', (where, text) => {
    expectNoSecret(text, where);
  });
});

describe('errors never quote the soul', () => {
  // Near misses: the real soul with one bad character, with whitespace, cut short, run long, or given to the
  // wrong name. A message that echoed its input would leak most of the secret here.
  const cases: [string, () => unknown][] = [
    ['a bad character', () => computeNaraId(`${soulText.slice(0, 20)}0${soulText.slice(21)}`, 'jojo')],
    ['a trailing newline', () => computeNaraId(`${soulText}\n`, 'jojo')],
    ['a leading space', () => createIdentity({ name: 'jojo', soul: ` ${soulText}` })],
    ['cut short', () => createIdentity({ name: 'jojo', soul: soulText.slice(0, 40) })],
    ['one character too many', () => createIdentity({ name: 'jojo', soul: `${soulText}z` })],
    ['far too long', () => computeNaraId(soulText.repeat(3), 'jojo')],
    ['the wrong name', () => createIdentity({ name: 'not-jojo', soul: soulText })],
    [
      'the wrong name in Go form',
      () => determineIdentity('not-jojo', soulText, 'x', hashHardware('hardware-1')),
    ],
    ['a generic host', () => determineIdentity('', soulText, 'nixos', hashHardware('hardware-1'))],
  ];

  it.each(cases)('with %s', (_, run) => {
    let thrown: unknown;
    try {
      run();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect([InvalidSoulError, IdentityError].some((type) => thrown instanceof type)).toBe(true);
    const error = thrown as Error;
    for (const [where, text] of [
      ['message', error.message],
      ['stack', error.stack ?? ''],
      ['String(error)', String(error)],
      ['inspect(error)', inspect(error, { showHidden: true, depth: 10 })],
      ['JSON.stringify(error)', JSON.stringify(error)],
    ] as const)
      expectNoSecret(text, where);
  });

  it("with parseSoul's non-throwing results too, and determineIdentity's refusals of the same texts", () => {
    for (const text of [
      `${soulText}\n`,
      soulText.slice(0, 30),
      `${soulText}zz`,
      `${soulText.slice(0, 10)}l${soulText.slice(11)}`,
    ]) {
      const parsedBad = parseSoul(text);
      expectNoSecret(inspect(parsedBad, { depth: 10 }), 'parseSoul result');
      expect(parsedBad.ok).toBe(false);
      let refused: unknown;
      try {
        determineIdentity('jojo', text, '');
      } catch (error) {
        refused = error;
      }
      expect(refused).toBeInstanceOf(IdentityError);
      expectNoSecret(inspect(refused, { depth: 10, showHidden: true }), 'determineIdentity refusal');
    }
  });
});
