import { type Logger, silentLogger } from '@nara/interface';
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
  type Transport,
  type TransportCapabilities,
  TransportError,
  type TransportEventListener,
  throwIfAborted,
  type Unsubscribe,
  type WillMessage,
} from '@nara/transport';
// The default import, not a named `connect`: mqtt's browser build (what a bundler picks for browsers) is an ES
// module with a default export only, and Node's CommonJS build gives the same object as its default.
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { classifyMqttError } from './errors.js';
import {
  isPortableClientId,
  type MqttTransportOptions,
  type ResolvedMqttOptions,
  redactUrl,
  resolveMqttOptions,
} from './options.js';

/** What the transport takes from its surroundings: injected so that tests control time and randomness. */
export interface MqttTransportComponents extends ConnectionComponents {}

/** The MQTT transport, with one extra verb for tests. */
export interface MqttTransport extends Transport {
  /**
   * The URL of the broker in use (connected, or being tried), without credentials; before the first
   * attempt, the first of {@link MqttTransport.brokers}.
   */
  readonly url: string;
  /** Every broker this transport may use, in the order given. */
  readonly brokers: readonly string[];
  /** The MQTT client id, given or made at creation; the same on every broker and reconnect. */
  readonly clientId: string;
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
 * Given several brokers (`url: 'mqtt://a:1883,mqtt://b:1883'`), it connects to one picked at random (so
 * that naras spread over a cluster) and, when that connection is lost, waits the same jittered backoff and
 * tries one of the others, again at random: the naras of a dead node spread over the others instead of
 * waiting for it or moving as one herd. An attempt that fails moves at once to a broker not tried since
 * the last connection; only when every broker of the list has failed does the next round wait a backoff. Each broker
 * is a new connection: a new will (the `will` provider is called again), subscriptions made again, and a
 * 'connected' event naming the broker.
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
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly #options: ResolvedMqttOptions;
  readonly #random: () => number;
  readonly #now: () => number;
  /** Index in `brokers` of the current attempt or connection. */
  #broker = 0;
  /** Brokers tried since the last connection (the current one included): the next attempt avoids them. */
  readonly #tried = new Set<number>();
  /** The last publish written on the current connection, to name it when the broker hangs up right after. */
  #lastPublish: { topic: string; at: number } | undefined;
  /** Set at the first attempt: later attempts move between brokers. */
  #dialled = false;
  readonly #logger: Logger;
  readonly #supervisor: ConnectionSupervisor;
  readonly #subscriptions = new SubscriptionTable();
  readonly #inflight = new Set<Promise<unknown>>();
  /** The client of the current connection attempt or connection. */
  #client: MqttClient | undefined;
  /** Set once the broker accepted the current connection (CONNACK 0). */
  #live: MqttClient | undefined;

  constructor(options: ResolvedMqttOptions, components: MqttTransportComponents) {
    this.#options = options;
    this.brokers = Object.freeze(options.urls.map(redactUrl));
    this.#random = components.random ?? Math.random;
    const clock = components.clock;
    this.#now = clock ? () => clock.now() : Date.now;
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
    this.clientId = options.clientId ?? `nara${randomHex(8)}`;
    if (!isPortableClientId(this.clientId))
      this.#logger.warn(
        'the MQTT client id is outside the 1 to 23 characters of [0-9a-zA-Z] every broker must accept',
        { clientId: this.clientId },
      );
    this.capabilities = Object.freeze({
      will: true,
      retain: true,
      maxPayloadBytes: options.maxPayloadBytes,
      mode: 'mqtt',
    });
    if (typeof options.tls === 'object' && options.tls.insecureSkipVerify === true)
      this.#logger.warn(
        'TLS certificate verification is OFF for this MQTT connection: anyone on the network path can impersonate the broker',
        { url: this.url },
      );
  }

  get url(): string {
    return this.brokers[this.#broker] ?? '';
  }

  /** Keeps the password out of `console.log(transport)` and `JSON.stringify(transport)`. */
  toJSON(): { url: string; brokers: readonly string[]; clientId: string; state: string } {
    return { url: this.url, brokers: this.brokers, clientId: this.clientId, state: this.#supervisor.state };
  }

  /** Picks the broker of the next attempt: at random among those not tried since the last connection. */
  #pickBroker(first: boolean): number {
    const count = this.brokers.length;
    if (count === 1) return 0;
    if (first) return Math.min(count - 1, Math.floor(this.#random() * count));
    if (this.#tried.size >= count) {
      // Every broker failed once: a new round, starting anywhere but the one that just failed.
      this.#tried.clear();
      this.#tried.add(this.#broker);
    }
    const untried: number[] = [];
    for (let i = 0; i < count; i++) if (!this.#tried.has(i)) untried.push(i);
    return untried[Math.min(untried.length - 1, Math.floor(this.#random() * untried.length))] ?? 0;
  }

  on(listener: TransportEventListener): () => void {
    return this.#supervisor.on(listener);
  }

  connect(options: AbortOptions = {}): Promise<void> {
    return this.#supervisor.connect(options);
  }

  #dial(will: WillMessage | undefined): void {
    this.#broker = this.#pickBroker(!this.#dialled);
    this.#dialled = true;
    this.#tried.add(this.#broker);
    const url = this.#options.urls[this.#broker] ?? '';
    const client = mqtt.connect(url, this.#clientOptions(will));
    this.#client = client;
    this.#lastPublish = undefined;
    client.on('packetsend', (packet) => {
      if (packet.cmd === 'publish' && this.#live === client)
        this.#lastPublish = { topic: packet.topic, at: this.#now() };
    });
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
    client.on('message', (topic, payload, packet) => {
      if (this.#live !== client) return;
      if (payload.length > this.#options.maxPayloadBytes) {
        this.#logger.debug('dropped an incoming message over the payload limit', { bytes: payload.length });
        return;
      }
      const bytes = new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength);
      this.#subscriptions.dispatch(
        topic,
        bytes,
        (error, filter) => this.#supervisor.reportHandlerError(error, filter),
        packet.retain === true,
      );
    });
    client.on('close', () => this.#onClose(client, failure));
  }

  #clientOptions(will: WillMessage | undefined): IClientOptions {
    const o = this.#options;
    const tls = typeof o.tls === 'object' ? o.tls : undefined;
    const options: IClientOptions = {
      clientId: this.clientId,
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
    this.#tried.clear();
    this.#tried.add(this.#broker);
    this.#logger.info('connected to the MQTT broker', { url: this.url, clientId: this.clientId });
    this.#supervisor.connected({ broker: this.url });
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
    const error = classifyMqttError(failure, wasConnected, this.#hangUpAfterPublish(failure));
    if (wasConnected) {
      this.#logger.warn('lost the connection to the MQTT broker', {
        url: this.url,
        reason: error.reason,
        error: error.message,
      });
      this.#supervisor.lost(error);
      return;
    }
    this.#logger.warn('MQTT connection attempt failed', {
      url: this.url,
      reason: error.reason,
      error: error.message,
    });
    // Bad credentials or an untrusted certificate will not fix themselves: the first connect() says so.
    // Once connected before, the supervisor keeps trying (the operator may be fixing the broker).
    // Brokers of the list not tried since the last connection are tried at once, each in turn; only a
    // whole round that failed waits a backoff delay (which spread the round's start: no herd).
    if (this.#supervisor.failed(error, { retryNow: this.#tried.size < this.brokers.length }))
      this.#logger.error('cannot connect to the MQTT broker', { url: this.url, reason: error.reason });
  }

  /** The topic of a publish the broker hung up on: a close with no error within a second of writing it. */
  #hangUpAfterPublish(failure: unknown): string | undefined {
    const last = this.#lastPublish;
    if (failure !== undefined || last === undefined) return undefined;
    return this.#now() - last.at <= HANG_UP_AFTER_PUBLISH_MS ? last.topic : undefined;
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

/** How soon after a publish a silent close is blamed on it (brokers that refuse a topic close at once). */
const HANG_UP_AFTER_PUBLISH_MS = 1_000;

function randomHex(bytes: number): string {
  const buffer = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(buffer);
  return [...buffer].map((b) => b.toString(16).padStart(2, '0')).join('');
}
