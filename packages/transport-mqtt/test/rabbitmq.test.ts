/**
 * RabbitMQ 3.10's MQTT plugin, a node of the tests' own from deploy/rabbitmq (its own name, ports, epmd and
 * data; never the machine's node): the transport's compliance suite, and what RabbitMQ does differently.
 * The node takes seconds to start: once for this file.
 */
import { startRabbitMq, useStarted } from '@nara/tooling/clustered-brokers';
import type { Transport } from '@nara/transport';
import { transportComplianceTests } from '@nara/transport/testing';
import { createMqttTransport, type MqttTransport } from '@nara/transport-mqtt';
import { afterEach, describe, expect, it } from 'vitest';

const rabbit = useStarted(() => startRabbitMq());
const backoff = { minMs: 20, maxMs: 200 };
const kill = (transport: Transport): void => (transport as MqttTransport).simulateCrash();

transportComplianceTests('MQTT on RabbitMQ', {
  create: ({ will }) => createMqttTransport({ url: rabbit().url, ...(will ? { will } : {}), backoff }),
  kill,
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

describe('what RabbitMQ does differently', () => {
  it('delivers a "." in a topic level as "/" (its topic exchange), while "%" and non-ASCII cross unchanged', async () => {
    const [pub, sub] = [make({ url: rabbit().url }), make({ url: rabbit().url })];
    await Promise.all([pub.connect(), sub.connect()]);
    const got: string[] = [];
    await sub.subscribe('nara/#', (m) => got.push(m.topic));
    await pub.publish('nara/plaza/newspaper/bravo.local', new Uint8Array([1]));
    await pub.publish('nara/plaza/newspaper/bravo%2Elocal', new Uint8Array([2]));
    await pub.publish('nara/plaza/newspaper/ñandú-東京', new Uint8Array([3]));
    await expect
      .poll(() => got)
      .toEqual([
        'nara/plaza/newspaper/bravo/local',
        'nara/plaza/newspaper/bravo%2Elocal',
        'nara/plaza/newspaper/ñandú-東京',
      ]);
  });

  it('accepts the default client id and one at MQTT 3.1.1 longest portable length', async () => {
    await make({ url: rabbit().url, clientId: 'a'.repeat(23) }).connect();
    await make({ url: rabbit().url }).connect();
  });
});
