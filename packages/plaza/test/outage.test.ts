import { createIdentity, randomSoul } from '@nara/identity';
import { type NaraNode, startNara } from '@nara/plaza';
import { createMemoryBus } from '@nara/transport';
import { afterEach, describe, expect, it, vi } from 'vitest';

const MINUTE = 60_000;

async function advance(ms: number, step = 1000): Promise<void> {
  for (let t = 0; t < ms; t += step) await vi.advanceTimersByTimeAsync(step);
}

describe('a nara cut off from the broker', () => {
  const nodes: NaraNode[] = [];
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((n) => n.close()));
    vi.useRealTimers();
  });

  it('does not mark its peers missing for the silence of its own outage', async () => {
    vi.useFakeTimers();
    const bus = createMemoryBus();
    const start = async (name: string) => {
      const identity = createIdentity({ name, soul: randomSoul(name) });
      const node = await startNara(
        { identity, chattiness: 100 },
        {
          createTransport: (init) => bus.createTransport({ ...init, backoff: { minMs: 1000, maxMs: 2000 } }),
        },
      );
      nodes.push(node);
      return node;
    };
    const ana = await start('ana');
    await start('bob');
    await advance(10_000);
    expect(ana.registry.get('bob')?.state).toBe('ONLINE');

    // Ten minutes without a broker: far past bob's promised deadline and the 5-minute rule.
    bus.stop();
    await advance(10 * MINUTE, 5000);
    expect(ana.connected).toBe(false);
    expect(ana.registry.get('bob')?.state).toBe('ONLINE');

    // Back on the plaza: bob is heard again, and nobody was ever reported missing.
    bus.start();
    await advance(30_000);
    expect(ana.connected).toBe(true);
    expect(ana.registry.get('bob')?.state).toBe('ONLINE');
    const peers = ana.metrics.collect().find((m) => m.name === 'nara_peers');
    expect(peers?.samples.find((s) => s.labels.state === 'MISSING')?.value).toBe(0);
  });
});

describe('closing a nara', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('leaves no timer behind, so the process can exit, even while its newspapers are scheduled', async () => {
    vi.useFakeTimers();
    const bus = createMemoryBus();
    const identity = createIdentity({ name: 'cleo', soul: randomSoul('cleo') });
    const node = await startNara(
      { identity, chattiness: 100 },
      { createTransport: (init) => bus.createTransport(init) },
    );
    let newspapers = 0;
    node.on((event) => {
      if (event.type === 'published' && event.kind === 'newspaper') newspapers++;
    });
    await advance(40_000);
    expect(newspapers).toBeGreaterThan(0);
    await node.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});
