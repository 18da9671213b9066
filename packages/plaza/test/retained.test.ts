import { createVerifier } from '@nara/envelope';
import { createIdentity, randomSoul } from '@nara/identity';
import { createPeerRegistry } from '@nara/peers';
import {
  createReceivePipeline,
  MetricsRegistry,
  type NaraEvent,
  type NaraNode,
  startNara,
} from '@nara/plaza';
import { strangerNewspaper } from '@nara/tooling/stranger';
import { HEY_THERE_TOPIC, newspaperTopic, PLAZA_FILTER } from '@nara/topics';
import {
  createMemoryBus,
  type MemoryBus,
  type MemoryTransport,
  type TransportMessage,
} from '@nara/transport';
import { afterEach, describe, expect, it, vi } from 'vitest';

const MINUTE = 60_000;

describe('retained newspapers', () => {
  const nodes: NaraNode[] = [];
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((n) => n.close()));
    vi.useRealTimers();
  });

  /** A nara on `bus` that says hey-there at once; its transport is kept, to kill it like a process. */
  async function nara(bus: MemoryBus, name?: string) {
    let transport: MemoryTransport | undefined;
    const published: string[] = [];
    // When each newspaper was sent (fake time stands still within a step): what a retained copy says.
    const papers: number[] = [];
    const node = await startNara(name ? { identity: identityOf(name), heyThereMaxDelayMs: 0 } : {}, {
      createTransport: (init) => {
        transport = bus.createTransport({ ...init, backoff: { minMs: 60_000, maxMs: 60_000 } });
        return transport;
      },
    });
    node.on((e) => {
      if (e.type === 'published') published.push(e.kind);
      if (e.type === 'published' && e.kind === 'newspaper') papers.push(Date.now());
    });
    nodes.push(node);
    return { node, published, papers, transport: transport as MemoryTransport };
  }

  it('are published retained: a watcher started later has every nara at once, last seen when it was sent', async () => {
    vi.useFakeTimers();
    const bus = createMemoryBus();
    const ana = await nara(bus, 'ana');
    const bob = await nara(bus, 'bob');
    // Their hey-theres, first newspapers, and ana's answer to bob's hey-there.
    await vi.advanceTimersByTimeAsync(5000);
    const said = [[...ana.published], [...bob.published]];

    const watcher = await nara(bus);
    await vi.advanceTimersByTimeAsync(0);
    // A watcher says no hey-there: nothing new was said, what it knows came from the retained copies.
    expect([ana.published, bob.published]).toEqual(said);
    for (const { name, papers } of [
      { name: 'ana', papers: ana.papers },
      { name: 'bob', papers: bob.papers },
    ]) {
      expect(watcher.node.registry.get(name)?.state).toBe('ONLINE');
      expect(watcher.node.registry.get(name)?.lastSeen).toBe(papers.at(-1));
    }
  });

  it('are cleared before chau: a watcher sees the clearing apart from rejections, then OFFLINE; a later one sees nothing', async () => {
    vi.useFakeTimers();
    const bus = createMemoryBus();
    const ana = await nara(bus, 'ana');
    const live = await nara(bus);
    const events: NaraEvent[] = [];
    live.node.on((e) => events.push(e));
    const arrived: TransportMessage[] = [];
    const spy = bus.createTransport();
    await spy.connect();
    await spy.subscribe(PLAZA_FILTER, (m) => arrived.push(m));
    await vi.advanceTimersByTimeAsync(10);
    expect(live.node.registry.get('ana')?.state).toBe('ONLINE');

    await ana.node.leave();
    await vi.advanceTimersByTimeAsync(0);
    // The empty retained payload on ana's newspaper topic, then her chau.
    expect(arrived.slice(-2).map((m) => [m.topic, m.payload.length])).toEqual([
      [newspaperTopic('ana'), 0],
      ['nara/plaza/chau', expect.any(Number)],
    ]);
    expect(live.node.registry.get('ana')?.state).toBe('OFFLINE');
    const count = (name: string) =>
      live.node.metrics
        .collect()
        .find((m) => m.name === name)
        ?.samples.reduce((sum, s) => sum + s.value, 0) ?? 0;
    expect(count('nara_newspapers_cleared_total')).toBe(1);
    expect(count('nara_envelopes_rejected_total')).toBe(0);
    expect(events.some((e) => e.type === 'rejected')).toBe(false);

    const later = await nara(bus);
    await vi.advanceTimersByTimeAsync(0);
    expect(later.node.registry.get('ana')).toBeUndefined();
    await spy.close();
  });

  it('of a nara that died long ago show it MISSING at once, with its last-seen time', async () => {
    vi.useFakeTimers();
    const bus = createMemoryBus();
    const ana = await nara(bus, 'ana');
    await vi.advanceTimersByTimeAsync(10);
    expect(ana.papers).toHaveLength(1);
    // Killed like a process, and never back: its will is heard by nobody, its newspaper stays retained.
    ana.transport.simulateCrash();
    await ana.node.close();
    await vi.advanceTimersByTimeAsync(10 * MINUTE);

    const watcher = await nara(bus);
    await vi.advanceTimersByTimeAsync(0);
    expect(watcher.node.registry.get('ana')).toMatchObject({
      state: 'MISSING',
      missingCause: 'silence',
      lastSeen: ana.papers[0],
    });
  });
});

describe('what a stranger can do with retained messages (docs/SECURITY.md)', () => {
  const nodes: NaraNode[] = [];
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((n) => n.close()));
    vi.useRealTimers();
  });

  async function start(bus: MemoryBus, options: Parameters<typeof startNara>[0] = {}) {
    const node = await startNara(options, { createTransport: (init) => bus.createTransport(init) });
    nodes.push(node);
    return node;
  }
  const total = (node: NaraNode, name: string, labels: Record<string, string> = {}) =>
    node.metrics
      .collect()
      .find((m) => m.name === name)
      ?.samples.filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))
      .reduce((sum, s) => sum + s.value, 0) ?? 0;

  it("overwrites a nara's retained newspaper with a forgery, which a newcomer that knows the key refuses and counts", async () => {
    vi.useFakeTimers();
    const bus = createMemoryBus();
    const ana = identityOf('ana');
    await start(bus, { identity: ana, heyThereMaxDelayMs: 0, chattiness: 0 });
    await vi.advanceTimersByTimeAsync(10);
    const stranger = bus.createTransport();
    await stranger.connect();
    await stranger.publish(newspaperTopic('ana'), strangerNewspaper(newspaperTopic('ana'), 'ana'), {
      retain: true,
    });
    // Retained junk too: bytes that are no envelope, kept on another nara's topic.
    await stranger.publish(newspaperTopic('bob'), new TextEncoder().encode('junk'), { retain: true });
    await vi.advanceTimersByTimeAsync(0);

    const newcomer = await start(bus, { pins: [{ name: 'ana', publicKey: ana.publicKey }] });
    await vi.advanceTimersByTimeAsync(0);
    expect(total(newcomer, 'nara_envelopes_rejected_total', { reason: 'key-mismatch' })).toBe(1);
    expect(total(newcomer, 'nara_envelopes_rejected_total')).toBe(2);
    expect(newcomer.registry.get('ana')?.state).not.toBe('ONLINE');
    expect(newcomer.registry.get('bob')).toBeUndefined();
    await stranger.close();
  });

  it("clears a nara's retained newspaper: a newcomer misses it until it speaks, a listener keeps it", async () => {
    vi.useFakeTimers();
    const bus = createMemoryBus();
    await start(bus, { identity: identityOf('ana'), heyThereMaxDelayMs: 0, chattiness: 0 });
    const listener = await start(bus);
    await vi.advanceTimersByTimeAsync(10);
    const stranger = bus.createTransport();
    await stranger.connect();
    await stranger.publish(newspaperTopic('ana'), new Uint8Array(0), { retain: true });
    await vi.advanceTimersByTimeAsync(0);
    expect(listener.registry.get('ana')?.state).toBe('ONLINE');
    expect(total(listener, 'nara_newspapers_cleared_total')).toBe(1);
    expect(total(listener, 'nara_envelopes_rejected_total')).toBe(0);
    const newcomer = await start(bus);
    await vi.advanceTimersByTimeAsync(0);
    expect(newcomer.registry.get('ana')).toBeUndefined();
    await stranger.close();
  });
});

describe('the receive pipeline and retained copies', () => {
  function pipeline() {
    const metrics = new MetricsRegistry();
    return {
      metrics,
      p: createReceivePipeline({ verifier: createVerifier(), registry: createPeerRegistry(), metrics }),
    };
  }

  it('takes an empty payload on a newspaper topic for a cleared retained newspaper: not received, not rejected', () => {
    const { p } = pipeline();
    expect(p.receive(newspaperTopic('ana'), new Uint8Array(0))).toEqual({
      type: 'cleared',
      topic: newspaperTopic('ana'),
    });
    expect(p.counters.cleared.get()).toBe(1);
    expect(p.counters.received.get()).toBe(0);
    expect(p.counters.rejected.get({ reason: 'empty' })).toBe(0);
    // Anywhere else no bytes at all is hostile input, as before.
    expect(p.receive(HEY_THERE_TOPIC, new Uint8Array(0))).toMatchObject({
      type: 'rejected',
      reason: 'empty',
    });
    expect(p.counters.cleared.get()).toBe(1);
  });
});

function identityOf(name: string) {
  return createIdentity({ name, soul: randomSoul(name) });
}
