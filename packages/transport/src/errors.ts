/**
 * Why a transport operation failed. A closed set, so that it can be counted and logged:
 *
 * - `closed`: the transport was closed;
 * - `not-connected`: no connection right now (before `connect()`, or during an outage);
 * - `invalid-topic`, `invalid-filter`: the caller's topic name or filter is not valid MQTT;
 * - `payload-too-large`: over `capabilities.maxPayloadBytes`;
 * - `unsupported`: an option needs a capability this transport does not declare;
 * - `not-authorized`: the broker refused the credentials;
 * - `tls-untrusted`, `tls-hostname-mismatch`, `tls-expired`, `tls-failed`: the broker's certificate;
 * - `connection-refused`: the broker refused the connection for another reason (protocol, identifier);
 * - `connection-lost`: an established connection dropped;
 * - `unreachable`: no broker answered at that address;
 * - `handler-failed`: a subscriber's handler threw (reported, never propagated to other handlers).
 */
export type TransportErrorReason =
  | 'closed'
  | 'not-connected'
  | 'invalid-topic'
  | 'invalid-filter'
  | 'payload-too-large'
  | 'unsupported'
  | 'not-authorized'
  | 'tls-untrusted'
  | 'tls-hostname-mismatch'
  | 'tls-expired'
  | 'tls-failed'
  | 'connection-refused'
  | 'connection-lost'
  | 'unreachable'
  | 'handler-failed';

/** Reasons that retrying cannot fix: `connect()` rejects with them instead of retrying. */
export const FATAL_CONNECT_REASONS: ReadonlySet<TransportErrorReason> = new Set<TransportErrorReason>([
  'not-authorized',
  'tls-untrusted',
  'tls-hostname-mismatch',
  'tls-expired',
  'tls-failed',
]);

/** Every failure of a transport. Match by `.name === 'TransportError'` and switch on `.reason`. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly reason: TransportErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** `true` when `error` is a {@link TransportError}, by name so that it works across package copies. */
export function isTransportError(error: unknown): error is TransportError {
  return error instanceof Error && error.name === 'TransportError' && 'reason' in error;
}
