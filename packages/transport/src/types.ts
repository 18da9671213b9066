/** One message as a subscriber receives it. `payload` is the subscriber's own copy. */
export interface TransportMessage {
  readonly topic: string;
  readonly payload: Uint8Array;
  /**
   * The broker kept this message and delivers it because the subscription is new (MQTT's retain flag on
   * delivery): an old copy, not news. Absent or false for live messages. An empty retained payload clears
   * what the broker keeps for the topic; live subscribers get that clearing as an empty payload.
   */
  readonly retained?: boolean;
}

/**
 * A message the broker publishes on the client's behalf when the connection dies without a clean close
 * (MQTT's "last will"). The plaza's will is a signed chau bound to the connection's epoch.
 */
export interface WillMessage {
  readonly topic: string;
  readonly payload: Uint8Array;
}

/**
 * Called before every connection attempt, so each connection carries a fresh will (the plaza signs a new
 * chau for each connection epoch). Return `undefined` for no will.
 */
export type WillProvider = () => WillMessage | undefined | Promise<WillMessage | undefined>;

/** State changes a transport reports. */
export type TransportEvent =
  /**
   * Connected, and every subscription is in place again: say hey-there now. `broker` names the broker (a
   * URL without credentials) when the transport may use one of several.
   */
  | { readonly type: 'connected'; readonly broker?: string }
  /** The connection is gone; `error` says why when it was not a clean close. */
  | { readonly type: 'disconnected'; readonly error?: Error }
  /**
   * The next connection attempt, number `attempt` (from 1), starts in `delayMs`. `cause` says why a new
   * attempt is needed: the lost connection's error, or the failed attempt's.
   */
  | {
      readonly type: 'reconnecting';
      readonly attempt: number;
      readonly delayMs: number;
      readonly cause?: Error;
    }
  /** Something went wrong that did not end the connection (a failed attempt, a throwing handler). */
  | { readonly type: 'error'; readonly error: Error };

export type TransportEventListener = (event: TransportEvent) => void;

/** What a transport can do beyond the core contract. Declared, never assumed. */
export interface TransportCapabilities {
  /** A will message (see {@link WillProvider}) is published by the other side when this client dies. */
  readonly will: boolean;
  /** `publish(..., { retain: true })` is supported. */
  readonly retain: boolean;
  /** The largest payload `publish` accepts, in bytes. */
  readonly maxPayloadBytes: number;
  /**
   * How this transport carries the plaza, in the Go nara's words (`mqtt`, `gossip`, `hybrid`): what a nara
   * announces as `transportMode` in its newspapers. Absent: nothing is announced.
   */
  readonly mode?: 'mqtt' | 'gossip' | 'hybrid';
}

export interface AbortOptions {
  readonly signal?: AbortSignal | undefined;
}

export interface PublishOptions extends AbortOptions {
  /**
   * Ask the broker to keep the message for later subscribers (the latest one per topic replaces the one
   * before); with an empty payload, to forget the one it keeps. Needs `capabilities.retain`.
   */
  readonly retain?: boolean | undefined;
}

export type MessageHandler = (message: TransportMessage) => void;

/** Removes one subscription. Idempotent; resolves once the broker has been told (when connected). */
export type Unsubscribe = (options?: AbortOptions) => Promise<void>;

/**
 * A publish/subscribe connection with MQTT semantics: topic names and filters as in MQTT 3.1.1 section 4.7,
 * best-effort delivery (QoS 0), messages of one publisher delivered in the order they were published.
 *
 * Lifecycle: `connect()` once; the transport then keeps itself connected (reconnecting with backoff after a
 * loss) until `close()`. Subscriptions belong to the transport, not to a connection: they survive
 * reconnects. A 'connected' event follows every (re)connection, once subscriptions are back in place.
 *
 * @example
 * ```ts
 * const transport: Transport = bus.createTransport();
 * await transport.connect();
 * const off = await transport.subscribe('nara/#', (m) => console.log(m.topic));
 * await transport.publish('nara/plaza/hey-there', new Uint8Array([1]));
 * await off();
 * await transport.close();
 * ```
 */
export interface Transport {
  readonly capabilities: TransportCapabilities;
  /**
   * Resolves when first connected. A broker that is down is retried with backoff (reported through
   * 'reconnecting' events); rejects only when aborted, when `close()` is called, or on an error that retrying
   * cannot fix (bad credentials, an untrusted certificate). Calling it again while connecting or connected
   * returns the same promise.
   */
  connect(options?: AbortOptions): Promise<void>;
  /**
   * Publishes `payload` on `topic`. Rejects with a {@link TransportError} when the topic name is invalid
   * (`invalid-topic`), the payload too large (`payload-too-large`), the transport not connected
   * (`not-connected`: messages are not queued across an outage) or closed (`closed`).
   */
  publish(topic: string, payload: Uint8Array, options?: PublishOptions): Promise<void>;
  /**
   * Calls `handler` for every message on a topic matching `filter`. Allowed before `connect()` (so no
   * message is missed) and during an outage: the subscription is made at the next connection. Rejects with
   * `invalid-filter` or `closed`.
   */
  subscribe(filter: string, handler: MessageHandler, options?: AbortOptions): Promise<Unsubscribe>;
  /**
   * Flushes publishes already accepted, disconnects cleanly (no will is published) and stops reconnecting.
   * Idempotent.
   */
  close(options?: AbortOptions): Promise<void>;
  /** Listens to state events; returns a function that stops listening. */
  on(listener: TransportEventListener): () => void;
}
