/** What the registry tests share: a clock standing at T0 under fake timers, three naras, a registry with its events. */
import { systemClock } from '@nara/interface';
import { createPeerRegistry, type PeerEvent, type PeerRegistryOptions } from '@nara/peers';
import { afterEach, beforeEach, vi } from 'vitest';
import { TestNara } from './helpers.js';

export const T0 = 1_750_000_000_000;

export function setup(options: PeerRegistryOptions = {}) {
  const registry = createPeerRegistry(options, { clock: systemClock });
  const events: PeerEvent[] = [];
  registry.on((e) => events.push(e));
  const types = () => events.map((e) => (e.type === 'rejected' ? `rejected:${e.reason}` : e.type));
  return { registry, events, types };
}

// Keys are made once: signing is cheap, key generation less so.
export const alice = new TestNara('alice', 1);
export const bob = new TestNara('bob', 2);
export const mallory = new TestNara('mallory', 66);

/** Fake timers from T0 and fresh connections for every test of the file that calls it. */
export function useFakePlaza(): void {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
    alice.connect();
    bob.connect();
    mallory.connect();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}
