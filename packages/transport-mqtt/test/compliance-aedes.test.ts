import { useAedes } from '@nara/tooling/brokers';
import type { Transport } from '@nara/transport';
import { transportComplianceTests } from '@nara/transport/testing';
import { createMqttTransport, type MqttTransport } from '@nara/transport-mqtt';

const broker = useAedes();

transportComplianceTests('MQTT on aedes', {
  create: ({ will }) =>
    createMqttTransport({ url: broker().url, ...(will ? { will } : {}), backoff: { minMs: 20, maxMs: 200 } }),
  kill: (transport: Transport) => (transport as MqttTransport).simulateCrash(),
  restartBroker: () => broker().restart(),
});
