/**
 * Naras on two mosquittos bridged as deploy/mosquitto-bridge says (`topic nara/# both 0`), half on each:
 * envelopes cross unchanged and verify, wills cross, and nothing reaches a registry twice. With the
 * bridge's loop detection off (`try_private false`) every message comes back once: the registries refuse
 * the echoes (counted by reason) and presence stays right.
 */
import { startMosquittoBridge, useStarted } from '@nara/tooling/clustered-brokers';
import { afterEach, describe, expect, it } from 'vitest';
import { type PlazaNara, startNaras, until } from '../../../tooling/soak/plaza.js';

const running: PlazaNara[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((n) => n.node.close()));
});
const everyoneSeesEveryone = (naras: PlazaNara[]) => () =>
  naras.every((n) => naras.every((m) => m === n || n.node.registry.get(m.name)?.state === 'ONLINE'));
const rejections = (naras: PlazaNara[]): Record<string, number> => {
  const total: Record<string, number> = {};
  for (const n of naras)
    for (const [reason, count] of Object.entries(n.tally.registryRejections))
      total[reason] = (total[reason] ?? 0) + count;
  return total;
};
const common = {
  backoff: { minMs: 300, maxMs: 1000 },
  keepaliveSec: 2,
  heyThereMaxDelayMs: 200,
  newspaperSpeed: 10,
  keepEvents: true,
};

async function halves(urls: { a: string; b: string }, prefix: string): Promise<[PlazaNara[], PlazaNara[]]> {
  const onA = await startNaras({ ...common, url: urls.a, count: 3, prefix: `${prefix}-a` });
  running.push(...onA);
  const onB = await startNaras({ ...common, url: urls.b, count: 3, prefix: `${prefix}-b` });
  running.push(...onB);
  return [onA, onB];
}

describe('two mosquittos bridged (try_private true, as deployed)', () => {
  const bridge = useStarted(() => startMosquittoBridge());

  it('carries every envelope across unchanged (each verifies) and each once, and carries wills', async () => {
    const [onA, onB] = await halves({ a: bridge().a.url, b: bridge().b.url }, 'bridged');
    const all = [...onA, ...onB];
    await until('all 6 to see each other across the bridge', everyoneSeesEveryone(all), 30_000);
    const dying = onA[0] as PlazaNara;
    dying.transport.simulateCrash();
    await until('the naras on B to mark it MISSING by its will', () =>
      onB.every((n) => n.node.registry.get(dying.name)?.missingCause === 'will'),
    );
    await until('it to come back', everyoneSeesEveryone(all), 30_000);
    for (const n of all) expect(n.tally.verificationFailures, n.name).toBe(0);
    // Nothing arrived twice: no registry refused anything.
    expect(rejections(all)).toEqual({});
  });
});

describe('two mosquittos bridged with try_private false', () => {
  const bridge = useStarted(() => startMosquittoBridge({ tryPrivate: false }));

  it('echoes each message once; the registries refuse the echoes, counted, and presence stays right', async () => {
    const [onA, onB] = await halves({ a: bridge().a.url, b: bridge().b.url }, 'echoed');
    const all = [...onA, ...onB];
    await until('all 6 to see each other across the bridge', everyoneSeesEveryone(all), 30_000);
    await until('echoes to be refused', () => Object.keys(rejections(all)).length > 0);
    for (const reason of Object.keys(rejections(all)))
      expect(['replay', 'stale-epoch', 'stale-will', 'duplicate']).toContain(reason);
    for (const n of all) expect(n.tally.verificationFailures, n.name).toBe(0);
    expect(everyoneSeesEveryone(all)()).toBe(true);
  });
});
