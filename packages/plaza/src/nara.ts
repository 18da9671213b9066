import {
  type AnyEnvelopeContent,
  type ChauReason,
  createSigner,
  createVerifier,
  type EnvelopeKind,
  EPOCH_BYTES,
  type NewspaperStatus,
  type Signer,
  signEnvelope,
} from '@nara/envelope';
import { childLogger, silentLogger } from '@nara/interface';
import { createNewspaperScheduler, type NewspaperScheduler } from '@nara/newspaper';
import { createPeerRegistry, type PeerEvent } from '@nara/peers';
import { CHAU_TOPIC, HEY_THERE_TOPIC, newspaperTopic, PLAZA_FILTER, successionTopic } from '@nara/topics';
import type { TransportEvent, WillMessage, WillProvider } from '@nara/transport';
import { createHeyThereAnswer } from './answer.js';
import { connectError, describeCause } from './errors.js';
import { nodeHostStats } from './host.js';
import { createLegacyWire } from './legacy-wire.js';
import { MetricsRegistry } from './metrics.js';
import { createReceivePipeline } from './receive.js';
import type { NaraComponents, NaraEvent, NaraListener, NaraNode, NaraOptions } from './types.js';
import { VERSION } from './version.js';

const BOOTING_MS = 120_000;

/**
 * Creates one nara, not yet connected: identity -> signer -> transport (the will is a signed chau 'lost'
 * for each new connection epoch) -> on `start()`, subscribe `nara/#` -> every message through the
 * verifier, then the registry, then the metrics; hey-there after a random delay on every (re)connect,
 * then the newspaper scheduler. Without an identity it only listens (a watcher): no will, nothing
 * published.
 *
 * @example
 * ```ts
 * const bus = createMemoryBus();
 * const nara = createNara({ identity }, { createTransport: (init) => bus.createTransport(init) });
 * nara.on((event) => console.log(event.type));
 * await nara.start();
 * await nara.leave(); // chau, then a clean close
 * ```
 */
export function createNara(options: NaraOptions, components: NaraComponents): NaraNode {
  const logger = components.logger ?? silentLogger;
  const now = components.now ?? Date.now;
  const random = components.random ?? Math.random;
  const identity = options.identity;
  const listenOnly = identity === undefined;
  const startedAt = now();
  const verifier = components.verifier ?? createVerifier();
  // The one signer (@nara/envelope's fastest agreeing backend), for plaza/1 and the Go wire alike; the
  // identity hands its seed over once.
  const signer: Signer | undefined = identity ? createSigner(identity.soul.unsafeSeed()) : undefined;
  // MQTT 3.1.1 promises only [0-9a-zA-Z]{1,23} on every broker: 'nara' and 16 hex digits.
  const clientId = `nara${toHex(randomBytes(8))}`;
  const hostStats = components.hostStats ?? nodeHostStats;
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

  const registry = createPeerRegistry({}, { logger: childLogger(logger, { component: 'peers' }) });
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
  const wire = options.wire ?? 'plaza';
  const speaksPlaza = wire !== 'legacy';

  // The connection epoch: new random bytes before every connection attempt, sequence from 0.
  let epoch = randomBytes(EPOCH_BYTES);
  let seq = 0;
  let epochUsedByWill = false;
  function newEpoch(): void {
    epoch = randomBytes(EPOCH_BYTES);
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
  let heyThereTimer: ReturnType<typeof setTimeout> | undefined;

  const legacy =
    wire === 'plaza'
      ? undefined
      : createLegacyWire({
          registry,
          metrics,
          logger,
          now,
          random,
          ...(identity && signer ? { identity, signer } : {}),
          publish: async (topic, payload, kind) => {
            if (halted) return;
            try {
              await transport.publish(topic, payload);
            } catch (error) {
              publishFailures.inc({ kind });
              logger.warn('publish failed', { kind, wire: 'legacy', error });
              throw error;
            }
          },
        });

  // A broker that keeps retained messages keeps each nara's latest newspaper: a newcomer gets the whole
  // plaza on subscribe. Only the newspaper, only plaza/1's (the Go wire publishes as Go does).
  const retainNewspapers = transport.capabilities.retain && !listenOnly && speaksPlaza;

  async function publish(
    topic: string,
    kind: EnvelopeKind,
    body: unknown,
    signal?: AbortSignal,
  ): Promise<void> {
    if (halted) return;
    const payload = sign(topic, kind, body);
    const retain = retainNewspapers && kind === 'newspaper';
    try {
      await transport.publish(topic, payload, {
        ...(signal ? { signal } : {}),
        ...(retain ? { retain } : {}),
      });
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

  // The transport says how it carries the plaza; a transport that declares nothing announces nothing.
  const transportMode = transport.capabilities.mode;
  function status(): NewspaperStatus {
    return {
      chattiness: chattiness(),
      buzz: Math.min(182, 10 * registry.snapshot().peers.filter((p) => p.state === 'ONLINE').length),
      version: VERSION,
      ...(transportMode !== undefined ? { transportMode } : {}),
      hostStats: hostStats(Math.floor((now() - startedAt) / 1000)),
    };
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
            clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
          },
        };
  const scheduler: NewspaperScheduler | undefined = identity
    ? createNewspaperScheduler(
        {
          chattiness,
          publish: async ({ signal, next, startedAt }) => {
            const now = status();
            await Promise.all([
              speaksPlaza
                ? publish(
                    newspaperTopic(identity.name),
                    'newspaper',
                    { status: now, next: Math.ceil(startedAt + (next - startedAt) / speed) },
                    signal,
                  )
                : undefined,
              legacy?.newspaper(now).catch(() => {}),
            ]);
          },
          onError: (error) => logger.warn('newspaper failed', { error }),
          // The answer to a hey-there has had its random pause already (see answerHeyThere).
          soonDelayMs: 0,
        },
        { logger: childLogger(logger, { component: 'newspaper' }), ...schedulerClock },
      )
    : undefined;

  function onMessage(topic: string, payload: Uint8Array, retained: boolean): void {
    if (closed) return;
    if (legacy?.handles(topic, payload)) {
      const outcome = legacy.receive(topic, payload);
      if (outcome.type !== 'own') emit({ type: 'legacy', outcome });
      return;
    }
    if (!speaksPlaza) return;
    const outcome = pipeline.receive(topic, payload, retained ? { retained } : undefined);
    // A cleared retained newspaper is no news: counted by the pipeline, nothing to tell.
    if (outcome.type === 'cleared') return;
    emit(outcome);
    // A newcomer's hey-there: answered with this nara's newspaper soon (see createHeyThereAnswer).
    if (outcome.type === 'accepted' && outcome.kind === 'hey-there' && outcome.name !== identity?.name)
      if (scheduler && !halted) answers.heard();
  }

  const answers = createHeyThereAnswer({
    maxDelayMs: options.answerMaxDelayMs ?? 2000,
    random,
    answer: () => {
      if (!halted && connected) scheduler?.publishSoon();
    },
  });

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
        speaksPlaza && options.previousKey && identity
          ? publish(successionTopic(identity.name), 'succession', { previous: options.previousKey })
          : Promise.resolve();
      void Promise.all([
        moved.then(() => (speaksPlaza ? publish(HEY_THERE_TOPIC, 'hey-there', {}) : undefined)),
        legacy?.heyThere().catch(() => {}),
      ]).then(() => {
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
        answers.stop();
        void scheduler?.stop();
        logger.warn('disconnected', event.error ? { error: event.error } : {});
        emit({ type: 'disconnected', ...(event.error ? { error: event.error } : {}) });
        return;
      case 'reconnecting': {
        reconnects.inc();
        // Why, and when the next try is: a person reading the log should not have to work it out.
        const cause = event.cause ? describeCause(event.cause) : 'unknown';
        const nextAttemptAt = new Date(now() + event.delayMs).toISOString();
        logger.info('reconnecting', { attempt: event.attempt, delayMs: event.delayMs, nextAttemptAt, cause });
        emit({
          type: 'reconnecting',
          attempt: event.attempt,
          delayMs: event.delayMs,
          ...(event.cause ? { cause: event.cause } : {}),
        });
        return;
      }
      case 'error':
        transportErrors.inc();
        lastTransportError = event.error;
        logger.debug('transport error', { error: event.error });
        return;
    }
  });
  let lastTransportError: Error | undefined;
  let brokerInUse = options.brokerLabel;

  async function closeAll(): Promise<void> {
    // Messages still in flight after this point would reach a closed registry: they are dropped.
    closed = true;
    if (heyThereTimer) clearTimeout(heyThereTimer);
    answers.stop();
    legacy?.close();
    // A running scheduler holds a timer, and a timer keeps the process alive: close means nothing is left.
    await scheduler?.stop();
    offTransport();
    offRegistry();
    registry.close();
    await transport.close({ signal: AbortSignal.timeout(1500) }).catch(() => {});
  }

  async function start(): Promise<void> {
    try {
      await transport.subscribe(PLAZA_FILTER, (message) =>
        onMessage(message.topic, message.payload, message.retained === true),
      );
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
  }

  /**
   * Before chau: an empty retained payload on the nara's newspaper topic, so the broker forgets its last
   * newspaper and a newcomer does not take a nara that left for one that is there. Sent first: a
   * publisher's messages arrive in order, so the chau comes after it.
   */
  async function clearNewspaper(signal: AbortSignal): Promise<void> {
    if (!retainNewspapers || !identity) return;
    try {
      await transport.publish(newspaperTopic(identity.name), new Uint8Array(0), { retain: true, signal });
    } catch (error) {
      publishFailures.inc({ kind: 'newspaper-clear' });
      logger.warn('could not clear the retained newspaper', { error });
    }
  }

  let leaving: Promise<void> | undefined;
  const node: NaraNode = {
    name: identity?.name,
    naraId: identity?.naraId,
    publicKeyBase64: identity?.publicKeyBase64,
    clientId,
    registry,
    metrics,
    startedAt,
    get connected() {
      return connected;
    },
    get broker() {
      return brokerInUse;
    },
    start,
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    received: (name) => pipeline.sender(name),
    leave(timeoutMs = 2500) {
      leaving ??= (async () => {
        const deadline = AbortSignal.timeout(timeoutMs);
        if (heyThereTimer) clearTimeout(heyThereTimer);
        answers.stop();
        await scheduler?.stop();
        if (!listenOnly && connected && !halted) {
          await Promise.all([
            speaksPlaza
              ? clearNewspaper(deadline).then(() =>
                  publish(CHAU_TOPIC, 'chau', { reason: 'left' satisfies ChauReason }, deadline),
                )
              : undefined,
            legacy?.chau().catch(() => {}),
          ]);
          logger.info('said chau', { wire });
        }
        halted = true;
        await closeAll();
      })();
      return leaving;
    },
    async halt() {
      halted = true;
      if (heyThereTimer) clearTimeout(heyThereTimer);
      answers.stop();
      await scheduler?.stop();
    },
    close: () => {
      halted = true;
      return closeAll();
    },
  };
  return node;
}

/** Creates a nara and starts it: {@link createNara}, then `start()`. Resolves once connected. */
export async function startNara(options: NaraOptions, components: NaraComponents): Promise<NaraNode> {
  const node = createNara(options, components);
  await node.start();
  return node;
}

function randomBytes(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
