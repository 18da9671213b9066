import { compileFilter, type TopicMatcher, validateFilter, validateTopicName } from '@nara/topics';
import { TransportError } from './errors.js';

/** Throws `TransportError('invalid-topic')` unless `topic` is a valid MQTT topic name. */
export function assertTopicName(topic: unknown): asserts topic is string {
  const check = validateTopicName(topic);
  if (!check.ok)
    throw new TransportError('invalid-topic', `invalid topic name (${check.reason}): ${check.message}`);
}

/** Compiles `filter`, or throws `TransportError('invalid-filter')`. */
export function compileValidFilter(filter: unknown): TopicMatcher {
  const check = validateFilter(filter);
  if (!check.ok)
    throw new TransportError('invalid-filter', `invalid filter (${check.reason}): ${check.message}`);
  return compileFilter(filter as string);
}

/** Throws `TypeError` unless `payload` is a `Uint8Array`, `TransportError` when it is over `max` bytes. */
export function assertPayload(payload: unknown, max: number): asserts payload is Uint8Array {
  if (!(payload instanceof Uint8Array)) throw new TypeError('payload must be a Uint8Array');
  if (payload.byteLength > max)
    throw new TransportError(
      'payload-too-large',
      `payload of ${payload.byteLength} bytes is over the limit of ${max} bytes`,
    );
}

/** Throws `TypeError` unless `handler` is a function. */
export function assertHandler(handler: unknown): asserts handler is (...args: never[]) => unknown {
  if (typeof handler !== 'function') throw new TypeError('handler must be a function');
}

/** Throws the signal's reason if it is aborted (an `AbortError` DOMException unless the caller gave one). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal !== undefined) signal.throwIfAborted();
}
