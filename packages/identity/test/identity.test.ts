import {
  createIdentity,
  formatSoul,
  hashHardware,
  Identity,
  IdentityError,
  nameFromSoul,
  nativeSoulCustom,
  nativeSoulGenerated,
  randomGeneratedSoul,
  randomSoul,
  resolveIdentity,
  Soul,
} from '@nara/identity';
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { vectors } from './vectors.js';

const jojo = vectors.nativeSoulCustom[0] as (typeof vectors.nativeSoulCustom)[number];
const hw1 = hashHardware('hardware-1');
const hw2 = hashHardware('hardware-2');

describe('createIdentity', () => {
  const identity = createIdentity({ name: 'jojo', soul: jojo.soul });

  it('holds what other packages need: name, nara ID, public key, and the seed on explicit request', () => {
    expect(identity).toBeInstanceOf(Identity);
    expect(identity.name).toBe('jojo');
    expect(identity.naraId).toBe(jojo.naraId);
    expect(identity.publicKeyBase64).toBe(jojo.publicKeyBase64);
    expect(identity.publicKey).toHaveLength(32);
    expect(bytesToHex(identity.unsafeSeed())).toBe(jojo.seed);
    expect(identity.soul.equals(Soul.fromText(jojo.soul))).toBe(true);
  });

  it('signs with the soul seed: deterministic Ed25519 that verifies under the public key', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (message) => {
        const signature = identity.sign(message);
        return (
          signature.length === 64 &&
          bytesToHex(signature) === bytesToHex(ed25519.sign(message, identity.unsafeSeed())) &&
          ed25519.verify(signature, message, identity.publicKey)
        );
      }),
      { numRuns: 25 },
    );
  });

  it('hands out copies, so callers cannot change the key or the seed it signs with', () => {
    identity.publicKey.fill(0);
    identity.unsafeSeed().fill(0);
    expect(identity.publicKeyBase64).toBe(jojo.publicKeyBase64);
    expect(bytesToHex(identity.unsafeSeed())).toBe(jojo.seed);
    expect(Object.isFrozen(identity)).toBe(true);
  });

  it('accepts a Soul as well as its text', () => {
    const soul = randomSoul('someone');
    expect(createIdentity({ name: 'someone', soul }).naraId).toBe(
      createIdentity({ name: 'someone', soul: soul.unsafeText() }).naraId,
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
    expect(() => createIdentity({ name: 'jojo', soul: jojo.soul }).sign('text' as never)).toThrow(/message/);
  });
});

describe('resolveIdentity', () => {
  it('works without a hardware fingerprint when a soul is given (as in a browser), not native then', () => {
    const resolved = resolveIdentity({ name: 'jojo', soul: jojo.soul });
    expect(resolved).toMatchObject({ ok: true, isNative: false, mode: 'custom' });
  });

  it('needs the hardware fingerprint to derive a native soul', () => {
    expect(resolveIdentity({ name: 'jojo' })).toMatchObject({ ok: false, reason: 'no-hardware-fingerprint' });
  });

  it('treats an empty soul as no soul, as Go does with an empty -soul flag', () => {
    const resolved = resolveIdentity({ name: 'jojo', soul: '', hardwareFingerprint: hw1 });
    expect(resolved.ok && resolved.identity.naraId).toBe(jojo.naraId);
  });

  it("keeps Go's Mac quirk: a Mac host name is not generic, so the host name becomes the nara's name", () => {
    const resolved = resolveIdentity({ hostname: 'Mac-mini', hardwareFingerprint: hw1 });
    expect(resolved).toMatchObject({ ok: true, mode: 'custom', isNative: true });
    expect(resolved.ok && resolved.identity.name).toBe('Mac-mini');
    expect(resolved.ok && resolved.identity.soul.equals(nativeSoulCustom(hw1, 'Mac-mini'))).toBe(true);
  });

  it('calls a soul from other hardware a traveler (valid, not native)', () => {
    const resolved = resolveIdentity({ name: 'jojo', soul: jojo.soul, hardwareFingerprint: hw2 });
    expect(resolved).toMatchObject({ ok: true, isNative: false });
  });

  it('explains a not-bonded soul on a generic host by the name it generates', () => {
    const resolved = resolveIdentity({ soul: jojo.soul, hostname: 'raspberrypi', hardwareFingerprint: hw1 });
    expect(resolved).toMatchObject({ ok: false, reason: 'not-bonded' });
    expect(resolved.ok ? '' : resolved.message).toMatch(/generic host/);
  });

  it('says which generic-name rule replaced a typed name, and with what, when there is no soul (as Go does)', () => {
    const resolved = resolveIdentity({ name: 'my-nara', hostname: 'box', hardwareFingerprint: hw1 });
    expect(resolved).toMatchObject({
      ok: true,
      mode: 'generated',
      replaced: { name: 'my-nara', source: 'typed', rule: 'contains "nara"' },
    });
    expect(resolved.ok && resolved.identity.name).toBe(nameFromSoul(nativeSoulGenerated(hw1)));
    const hex = resolveIdentity({ name: '3068841f6679', hardwareFingerprint: hw1 });
    expect(hex.ok && hex.replaced?.rule).toBe('is 12 or more hex digits, like a container ID');
    const host = resolveIdentity({ hostname: 'ubuntu', hardwareFingerprint: hw1 });
    expect(host.ok && host.replaced).toEqual({
      name: 'ubuntu',
      source: 'hostname',
      rule: 'contains "ubuntu"',
    });
    expect(resolveIdentity({ name: 'jojo', hardwareFingerprint: hw1 })).not.toHaveProperty('replaced');
  });

  it('keeps a typed generic name when the soul is bonded to it: the bond shows the intent', () => {
    const soul = randomSoul('my-nara');
    const resolved = resolveIdentity({ name: 'my-nara', soul, hostname: 'box', hardwareFingerprint: hw1 });
    expect(resolved).toMatchObject({ ok: true, mode: 'custom' });
    expect(resolved.ok && resolved.identity.name).toBe('my-nara');
    expect(resolved).not.toHaveProperty('replaced');
    const fromText = resolveIdentity({ name: 'my-nara', soul: formatSoul(Soul.random('my-nara')) });
    expect(fromText.ok && fromText.identity.name).toBe('my-nara');
  });

  it("still carries a Go nara's soul for a generated name over unchanged, and names both names when neither bonds", () => {
    const generated = randomGeneratedSoul();
    const kept = resolveIdentity({ name: 'ubuntu-box', soul: generated.soul });
    expect(kept.ok && kept.identity.name).toBe(generated.name);
    const neither = resolveIdentity({ name: 'my-nara', soul: jojo.soul });
    expect(neither).toMatchObject({ ok: false, reason: 'not-bonded' });
    expect(neither.ok ? '' : neither.message).toMatch(
      /bonded neither to "my-nara" nor to ".+", .*contains "nara"/,
    );
  });

  it('throws TypeErrors naming a wrong argument', () => {
    expect(() => resolveIdentity({ name: 3 as never })).toThrow(/options.name/);
    expect(() => resolveIdentity({ hostname: [] as never })).toThrow(/options.hostname/);
    expect(() => resolveIdentity({ hardwareFingerprint: 'x' as never })).toThrow(
      /options.hardwareFingerprint/,
    );
    expect(() => resolveIdentity({ soul: 5 as never })).toThrow(/options.soul/);
  });

  it('is an IdentityError with a reason when thrown through determineIdentity', () => {
    const error = new IdentityError('not-bonded', 'm');
    expect(error.name).toBe('IdentityError');
    expect(error).toBeInstanceOf(Error);
  });
});

describe('the Identity constructor', () => {
  it('refuses a soul that is not bonded to the name, so no unbonded identity can exist', () => {
    const soul = randomSoul('jojo');
    expect(new Identity('jojo', soul).name).toBe('jojo');
    expect(() => new Identity('someone-else', soul)).toThrow(
      expect.objectContaining({ reason: 'not-bonded' }),
    );
    expect(() => new Identity('', soul)).toThrow(expect.objectContaining({ reason: 'empty-name' }));
    expect(() => new Identity('jojo', 'text' as never)).toThrow(TypeError);
  });
});
