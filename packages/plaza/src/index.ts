/**
 * The nara engine: create, start and stop a nara on any transport. It signs (a fresh epoch and a signed
 * will per connection, sequence numbers, hey-there after a random delay, newspapers on the chattiness
 * cadence), receives (every message verified, then applied to the peer registry, then counted), pauses
 * the registry while cut off, and reports it all as events. HTTP, logs on a terminal and the command line
 * are the program's: see `apps/nara`.
 *
 * @packageDocumentation
 */
export { StartError } from './errors.js';
export { type HostStats, nodeHostStats } from './host.js';
export {
  createLegacyWire,
  type LegacyAccepted,
  type LegacyKind,
  type LegacyOutcome,
  type LegacyReceiveReason,
  type LegacyRejected,
  type LegacyWire,
  type LegacyWireInit,
  WIRES,
  type Wire,
} from './legacy-wire.js';
export {
  type Counter,
  type Labels,
  type MetricFamily,
  type MetricSample,
  MetricsRegistry,
} from './metrics.js';
export { createNara, startNara } from './nara.js';
export {
  createReceivePipeline,
  type ReceiveAccepted,
  type ReceiveCleared,
  type ReceiveOptions,
  type ReceiveOutcome,
  type ReceivePipeline,
  type ReceivePipelineInit,
  type ReceiveRejected,
  type ReceiveRejectReason,
} from './receive.js';
export type {
  Accepted,
  NaraComponents,
  NaraEvent,
  NaraListener,
  NaraNode,
  NaraOptions,
  Rejected,
  TransportFactory,
  TransportInit,
} from './types.js';
export { VERSION } from './version.js';
