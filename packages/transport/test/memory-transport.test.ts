import { createMemoryBus, type TransportEvent, type TransportMessage } from '@nara/transport';
import { afterEach, describe, expect, it, vi } from 'vitest';

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);

describe('the memory transport', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('delivers on microtasks, so messages arrive under fake timers without advancing time', async () => {
    vi.useFakeTimers();
    const bus = createMemoryBus();
    const a = bus.createTransport();
    const b = bus.createTransport();
    await Promise.all([a.connect(), b.connect()]);
    const got: TransportMessage[] = [];
    await b.subscribe('nara/#', (m) => got.push(m));
    await a.publish('nara/plaza/hey-there', bytes(1, 2, 3));
    await Promise.resolve();
    expect(got).toEqual([{ topic: 'nara/plaza/hey-there', payload: bytes(1, 2, 3) }]);
  });

  it('gives each receiver its own copy of the payload', async () => {
    const bus = createMemoryBus();
    const a = bus.createTransport();
    const b = bus.createTransport();
    const c = bus.createTransport();
    await Promise.all([a.connect(), b.connect(), c.connect()]);
    const seen: Uint8Array[] = [];
    await b.subscribe('t', (m) => {
      m.payload[0] = 99;
      seen.push(m.payload);
    });
    await c.subscribe('t', (m) => seen.push(m.payload));
    const sent = bytes(1);
    await a.publish('t', sent);
    sent[0] = 42;
    await vi.waitFor(() => expect(seen).toHaveLength(2));
    expect(seen[1]).toEqual(bytes(1));
  });

  it('publishes the will on a simulated crash, and not on close', async () => {
    const bus = createMemoryBus();
    let epoch = 0;
    const dying = bus.createTransport({
      will: () => ({ topic: 'nara/plaza/chau', payload: bytes(++epoch) }),
    });
    const watcher = bus.createTransport();
    const chaus: number[] = [];
    await watcher.subscribe('nara/plaza/chau', (m) => chaus.push(m.payload[0] ?? -1));
    await Promise.all([dying.connect(), watcher.connect()]);
    dying.simulateCrash();
    await vi.waitFor(() => expect(chaus).toEqual([1]));
    await dying.close();
    const polite = bus.createTransport({ will: () => ({ topic: 'nara/plaza/chau', payload: bytes(7) }) });
    await polite.connect();
    await polite.close();
    await new Promise((r) => setTimeout(r, 0));
    expect(chaus).toEqual([1]);
  });

  it('reconnects after an outage on the backoff schedule, asking for a fresh will each time', async () => {
    vi.useFakeTimers();
    const bus = createMemoryBus();
    let wills = 0;
    const t = bus.createTransport({
      will: () => ({ topic: 'w', payload: bytes(++wills) }),
      random: () => 0,
    });
    const events: TransportEvent[] = [];
    t.on((e) => events.push(e));
    await t.connect();
    bus.stop();
    expect(events.map((e) => e.type)).toEqual(['connected', 'disconnected', 'reconnecting']);
    expect(events[2]).toMatchObject({ type: 'reconnecting', attempt: 1, delayMs: 5_000 });
    // Each says why: the connection the outage took, then the attempt the stopped bus refused.
    expect(events[2]?.type === 'reconnecting' && events[2].cause?.message).toBe('the memory bus stopped');
    await vi.advanceTimersByTimeAsync(5_000);
    const second = events.at(-1);
    expect(second).toMatchObject({ type: 'reconnecting', attempt: 2, delayMs: 10_000 });
    expect(second?.type === 'reconnecting' && second.cause?.message).toBe('the memory bus is stopped');
    bus.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(events.at(-1)).toEqual({ type: 'connected' });
    expect(wills).toBe(3);
    await t.close();
  });
});
