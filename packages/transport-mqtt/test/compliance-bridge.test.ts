/**
 * The compliance suite on a broker of the bridged pair of deploy/mosquitto-bridge (the one holding the
 * bridge): its bridge changes nothing a transport can see. Crossing the bridge is tested with naras in
 * apps/nara/test/mosquitto-bridge.test.ts.
 */
import { startMosquittoBridge, useStarted } from '@nara/tooling/clustered-brokers';
import type { Transport } from '@nara/transport';
import { transportComplianceTests } from '@nara/transport/testing';
import { createMqttTransport, type MqttTransport } from '@nara/transport-mqtt';

const bridge = useStarted(() => startMosquittoBridge());
const backoff = { minMs: 20, maxMs: 200 };

transportComplianceTests('MQTT on a bridged mosquitto', {
  create: ({ will }) => createMqttTransport({ url: bridge().a.url, ...(will ? { will } : {}), backoff }),
  kill: (transport: Transport) => (transport as MqttTransport).simulateCrash(),
  restartBroker: () => bridge().a.restart(),
});
