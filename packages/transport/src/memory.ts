import { type Deferred, deferred, raceAbort } from './abort.js';
import { type BackoffOptions, backoffDelay, resolveBackoff } from './backoff.js';
import {
  assertHandler,
  assertPayload,
  assertTopicName,
  compileValidFilter,
  throwIfAborted,
} from './checks.js';
import { TransportError } from './errors.js';
import { TransportEvents } from './events.js';
import { silentLogger, systemClock } from './logger.js';
import { SubscriptionTable } from './subscriptions.js';
import type {
  AbortOptions,
  MessageHandler,
  PublishOptions,
  RandomSource,
  Transport,
  TransportCapabilities,
  TransportClock,
  TransportEventListener,
  TransportLogger,
  Unsubscribe,
  WillMessage,
  WillProvider,
} from './types.js';

/** The memory bus's default payload limit: MQTT's own limit is far larger, but nothing here needs it. */
export const DEFAULT_MEMORY_MAX_PAYLOAD_BYTES = 256 * 1024;

export interface MemoryBusOptions {
  /** The largest payload the bus carries, in bytes. Default 256 KiB. */
  readonly maxPayloadBytes?: number;
}

export interface MemoryTransportOptions {
  /** Called before every connection; the bus publishes the returned will when the client crashes. */
  readonly will?: WillProvider;
  /** Reconnect window. Default 5 to 35 s, as for MQTT. */
  readonly backoff?: BackoffOptions;
  readonly clock?: TransportClock;
  readonly random?: RandomSource;
  readonly logger?: TransportLogger;
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
 * publisher arrive in order; each receiver gets its own copy of the payload.
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
  isRunning(): boolean;
  attach(client: MemoryClient, will: WillMessage | undefined): Connection;
  detach(connection: Connection, publishWill: boolean): void;
  publish(from: Connection, topic: string, payload: Uint8Array): void;
}

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
  const connections = new Set<Connection>();
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
    publish(from, topic, payload) {
      if (!connections.has(from)) throw new TransportError('not-connected', 'not connected');
      deliver(topic, payload.slice());
    },
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

type State = 'idle' | 'connecting' | 'connected' | 'waiting' | 'closed';

class MemoryClient implements MemoryTransport {
  readonly capabilities: TransportCapabilities;
  readonly clientId: string;
  readonly #bus: BusInternals;
  readonly #will: WillProvider | undefined;
  readonly #backoff: { minMs: number; maxMs: number };
  readonly #clock: TransportClock;
  readonly #random: RandomSource;
  readonly #logger: TransportLogger;
  readonly #events: TransportEvents;
  readonly #subscriptions = new SubscriptionTable();
  #state: State = 'idle';
  #connection: Connection | undefined;
  #attempt = 0;
  #timer: unknown;
  #waiter: Deferred | undefined;
  #everConnected = false;
  #closing: Promise<void> | undefined;

  constructor(bus: BusInternals, options: MemoryTransportOptions, clientId: string) {
    if (options.will !== undefined && typeof options.will !== 'function')
      throw new TypeError('will must be a function returning the will message');
    this.#bus = bus;
    this.clientId = options.clientId ?? clientId;
    this.#will = options.will;
    this.#backoff = resolveBackoff(options.backoff);
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#logger = options.logger ?? silentLogger;
    this.#events = new TransportEvents(this.#logger);
    this.capabilities = Object.freeze({ will: true, retain: false, maxPayloadBytes: bus.maxPayloadBytes });
  }

  on(listener: TransportEventListener): () => void {
    return this.#events.on(listener);
  }

  connect(options: AbortOptions = {}): Promise<void> {
    if (this.#state === 'closed') return Promise.reject(new TransportError('closed', 'transport is closed'));
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#state === 'connected') return Promise.resolve();
    const waiter = this.#nextConnection();
    if (this.#state === 'idle') {
      this.#state = 'connecting';
      void this.#tryConnect();
    }
    return raceAbort(waiter, signal, () => {
      // Aborting the wait for a first connection stops trying; connect() can be called again later.
      if (!this.#everConnected) this.#giveUp(signal?.reason);
    });
  }

  #nextConnection(): Promise<void> {
    if (this.#waiter === undefined) this.#waiter = deferred();
    return this.#waiter.promise;
  }

  #settleWaiter(error?: unknown): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    if (waiter === undefined) return;
    if (error === undefined) waiter.resolve();
    else waiter.reject(error);
  }

  #giveUp(reason: unknown): void {
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#state !== 'closed') this.#state = 'idle';
    this.#attempt = 0;
    this.#settleWaiter(reason ?? new TransportError('closed', 'connect stopped'));
  }

  async #tryConnect(): Promise<void> {
    let will: WillMessage | undefined;
    try {
      will = await this.#will?.();
      if (will !== undefined) {
        assertTopicName(will.topic);
        assertPayload(will.payload, this.#bus.maxPayloadBytes);
      }
    } catch (error) {
      this.#events.emit({ type: 'error', error: asError(error) });
      if (this.#state !== 'connecting') return;
      // A will that cannot be made on the first try is the caller's bug: say so at once. Later, keep trying.
      if (!this.#everConnected) this.#giveUp(error);
      else this.#scheduleRetry();
      return;
    }
    if (this.#state !== 'connecting') return; // closed or aborted while the will was being made
    if (!this.#bus.isRunning()) {
      this.#events.emit({
        type: 'error',
        error: new TransportError('unreachable', 'the memory bus is stopped'),
      });
      this.#scheduleRetry();
      return;
    }
    this.#connection = this.#bus.attach(this, will === undefined ? undefined : copyWill(will));
    this.#state = 'connected';
    this.#attempt = 0;
    this.#everConnected = true;
    this.#logger.debug('memory transport connected', { clientId: this.clientId });
    this.#events.emit({ type: 'connected' });
    this.#settleWaiter();
  }

  #scheduleRetry(): void {
    this.#attempt++;
    const delayMs = backoffDelay(this.#attempt, this.#random, this.#backoff);
    this.#state = 'waiting';
    this.#events.emit({ type: 'reconnecting', attempt: this.#attempt, delayMs });
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      if (this.#state !== 'waiting') return;
      this.#state = 'connecting';
      void this.#tryConnect();
    }, delayMs);
  }

  /** Called by the bus when the connection is gone without a close from this side. */
  lost(error: TransportError): void {
    if (this.#state !== 'connected') return;
    this.#connection = undefined;
    this.#logger.debug('memory transport lost its connection', { clientId: this.clientId });
    this.#events.emit({ type: 'disconnected', error });
    this.#scheduleRetry();
  }

  simulateCrash(): void {
    const connection = this.#connection;
    if (this.#state !== 'connected' || connection === undefined) return;
    this.#bus.detach(connection, true);
    this.lost(new TransportError('connection-lost', 'simulated crash'));
  }

  wants(topic: string): boolean {
    return this.#subscriptions.matches(topic);
  }

  receive(topic: string, payload: Uint8Array): void {
    this.#subscriptions.dispatch(topic, payload, (error, filter) => {
      this.#events.emit({
        type: 'error',
        error: new TransportError('handler-failed', `a handler for ${JSON.stringify(filter)} threw`, {
          cause: error,
        }),
      });
    });
  }

  async publish(topic: string, payload: Uint8Array, options: PublishOptions = {}): Promise<void> {
    throwIfAborted(options.signal);
    if (this.#state === 'closed') throw new TransportError('closed', 'transport is closed');
    assertTopicName(topic);
    assertPayload(payload, this.#bus.maxPayloadBytes);
    if (options.retain === true)
      throw new TransportError('unsupported', 'the memory transport does not retain messages');
    const connection = this.#connection;
    if (this.#state !== 'connected' || connection === undefined)
      throw new TransportError('not-connected', 'not connected');
    this.#bus.publish(connection, topic, payload);
  }

  async subscribe(filter: string, handler: MessageHandler, options: AbortOptions = {}): Promise<Unsubscribe> {
    throwIfAborted(options.signal);
    if (this.#state === 'closed') throw new TransportError('closed', 'transport is closed');
    const matches = compileValidFilter(filter);
    assertHandler(handler);
    const { entry } = this.#subscriptions.add(filter, matches, handler);
    return async (unsubscribeOptions: AbortOptions = {}) => {
      throwIfAborted(unsubscribeOptions.signal);
      this.#subscriptions.remove(entry);
    };
  }

  close(options: AbortOptions = {}): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    if (options.signal?.aborted) return Promise.reject(options.signal.reason);
    const wasConnected = this.#state === 'connected';
    this.#state = 'closed';
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    // Publishes are handed to the bus synchronously, so there is nothing left to flush.
    if (this.#connection !== undefined) this.#bus.detach(this.#connection, false);
    this.#connection = undefined;
    this.#subscriptions.clear();
    this.#settleWaiter(new TransportError('closed', 'transport closed while connecting'));
    if (wasConnected) this.#events.emit({ type: 'disconnected' });
    this.#closing = Promise.resolve();
    return this.#closing;
  }
}

function copyWill(will: WillMessage): WillMessage {
  return { topic: will.topic, payload: will.payload.slice() };
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
