import type { VerifiedEnvelope } from '@nara/envelope';
import type { KnownPeer } from './types.js';
export const DEFAULTS = {
  maxPeers: 10_000,
  graceMs: 10_000,
  maxSilenceMs: 300_000,
  maxFutureMs: 30_000,
  maxAgeMs: 60_000,
  retiredEpochs: 4,
} as const;

export function checkCount(value: number | undefined, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new TypeError(`options.${name} must be an integer of at least ${min}`);
  }
  return value;
}

export function checkPublicKey(publicKey: unknown, argument: string): Uint8Array {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    throw new TypeError(`${argument} must be a 32-byte Uint8Array`);
  }
  return publicKey.slice();
}

export function checkCommitment(commitment: unknown, argument: string): Uint8Array {
  if (!(commitment instanceof Uint8Array) || (commitment.length !== 0 && commitment.length !== 32)) {
    throw new TypeError(`${argument} must be a 32-byte Uint8Array, or empty (no successor)`);
  }
  return commitment.slice();
}

/** The seeded pins of `options.known`: keys, and the commitments that came with them. */
export function readKnown(known: Iterable<KnownPeer> | undefined): {
  seeds: Map<string, Uint8Array>;
  seedCommitments: Map<string, Uint8Array>;
} {
  const seeds = new Map<string, Uint8Array>();
  const seedCommitments = new Map<string, Uint8Array>();
  if (known === undefined) return { seeds, seedCommitments };
  if (typeof (known as Iterable<KnownPeer>)[Symbol.iterator] !== 'function') {
    throw new TypeError('options.known must be an iterable of { name, publicKey }');
  }
  for (const k of known) {
    const name = checkName(k?.name, 'options.known[].name');
    seeds.set(name, checkPublicKey(k.publicKey, 'options.known[].publicKey'));
    if (k.commitment !== undefined)
      seedCommitments.set(name, checkCommitment(k.commitment, 'options.known[].commitment'));
  }
  return { seeds, seedCommitments };
}

/** Only a verifier's envelopes are ingested: anything else is the caller's mistake, thrown. */
export function checkEnvelope(env: VerifiedEnvelope): void {
  if (
    env === null ||
    typeof env !== 'object' ||
    typeof env.name !== 'string' ||
    typeof env.kind !== 'string' ||
    !(env.publicKey instanceof Uint8Array) ||
    !(env.epoch instanceof Uint8Array) ||
    env.epoch.length !== 8
  ) {
    throw new TypeError('envelope must be a VerifiedEnvelope');
  }
}

export function checkName(name: unknown, argument: string): string {
  if (typeof name !== 'string' || name.length === 0)
    throw new TypeError(`${argument} must be a non-empty string`);
  return name;
}
