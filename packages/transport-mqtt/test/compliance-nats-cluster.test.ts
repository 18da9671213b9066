/**
 * The transport's compliance suite on the three-node NATS cluster of deploy/nats-cluster (MQTT listener on
 * each node, JetStream clustered), with its transports spread over the nodes in turn: the two ends of
 * every test sit on different nodes, so each delivery, each will and each subscription crosses the
 * cluster's routes. The broker restart restarts all three nodes.
 */
import { startNats, useStarted } from '@nara/tooling/clustered-brokers';
import type { Transport } from '@nara/transport';
import { transportComplianceTests } from '@nara/transport/testing';
import { createMqttTransport, type MqttTransport } from '@nara/transport-mqtt';

const cluster = useStarted(() => startNats({ nodes: 3 }));
let next = 0;
const nodeUrl = (): string => {
  const nodes = cluster().nodes;
  return (nodes[next++ % nodes.length] as (typeof nodes)[number]).url;
};

transportComplianceTests('MQTT on a three-node NATS cluster, clients on different nodes', {
  create: ({ will }) =>
    createMqttTransport({ url: nodeUrl(), ...(will ? { will } : {}), backoff: { minMs: 20, maxMs: 200 } }),
  kill: (transport: Transport) => (transport as MqttTransport).simulateCrash(),
  restartBroker: async () => {
    const nodes = cluster().nodes;
    await Promise.all(nodes.map((n) => n.stop()));
    // Together: a clustered node waits for the others' routes before its JetStream takes connections.
    await Promise.all(nodes.map((n) => n.start()));
  },
});
