/**
 * The transport contract of the nara plaza: a small publish/subscribe interface with MQTT semantics, an
 * in-memory bus implementing it for tests and simulations, and the building blocks (the connection
 * lifecycle, backoff, filter checks, local dispatch) that transports share. The compliance suite is in
 * `@nara/transport/testing`.
 *
 * @packageDocumentation
 */

export { type Deferred, deferred, raceAbort } from './abort.js';
export { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF, resolveBackoff } from './backoff.js';
export { assertPayload, assertTopicName, compileValidFilter, throwIfAborted } from './checks.js';
export {
  FATAL_CONNECT_REASONS,
  isTransportError,
  TransportError,
  type TransportErrorReason,
} from './errors.js';
export { TransportEvents } from './events.js';
export {
  createMemoryBus,
  DEFAULT_MEMORY_MAX_PAYLOAD_BYTES,
  type MemoryBus,
  type MemoryBusOptions,
  type MemoryTransport,
  type MemoryTransportOptions,
} from './memory.js';
export { SubscriptionTable } from './subscriptions.js';
export {
  type ConnectionComponents,
  type ConnectionHooks,
  type ConnectionOptions,
  type ConnectionState,
  ConnectionSupervisor,
  type DisconnectContext,
} from './supervisor.js';
export type {
  AbortOptions,
  MessageHandler,
  PublishOptions,
  Transport,
  TransportCapabilities,
  TransportEvent,
  TransportEventListener,
  TransportMessage,
  Unsubscribe,
  WillMessage,
  WillProvider,
} from './types.js';
