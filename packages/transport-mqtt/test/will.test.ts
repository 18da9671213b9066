import { useMosquitto } from '@nara/tooling/brokers';
import { createMqttTransport, type MqttTransport } from '@nara/transport-mqtt';
import { afterEach, describe, expect, it } from 'vitest';

const broker = useMosquitto();
const open: MqttTransport[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});
const make = (options: Parameters<typeof createMqttTransport>[0]): MqttTransport => {
  const t = createMqttTransport(options);
  open.push(t);
  return t;
};

describe('the will (mosquitto)', () => {
  it('is delivered when the client socket is destroyed without DISCONNECT, and replaced at reconnect', async () => {
    let epoch = 0;
    const dying = make({
      url: broker().url,
      backoff: { minMs: 10, maxMs: 50 },
      will: () => ({ topic: 'nara/plaza/chau', payload: new Uint8Array([++epoch]) }),
    });
    const watcher = make({ url: broker().url });
    await watcher.connect();
    const chaus: number[] = [];
    await watcher.subscribe('nara/plaza/chau', (m) => chaus.push(m.payload[0] ?? -1));
    await dying.connect();
    let connections = 1;
    dying.on((e) => {
      if (e.type === 'connected') connections++;
    });
    dying.simulateCrash();
    await expect.poll(() => chaus).toEqual([1]);
    await expect.poll(() => connections).toBe(2);
    dying.simulateCrash();
    await expect.poll(() => chaus).toEqual([1, 2]);
  });

  it('is not delivered when the client closes cleanly, and the last publish before close is', async () => {
    const polite = make({
      url: broker().url,
      will: () => ({ topic: 'nara/plaza/chau', payload: new Uint8Array([0xee]) }),
    });
    const watcher = make({ url: broker().url });
    await Promise.all([polite.connect(), watcher.connect()]);
    const chaus: number[] = [];
    await watcher.subscribe('nara/plaza/chau', (m) => chaus.push(m.payload[0] ?? -1));
    void polite.publish('nara/plaza/chau', new Uint8Array([0x01])); // the signed chau, not awaited
    await polite.close();
    // Anything the broker published for `polite` comes before this marker from a later client.
    const marker = make({ url: broker().url });
    await marker.connect();
    await marker.publish('nara/plaza/chau', new Uint8Array([0x02]));
    await expect.poll(() => chaus).toContain(0x02);
    expect(chaus).toEqual([0x01, 0x02]);
  });
});
