/**
 * The nara plaza transport over MQTT, on mqtt.js: the `@nara/transport` contract with TLS (verification on
 * by default), credentials, a will per connection, and reconnects on a randomized exponential backoff.
 *
 * @packageDocumentation
 */
export {
  type MqttEnv,
  MqttEnvError,
  type MqttEnvOptions,
  type MqttFlags,
  mqttOptionsFromEnv,
} from './env.js';
export { DEFAULT_MQTT_MAX_PAYLOAD_BYTES, type MqttTlsOptions, type MqttTransportOptions } from './options.js';
export { createMqttTransport, type MqttTransport, type MqttTransportComponents } from './transport.js';
