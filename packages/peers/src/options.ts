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

export function checkName(name: unknown, argument: string): string {
  if (typeof name !== 'string' || name.length === 0)
    throw new TypeError(`${argument} must be a non-empty string`);
  return name;
}
