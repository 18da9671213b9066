/**
 * NATS (Debian's nats-server 2.9) with its MQTT listener, one server from deploy/nats-cluster/nats.conf
 * without its cluster block: the transport's compliance suite, and what NATS does differently.
 */
import { startNats, useStarted } from '@nara/tooling/clustered-brokers';
import type { Transport, TransportEvent } from '@nara/transport';
import { transportComplianceTests } from '@nara/transport/testing';
import { createMqttTransport, type MqttTransport } from '@nara/transport-mqtt';
import { afterEach, describe, expect, it } from 'vitest';

const nats = useStarted(() => startNats({ nodes: 1 }));
const backoff = { minMs: 20, maxMs: 200 };
const kill = (transport: Transport): void => (transport as MqttTransport).simulateCrash();

transportComplianceTests('MQTT on NATS', {
  create: ({ will }) => createMqttTransport({ url: nats().url, ...(will ? { will } : {}), backoff }),
  kill,
  restartBroker: async () => {
    const node = nats().nodes[0];
    await node?.stop();
    await node?.start();
  },
});

const open: MqttTransport[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});
const make = (...args: Parameters<typeof createMqttTransport>): MqttTransport => {
  const t = createMqttTransport(...args);
  open.push(t);
  return t;
};

describe('what NATS does differently', () => {
  it('closes the connection on a publish to a topic with a ".", and the transport names that topic', async () => {
    const t = make({ url: nats().url, backoff: { minMs: 60_000, maxMs: 60_000 } });
    const events: TransportEvent[] = [];
    t.on((e) => events.push(e));
    await t.connect();
    await t.publish('nara/plaza/newspaper/bravo.local', new Uint8Array([1]));
    await expect.poll(() => events.find((e) => e.type === 'disconnected')).toBeDefined();
    const lost = events.find((e) => e.type === 'disconnected');
    expect(lost?.type === 'disconnected' ? lost.error?.message : '').toMatch(
      /right after a publish to "nara\/plaza\/newspaper\/bravo\.local"/,
    );
  });

  it('carries "%", non-ASCII names and NATS wildcard characters in a topic level unchanged', async () => {
    const [pub, sub] = [make({ url: nats().url }), make({ url: nats().url })];
    await Promise.all([pub.connect(), sub.connect()]);
    const got: string[] = [];
    await sub.subscribe('nara/#', (m) => got.push(m.topic));
    const topics = ['nara/plaza/newspaper/bravo%2Elocal', 'nara/plaza/newspaper/ñandú-東京', 'nara/x/*/>'];
    for (const topic of topics) await pub.publish(topic, new Uint8Array([1]));
    await expect.poll(() => got).toEqual(topics);
  });

  it('accepts the default client id and one at MQTT 3.1.1 longest portable length', async () => {
    const t = make({ url: nats().url, clientId: 'a'.repeat(23) });
    await t.connect();
    await make({ url: nats().url }).connect();
  });
});
