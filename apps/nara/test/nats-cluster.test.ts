/**
 * Naras on a three-node NATS cluster with MQTT (deploy/nats-cluster/nats.conf, free loopback ports), each
 * given the whole list of nodes (MQTT_URL with three URLs) and picking one at random: traffic and wills
 * cross the cluster, and when a node is killed its naras move to the others within the backoff window,
 * spread over them, each in a fresh epoch with a fresh hey-there. docs/SCALING.md reports what the
 * others see meanwhile, measured here (printed with `NARA_REPORT=1`).
 */
import { startNats, useStarted } from '@nara/tooling/clustered-brokers';
import { afterAll, describe, expect, it } from 'vitest';
import { type PlazaNara, startNaras, until } from '../../../tooling/soak/plaza.js';

const cluster = useStarted(() => startNats({ nodes: 3 }));
const running: PlazaNara[] = [];
afterAll(async () => {
  await Promise.all(running.splice(0).map((n) => n.node.close()));
});
const report = (line: string): void => {
  if (process.env.NARA_REPORT === '1') console.log(`[nats-cluster] ${line}`);
};
const online = (observer: PlazaNara, name: string): boolean =>
  observer.node.registry.get(name)?.state === 'ONLINE';

describe('naras on a three-node NATS cluster', () => {
  // The seed's 5-35 s window scaled down ten times.
  const backoff = { minMs: 500, maxMs: 3500 };
  let naras: PlazaNara[] = [];

  it('spread over the nodes at random, and every nara hears every other across the cluster', async () => {
    naras = await startNaras({
      url: cluster().url,
      count: 9,
      prefix: 'nats.local',
      backoff,
      keepaliveSec: 2,
      heyThereMaxDelayMs: 300,
      newspaperSpeed: 10,
      connectTimeoutMs: 30_000,
      keepEvents: true,
      seed: 7,
    });
    running.push(...naras);
    const perNode = cluster().nodes.map((node) => naras.filter((n) => n.transport.url === node.url).length);
    report(`naras per node: ${perNode.join(', ')}`);
    for (const count of perNode) expect(count).toBeGreaterThan(0);
    await until(
      'all 9 to see each other',
      () => naras.every((n) => naras.every((m) => m === n || online(n, m.name))),
      30_000,
    );
    for (const n of naras) expect(n.tally.verificationFailures, n.name).toBe(0);
  });

  it('carries a will from a nara on one node to the naras on the others', async () => {
    const [first, second] = cluster().nodes;
    const dying = naras.find((n) => n.transport.url === first?.url);
    const watchers = naras.filter((n) => n.transport.url === second?.url);
    expect(dying).toBeDefined();
    expect(watchers.length).toBeGreaterThan(0);
    dying?.transport.simulateCrash();
    await until('the other node to mark it MISSING by its will', () =>
      watchers.every((w) => w.node.registry.get(dying?.name ?? '')?.missingCause === 'will'),
    );
    await until(
      'it to come back',
      () => naras.every((n) => n === dying || online(n, dying?.name ?? '')),
      30_000,
    );
  });

  it('moves the naras of a killed node to the others within the backoff window, spread, in fresh epochs', async () => {
    const nodes = cluster().nodes;
    const victimNode = nodes.reduce((most, node) =>
      naras.filter((n) => n.transport.url === node.url).length >
      naras.filter((n) => n.transport.url === most.url).length
        ? node
        : most,
    );
    const victims = naras.filter((n) => n.transport.url === victimNode.url);
    const others = naras.filter((n) => !victims.includes(n));
    const observer = others[0] as PlazaNara;
    const before = new Map(
      victims.map((v) => [
        v.name,
        {
          epoch: observer.node.registry.get(v.name)?.epoch,
          heyTheres: v.tally.publishedHeyTheres,
          connects: v.tally.connects,
        },
      ]),
    );
    // What the observer sees of the victims while they move: sampled every 50 ms.
    const seen = new Set<string>();
    const sampler = setInterval(() => {
      for (const v of victims) seen.add(observer.node.registry.get(v.name)?.state ?? 'unknown');
    }, 50);
    const killedAt = Date.now();
    await victimNode.kill();
    try {
      await until(
        'every nara of the killed node to be back on another node with a new hey-there',
        () =>
          victims.every(
            (v) =>
              v.tally.connects > (before.get(v.name)?.connects ?? 0) &&
              v.tally.publishedHeyTheres > (before.get(v.name)?.heyTheres ?? 0),
          ),
        60_000,
      );
      const backAfter = victims.map((v) => (v.tally.connectTimes.at(-1) ?? 0) - killedAt);
      await until(
        'the observer to see each in its new epoch',
        () => victims.every((v) => observer.node.registry.get(v.name)?.epoch !== before.get(v.name)?.epoch),
        30_000,
      );
      clearInterval(sampler);
      report(
        `killed ${victimNode.name} with ${victims.length} naras; back after ${backAfter.join(', ')} ms; ` +
          `delays drawn ${victims.map((v) => v.tally.reconnectDelays.slice(-2).join('+')).join(', ')} ms; ` +
          `the observer saw them as ${[...seen].join(', ')}; ` +
          `registry rejections at the observer: ${JSON.stringify(observer.tally.registryRejections)}`,
      );
      const survivors = nodes.filter((n) => n !== victimNode).map((n) => n.url);
      for (const v of victims) {
        expect(survivors, v.name).toContain(v.transport.url);
        // One backoff delay, within the window, and no attempt on the dead node in between.
        expect(v.tally.reconnectDelays.at(-1)).toBeGreaterThanOrEqual(backoff.minMs);
        expect(v.tally.reconnectDelays.at(-1)).toBeLessThanOrEqual(backoff.maxMs);
        expect(v.tally.disconnects, v.name).toBeGreaterThanOrEqual(1);
      }
      if (victims.length >= 3) {
        const landed = new Set(victims.map((v) => v.transport.url));
        expect(landed.size, 'the victims spread over the surviving nodes').toBe(2);
      }
      // A killed node publishes no will: the others keep the movers ONLINE until their new epoch arrives.
      expect(seen.has('MISSING')).toBe(false);
      expect(naras.every((n) => naras.every((m) => m === n || online(n, m.name)))).toBe(true);
    } finally {
      clearInterval(sampler);
    }
  });
});
