/**
 * RabbitMQ 3.10's MQTT plugin, a node of the tests' own from deploy/rabbitmq (its own name, ports, epmd and
 * data; never the machine's node): the transport's compliance suite, what RabbitMQ does differently, and
 * naras named like hosts (`rabbit.local-0`) discovering each other, saying chau and leaving wills. The
 * node takes seconds to start: once for this file, for all of these.
 */
import { startRabbitMq, useStarted } from '@nara/tooling/clustered-brokers';
import type { Transport } from '@nara/transport';
import { transportComplianceTests } from '@nara/transport/testing';
import { createMqttTransport, type MqttTransport } from '@nara/transport-mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { type PlazaNara, startNaras, until } from '../../../tooling/soak/plaza.js';

const rabbit = useStarted(() => startRabbitMq());
const backoff = { minMs: 20, maxMs: 200 };
const kill = (transport: Transport): void => (transport as MqttTransport).simulateCrash();

transportComplianceTests('MQTT on RabbitMQ', {
  create: ({ will }) => createMqttTransport({ url: rabbit().url, ...(will ? { will } : {}), backoff }),
  kill,
  // RabbitMQ 3.x keeps retained messages but sends them only to subscriptions without wildcards; the
  // suite checks that, and naras (on nara/#) rely on the answer to hey-there there instead.
  retainedOnWildcards: false,
});

const open: MqttTransport[] = [];
const running: PlazaNara[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
  await Promise.all(running.splice(0).map((n) => n.node.close()));
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

describe('naras on RabbitMQ, named with "." (escaped in their topics)', () => {
  it('discover each other, see a chau as OFFLINE and a will as MISSING', async () => {
    const naras = await startNaras({
      url: rabbit().url,
      count: 3,
      prefix: 'rabbit.local',
      backoff: { minMs: 300, maxMs: 1000 },
      keepaliveSec: 2,
      heyThereMaxDelayMs: 200,
      newspaperSpeed: 10,
      keepEvents: true,
    });
    running.push(...naras);
    const [leaving, dying, watcher] = naras as [PlazaNara, PlazaNara, PlazaNara];
    const stateOf = (name: string) => watcher.node.registry.get(name);
    await until('all 3 to see each other', () =>
      naras.every((n) => naras.every((m) => m === n || n.node.registry.get(m.name)?.state === 'ONLINE')),
    );
    expect(watcher.tally.acceptedNewspapers).toBeGreaterThan(0);
    await leaving.node.leave();
    await until('the chau to mark it OFFLINE', () => stateOf(leaving.name)?.state === 'OFFLINE');
    dying.transport.simulateCrash();
    await until('the will to mark it MISSING', () => stateOf(dying.name)?.missingCause === 'will');
    for (const n of naras) expect(n.tally.verificationFailures, n.name).toBe(0);
  });
});

describe('a newcomer on RabbitMQ, which keeps no retained newspaper for nara/#', () => {
  it("learns of a nara that spoke before it came from that nara's answer to its hey-there", async () => {
    // Chattiness 0: ana's next newspaper on her cadence is minutes away; only an answer brings her sooner.
    const quiet = { url: rabbit().url, count: 1, chattiness: 0, heyThereMaxDelayMs: 0, keepEvents: true };
    const [ana] = (await startNaras({ ...quiet, prefix: 'early' })) as [PlazaNara];
    running.push(ana);
    const newspapers = () => ana.events.filter((e) => e.type === 'published' && e.kind === 'newspaper');
    await until("ana's first newspaper", () => newspapers().length === 1);
    const [bob] = (await startNaras({ ...quiet, prefix: 'late' })) as [PlazaNara];
    running.push(bob);
    await until('bob to know ana', () => bob.node.registry.get(ana.name)?.state === 'ONLINE');
    expect(newspapers()).toHaveLength(2);
  });
});
