import { readFileSync } from 'node:fs';

// The vectors are data shared with other languages (see vectors/README.md); this is their shape.
export interface IdentityVectors {
  hardware: { fragments: string; fingerprint: string }[];
  nativeSoulCustom: {
    hardwareFingerprint: string;
    name: string;
    seed: string;
    tag: string;
    soul: string;
    naraId: string;
    publicKeyBase64: string;
    stashKey: string;
  }[];
  nativeSoulGenerated: {
    hardwareFingerprint: string;
    name: string;
    seed: string;
    tag: string;
    soul: string;
    naraId: string;
  }[];
  generateName: { id: string; name: string }[];
  goMathRand: { seed: string; int63: string[]; intn: { n: number; values: number[] }[] }[];
  determineIdentity: {
    valid: {
      nameArg: string;
      soulArg: string;
      hostname: string;
      hardwareFingerprint: string;
      name: string;
      soul: string;
      naraId: string;
      isNative: boolean;
      mode: 'custom' | 'generated';
    }[];
    invalid: {
      nameArg: string;
      soulArg: string;
      hostname: string;
      hardwareFingerprint: string;
      reason: string;
      soulReason?: string;
    }[];
  };
  parseSoul: {
    valid: { text: string; seed: string; tag: string }[];
    invalid: { text: string; reason: string; decodedLength?: number }[];
  };
  isGenericHostname: { hostname: string; generic: boolean }[];
  legacyHeyThereSyncEvent: {
    soul: string;
    emitter: string;
    ts: string;
    svc: string;
    meshIp: string;
    publicKeyBase64: string;
    content: string;
    id: string;
    digest: string;
    signature: string;
  };
}

export const vectors: IdentityVectors = JSON.parse(
  readFileSync(new URL('../vectors/identity.json', import.meta.url), 'utf8'),
);
