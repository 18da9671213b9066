import {
  type AbortOptions,
  assertPayload,
  assertTopicName,
  type ConnectionComponents,
  ConnectionSupervisor,
  compileValidFilter,
  type DisconnectContext,
  isTransportError,
  type MessageHandler,
  type PublishOptions,
  raceAbort,
  SubscriptionTable,
  silentLogger,
  type Transport,
  type TransportCapabilities,
  TransportError,
  type TransportEventListener,
  type TransportLogger,
  throwIfAborted,
  type Unsubscribe,
  type WillMessage,
} from '@nara/transport';
// The default import, not a named `connect`: mqtt's browser build (what a bundler picks for browsers) is an ES
// module with a default export only, and Node's CommonJS build gives the same object as its default.
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { classifyMqttError } from './errors.js';
import {
  type MqttTransportOptions,
  type ResolvedMqttOptions,
  redactUrl,
  resolveMqttOptions,
} from './options.js';

/** What the transport takes from its surroundings: injected so that tests control time and randomness. */
export interface MqttTransportComponents extends ConnectionComponents {}

/** The MQTT transport, with one extra verb for tests. */
export interface MqttTransport extends Transport {
  /** The broker URL, without credentials. */
  readonly url: string;
  /**
   * Destroys the network connection without an MQTT DISCONNECT, as a killed process would: the broker
   * publishes the will, and the transport reconnects with backoff. For tests; does nothing when not connected.
   */
  simulateCrash(): void;
}

/**
 * A copy of `bytes` as mqtt.js takes them: a Buffer on Node; in a browser (no global Buffer; mqtt's browser
 * build carries its own) the bytes themselves, which it writes as they are.
 */
function wireBytes(bytes: Uint8Array): Buffer {
  return (typeof Buffer === 'function' ? Buffer.from(bytes) : bytes.slice()) as Buffer;
}

/**
 * Creates a transport over MQTT (mqtt.js 5): QoS 0, no retained messages unless asked, no queueing across
 * outages, a will per connection, and reconnects on a randomized exponential backoff (never mqtt.js's
 * fixed period). Node first (TCP and TLS); `ws://` and `wss://` work too.
 *
 * @example
 * ```ts
 * const transport = createMqttTransport(
 *   { url: 'mqtts://plaza.example:8883', tls: { ca: caPem }, username: 'nara', password: secret,
 *     will: () => ({ topic: 'nara/plaza/chau', payload: signedChau() }) },
 *   { logger },
 * );
 * transport.on((event) => { if (event.type === 'connected') sayHeyThere(); });
 * await transport.connect();
 * ```
 */
export function createMqttTransport(
  options: MqttTransportOptions,
  components: MqttTransportComponents = {},
): MqttTransport {
  return new MqttTransportImpl(resolveMqttOptions(options), components);
}

class MqttTransportImpl implements MqttTransport {
  readonly capabilities: TransportCapabilities;
  readonly url: string;
  readonly #options: ResolvedMqttOptions;
  readonly #clientId: string;
  readonly #logger: TransportLogger;
  readonly #supervisor: ConnectionSupervisor;
  readonly #subscriptions = new SubscriptionTable();
  readonly #inflight = new Set<Promise<unknown>>();
  /** The client of the current connection attempt or connection. */
  #client: MqttClient | undefined;
  /** Set once the broker accepted the current connection (CONNACK 0). */
  #live: MqttClient | undefined;

  constructor(options: ResolvedMqttOptions, components: MqttTransportComponents) {
    this.#options = options;
    this.url = redactUrl(options.url);
    this.#logger = components.logger ?? silentLogger;
    this.#supervisor = new ConnectionSupervisor(
      {
        dial: (will) => this.#dial(will),
        hangUp: () => {
          const client = this.#client;
          this.#client = undefined;
          this.#live = undefined;
          client?.end(true);
        },
        disconnect: (context) => this.#disconnect(context),
      },
      options,
      components,
    );
    this.#clientId = options.clientId ?? `nara-${randomHex(6)}`;
    this.capabilities = Object.freeze({ will: true, retain: true, maxPayloadBytes: options.maxPayloadBytes });
    if (typeof options.tls === 'object' && options.tls.insecureSkipVerify === true)
      this.#logger.warn(
        'TLS certificate verification is OFF for this MQTT connection: anyone on the network path can impersonate the broker',
        { url: this.url },
      );
  }

  /** Keeps the password out of `console.log(transport)` and `JSON.stringify(transport)`. */
  toJSON(): { url: string; clientId: string; state: string } {
    return { url: this.url, clientId: this.#clientId, state: this.#supervisor.state };
  }

  on(listener: TransportEventListener): () => void {
    return this.#supervisor.on(listener);
  }

  connect(options: AbortOptions = {}): Promise<void> {
    return this.#supervisor.connect(options);
  }

  #dial(will: WillMessage | undefined): void {
    const client = mqtt.connect(this.#options.url, this.#clientOptions(will));
    this.#client = client;
    let failure: unknown;
    client.on('error', (error) => {
      // The first error of a connection is its cause; mqtt.js can report one twice (TLS) or follow it up.
      failure ??= error;
    });
    client.on('connect', () => {
      if (this.#client !== client) return;
      this.#live = client;
      void this.#restoreSubscriptions(client);
    });
    client.on('message', (topic, payload) => {
      if (this.#live !== client) return;
      if (payload.length > this.#options.maxPayloadBytes) {
        this.#logger.debug('dropped an incoming message over the payload limit', { bytes: payload.length });
        return;
      }
      const bytes = new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength);
      this.#subscriptions.dispatch(topic, bytes, (error, filter) =>
        this.#supervisor.reportHandlerError(error, filter),
      );
    });
    client.on('close', () => this.#onClose(client, failure));
  }

  #clientOptions(will: WillMessage | undefined): IClientOptions {
    const o = this.#options;
    const tls = typeof o.tls === 'object' ? o.tls : undefined;
    const options: IClientOptions = {
      clientId: this.#clientId,
      protocolVersion: o.protocolVersion,
      clean: true,
      keepalive: o.keepaliveSeconds,
      connectTimeout: o.connectTimeoutMs,
      // Our own backoff decides when to try again; mqtt.js's fixed period would bring every nara back at once.
      reconnectPeriod: 0,
      // A newspaper queued during an outage is stale by the time it would be sent.
      queueQoSZero: false,
      // Subscriptions are restored by this transport (it owns them), not by mqtt.js.
      resubscribe: false,
      ...(o.username !== undefined ? { username: o.username } : {}),
      ...(o.password !== undefined ? { password: o.password } : {}),
      ...(will !== undefined
        ? { will: { topic: will.topic, payload: wireBytes(will.payload), qos: 0, retain: false } }
        : {}),
    };
    if (tls !== undefined) {
      if (tls.ca !== undefined)
        options.ca = (Array.isArray(tls.ca) ? tls.ca : [tls.ca]).map((c: string | Uint8Array) =>
          typeof c === 'string' ? c : Buffer.from(c),
        ) as string[];
      if (tls.cert !== undefined)
        options.cert = typeof tls.cert === 'string' ? tls.cert : Buffer.from(tls.cert);
      if (tls.key !== undefined) options.key = typeof tls.key === 'string' ? tls.key : Buffer.from(tls.key);
      if (tls.servername !== undefined) options.servername = tls.servername;
      options.rejectUnauthorized = tls.insecureSkipVerify !== true;
    }
    return options;
  }

  async #restoreSubscriptions(client: MqttClient): Promise<void> {
    const filters = this.#subscriptions.filters();
    try {
      if (filters.length > 0) await this.#brokerSubscribe(client, filters);
    } catch (error) {
      if (this.#client !== client) return;
      this.#supervisor.reportError(classifyMqttError(error, true));
      client.end(true); // try again with a fresh connection, on the backoff schedule
      return;
    }
    if (this.#client !== client || this.#supervisor.state !== 'connecting') return;
    this.#logger.info('connected to the MQTT broker', { url: this.url, clientId: this.#clientId });
    this.#supervisor.connected();
  }

  async #brokerSubscribe(client: MqttClient, filters: string[]): Promise<void> {
    const granted = await client.subscribeAsync(filters, { qos: 0 });
    const refused = granted.filter((g) => g.qos === 128).map((g) => g.topic);
    if (refused.length > 0)
      throw new TransportError(
        'unsupported',
        `the broker refused the subscription to ${JSON.stringify(refused)}`,
      );
  }

  #onClose(client: MqttClient, failure: unknown): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    this.#live = undefined;
    client.removeAllListeners('message');
    client.end(true);
    const state = this.#supervisor.state;
    if (state === 'closed') return;
    const wasConnected = state === 'connected';
    const error = classifyMqttError(failure, wasConnected);
    if (wasConnected) {
      this.#logger.warn('lost the connection to the MQTT broker', { url: this.url, reason: error.reason });
      this.#supervisor.lost(error);
      return;
    }
    this.#logger.debug('MQTT connection attempt failed', { url: this.url, reason: error.reason });
    // Bad credentials or an untrusted certificate will not fix themselves: the first connect() says so.
    // Once connected before, the supervisor keeps trying (the operator may be fixing the broker).
    if (this.#supervisor.failed(error))
      this.#logger.error('cannot connect to the MQTT broker', { url: this.url, reason: error.reason });
  }

  simulateCrash(): void {
    const client = this.#live;
    if (client === undefined) return;
    // The socket goes without a DISCONNECT packet, so the broker publishes the will.
    client.stream.destroy();
  }

  async publish(topic: string, payload: Uint8Array, options: PublishOptions = {}): Promise<void> {
    throwIfAborted(options.signal);
    if (this.#supervisor.state === 'closed') throw new TransportError('closed', 'transport is closed');
    assertTopicName(topic);
    assertPayload(payload, this.#options.maxPayloadBytes);
    const client = this.#live;
    if (client === undefined) throw new TransportError('not-connected', 'not connected to the MQTT broker');
    // Copied: the bytes may be written after this returns, and the caller may reuse its buffer.
    const bytes = wireBytes(payload);
    const sent = new Promise<void>((resolve, reject) => {
      client.publish(topic, bytes, { qos: 0, retain: options.retain === true }, (error) => {
        if (error === undefined || error === null) resolve();
        else
          reject(new TransportError('not-connected', `publish failed: ${error.message}`, { cause: error }));
      });
    });
    this.#inflight.add(sent);
    const untrack = (): void => {
      this.#inflight.delete(sent);
    };
    sent.then(untrack, untrack);
    return raceAbort(sent, options.signal);
  }

  async subscribe(filter: string, handler: MessageHandler, options: AbortOptions = {}): Promise<Unsubscribe> {
    throwIfAborted(options.signal);
    if (this.#supervisor.state === 'closed') throw new TransportError('closed', 'transport is closed');
    const { entry, added } = this.#subscriptions.add(filter, compileValidFilter(filter), handler);
    const client = this.#live;
    if (added && client !== undefined) {
      try {
        await raceAbort(this.#brokerSubscribe(client, [filter]), options.signal);
      } catch (error) {
        // Refused or aborted: undo. Lost meanwhile: keep it, the next connection subscribes again.
        const aborted = options.signal?.aborted === true;
        if (aborted || (isTransportError(error) && error.reason === 'unsupported')) {
          this.#subscriptions.remove(entry);
          throw error;
        }
      }
    }
    return async (unsubscribeOptions: AbortOptions = {}) => {
      throwIfAborted(unsubscribeOptions.signal);
      const removed = this.#subscriptions.remove(entry);
      const live = this.#live;
      if (removed?.removed && live !== undefined && this.#supervisor.state !== 'closed') {
        // Best effort: a failure only means the broker keeps sending what no handler wants.
        await raceAbort(
          live.unsubscribeAsync(removed.filter).then(
            () => undefined,
            () => undefined,
          ),
          unsubscribeOptions.signal,
        );
      }
    };
  }

  close(options: AbortOptions = {}): Promise<void> {
    return this.#supervisor.close(options);
  }

  async #disconnect({ wasConnected, signal }: DisconnectContext): Promise<void> {
    // Taken before the first await, so that nothing of the closing connection is used meanwhile.
    const client = this.#client;
    const live = this.#live;
    this.#client = undefined;
    this.#live = undefined;
    // The last publishes (the chau) go out before the DISCONNECT that tells the broker to drop the will.
    await Promise.allSettled([...this.#inflight]);
    if (client !== undefined) {
      client.removeAllListeners('message');
      const force = live === undefined || signal?.aborted === true;
      await new Promise<void>((resolve) => {
        const onAbort = (): void => {
          client.end(true, () => resolve());
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        client.end(force, () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        });
      });
    }
    this.#subscriptions.clear();
    if (wasConnected) this.#logger.info('disconnected from the MQTT broker', { url: this.url });
  }
}

function randomHex(bytes: number): string {
  const buffer = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(buffer);
  return [...buffer].map((b) => b.toString(16).padStart(2, '0')).join('');
}
