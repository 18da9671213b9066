/**
 * The nara program as a library: configuration wired to the engine (`@nara/plaza`): the embedded broker,
 * the status server and Prometheus text, configuration parsing and the logger. The binary is
 * `dist/cli.js`.
 *
 * @packageDocumentation
 */
export { type EmbeddedBrokerHandle, type EmbeddedBrokerOptions, startEmbeddedBroker } from './broker.js';
export {
  type BrokerTarget,
  type DemoConfig,
  type Env,
  type Flags,
  type JoinConfig,
  type RemoteBroker,
  resolveBroker,
  resolveDemoConfig,
  resolveJoinConfig,
  resolveWatchConfig,
  type WatchConfig,
} from './config.js';
export { ConfigError, IdentityError, StartError } from './errors.js';
export { type StatusServer, type StatusSource, startStatusServer } from './http.js';
export type { CliIo, Output } from './io.js';
export { createLogger, type LogFormat, type Logger, type LoggerOptions, type LogLevel } from './logger.js';
export { main } from './main.js';
export { type MqttTuning, mqttTransportFactory } from './mqtt.js';
export { renderPrometheus } from './prometheus.js';
export { Secret } from './secret.js';
export { peersJson, type ServedNara, startServedNara } from './serve.js';
export { VERSION } from './version.js';
