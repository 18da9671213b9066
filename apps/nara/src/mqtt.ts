import type { TransportFactory } from '@nara/plaza';
import { createMqttTransport } from '@nara/transport-mqtt';
import type { RemoteBroker } from './config.js';
import type { Logger } from './logger.js';

/** Per-process tuning of the MQTT transport. */
export interface MqttTuning {
  readonly keepaliveSec: number;
  /** Reconnect window; default the seed's 5 to 35 s. */
  readonly backoff?: { minMs: number; maxMs: number };
  /** Where reconnect delays are drawn from; default Math.random (tests pass a seeded source). */
  readonly random?: () => number;
}

/** A transport factory for a broker from the configuration (remote) or the embedded one (a plain URL). */
export function mqttTransportFactory(
  broker: RemoteBroker | { kind: 'embedded'; url: string },
  tuning: MqttTuning,
  logger: Logger,
): TransportFactory {
  return ({ will, clientId }) => {
    const common = {
      clientId,
      keepaliveSeconds: tuning.keepaliveSec,
      ...(will ? { will } : {}),
      ...(tuning.backoff ? { backoff: tuning.backoff } : {}),
    };
    const components = {
      logger: logger.child({ component: 'transport' }),
      ...(tuning.random ? { random: tuning.random } : {}),
    };
    if (broker.kind === 'embedded') return createMqttTransport({ url: broker.url, ...common }, components);
    return createMqttTransport(
      {
        url: broker.url,
        ...(broker.tls
          ? {
              tls: {
                ...(broker.ca ? { ca: broker.ca.pem } : {}),
                ...(broker.insecure ? { insecureSkipVerify: true } : {}),
              },
            }
          : {}),
        ...(broker.username !== undefined ? { username: broker.username } : {}),
        ...(broker.password !== undefined ? { password: broker.password.reveal() } : {}),
        ...common,
        ...(broker.clientId !== undefined ? { clientId: broker.clientId } : {}),
      },
      components,
    );
  };
}
