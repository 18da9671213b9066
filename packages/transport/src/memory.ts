import { type Logger, silentLogger } from '@nara/interface';
import type { BackoffOptions } from './backoff.js';
import { assertPayload, assertTopicName, compileValidFilter, throwIfAborted } from './checks.js';
import { TransportError } from './errors.js';
import { SubscriptionTable } from './subscriptions.js';
import { type ConnectionComponents, ConnectionSupervisor } from './supervisor.js';
import type {
  AbortOptions,
  MessageHandler,
  PublishOptions,
  Transport,
  TransportCapabilities,
  TransportEventListener,
  Unsubscribe,
  WillMessage,
  WillProvider,
} from './types.js';

/** The memory bus's default payload limit: MQTT's own limit is far larger, but nothing here needs it. */
export const DEFAULT_MEMORY_MAX_PAYLOAD_BYTES = 256 * 1024;

export interface MemoryBusOptions {
  /** The largest payload the bus carries, in bytes. Default 256 KiB. */
  readonly maxPayloadBytes?: number;
  /**
   * Keep retained messages, as an MQTT broker does (the latest per topic; an empty one clears it) and hand
   * them to each new subscription. Default true; false stands in for a broker that keeps none.
   */
  readonly retain?: boolean;
}

export interface MemoryTransportOptions extends ConnectionComponents {
  /** Called before every connection; the bus publishes the returned will when the client crashes. */
  readonly will?: WillProvider | undefined;
  /** Reconnect window. Default 5 to 35 s, as for MQTT. */
  readonly backoff?: BackoffOptions | undefined;
  /** A label for logs. */
  readonly clientId?: string;
}

/** A transport on a {@link MemoryBus}, with a way to die the way a killed process does. */
export interface MemoryTransport extends Transport {
  readonly clientId: string;
  /**
   * Drops this client's connection without a clean close, like a process that was killed: the bus
   * publishes the client's will to the others, and the transport reconnects with backoff (close it to
   * stop that). Does nothing when not connected.
   */
  simulateCrash(): void;
}

/**
 * Many clients on one in-process bus, standing in for a broker in tests and simulations. Delivery is
 * asynchronous on microtasks, never on timers, so it keeps working under fake timers; messages of one
 * publisher arrive in order; each receiver gets its own copy of the payload. Retained messages are kept
 * like a broker keeps them (unless the bus is made without): a new subscription gets the latest one of
 * each matching topic, marked `retained`.
 */
export interface MemoryBus {
  createTransport(options?: MemoryTransportOptions): MemoryTransport;
  /** `false` between {@link stop} and {@link start}. */
  readonly running: boolean;
  /** How many clients are connected now. */
  readonly connectedClients: number;
  /**
   * A broker outage: every client loses its connection (no wills: the broker that would send them is
   * gone) and connection attempts fail until {@link start}.
   */
  stop(): void;
  /** The broker is back: clients reconnect on their own backoff schedule. */
  start(): void;
}

interface Connection {
  readonly client: MemoryClient;
  readonly will: WillMessage | undefined;
}

interface BusInternals {
  readonly maxPayloadBytes: number;
  readonly retain: boolean;
  isRunning(): boolean;
  attach(client: MemoryClient, will: WillMessage | undefined): Connection;
  detach(connection: Connection, publishWill: boolean): void;
  publish(from: Connection, topic: string, payload: Uint8Array, retain: boolean): void;
  /** The retained messages whose topics `matches` accepts, delivered later on a microtask to `to`. */
  sendRetained(to: Connection, matches: (topic: string) => boolean, deliver: RetainedSink): void;
}

type RetainedSink = (topic: string, payload: Uint8Array) => void;

/**
 * Creates an in-memory bus.
 *
 * @example
 * ```ts
 * const bus = createMemoryBus();
 * const alice = bus.createTransport();
 * const bob = bus.createTransport();
 * await Promise.all([alice.connect(), bob.connect()]);
 * await bob.subscribe('nara/#', (m) => console.log(m.topic, m.payload));
 * await alice.publish('nara/plaza/hey-there', new Uint8Array([1, 2, 3]));
 * ```
 */
export function createMemoryBus(options: MemoryBusOptions = {}): MemoryBus {
  const maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MEMORY_MAX_PAYLOAD_BYTES;
  if (!Number.isInteger(maxPayloadBytes) || maxPayloadBytes < 0)
    throw new TypeError('maxPayloadBytes must be a non-negative integer');
  const retain = options.retain ?? true;
  const connections = new Set<Connection>();
  // What a broker keeps: the latest retained payload of each topic (MQTT 3.1.1 section 3.3.1.3).
  const retained = new Map<string, Uint8Array>();
  let running = true;
  let nextId = 1;

  const deliver = (topic: string, payload: Uint8Array): void => {
    for (const connection of connections) {
      if (!connection.client.wants(topic)) continue;
      // Checked again at delivery: a client that disconnected in between gets nothing (QoS 0).
      queueMicrotask(() => {
        if (connections.has(connection)) connection.client.receive(topic, payload);
      });
    }
  };

  const internals: BusInternals = {
    maxPayloadBytes,
    isRunning: () => running,
    attach(client, will) {
      const connection: Connection = { client, will };
      connections.add(connection);
      return connection;
    },
    detach(connection, publishWill) {
      if (!connections.delete(connection)) return;
      if (publishWill && connection.will !== undefined)
        deliver(connection.will.topic, connection.will.payload.slice());
    },
    publish(from, topic, payload, keep) {
      if (!connections.has(from)) throw new TransportError('not-connected', 'not connected');
      const copy = payload.slice();
      // A bus made without retained messages keeps none, as a broker without them (sendRetained never asks).
      if (keep && retain) {
        // An empty retained payload clears the topic's and still goes to the live subscribers, as in MQTT.
        if (copy.length === 0) retained.delete(topic);
        else retained.set(topic, copy);
      }
      deliver(topic, copy);
    },
    sendRetained(to, matches, sink) {
      const kept = [...retained].filter(([topic]) => matches(topic));
      if (kept.length === 0) return;
      queueMicrotask(() => {
        if (!connections.has(to)) return;
        for (const [topic, payload] of kept) sink(topic, payload);
      });
    },
    retain,
  };

  return {
    createTransport(transportOptions = {}) {
      return new MemoryClient(internals, transportOptions, `memory-${nextId++}`);
    },
    get running() {
      return running;
    },
    get connectedClients() {
      return connections.size;
    },
    stop() {
      if (!running) return;
      running = false;
      for (const connection of [...connections]) {
        connections.delete(connection);
        connection.client.lost(new TransportError('connection-lost', 'the memory bus stopped'));
      }
    },
    start() {
      running = true;
    },
  };
}

class MemoryClient implements MemoryTransport {
  readonly capabilities: TransportCapabilities;
  readonly clientId: string;
  readonly #bus: BusInternals;
  readonly #logger: Logger;
  readonly #supervisor: ConnectionSupervisor;
  readonly #subscriptions = new SubscriptionTable();
  #connection: Connection | undefined;

  constructor(bus: BusInternals, options: MemoryTransportOptions, clientId: string) {
    this.#bus = bus;
    this.clientId = options.clientId ?? clientId;
    this.#logger = options.logger ?? silentLogger;
    this.#supervisor = new ConnectionSupervisor(
      {
        dial: (will) => this.#dial(will),
        // Nothing to drop: the bus attaches a client only once it is connected, and connect() gives up
        // only before the first connection.
        hangUp: () => {},
        disconnect: () => {
          // Publishes are handed to the bus synchronously, so there is nothing left to flush.
          if (this.#connection !== undefined) this.#bus.detach(this.#connection, false);
          this.#connection = undefined;
          this.#subscriptions.clear();
        },
      },
      { will: options.will, backoff: options.backoff, maxPayloadBytes: bus.maxPayloadBytes },
      options,
    );
    // An in-process stand-in for an MQTT broker: the plaza it carries is the MQTT plaza.
    this.capabilities = Object.freeze({
      will: true,
      retain: bus.retain,
      maxPayloadBytes: bus.maxPayloadBytes,
      mode: 'mqtt',
    });
  }

  on(listener: TransportEventListener): () => void {
    return this.#supervisor.on(listener);
  }

  connect(options: AbortOptions = {}): Promise<void> {
    return this.#supervisor.connect(options);
  }

  #dial(will: WillMessage | undefined): void {
    if (!this.#bus.isRunning()) {
      this.#supervisor.failed(new TransportError('unreachable', 'the memory bus is stopped'));
      return;
    }
    const connection = this.#bus.attach(this, will === undefined ? undefined : copyWill(will));
    this.#connection = connection;
    this.#logger.debug('memory transport connected', { clientId: this.clientId });
    // Subscriptions are made again on every connection, and a broker sends what it keeps for each.
    if (this.#bus.retain && this.#subscriptions.size > 0)
      this.#bus.sendRetained(
        connection,
        (topic) => this.#subscriptions.matches(topic),
        (topic, payload) => this.#receiveRetained(topic, payload),
      );
    this.#supervisor.connected();
  }

  /** Called by the bus when the connection is gone without a close from this side. */
  lost(error: TransportError): void {
    if (this.#supervisor.state !== 'connected') return;
    this.#connection = undefined;
    this.#logger.debug('memory transport lost its connection', { clientId: this.clientId });
    this.#supervisor.lost(error);
  }

  simulateCrash(): void {
    const connection = this.#connection;
    if (this.#supervisor.state !== 'connected' || connection === undefined) return;
    this.#bus.detach(connection, true);
    this.lost(new TransportError('connection-lost', 'simulated crash'));
  }

  wants(topic: string): boolean {
    return this.#subscriptions.matches(topic);
  }

  receive(topic: string, payload: Uint8Array): void {
    this.#subscriptions.dispatch(topic, payload, (error, filter) =>
      this.#supervisor.reportHandlerError(error, filter),
    );
  }

  #receiveRetained(topic: string, payload: Uint8Array, only?: object): void {
    this.#subscriptions.dispatch(
      topic,
      payload,
      (error, filter) => this.#supervisor.reportHandlerError(error, filter),
      true,
      only,
    );
  }

  async publish(topic: string, payload: Uint8Array, options: PublishOptions = {}): Promise<void> {
    throwIfAborted(options.signal);
    if (this.#supervisor.state === 'closed') throw new TransportError('closed', 'transport is closed');
    assertTopicName(topic);
    assertPayload(payload, this.#bus.maxPayloadBytes);
    if (options.retain === true && !this.#bus.retain)
      throw new TransportError('unsupported', 'this memory bus keeps no retained messages');
    const connection = this.#connection;
    if (this.#supervisor.state !== 'connected' || connection === undefined)
      throw new TransportError('not-connected', 'not connected');
    this.#bus.publish(connection, topic, payload, options.retain === true);
  }

  async subscribe(filter: string, handler: MessageHandler, options: AbortOptions = {}): Promise<Unsubscribe> {
    throwIfAborted(options.signal);
    if (this.#supervisor.state === 'closed') throw new TransportError('closed', 'transport is closed');
    const matches = compileValidFilter(filter);
    const { entry, added } = this.#subscriptions.add(filter, matches, handler);
    // A broker hears of a filter once (as transport-mqtt subscribes it once): retained messages come with it.
    const connection = this.#connection;
    if (added && this.#bus.retain && connection !== undefined && this.#supervisor.state === 'connected')
      this.#bus.sendRetained(connection, matches, (topic, payload) =>
        this.#receiveRetained(topic, payload, entry),
      );
    return async (unsubscribeOptions: AbortOptions = {}) => {
      throwIfAborted(unsubscribeOptions.signal);
      this.#subscriptions.remove(entry);
    };
  }

  close(options: AbortOptions = {}): Promise<void> {
    return this.#supervisor.close(options);
  }
}

function copyWill(will: WillMessage): WillMessage {
  return { topic: will.topic, payload: will.payload.slice() };
}
