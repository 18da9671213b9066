/**
 * The nara program as a library: the wiring every command uses (`startNara`), the embedded broker, the
 * status server, configuration parsing and the logger. The binary is `dist/cli.js`.
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
export { MetricsRegistry } from './metrics.js';
export {
  type NaraComponents,
  type NaraEvent,
  type NaraNode,
  type NaraOptions,
  peersJson,
  startNara,
  type TransportFactory,
  type TransportInit,
} from './node.js';
export {
  createReceivePipeline,
  type ReceiveAccepted,
  type ReceiveOutcome,
  type ReceivePipeline,
  type ReceivePipelineInit,
  type ReceiveRejected,
  type ReceiveRejectReason,
} from './receive.js';
export { Secret } from './secret.js';
export { VERSION } from './version.js';
