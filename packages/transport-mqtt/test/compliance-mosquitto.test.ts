import { useMosquitto } from '@nara/tooling/brokers';
import type { Transport } from '@nara/transport';
import { transportComplianceTests } from '@nara/transport/testing';
import { createMqttTransport, type MqttTransport } from '@nara/transport-mqtt';

const kill = (transport: Transport): void => (transport as MqttTransport).simulateCrash();
const backoff = { minMs: 20, maxMs: 200 };

const plain = useMosquitto();
transportComplianceTests('MQTT on mosquitto', {
  create: ({ will }) => createMqttTransport({ url: plain().url, ...(will ? { will } : {}), backoff }),
  kill,
  restartBroker: () => plain().restart(),
});

const tls = useMosquitto({ tls: true });
transportComplianceTests('MQTT on mosquitto over TLS', {
  create: ({ will }) =>
    createMqttTransport({ url: tls().url, tls: { ca: tls().tls?.ca }, ...(will ? { will } : {}), backoff }),
  kill,
});
