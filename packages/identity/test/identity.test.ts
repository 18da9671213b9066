import {
  createIdentity,
  determineIdentity,
  formatSoul,
  hashHardware,
  IdentityError,
  nameFromSoul,
  nativeSoulCustom,
  nativeSoulGenerated,
  parseSoul,
  randomGeneratedSoul,
  randomSoul,
} from '@nara/identity';
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { vectors } from './vectors.js';

const jojo = vectors.nativeSoulCustom[0] as (typeof vectors.nativeSoulCustom)[number];
const hw1 = hashHardware('hardware-1');
const hw2 = hashHardware('hardware-2');

describe('createIdentity', () => {
  const identity = createIdentity({ name: 'jojo', soul: jojo.soul });

  it('holds what other packages need: name, nara ID, public key, and the soul (its seed on explicit request)', () => {
    expect(identity.name).toBe('jojo');
    expect(identity.naraId).toBe(jojo.naraId);
    expect(identity.publicKeyBase64).toBe(jojo.publicKeyBase64);
    expect(identity.publicKey).toHaveLength(32);
    expect(bytesToHex(identity.soul.unsafeSeed())).toBe(jojo.seed);
    const parsed = parseSoul(jojo.soul);
    expect(parsed.ok && identity.soul.equals(parsed.soul)).toBe(true);
  });

  it("carries the key pair of the soul's seed: the public key is the seed's RFC 8032 key", () => {
    expect(bytesToHex(identity.publicKey)).toBe(bytesToHex(ed25519.getPublicKey(identity.soul.unsafeSeed())));
  });

  it('hands out copies, so callers cannot change the key or the seed', () => {
    identity.publicKey.fill(0);
    identity.soul.unsafeSeed().fill(0);
    expect(identity.publicKeyBase64).toBe(jojo.publicKeyBase64);
    expect(bytesToHex(identity.soul.unsafeSeed())).toBe(jojo.seed);
    expect(Object.isFrozen(identity)).toBe(true);
  });

  it('accepts a Soul as well as its text', () => {
    const soul = randomSoul('someone');
    expect(createIdentity({ name: 'someone', soul }).naraId).toBe(
      createIdentity({ name: 'someone', soul: formatSoul(soul) }).naraId,
    );
  });

  it.each([
    ['not-bonded', { name: 'not-jojo', soul: jojo.soul }],
    ['invalid-soul', { name: 'jojo', soul: 'garbage!' }],
    ['invalid-soul', { name: 'jojo', soul: '' }],
    ['empty-name', { name: '', soul: jojo.soul }],
  ] as const)('refuses with %s', (reason, options) => {
    expect(() => createIdentity(options)).toThrow(expect.objectContaining({ name: 'IdentityError', reason }));
  });

  it('throws TypeErrors naming a wrong argument', () => {
    expect(() => createIdentity(undefined as never)).toThrow(/options must be an object/);
    expect(() => createIdentity({ name: 1 as never, soul: jojo.soul })).toThrow(/options.name/);
    expect(() => createIdentity({ name: 'jojo', soul: 5 as never })).toThrow(/options.soul/);
  });
});

/** determineIdentity's refusal, for asserting its reason and message. */
function refusal(run: () => unknown): IdentityError {
  try {
    run();
  } catch (error) {
    if (error instanceof IdentityError) return error;
    throw error;
  }
  throw new Error('determineIdentity did not refuse');
}

describe('determineIdentity', () => {
  it('works without a hardware fingerprint when a soul is given (as in a browser), not native then', () => {
    expect(determineIdentity('jojo', jojo.soul, '')).toMatchObject({ isNative: false, mode: 'custom' });
  });

  it('needs the hardware fingerprint to derive a native soul', () => {
    expect(refusal(() => determineIdentity('jojo', '', ''))).toMatchObject({
      name: 'IdentityError',
      reason: 'no-hardware-fingerprint',
    });
  });

  it('treats an empty soul as no soul, as Go does with an empty -soul flag', () => {
    expect(determineIdentity('jojo', '', '', hw1).identity.naraId).toBe(jojo.naraId);
  });

  it("keeps Go's Mac quirk: a Mac host name is not generic, so the host name becomes the nara's name", () => {
    const resolved = determineIdentity('', '', 'Mac-mini', hw1);
    expect(resolved).toMatchObject({ mode: 'custom', isNative: true });
    expect(resolved.identity.name).toBe('Mac-mini');
    expect(resolved.identity.soul.equals(nativeSoulCustom(hw1, 'Mac-mini'))).toBe(true);
  });

  it('calls a soul from other hardware a traveler (valid, not native)', () => {
    expect(determineIdentity('jojo', jojo.soul, '', hw2)).toMatchObject({ isNative: false });
  });

  it('explains a not-bonded soul on a generic host by the name it generates', () => {
    const error = refusal(() => determineIdentity('', jojo.soul, 'raspberrypi', hw1));
    expect(error).toMatchObject({ reason: 'not-bonded' });
    expect(error.message).toMatch(/generic host/);
  });

  it('says which generic-name rule replaced a typed name, and with what, when there is no soul (as Go does)', () => {
    const resolved = determineIdentity('my-nara', '', 'box', hw1);
    expect(resolved).toMatchObject({
      mode: 'generated',
      replaced: { name: 'my-nara', source: 'typed', rule: 'contains "nara"' },
    });
    expect(resolved.identity.name).toBe(nameFromSoul(nativeSoulGenerated(hw1)));
    const hex = determineIdentity('3068841f6679', '', '', hw1);
    expect(hex.replaced?.rule).toBe('is 12 or more hex digits, like a container ID');
    const host = determineIdentity('', '', 'ubuntu', hw1);
    expect(host.replaced).toEqual({
      name: 'ubuntu',
      source: 'hostname',
      rule: 'contains "ubuntu"',
    });
    expect(determineIdentity('jojo', '', '', hw1)).not.toHaveProperty('replaced');
  });

  it('keeps a typed generic name when the soul is bonded to it: the bond shows the intent', () => {
    const soul = randomSoul('my-nara');
    const resolved = determineIdentity('my-nara', soul, 'box', hw1);
    expect(resolved).toMatchObject({ mode: 'custom' });
    expect(resolved.identity.name).toBe('my-nara');
    expect(resolved).not.toHaveProperty('replaced');
    const fromText = determineIdentity('my-nara', formatSoul(randomSoul('my-nara')), '');
    expect(fromText.identity.name).toBe('my-nara');
  });

  it("still carries a Go nara's soul for a generated name over unchanged, and names both names when neither bonds", () => {
    const generated = randomGeneratedSoul();
    const kept = determineIdentity('ubuntu-box', generated.soul, '');
    expect(kept.identity.name).toBe(generated.name);
    const neither = refusal(() => determineIdentity('my-nara', jojo.soul, ''));
    expect(neither).toMatchObject({ reason: 'not-bonded' });
    expect(neither.message).toMatch(/bonded neither to "my-nara" nor to ".+", .*contains "nara"/);
  });

  it('throws TypeErrors naming a wrong argument', () => {
    expect(() => determineIdentity(3 as never, '', '')).toThrow(/nameArg/);
    expect(() => determineIdentity('', '', [] as never)).toThrow(/hostname/);
    expect(() => determineIdentity('', '', '', 'x' as never)).toThrow(/hwFingerprint/);
    expect(() => determineIdentity('', 5 as never, '')).toThrow(/soulArg/);
  });

  it('refuses with an IdentityError that carries its reason', () => {
    const error = refusal(() => determineIdentity('jojo', 'garbage!', ''));
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'IdentityError',
      reason: 'invalid-soul',
      soulReason: 'invalid-character',
    });
  });
});

describe('an Identity', () => {
  it('exists only for a soul bonded to its name, so no unbonded identity can exist', () => {
    const soul = randomSoul('jojo');
    expect(createIdentity({ name: 'jojo', soul }).name).toBe('jojo');
    expect(() => createIdentity({ name: 'someone-else', soul })).toThrow(
      expect.objectContaining({ reason: 'not-bonded' }),
    );
    expect(() => createIdentity({ name: '', soul })).toThrow(
      expect.objectContaining({ reason: 'empty-name' }),
    );
  });
});
