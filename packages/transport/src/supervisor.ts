import { type Clock, type Logger, type RandomSource, silentLogger, systemClock } from '@nara/interface';
import { type Deferred, deferred, raceAbort } from './abort.js';
import { type BackoffOptions, backoffDelay, resolveBackoff } from './backoff.js';
import { assertPayload, assertTopicName } from './checks.js';
import { FATAL_CONNECT_REASONS, isTransportError, TransportError } from './errors.js';
import { TransportEvents } from './events.js';
import type { AbortOptions, TransportEventListener, WillMessage, WillProvider } from './types.js';

/**
 * Where a supervised connection stands:
 *
 * - `idle`: never asked to connect, or `connect()` gave up (aborted, or a fatal first failure);
 * - `connecting`: an attempt is under way (the will is being made, or `dial` has not reported back);
 * - `connected`: `dial` reported success, and nothing has been lost since;
 * - `waiting`: the backoff timer runs before the next attempt;
 * - `closed`: `close()` was called; final.
 */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'waiting' | 'closed';

/** What {@link ConnectionSupervisor.close} tells the transport's `disconnect` hook. */
export interface DisconnectContext {
  /** A connection was up: flush what was accepted and say goodbye (no will); else just drop any attempt. */
  readonly wasConnected: boolean;
  /** The caller's signal: when it aborts, stop being polite and drop the connection at once. */
  readonly signal: AbortSignal | undefined;
}

/** The transport-specific part of a connection, which the supervisor calls. */
export interface ConnectionHooks {
  /**
   * Starts one connection attempt carrying `will` (already checked; `undefined` when there is none). Report
   * the outcome through {@link ConnectionSupervisor.connected} or {@link ConnectionSupervisor.failed}, now or
   * later; a connection that drops afterwards goes to {@link ConnectionSupervisor.lost}. A throw (or a
   * rejected promise) counts as a failed attempt.
   */
  dial(will: WillMessage | undefined): void | Promise<void>;
  /**
   * Drops the attempt in progress, if any, without a clean close: `connect()` gave up before a first
   * connection (aborted, or a failure retrying cannot fix). Any later report about it is ignored.
   */
  hangUp(): void;
  /**
   * Ends the connection for `close()`: after publishes already accepted are flushed, cleanly, so that no will
   * is published. May be asynchronous; the final 'disconnected' event follows it.
   */
  disconnect(context: DisconnectContext): void | Promise<void>;
}

/** The part of a transport's configuration that the connection lifecycle needs. */
export interface ConnectionOptions {
  /** Called before every attempt, so that each connection carries a fresh will. */
  readonly will?: WillProvider | undefined;
  /** The transport's `capabilities.maxPayloadBytes`: a will over it is refused as a publish would be. */
  readonly maxPayloadBytes: number;
  /** Reconnect window. Default 5 to 35 s. */
  readonly backoff?: BackoffOptions | undefined;
}

/** What a transport takes from its surroundings: injected so that tests control time and randomness. */
export interface ConnectionComponents {
  readonly logger?: Logger | undefined;
  /** Timers for the reconnect schedule. */
  readonly clock?: Clock | undefined;
  /** Uniform random numbers in [0, 1) for the backoff jitter. */
  readonly random?: RandomSource | undefined;
}

/**
 * The connection lifecycle of a {@link Transport}, for transport authors: it keeps the state, counts the
 * attempts, waits on the randomized backoff ({@link backoffDelay}) with the injected clock, makes and checks
 * the will before each attempt, resolves or rejects `connect()` (abort and close included) and emits the
 * 'connected', 'disconnected', 'reconnecting' and 'error' events. The transport supplies the wire part as
 * {@link ConnectionHooks} and reports back what happened to each attempt.
 *
 * The rules it keeps, as the contract states them: a broker that is down is retried, not fatal; before a
 * first connection, a will that cannot be made or a failure in {@link FATAL_CONNECT_REASONS} rejects
 * `connect()` instead; once connected before, everything is retried; aborting `connect()` before a first
 * connection stops trying (it may be called again); after `close()` only the final 'disconnected' is emitted.
 *
 * @example
 * ```ts
 * let link: Link | undefined; // the current attempt or connection
 * const supervisor = new ConnectionSupervisor(
 *   {
 *     dial(will) {
 *       const attempt = openLink(url, will);
 *       link = attempt;
 *       attempt.onOpen = () => supervisor.connected();
 *       attempt.onClose = (error) => {
 *         if (link !== attempt) return; // hung up or closed: already handled
 *         link = undefined;
 *         if (supervisor.state === 'connected') supervisor.lost(error);
 *         else supervisor.failed(error);
 *       };
 *     },
 *     hangUp: () => link?.destroy(),
 *     disconnect: () => link?.close(),
 *   },
 *   { will, maxPayloadBytes: 65_536, backoff: { minMs: 5_000, maxMs: 35_000 } },
 *   { clock, random, logger },
 * );
 * // The transport's connect, close and on are the supervisor's; the README has a whole transport.
 * ```
 */
export class ConnectionSupervisor {
  readonly #hooks: ConnectionHooks;
  readonly #will: WillProvider | undefined;
  readonly #maxPayloadBytes: number;
  readonly #backoff: { minMs: number; maxMs: number };
  readonly #clock: Clock;
  readonly #random: RandomSource;
  readonly #events: TransportEvents;
  #state: ConnectionState = 'idle';
  #attempt = 0;
  #timer: unknown;
  /** Shared by every `connect()` waiting for the next connection. */
  #waiter: Deferred | undefined;
  #everConnected = false;
  #closing: Promise<void> | undefined;

  constructor(hooks: ConnectionHooks, options: ConnectionOptions, components: ConnectionComponents = {}) {
    for (const hook of ['dial', 'hangUp', 'disconnect'] as const)
      if (typeof hooks[hook] !== 'function') throw new TypeError(`hooks.${hook} must be a function`);
    if (options.will !== undefined && typeof options.will !== 'function')
      throw new TypeError('will must be a function returning the will message');
    if (!Number.isInteger(options.maxPayloadBytes) || options.maxPayloadBytes < 0)
      throw new TypeError('maxPayloadBytes must be a non-negative integer');
    this.#hooks = hooks;
    this.#will = options.will;
    this.#maxPayloadBytes = options.maxPayloadBytes;
    this.#backoff = resolveBackoff(options.backoff);
    this.#clock = components.clock ?? systemClock;
    this.#random = components.random ?? Math.random;
    this.#events = new TransportEvents(components.logger ?? silentLogger);
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** `Transport.on`. */
  on(listener: TransportEventListener): () => void {
    return this.#events.on(listener);
  }

  /** Emits an 'error' event for a failure that does not end the connection. */
  reportError(error: Error): void {
    this.#events.emit({ type: 'error', error });
  }

  /**
   * Reports a subscriber's handler that threw as an 'error' event (`handler-failed`): the shape of
   * {@link SubscriptionTable.dispatch}'s `onHandlerError`.
   */
  reportHandlerError(error: unknown, filter: string): void {
    this.reportError(
      new TransportError('handler-failed', `a handler for ${JSON.stringify(filter)} threw`, { cause: error }),
    );
  }

  /** `Transport.connect`: resolves at the next connection (at once when connected). */
  connect(options: AbortOptions = {}): Promise<void> {
    if (this.#state === 'closed') return Promise.reject(new TransportError('closed', 'transport is closed'));
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#state === 'connected') return Promise.resolve();
    if (this.#waiter === undefined) this.#waiter = deferred();
    const waiter = this.#waiter.promise;
    if (this.#state === 'idle') {
      this.#state = 'connecting';
      void this.#tryConnect();
    }
    return raceAbort(waiter, signal, () => {
      // Aborting the wait for a first connection stops trying; connect() can be called again later.
      if (!this.#everConnected) this.#giveUp(signal?.reason);
    });
  }

  /**
   * The attempt `dial` started is a connection now (and the transport is ready: subscriptions restored).
   * `details.broker` names the broker in the 'connected' event (a URL without credentials), for transports
   * that may use one of several. Returns `false`, changing nothing, when no attempt is under way (closed or
   * given up meanwhile).
   */
  connected(details: { readonly broker?: string } = {}): boolean {
    if (this.#state !== 'connecting') return false;
    this.#state = 'connected';
    this.#attempt = 0;
    this.#everConnected = true;
    this.#events.emit(
      details.broker === undefined ? { type: 'connected' } : { type: 'connected', broker: details.broker },
    );
    this.#settleWaiter();
    return true;
  }

  /**
   * The attempt `dial` started failed: reported as an 'error' event, then retried on the backoff schedule,
   * unless it is the first connection and `error` is a {@link TransportError} whose reason retrying cannot
   * fix ({@link FATAL_CONNECT_REASONS}): then `connect()` rejects with it. Returns `true` in that case.
   * `retryNow` starts the next attempt at once instead of after a backoff delay (a transport with several
   * brokers, moving to one not yet tried). Ignored when no attempt is under way.
   */
  failed(error: Error, options: { readonly retryNow?: boolean } = {}): boolean {
    if (this.#state !== 'connecting') return false;
    this.#events.emit({ type: 'error', error });
    if (!this.#everConnected && isTransportError(error) && FATAL_CONNECT_REASONS.has(error.reason)) {
      this.#giveUp(error);
      return true;
    }
    // Another broker of a list is worth trying at once: the backoff already spread this round's start.
    if (options.retryNow === true) void this.#tryConnect();
    else this.#scheduleRetry(error);
    return false;
  }

  /**
   * The connection is gone without a `close()` from this side: 'disconnected' with `error`, then
   * reconnecting on the backoff schedule. Ignored when not connected.
   */
  lost(error: Error): void {
    if (this.#state !== 'connected') return;
    this.#events.emit({ type: 'disconnected', error });
    this.#scheduleRetry(error);
  }

  /**
   * `Transport.close`: stops reconnecting, rejects a pending `connect()` with `closed`, calls the
   * `disconnect` hook and then emits 'disconnected' if a connection was up. Idempotent; synchronous up to
   * the hook, so that a hook that does not return a promise leaves the events emitted when this returns.
   */
  close(options: AbortOptions = {}): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const wasConnected = this.#state === 'connected';
    this.#state = 'closed';
    this.#cancelRetry();
    this.#settleWaiter(new TransportError('closed', 'transport closed while connecting'));
    const finish = (): void => {
      if (wasConnected) this.#events.emit({ type: 'disconnected' });
    };
    try {
      const done = this.#hooks.disconnect({ wasConnected, signal });
      if (done === undefined) {
        finish();
        this.#closing = Promise.resolve();
      } else this.#closing = Promise.resolve(done).then(finish);
    } catch (error) {
      this.#closing = Promise.reject(error);
    }
    return this.#closing;
  }

  async #tryConnect(): Promise<void> {
    let will: WillMessage | undefined;
    try {
      will = await this.#will?.();
      if (will !== undefined) {
        assertTopicName(will.topic);
        assertPayload(will.payload, this.#maxPayloadBytes);
      }
    } catch (error) {
      this.#events.emit({ type: 'error', error: asError(error) });
      if (this.#state !== 'connecting') return;
      // A will that cannot be made on the first try is the caller's bug: say so at once. Later, keep trying.
      if (!this.#everConnected) this.#giveUp(error);
      else this.#scheduleRetry(asError(error));
      return;
    }
    if (this.#state !== 'connecting') return; // closed or aborted while the will was being made
    try {
      await this.#hooks.dial(will);
    } catch (error) {
      this.failed(asError(error));
    }
  }

  #scheduleRetry(cause: Error): void {
    this.#attempt++;
    const delayMs = backoffDelay(this.#attempt, this.#random, this.#backoff);
    this.#state = 'waiting';
    this.#events.emit({ type: 'reconnecting', attempt: this.#attempt, delayMs, cause });
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      if (this.#state !== 'waiting') return;
      this.#state = 'connecting';
      void this.#tryConnect();
    }, delayMs);
  }

  #cancelRetry(): void {
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #giveUp(reason: unknown): void {
    this.#cancelRetry();
    this.#hooks.hangUp();
    if (this.#state !== 'closed') this.#state = 'idle';
    this.#attempt = 0;
    this.#settleWaiter(reason ?? new TransportError('closed', 'connect stopped'));
  }

  #settleWaiter(error?: unknown): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    if (waiter === undefined) return;
    if (error === undefined) waiter.resolve();
    else waiter.reject(error);
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
