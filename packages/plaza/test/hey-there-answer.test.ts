import { createIdentity, randomSoul } from '@nara/identity';
import { type NaraNode, startNara } from '@nara/plaza';
import { createMemoryBus, type MemoryBus } from '@nara/transport';
import { afterEach, describe, expect, it, vi } from 'vitest';

// Go answers a hey_there with howdies; a plaza/1 nara answers with its newspaper, soon. The bus here keeps
// no retained messages, so what a newcomer learns of the others comes from their answers alone.
describe("the answer to a newcomer's hey-there", () => {
  const nodes: NaraNode[] = [];
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((n) => n.close()));
    vi.useRealTimers();
  });

  /** A nara that says hey-there at once; `draw` is its random source (the answer waits draw × 2 s). */
  async function nara(bus: MemoryBus, name: string, draw = 0.5) {
    const newspapers: number[] = [];
    const node = await startNara(
      // Chattiness 0: the next regular newspaper is minutes away, so any other one is an answer.
      { identity: createIdentity({ name, soul: randomSoul(name) }), heyThereMaxDelayMs: 0, chattiness: 0 },
      { random: () => draw, createTransport: (init) => bus.createTransport(init) },
    );
    node.on((e) => {
      if (e.type === 'published' && e.kind === 'newspaper') newspapers.push(Date.now());
    });
    nodes.push(node);
    return { node, newspapers };
  }

  it('is a newspaper after a random pause of at most 2 s, and the newcomer knows the nara by it', async () => {
    vi.useFakeTimers();
    const bus = createMemoryBus({ retain: false });
    const ana = await nara(bus, 'ana', 0.75);
    await vi.advanceTimersByTimeAsync(10);
    // Its own hey-there is no newcomer's: the first newspaper only.
    expect(ana.newspapers).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(ana.newspapers).toHaveLength(1);

    const bob = await nara(bus, 'bob');
    await vi.advanceTimersByTimeAsync(0);
    const heard = Date.now();
    expect(bob.node.registry.get('ana')).toBeUndefined();
    // random() = 0.75: a pause of 1.5 s, then the run the scheduler plans at once (a timer's 1 ms).
    await vi.advanceTimersByTimeAsync(1499);
    expect(ana.newspapers).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(501);
    expect(ana.newspapers).toHaveLength(2);
    expect(ana.newspapers[1]! - heard).toBeGreaterThanOrEqual(1500);
    expect(ana.newspapers[1]! - heard).toBeLessThanOrEqual(2000);
    expect(bob.node.registry.get('ana')?.state).toBe('ONLINE');
  });

  it('is one newspaper for a burst of hey-theres', async () => {
    vi.useFakeTimers();
    const bus = createMemoryBus({ retain: false });
    const ana = await nara(bus, 'ana', 0.999);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(ana.newspapers).toHaveLength(1);
    // Five newcomers within a second.
    for (let i = 0; i < 5; i++) {
      await nara(bus, `newcomer-${i}`);
      await vi.advanceTimersByTimeAsync(200);
    }
    await vi.advanceTimersByTimeAsync(3000);
    expect(ana.newspapers).toHaveLength(2);
    for (let i = 0; i < 5; i++) expect(nodes[i + 1]?.registry.get('ana')?.state).toBe('ONLINE');
  });

  it('keeps a flood of hey-theres to one newspaper per 5 s', async () => {
    vi.useFakeTimers();
    const bus = createMemoryBus({ retain: false });
    const ana = await nara(bus, 'ana', 0);
    await vi.advanceTimersByTimeAsync(10_000);
    // A newcomer every 500 ms for 6 s: answers come at once (random() = 0), but 5 s apart at least.
    for (let i = 0; i < 12; i++) {
      await nara(bus, `n-${i}`);
      await vi.advanceTimersByTimeAsync(500);
    }
    const answers = ana.newspapers.slice(1);
    expect(answers).toHaveLength(2);
    expect(answers[1]! - answers[0]!).toBeGreaterThanOrEqual(5000);
  }, 60_000);
});
