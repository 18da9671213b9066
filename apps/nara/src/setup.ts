import type { NaraNode, NaraOptions, TransportFactory } from '@nara/plaza';
import { type EmbeddedBrokerHandle, startEmbeddedBroker } from './broker.js';
import type { CommonConfig, Env } from './config.js';
import { StartError } from './errors.js';
import type { CliIo } from './io.js';
import { LocalPlaza, probePort } from './local-plaza.js';
import { createLogger, type Logger } from './logger.js';
import { mqttTransportFactory } from './mqtt.js';
import { attachNotices } from './notices.js';
import { type ServedNara, startServedNara } from './serve.js';

/** Where `nara demo` and `nara watch` serve the dashboard when NARA_HTTP does not say: loopback, any free port. */
export const LOOPBACK_ANY_PORT = Object.freeze({ host: '127.0.0.1', port: 0 });

/** Secrets from the environment that the logger must scrub wherever they show up. */
export function secretsOf(env: Env): string[] {
  return [env.NARA_SOUL, env.MQTT_PASSWORD].filter((s): s is string => typeof s === 'string' && s.length > 0);
}

export function loggerFor(config: Pick<CommonConfig, 'logLevel' | 'logFormat'>, io: CliIo): Logger {
  return createLogger({
    level: config.logLevel,
    format: config.logFormat === 'auto' ? (io.stderr.isTTY ? 'pretty' : 'json') : config.logFormat,
    write: (line) => io.stderr.write(line),
    color: io.stderr.isTTY === true && !io.env.NO_COLOR,
    secrets: secretsOf(io.env),
  });
}

/** The broker a command talks to: the configured one, or the local plaza (found, or hosted here). */
export interface BrokerConnection {
  readonly label: string;
  readonly createTransport: TransportFactory;
  /** The local plaza, when no broker is configured: close it on the way out. */
  readonly embedded?: LocalPlaza;
}

/** Reconnects on the local plaza: quick, since a take-over happens on this machine. */
const LOCAL_BACKOFF = { minMs: 500, maxMs: 4000 };

/** Starts the embedded broker; a failure is a {@link StartError} (one line). */
export async function startEmbedded(preferredPort: number, logger: Logger): Promise<EmbeddedBrokerHandle> {
  try {
    return await startEmbeddedBroker({ preferredPort, logger });
  } catch (error) {
    throw new StartError(
      `cannot start the embedded broker: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

async function connectBroker(
  config: CommonConfig,
  logger: Logger,
  canHost: boolean,
): Promise<BrokerConnection> {
  const tuning = { keepaliveSec: config.keepaliveSec };
  if (config.broker.kind === 'remote') {
    return { label: config.broker.url, createTransport: mqttTransportFactory(config.broker, tuning, logger) };
  }
  const port = config.broker.preferredPort;
  let plaza: LocalPlaza;
  try {
    plaza = await LocalPlaza.open(port, logger, canHost);
  } catch (error) {
    throw new StartError(
      `cannot start the embedded broker: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!canHost && plaza.note !== undefined) {
    await plaza.close();
    throw new StartError(
      `no local plaza on 127.0.0.1:${port}: ${plaza.note === 'free' ? 'nothing listens there' : plaza.note === 'silent' ? 'what listens there does not answer' : 'what listens there is not an MQTT broker'} (set MQTT_URL or MQTT_HOST, or NARA_BROKER_PORT)`,
    );
  }
  if (plaza.note !== undefined && plaza.hosted) logger.warn(plaza.note);
  logger.info(
    plaza.hosted
      ? 'no MQTT_HOST or MQTT_URL: hosting the local plaza on an embedded broker'
      : 'no MQTT_HOST or MQTT_URL: joining the local plaza already on this machine',
    { url: plaza.url },
  );
  if (plaza.hosted) logger.info(`another nara joins this plaza with: MQTT_URL=${plaza.url} nara`);
  if (plaza.hosted?.wsUrl !== undefined)
    logger.info('browsers join this plaza over WebSockets: open the dashboard with ?mqtt=<url>', {
      url: plaza.hosted.wsUrl,
    });
  return {
    label: plaza.url,
    createTransport: mqttTransportFactory(
      { kind: 'embedded', url: plaza.url },
      { ...tuning, backoff: LOCAL_BACKOFF },
      logger,
    ),
    embedded: plaza,
  };
}

/**
 * Connects to the configured broker (or starts an embedded one) and starts a nara on it with the settings
 * `join` and `watch` share; when the nara cannot start, an embedded broker is closed again.
 */
export async function startOnBroker(
  config: CommonConfig,
  logger: Logger,
  options: Pick<NaraOptions, 'identity' | 'chattiness' | 'commitment' | 'previousKey'> = {},
  extra: { canHost?: boolean; shutdown?: AbortSignal } = {},
): Promise<{ broker: BrokerConnection; node: ServedNara }> {
  const broker = await connectBroker(config, logger, extra.canHost ?? true);
  try {
    const starting = startServedNara(
      {
        ...options,
        ...(config.http ? { http: config.http } : {}),
        ...(config.pins ? { pins: config.pins } : {}),
        wire: config.wire,
        connectTimeoutMs: config.connectTimeoutMs,
        brokerLabel: broker.label,
      },
      { createTransport: broker.createTransport, logger },
    );
    const node = await firstOf(starting, config, extra.shutdown);
    attachNotices((listener) => node.on(listener), logger, options.identity?.name);
    // When the local plaza loses its host, this nara may take over.
    const plaza = broker.embedded;
    if (plaza)
      node.on((event) => {
        if (event.type === 'disconnected' || event.type === 'reconnecting') plaza.connectionLost();
      });
    return { broker, node };
  } catch (error) {
    await broker.embedded?.close();
    throw error;
  }
}

/**
 * {@link startOnBroker}, or `undefined` when `shutdown` comes first (Ctrl-C while connecting): the
 * command then ends quietly with exit 0.
 */
export async function startUntilShutdown(
  config: CommonConfig,
  logger: Logger,
  options: Pick<NaraOptions, 'identity' | 'chattiness' | 'commitment' | 'previousKey'>,
  extra: { canHost?: boolean; shutdown: AbortSignal },
): Promise<{ broker: BrokerConnection; node: ServedNara } | undefined> {
  try {
    return await startOnBroker(config, logger, options, extra);
  } catch (error) {
    if (error instanceof Interrupted) return undefined;
    throw error;
  }
}

/** Ctrl-C (or SIGTERM) before the first connection: nothing to say goodbye to, the command just ends. */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';
}

/**
 * The started nara, unless something ends the wait first: the signal (Ctrl-C works during the first
 * connection too), or, for a plain `mqtt://` broker that is slow to accept us, a probe that finds
 * something other than MQTT on its port (an HTTP server, say), named as such at once instead of a bare
 * timeout. A nara that starts after all is closed again.
 */
async function firstOf<Node extends NaraNode>(
  starting: Promise<Node>,
  config: CommonConfig,
  shutdown: AbortSignal | undefined,
): Promise<Node> {
  const cleanups: Array<() => void> = [];
  const contenders: Array<Promise<Node>> = [starting];
  if (shutdown)
    contenders.push(
      new Promise((_, reject) => {
        const onAbort = () => reject(new Interrupted('interrupted before the first connection'));
        if (shutdown.aborted) onAbort();
        shutdown.addEventListener('abort', onAbort, { once: true });
        cleanups.push(() => shutdown.removeEventListener('abort', onAbort));
      }),
    );
  const broker = config.broker;
  if (broker.kind === 'remote' && broker.protocol === 'mqtt')
    contenders.push(
      new Promise((_, reject) => {
        // Only when the connection is slow: a broker that answers at once is never probed.
        const timer = setTimeout(async () => {
          const occupant = await probePort(broker.host, broker.port, 3000);
          if (occupant === 'other')
            reject(
              new StartError(
                `${broker.url} is not an MQTT broker: something listens on port ${broker.port} but does not answer an MQTT CONNECT (an HTTP server, or another service?)`,
              ),
            );
        }, 1500);
        timer.unref();
        cleanups.push(() => clearTimeout(timer));
      }),
    );
  try {
    return await Promise.race(contenders);
  } catch (error) {
    // The nara may still connect after we stopped waiting: close it then; its failure is already told.
    starting.then(
      (node) => void node.close(),
      () => {},
    );
    throw error;
  } finally {
    for (const cleanup of cleanups) cleanup();
  }
}

/** Resolves when the signal aborts. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** `promise`, or give up after `ms` (resolves either way). */
export function within(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    promise.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}
