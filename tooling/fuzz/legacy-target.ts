/**
 * The Go-wire fuzz target: a listen-only nara's Go-wire receive path (apps/nara/src/legacy-wire.ts:
 * @nara/legacy's verifiers, the registry, metrics), with a clock the fuzzer moves.
 */
import { createSignatureChecker } from '@nara/envelope/node';
import { silentLogger } from '@nara/interface';
import { createPeerRegistry } from '@nara/peers';
import { createLegacyWire, MetricsRegistry } from '@nara/plaza';

import type { LegacyFuzzTarget } from './legacy.js';

export function createLegacyTarget(): LegacyFuzzTarget & { peers(): number } {
  let now = 0;
  const registry = createPeerRegistry(
    {},
    { clock: { now: () => now, setTimeout: () => 0, clearTimeout: () => {} } },
  );
  const wire = createLegacyWire({
    registry,
    metrics: new MetricsRegistry(),
    logger: silentLogger,
    now: () => now,
    random: Math.random,
    // node:crypto, as the app on Node uses (the portable default would be noble).
    checker: createSignatureChecker(),
  });
  return {
    receive(topic, bytes) {
      const outcome = wire.receive(topic, bytes);
      return outcome.type === 'accepted'
        ? {
            type: 'accepted',
            name: outcome.name,
            publicKey: outcome.publicKey,
            bytes: outcome.bytes,
            kind: outcome.kind,
          }
        : outcome;
    },
    setTime(ms) {
      now = ms;
    },
    peers: () => registry.size,
  };
}
