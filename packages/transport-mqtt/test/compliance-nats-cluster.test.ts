/**
 * The transport's compliance suite on the three-node NATS cluster of deploy/nats-cluster (MQTT listener on
 * each node, JetStream clustered), with its transports spread over the nodes in turn: the two ends of
 * every test sit on different nodes, so each delivery, each will and each subscription crosses the
 * cluster's routes. The broker restart restarts all three nodes.
 *
 * What a cluster does differently, found here: a node answers SUBSCRIBE (SUBACK) once the subscription is
 * its own, and tells the other nodes over its routes just after, so a publish on another node right after
 * the SUBACK can miss it (one run in a few of "hands every subscriber its own copy" lost a copy that way).
 * A nara loses nothing by it (its one subscription is made at connect, and newspapers repeat), but the
 * suite publishes at once: here a transport's subscribe resolves only once every other node routes to the
 * new subscription. Route messages between two nodes keep their order, so a probe subscribed on the same
 * node afterwards and heard from each other node proves the route knows the subscription before it.
 */
import { type NatsCluster, startNats, useStarted } from '@nara/tooling/clustered-brokers';
import { connectWire } from '@nara/tooling/mqtt-wire';
import type { Transport } from '@nara/transport';
import { transportComplianceTests } from '@nara/transport/testing';
import { createMqttTransport, type MqttTransport } from '@nara/transport-mqtt';

const cluster = useStarted(() => startNats({ nodes: 3 }));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let next = 0;
let probes = 0;

/** Resolves once every node other than `node` routes to the subscriptions made on `node` so far. */
async function routed(nodes: NatsCluster['nodes'], node: number): Promise<void> {
  const topic = `probe/routes/${probes++}`;
  const heard = new Set<number>();
  const sub = await connectWire({
    port: (nodes[node] as NatsCluster['nodes'][number]).port,
    subscribe: topic,
    onMessage: (_t, payload) => heard.add(payload[0] ?? -1),
  });
  try {
    for (const [i, other] of nodes.entries()) {
      if (i === node) continue;
      const pub = await connectWire({ port: other.port });
      try {
        while (!heard.has(i)) {
          pub.publish(topic, Uint8Array.of(i));
          await sleep(10);
        }
      } finally {
        await pub.close();
      }
    }
  } finally {
    await sub.close();
  }
}

transportComplianceTests('MQTT on a three-node NATS cluster, clients on different nodes', {
  create: ({ will }) => {
    const nodes = cluster().nodes;
    const node = next++ % nodes.length;
    const transport = createMqttTransport({
      url: (nodes[node] as NatsCluster['nodes'][number]).url,
      ...(will ? { will } : {}),
      backoff: { minMs: 20, maxMs: 200 },
    });
    let connected = false;
    transport.on((e) => {
      if (e.type === 'connected') connected = true;
      else if (e.type === 'disconnected') connected = false;
    });
    const subscribe = transport.subscribe.bind(transport);
    transport.subscribe = async (...args) => {
      const unsubscribe = await subscribe(...args);
      if (connected) await routed(nodes, node);
      return unsubscribe;
    };
    return transport;
  },
  kill: (transport: Transport) => (transport as MqttTransport).simulateCrash(),
  restartBroker: async () => {
    const nodes = cluster().nodes;
    await Promise.all(nodes.map((n) => n.stop()));
    // Together: a clustered node waits for the others' routes before its JetStream takes connections.
    await Promise.all(nodes.map((n) => n.start()));
  },
});
