import {
  computeNaraId,
  computeTag,
  determineIdentity,
  formatSoul,
  GoRand,
  generateName,
  hashHardware,
  IdentityError,
  isGenericHostname,
  nameFromSoul,
  nativeSoulCustom,
  nativeSoulGenerated,
  parseSoul,
  validateBond,
} from '@nara/identity';
import { ed25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { base58, base64 } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { vectors } from './vectors.js';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('the Go identity vectors (vectors/identity.json)', () => {
  it.each(vectors.hardware)('hashHardware($fragments) is SHA-256 of the fragments', (v) => {
    expect(bytesToHex(hashHardware(v.fragments))).toBe(v.fingerprint);
  });

  it.each(vectors.nativeSoulCustom)(
    'NativeSoulCustom(hw, $name) matches Go: seed, tag, soul, ID, key, stash key',
    (v) => {
      const soul = nativeSoulCustom(hexToBytes(v.hardwareFingerprint), v.name);
      expect(bytesToHex(soul.unsafeSeed())).toBe(v.seed);
      expect(bytesToHex(soul.tag())).toBe(v.tag);
      expect(bytesToHex(computeTag(hexToBytes(v.seed), v.name))).toBe(v.tag);
      expect(formatSoul(soul)).toBe(v.soul);
      expect(computeNaraId(soul, v.name)).toBe(v.naraId);
      expect(computeNaraId(v.soul, v.name)).toBe(v.naraId);
      expect(base64.encode(soul.publicKey())).toBe(v.publicKeyBase64);
      // The stash key is not part of this package's API; deriving it here checks that the seed is Go's seed.
      const stash = hkdf(sha256, soul.unsafeSeed(), utf8('nara:stash:v1'), utf8('symmetric'), 32);
      expect(bytesToHex(stash)).toBe(v.stashKey);
      expect(validateBond(soul, v.name)).toBe(true);
    },
  );

  it.each(vectors.nativeSoulGenerated)('NativeSoulGenerated(hw) matches Go and generates $name', (v) => {
    const soul = nativeSoulGenerated(hexToBytes(v.hardwareFingerprint));
    expect(bytesToHex(soul.unsafeSeed())).toBe(v.seed);
    expect(bytesToHex(soul.tag())).toBe(v.tag);
    expect(formatSoul(soul)).toBe(v.soul);
    expect(nameFromSoul(soul)).toBe(v.name);
    expect(computeNaraId(soul, v.name)).toBe(v.naraId);
    expect(validateBond(soul, v.name)).toBe(true);
  });

  it.each(vectors.generateName)('GenerateName($id) is $name, as Go computes it', (v) => {
    expect(generateName(v.id)).toBe(v.name);
  });

  it.each(vectors.goMathRand)('the math/rand port reproduces Go for seed $seed', (v) => {
    const r = new GoRand(BigInt(v.seed));
    expect(v.int63.map(() => r.int63().toString())).toEqual(v.int63);
    for (const { n, values } of v.intn) {
      const fresh = new GoRand(BigInt(v.seed));
      expect(values.map(() => fresh.intn(n))).toEqual(values);
    }
  });

  it.each(vectors.determineIdentity.valid)(
    'DetermineIdentity($nameArg, soul, $hostname, hw) gives $name ($mode, native: $isNative)',
    (v) => {
      const hw = hexToBytes(v.hardwareFingerprint);
      const result = determineIdentity(v.nameArg, v.soulArg, v.hostname, hw);
      expect(result.name).toBe(v.name);
      expect(formatSoul(result.soul)).toBe(v.soul);
      expect(result.id).toBe(v.naraId);
      expect(result.isValidBond).toBe(true);
      expect(result.isNative).toBe(v.isNative);
      expect(result.identity.naraId).toBe(v.naraId);
      expect(result.mode).toBe(v.mode);
    },
  );

  it.each(vectors.determineIdentity.invalid)(
    'DetermineIdentity($nameArg, soul, $hostname, hw) is refused with $reason where Go only warns',
    (v) => {
      const hw = hexToBytes(v.hardwareFingerprint);
      let thrown: unknown;
      try {
        determineIdentity(v.nameArg, v.soulArg, v.hostname, hw);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(IdentityError);
      expect((thrown as IdentityError).name).toBe('IdentityError');
      expect((thrown as IdentityError).reason).toBe(v.reason);
      expect((thrown as IdentityError).soulReason).toBe(v.soulReason);
    },
  );

  it.each(vectors.parseSoul.valid)('parses the Go soul $text into its seed and tag', (v) => {
    const parsed = parseSoul(v.text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(bytesToHex(parsed.soul.unsafeSeed())).toBe(v.seed);
    expect(bytesToHex(parsed.soul.tag())).toBe(v.tag);
    expect(formatSoul(parsed.soul)).toBe(v.text);
  });

  it.each(vectors.parseSoul.invalid)('refuses the soul text %j with reason $reason', (v) => {
    const parsed = parseSoul(v.text);
    expect(parsed).toMatchObject({ ok: false, reason: v.reason });
    if (v.decodedLength !== undefined) {
      expect(base58.decode(v.text).length).toBe(v.decodedLength);
      expect(parsed.ok ? '' : parsed.message).toContain(`decodes to ${v.decodedLength}`);
    }
    expect(() => computeNaraId(v.text, 'jojo')).toThrow(
      expect.objectContaining({ name: 'InvalidSoulError', reason: v.reason }),
    );
  });

  it.each(vectors.isGenericHostname)('IsGenericHostname(%j) is $generic, as in Go', (v) => {
    expect(isGenericHostname(v.hostname)).toBe(v.generic);
  });

  it("signs the legacy hey_there SyncEvent byte for byte as Go does (the soul's seed is the key, SHA-256 digest signed)", () => {
    const v = vectors.legacyHeyThereSyncEvent;
    const identity = determineIdentity(v.emitter, v.soul, 'some-server', hashHardware('hardware-1')).identity;
    expect(identity.publicKeyBase64).toBe(v.publicKeyBase64);

    const content = `hey_there:${v.emitter}:${identity.publicKeyBase64}:${v.meshIp}`;
    expect(content).toBe(v.content);
    const id = bytesToHex(sha256(utf8(`${v.ts}:${v.svc}:${content}`)).slice(0, 16));
    expect(id).toBe(v.id);
    const digest = sha256(utf8(`${id}:${v.ts}:${v.svc}:${v.emitter}:${content}`));
    expect(bytesToHex(digest)).toBe(v.digest);
    const signature = ed25519.sign(digest, identity.soul.unsafeSeed());
    expect(base64.encode(signature)).toBe(v.signature);
    expect(ed25519.verify(signature, digest, identity.publicKey)).toBe(true);
  });
});
