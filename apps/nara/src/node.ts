import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import {
  type AnyEnvelopeContent,
  type ChauReason,
  createSigner,
  createVerifier,
  type EnvelopeKind,
  type EnvelopeVerifier,
  EPOCH_BYTES,
  type NewspaperStatus,
  type Signer,
  signEnvelope,
} from '@nara/envelope';
import type { Identity } from '@nara/identity';
import { createNewspaperScheduler, type NewspaperScheduler } from '@nara/newspaper';
import { createPeerRegistry, type PeerEvent, type PeerRegistry } from '@nara/peers';
import { CHAU_TOPIC, HEY_THERE_TOPIC, newspaperTopic, PLAZA_FILTER, successionTopic } from '@nara/topics';
import type { Transport, TransportEvent, WillMessage, WillProvider } from '@nara/transport';
import { StartError } from './errors.js';
import { type StatusServer, startStatusServer } from './http.js';
import type { Logger } from './logger.js';
import { MetricsRegistry } from './metrics.js';
import { createReceivePipeline, type ReceiveAccepted, type ReceiveRejected } from './receive.js';
import { VERSION } from './version.js';
import { dashboardEvents } from './web/feed.js';

/** What a transport factory is given: the will to register at each connection, and a client id. */
export interface TransportInit {
  /** Absent for a listen-only nara. */
  readonly will?: WillProvider;
  readonly clientId: string;
}

export type TransportFactory = (init: TransportInit) => Transport;

/** How a nara takes part. */
export interface NaraOptions {
  /** The nara's identity; absent for a listen-only watcher. */
  readonly identity?: Identity;
  /** Where status and metrics are served. */
  readonly http?: { host: string; port: number };
  /** Longest random wait before hey-there after each connect (the seed's 0-5 s). */
  readonly heyThereMaxDelayMs?: number;
  /** A fixed chattiness; otherwise 100 while booting (first 2 minutes), then 50. */
  readonly chattiness?: number;
  /** Give up on the first connection after this long (a clear error, not an endless retry). */
  readonly connectTimeoutMs?: number;
  /** A label for the broker in logs and /healthz; never carries credentials. */
  readonly brokerLabel?: string;
  /** Keys trusted for their names before anything is heard: an impostor's first word cannot win them. */
  readonly pins?: ReadonlyArray<{
    readonly name: string;
    readonly publicKey: Uint8Array;
    /** The key's commitment to its next key, when the operator knows it (docs/PROTOCOL.md section 12). */
    readonly commitment?: Uint8Array;
  }>;
  /**
   * Key succession (docs/PROTOCOL.md section 12): the commitment carried in every message this nara signs,
   * SHA-256 of its next soul's public key, or empty for no successor. Without it, no commitment is made.
   */
  readonly commitment?: Uint8Array;
  /** The public key of the soul this nara moved from: a succession is announced at every connect. */
  readonly previousKey?: Uint8Array;
  /**
   * Runs the newspaper cadence this many times faster than the chattiness says (and promises the next
   * newspaper accordingly). For soaks and fault tests that need hours of plaza in minutes. Default 1.
   */
  readonly newspaperSpeed?: number;
}

/** What the app injects: the transport (so the demo and tests choose), logging, time and randomness. */
export interface NaraComponents {
  readonly createTransport: TransportFactory;
  readonly logger: Logger;
  /** Shared by the naras of one process (the demo) to share its key cache. */
  readonly verifier?: EnvelopeVerifier;
  readonly now?: () => number;
  readonly random?: () => number;
}

/** A message that failed verification or the registry's rules (see {@link ReceiveRejected}). */
export type Rejected = ReceiveRejected;

/** A message that was verified and accepted (see {@link ReceiveAccepted}). */
export type Accepted = ReceiveAccepted;

/** Everything a nara reports to the app: messages, registry events, and connection state. */
export type NaraEvent =
  | Accepted
  | Rejected
  | { readonly type: 'peer'; readonly event: Exclude<PeerEvent, { type: 'rejected' }> }
  | { readonly type: 'connected' }
  | { readonly type: 'disconnected'; readonly error?: Error }
  | { readonly type: 'reconnecting'; readonly attempt: number; readonly delayMs: number }
  | { readonly type: 'published'; readonly kind: EnvelopeKind; readonly topic: string };

export type NaraListener = (event: NaraEvent) => void;

/** A running nara. */
export interface NaraNode {
  readonly name: string | undefined;
  readonly naraId: string | undefined;
  readonly publicKeyBase64: string | undefined;
  readonly clientId: string;
  readonly registry: PeerRegistry;
  readonly metrics: MetricsRegistry;
  readonly http: StatusServer | undefined;
  readonly connected: boolean;
  on(listener: NaraListener): () => void;
  /** Counts of what this nara received, by sender name. */
  received(name: string): { verified: number; rejected: number };
  /**
   * Leaves: stops the newspapers, says chau (reason left) when connected, closes the connection cleanly
   * (so the broker drops the will), all within `timeoutMs`. Idempotent.
   */
  leave(timeoutMs?: number): Promise<void>;
  /**
   * Stops without a word, as a crash would look from inside: no chau, no more newspapers. The caller makes
   * the connection die uncleanly (the demo drops it at the broker) so that the broker sends the will,
   * then calls `close()`.
   */
  halt(): Promise<void>;
  /** Closes the transport and the HTTP server without publishing anything. */
  close(): Promise<void>;
}

const BOOTING_MS = 120_000;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Starts one nara: identity -> signer -> transport (the will is a signed chau 'lost' for each new
 * connection epoch) -> subscribe `nara/#` -> every message through the verifier, then the registry,
 * then the metrics; hey-there after a random delay on every (re)connect, then the newspaper scheduler.
 * Without an identity it only listens (the watcher): no will, nothing published.
 *
 * Resolves once connected; rejects with a {@link StartError} (one clear line) when the first connection
 * fails for good or takes longer than `connectTimeoutMs`.
 */
export async function startNara(options: NaraOptions, components: NaraComponents): Promise<NaraNode> {
  const { logger } = components;
  const now = components.now ?? Date.now;
  const random = components.random ?? Math.random;
  const identity = options.identity;
  const listenOnly = identity === undefined;
  const startedAt = now();
  const verifier = components.verifier ?? createVerifier();
  const signer: Signer | undefined = identity ? createSigner(identity.unsafeSeed()) : undefined;
  // MQTT 3.1.1 promises only [0-9a-zA-Z]{1,23} on every broker: 'nara' and 16 hex digits.
  const clientId = `nara${randomBytes(8).toString('hex')}`;
  const heyThereMaxDelayMs = options.heyThereMaxDelayMs ?? 5000;

  const metrics = new MetricsRegistry();
  const published = metrics.counter('nara_envelopes_published_total', 'Envelopes this nara published.');
  const publishFailures = metrics.counter('nara_publish_failures_total', 'Publishes that failed.');
  const connects = metrics.counter('nara_transport_connects_total', 'Connections made to the broker.', [{}]);
  const disconnects = metrics.counter('nara_transport_disconnects_total', 'Connections lost or closed.', [
    {},
  ]);
  const reconnects = metrics.counter(
    'nara_transport_reconnects_total',
    'Reconnection attempts scheduled after a lost connection.',
    [{}],
  );
  const transportErrors = metrics.counter('nara_transport_errors_total', 'Transport errors.', [{}]);

  const listeners = new Set<NaraListener>();
  function emit(event: NaraEvent): void {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        logger.error('nara event listener threw', { error });
      }
    }
  }

  const registry = createPeerRegistry({}, { logger: logger.child({ component: 'peers' }) });
  if (identity) registry.pin(identity.name, identity.publicKey);
  for (const pin of options.pins ?? []) {
    if (pin.name === identity?.name) continue;
    registry.pin(pin.name, pin.publicKey, pin.commitment);
  }
  const offRegistry = registry.on((event: PeerEvent) => {
    // A refused envelope is already reported once, by the receive pipeline (`rejected`, stage `registry`).
    if (event.type === 'rejected') return;
    emit({ type: 'peer', event });
    // A newspaper of a peer already ONLINE: every peer's, every minute. Debug, like the other per-message
    // lines; an info line each was most of a large plaza's log.
    if (event.type === 'updated') {
      logger.debug('peer updated', { peer: event.peer.name });
      return;
    }
    const fields = {
      peer: event.peer.name,
      state: event.peer.state,
      ...(event.type === 'missing' ? { cause: event.cause } : {}),
    };
    logger.info(`peer ${event.type}`, fields);
  });

  metrics.gauge('nara_peers', 'Peers known to this nara, by presence state.', () => {
    // The registry counts them: no snapshot (a view per peer) per scrape.
    const { online, offline, missing } = registry.stats();
    return [
      { labels: { state: 'ONLINE' }, value: online },
      { labels: { state: 'OFFLINE' }, value: offline },
      { labels: { state: 'MISSING' }, value: missing },
    ];
  });
  let connected = false;
  metrics.gauge('nara_transport_connected', '1 while connected to the broker.', () => [
    { labels: {}, value: connected ? 1 : 0 },
  ]);
  metrics.gauge('nara_info', 'This nara.', () => [
    {
      labels: {
        version: VERSION,
        ...(identity ? { name: identity.name, nara_id: identity.naraId } : { mode: 'watch' }),
      },
      value: 1,
    },
  ]);

  const pipeline = createReceivePipeline({ verifier, registry, metrics, logger });
  let closed = false;

  // The connection epoch: new random bytes before every connection attempt, sequence from 0.
  let epoch = new Uint8Array(randomBytes(EPOCH_BYTES));
  let seq = 0;
  let epochUsedByWill = false;
  function newEpoch(): void {
    epoch = new Uint8Array(randomBytes(EPOCH_BYTES));
    seq = 0;
  }
  function sign(topic: string, kind: EnvelopeKind, body: unknown): Uint8Array {
    if (!identity || !signer) throw new TypeError('a listen-only nara does not sign');
    const content = {
      kind,
      name: identity.name,
      naraId: identity.naraId,
      epoch,
      seq: seq++,
      time: now(),
      body,
      ...(options.commitment !== undefined ? { commitment: options.commitment } : {}),
    } as AnyEnvelopeContent;
    return signEnvelope(signer, topic, content);
  }

  const will: WillProvider | undefined = listenOnly
    ? undefined
    : (): WillMessage => {
        // Each connection gets its own epoch, and its will is a chau bound to that epoch, so that a will
        // can only ever announce the death of the connection it was registered with.
        newEpoch();
        epochUsedByWill = true;
        return {
          topic: CHAU_TOPIC,
          payload: sign(CHAU_TOPIC, 'chau', { reason: 'lost' satisfies ChauReason }),
        };
      };

  const transport = components.createTransport({ ...(will ? { will } : {}), clientId });

  let halted = false;
  let heyThereTimer: NodeJS.Timeout | undefined;

  async function publish(
    topic: string,
    kind: EnvelopeKind,
    body: unknown,
    signal?: AbortSignal,
  ): Promise<void> {
    if (halted) return;
    const payload = sign(topic, kind, body);
    try {
      await transport.publish(topic, payload, signal ? { signal } : {});
      published.inc({ kind });
      emit({ type: 'published', kind, topic });
    } catch (error) {
      publishFailures.inc({ kind });
      logger.warn('publish failed', { kind, error });
    }
  }

  function chattiness(): number {
    if (options.chattiness !== undefined) return options.chattiness;
    return now() - startedAt < BOOTING_MS ? 100 : 50;
  }

  function status(): NewspaperStatus {
    const mem = process.memoryUsage();
    const load = loadavg()[0] ?? 0;
    const s: NewspaperStatus = {
      chattiness: chattiness(),
      buzz: Math.min(182, 10 * registry.snapshot().peers.filter((p) => p.state === 'ONLINE').length),
      version: VERSION,
      transportMode: 'mqtt',
      hostStats: {
        uptime: Math.floor((now() - startedAt) / 1000),
        loadCenti: Math.round((100 * load) / Math.max(1, availableParallelism())),
        memHeapMb: Math.round(mem.heapUsed / 1_048_576),
        memSysMb: Math.round(mem.rss / 1_048_576),
      },
    };
    return s;
  }

  const speed = options.newspaperSpeed ?? 1;
  if (typeof speed !== 'number' || !(speed >= 1) || !Number.isFinite(speed))
    throw new TypeError('options.newspaperSpeed must be a finite number of at least 1');
  // The scheduler keeps its own notion of the cadence; only its timers run faster.
  const schedulerClock =
    speed === 1
      ? {}
      : {
          clock: {
            now,
            setTimeout: (callback: () => void, ms: number) => setTimeout(callback, ms / speed),
            clearTimeout: (handle: unknown) => clearTimeout(handle as NodeJS.Timeout),
          },
        };
  const scheduler: NewspaperScheduler | undefined = identity
    ? createNewspaperScheduler(
        {
          chattiness,
          publish: ({ signal, next, startedAt }) =>
            publish(
              newspaperTopic(identity.name),
              'newspaper',
              { status: status(), next: Math.ceil(startedAt + (next - startedAt) / speed) },
              signal,
            ),
          onError: (error) => logger.warn('newspaper failed', { error }),
        },
        { logger: logger.child({ component: 'newspaper' }), ...schedulerClock },
      )
    : undefined;

  function onMessage(topic: string, payload: Uint8Array): void {
    if (closed) return;
    emit(pipeline.receive(topic, payload));
  }

  function sayHeyThereSoon(): void {
    if (listenOnly || halted) return;
    if (heyThereTimer) clearTimeout(heyThereTimer);
    const delay = Math.floor(random() * heyThereMaxDelayMs);
    logger.debug('hey-there after jitter', { delayMs: delay });
    heyThereTimer = setTimeout(() => {
      heyThereTimer = undefined;
      if (halted || !connected) return;
      // A nara that moved to its next soul says so first, at every connect, for peers that were away.
      const moved =
        options.previousKey && identity
          ? publish(successionTopic(identity.name), 'succession', { previous: options.previousKey })
          : Promise.resolve();
      void moved
        .then(() => publish(HEY_THERE_TOPIC, 'hey-there', {}))
        .then(() => {
          // The first newspaper right after hey-there, then on the chattiness cadence.
          if (!halted && connected) scheduler?.start();
        });
    }, delay);
  }

  const offTransport = transport.on((event: TransportEvent) => {
    switch (event.type) {
      case 'connected':
        connected = true;
        connects.inc();
        // Silence heard while we were cut off says nothing about the peers: judge it again from now.
        registry.resume();
        if (!epochUsedByWill && !listenOnly) newEpoch();
        epochUsedByWill = false;
        // With several brokers the transport names the one it reached; /healthz shows it.
        brokerInUse = event.broker ?? options.brokerLabel;
        logger.info('connected', { broker: brokerInUse });
        emit({ type: 'connected' });
        sayHeyThereSoon();
        return;
      case 'disconnected':
        if (connected) disconnects.inc();
        connected = false;
        registry.pause();
        if (heyThereTimer) clearTimeout(heyThereTimer);
        void scheduler?.stop();
        logger.warn('disconnected', event.error ? { error: event.error } : {});
        emit({ type: 'disconnected', ...(event.error ? { error: event.error } : {}) });
        return;
      case 'reconnecting':
        reconnects.inc();
        logger.info('reconnecting', { attempt: event.attempt, delayMs: event.delayMs });
        emit({ type: 'reconnecting', attempt: event.attempt, delayMs: event.delayMs });
        return;
      case 'error':
        transportErrors.inc();
        lastTransportError = event.error;
        logger.debug('transport error', { error: event.error });
        return;
    }
  });
  let lastTransportError: Error | undefined;
  let brokerInUse = options.brokerLabel;

  let http: StatusServer | undefined;
  async function closeAll(): Promise<void> {
    // Messages still in flight after this point would reach a closed registry: they are dropped.
    closed = true;
    if (heyThereTimer) clearTimeout(heyThereTimer);
    // A running scheduler holds a timer, and a timer keeps the process alive: close means nothing is left.
    await scheduler?.stop();
    offTransport();
    offRegistry();
    registry.close();
    await Promise.allSettled([transport.close({ signal: AbortSignal.timeout(1500) }), http?.close()]);
  }

  try {
    if (options.http) {
      try {
        http = await startStatusServer(
          options.http,
          {
            peers: () => peersJson(registry),
            metrics: () => metrics.render(),
            health: () => ({
              ok: connected,
              connected,
              ...(identity ? { name: identity.name } : {}),
              ...(brokerInUse ? { broker: brokerInUse } : {}),
              uptimeSeconds: Math.floor((now() - startedAt) / 1000),
            }),
            // The dashboard (`GET /`) and its event stream (`GET /events`).
            events: dashboardEvents({
              name: identity?.name,
              naraId: identity?.naraId,
              registry,
              get connected() {
                return connected;
              },
              on: (listener) => {
                listeners.add(listener as NaraListener);
                return () => listeners.delete(listener as NaraListener);
              },
            }),
          },
          logger,
        );
      } catch (error) {
        throw new StartError(
          `cannot serve HTTP on ${options.http.host}:${options.http.port} (${(error as NodeJS.ErrnoException).code ?? describe(error)})`,
        );
      }
      logger.info('status endpoint', {
        url: http.url,
        paths: '/ (dashboard) /events /peers /metrics /healthz',
      });
    }
    await transport.subscribe(PLAZA_FILTER, (message) => onMessage(message.topic, message.payload));
    const timeoutMs = options.connectTimeoutMs ?? 15_000;
    try {
      await transport.connect({ signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw connectError(error, lastTransportError, options.brokerLabel, timeoutMs);
    }
  } catch (error) {
    await closeAll();
    throw error;
  }

  let leaving: Promise<void> | undefined;
  const node: NaraNode = {
    name: identity?.name,
    naraId: identity?.naraId,
    publicKeyBase64: identity?.publicKeyBase64,
    clientId,
    registry,
    metrics,
    http,
    get connected() {
      return connected;
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    received: (name) => pipeline.sender(name),
    leave(timeoutMs = 2500) {
      leaving ??= (async () => {
        const deadline = AbortSignal.timeout(timeoutMs);
        if (heyThereTimer) clearTimeout(heyThereTimer);
        await scheduler?.stop();
        if (!listenOnly && connected && !halted) {
          await publish(CHAU_TOPIC, 'chau', { reason: 'left' satisfies ChauReason }, deadline);
          logger.info('said chau');
        }
        halted = true;
        await closeAll();
      })();
      return leaving;
    },
    async halt() {
      halted = true;
      if (heyThereTimer) clearTimeout(heyThereTimer);
      await scheduler?.stop();
    },
    close: () => {
      halted = true;
      return closeAll();
    },
  };
  return node;
}

/** `GET /peers`: the registry's snapshot, with `id` as the issue names the nara ID. */
export function peersJson(registry: PeerRegistry): unknown[] {
  return registry.snapshot().peers.map((peer) => ({ ...peer, id: peer.naraId }));
}

/** One line saying why the first connection failed, naming the cause a person can fix. */
function connectError(
  error: unknown,
  last: Error | undefined,
  broker: string | undefined,
  timeoutMs: number,
): StartError {
  const where = broker ? ` to ${broker}` : '';
  const cause = error instanceof Error && error.name === 'TransportError' ? error : last;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    const why = last ? `: ${last.message}` : '';
    return new StartError(`could not connect${where} within ${Math.round(timeoutMs / 1000)} s${why}`);
  }
  return new StartError(`could not connect${where}: ${cause ? cause.message : describe(error)}`);
}
