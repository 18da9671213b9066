/** The registry's options, checked, with their defaults. */
import { type Clock, type Logger, silentLogger, systemClock } from '@nara/interface';
import type { PeerRegistryComponents, PeerRegistryOptions } from './registry-api.js';

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

/** The options and components of a registry, checked, defaults filled in. */
export function resolveOptions(options: PeerRegistryOptions, components: PeerRegistryComponents) {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  const clock: Clock = components.clock ?? systemClock;
  const logger: Logger = components.logger ?? silentLogger;
  if (
    typeof clock?.now !== 'function' ||
    typeof clock.setTimeout !== 'function' ||
    typeof clock.clearTimeout !== 'function'
  ) {
    throw new TypeError('components.clock must have now, setTimeout and clearTimeout');
  }
  return {
    maxPeers: checkCount(options.maxPeers, 'maxPeers', DEFAULTS.maxPeers, 1),
    graceMs: checkCount(options.graceMs, 'graceMs', DEFAULTS.graceMs, 0),
    maxSilenceMs: checkCount(options.maxSilenceMs, 'maxSilenceMs', DEFAULTS.maxSilenceMs, 1),
    maxFutureMs: checkCount(options.maxFutureMs, 'maxFutureMs', DEFAULTS.maxFutureMs, 0),
    maxAgeMs: checkCount(options.maxAgeMs, 'maxAgeMs', DEFAULTS.maxAgeMs, 0),
    retiredEpochs: checkCount(options.retiredEpochs, 'retiredEpochs', DEFAULTS.retiredEpochs, 0),
    clock,
    logger,
  };
}
