import { startMosquitto, useMosquitto } from '@nara/tooling/brokers';
import { afterEach, describe, expect, it } from 'vitest';
import { connectWire, portableClientId, type WireClient } from '../src/mqtt-wire.js';

const broker = useMosquitto();
const open: WireClient[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

describe('the hand-written MQTT client of the capacity benchmark', () => {
  it('receives what is published on its filter, topics and payloads intact across every length encoding', async () => {
    const got: Array<{ topic: string; payload: Buffer }> = [];
    const receiver = await connectWire({
      port: broker().port,
      subscribe: 'nara/#',
      onMessage: (topic, payload) => got.push({ topic, payload: Buffer.from(payload) }),
    });
    const sender = await connectWire({ port: broker().port });
    open.push(receiver, sender);
    // Remaining lengths of 1, 2 and 3 bytes; payload bytes that look like packet headers.
    const payloads = [0, 100, 300, 20_000].map((n) => Buffer.alloc(n, 0x30).fill(0xe0, 0, Math.min(n, 2)));
    for (const [i, p] of payloads.entries()) sender.publish(`nara/plaza/newspaper/wire-${i}`, p);
    sender.publish('elsewhere/x', Buffer.from([1]));
    await expect.poll(() => got.length).toBe(payloads.length);
    expect(got.map((g) => g.topic)).toEqual(payloads.map((_, i) => `nara/plaza/newspaper/wire-${i}`));
    expect(got.map((g) => g.payload.toString('hex'))).toEqual(payloads.map((p) => p.toString('hex')));
    expect(receiver.received).toBe(payloads.length);
  });

  it('counts without a callback, its own publishes included', async () => {
    const a = await connectWire({ port: broker().port, subscribe: 'nara/#' });
    open.push(a);
    for (let i = 0; i < 500; i++) a.publish('nara/plaza/newspaper/self', Buffer.alloc(336, i & 0xff));
    await expect.poll(() => a.received).toBe(500);
  });

  it('fails with the return code when the broker refuses the connection', async () => {
    const guarded = await startMosquitto({ password: true });
    try {
      await expect(connectWire({ port: guarded.port })).rejects.toThrow(/CONNACK return code 5/);
    } finally {
      await guarded.stop();
    }
  });

  it('makes client ids inside MQTT 3.1.1 portable alphabet and length', () => {
    for (const prefix of ['cap12x', 'probe', 'a-very-long-prefix-of-letters'])
      expect(portableClientId(prefix.replace(/-/g, ''))).toMatch(/^[0-9a-zA-Z]{1,23}$/);
  });
});
