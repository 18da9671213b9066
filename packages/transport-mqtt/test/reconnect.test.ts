import { startMosquitto } from '@nara/tooling/brokers';
import type { TransportEvent } from '@nara/transport';
import { createMqttTransport } from '@nara/transport-mqtt';
import { describe, expect, it } from 'vitest';

describe('reconnecting to a real broker', () => {
  it('comes back after the broker is killed and restarted, with delays in the window whose floor grows', async () => {
    const broker = await startMosquitto();
    const backoff = { minMs: 50, maxMs: 400 };
    const transport = createMqttTransport({ url: broker.url, backoff });
    const watcher = createMqttTransport({ url: broker.url, backoff });
    try {
      await Promise.all([transport.connect(), watcher.connect()]);
      const got: string[] = [];
      await watcher.subscribe('nara/plaza/#', (m) => got.push(m.topic));
      const events: TransportEvent[] = [];
      transport.on((e) => events.push(e));
      const delays = (): number[] => events.flatMap((e) => (e.type === 'reconnecting' ? [e.delayMs] : []));

      await broker.kill();
      // Let three attempts fail against the dead broker before it comes back.
      await expect.poll(() => delays().length, { timeout: 5_000, interval: 10 }).toBeGreaterThanOrEqual(3);
      await broker.restart();
      await expect.poll(() => events.at(-1)?.type, { timeout: 5_000, interval: 10 }).toBe('connected');

      expect(events[0]).toMatchObject({ type: 'disconnected', error: { reason: 'connection-lost' } });
      const attempts = events.flatMap((e) => (e.type === 'reconnecting' ? [e.attempt] : []));
      expect(attempts).toEqual(attempts.map((_, i) => i + 1));
      for (const d of delays()) {
        expect(d).toBeGreaterThanOrEqual(backoff.minMs);
        expect(d).toBeLessThanOrEqual(backoff.maxMs);
      }
      // The floor of each window doubles (50, 100, 200): every delay is at or above its attempt's floor.
      delays().forEach((d, i) => {
        expect(d).toBeGreaterThanOrEqual(Math.min(backoff.maxMs / 2, backoff.minMs * 2 ** i));
      });

      // Both came back with their subscriptions: the watcher hears the reconnected transport.
      await expect
        .poll(() => watcher.publish('nara/plaza/probe', new Uint8Array()).then(() => true))
        .toBe(true);
      await transport.publish('nara/plaza/hey-there', new Uint8Array([1]));
      await expect.poll(() => got).toContain('nara/plaza/hey-there');
    } finally {
      await Promise.all([transport.close(), watcher.close()]);
      await broker.stop();
    }
  });

  it('never uses mqtt.js reconnection: no attempt is made while the backoff timer waits', async () => {
    const broker = await startMosquitto();
    const transport = createMqttTransport({ url: broker.url, backoff: { minMs: 60_000, maxMs: 60_000 } });
    try {
      await transport.connect();
      const events: TransportEvent[] = [];
      transport.on((e) => events.push(e));
      await broker.restart({ kill: true });
      await expect.poll(() => events.map((e) => e.type)).toEqual(['disconnected', 'reconnecting']);
      // The broker is up again, but the next attempt is a minute away; a fixed-period retry would be back.
      const probe = createMqttTransport({ url: broker.url });
      await probe.connect();
      await probe.close();
      expect(events.map((e) => e.type)).toEqual(['disconnected', 'reconnecting']);
    } finally {
      await transport.close();
      await broker.stop();
    }
  });
});
