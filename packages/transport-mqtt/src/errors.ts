import { isTransportError, TransportError } from '@nara/transport';

// The failures of mqtt.js and Node's TLS, translated to the contract's closed set of reasons with a message
// naming the cause in words an operator can act on. Never includes credentials: mqtt.js messages do not.

const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED',
]);
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
]);
const LOST = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** CONNACK return codes (MQTT 3.1.1) and reason codes (MQTT 5) that mean "your credentials are wrong". */
const NOT_AUTHORIZED = new Set([4, 5, 134, 135]);

/**
 * Turns whatever ended a connection attempt or a connection into a {@link TransportError}. `wasConnected`
 * picks between `connection-lost` and `unreachable` for causes that say nothing more; `hungUpOn` is the
 * topic of a publish the broker closed the connection right after (a broker refusing a topic, as NATS
 * does with `.` in MQTT topics, says so only in its own log).
 */
export function classifyMqttError(error: unknown, wasConnected: boolean, hungUpOn?: string): TransportError {
  if (isTransportError(error)) return error;
  if (error === undefined && hungUpOn !== undefined)
    return new TransportError(
      wasConnected ? 'connection-lost' : 'unreachable',
      `the broker closed the connection right after a publish to ${JSON.stringify(hungUpOn)}: it may refuse that topic (its log says why)`,
    );
  const code = (error as { code?: unknown } | undefined)?.code;
  const detail = error instanceof Error ? error.message : String(error ?? 'connection closed');
  const make = (reason: TransportError['reason'], message: string): TransportError =>
    new TransportError(reason, message, { cause: error });
  if (typeof code === 'number') {
    if (NOT_AUTHORIZED.has(code))
      return make('not-authorized', `not authorized (wrong username or password): ${detail}`);
    return make('connection-refused', `the broker refused the connection: ${detail}`);
  }
  if (typeof code === 'string') {
    if (UNTRUSTED.has(code))
      return make('tls-untrusted', `TLS: certificate not trusted (wrong CA?): ${code}`);
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
      return make('tls-hostname-mismatch', `TLS: host name does not match the certificate: ${detail}`);
    if (EXPIRED.has(code)) return make('tls-expired', `TLS: certificate expired or not yet valid: ${code}`);
    if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))
      return make('tls-failed', `TLS: handshake failed (${code}): ${detail}`);
    if (UNREACHABLE.has(code)) return make('unreachable', `no broker reachable: ${detail}`);
    if (LOST.has(code))
      return make(wasConnected ? 'connection-lost' : 'unreachable', `connection lost: ${detail}`);
  }
  if (error === undefined && !wasConnected)
    return new TransportError(
      'unreachable',
      'the broker closed the connection without answering CONNECT (its log says why; a NATS cluster that lost its JetStream quorum does this: "unable to persist session")',
    );
  if (detail === 'TLS not authorized')
    return make('tls-untrusted', 'TLS: certificate not trusted (wrong CA?)');
  return wasConnected
    ? make('connection-lost', `connection lost: ${detail}`)
    : make('unreachable', `could not connect: ${detail}`);
}
