import { type EmbeddedBrokerHandle, startEmbeddedBroker } from './broker.js';
import type { CommonConfig, Env } from './config.js';
import { StartError } from './errors.js';
import type { CliIo } from './io.js';
import { createLogger, type Logger } from './logger.js';
import { mqttTransportFactory } from './mqtt.js';
import { type NaraNode, type NaraOptions, startNara, type TransportFactory } from './node.js';

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

/** The broker a command talks to: the configured one, or an embedded one started here. */
export interface BrokerConnection {
  readonly label: string;
  readonly createTransport: TransportFactory;
  readonly embedded?: EmbeddedBrokerHandle;
}

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

async function connectBroker(config: CommonConfig, logger: Logger): Promise<BrokerConnection> {
  const tuning = { keepaliveSec: config.keepaliveSec };
  if (config.broker.kind === 'remote') {
    return { label: config.broker.url, createTransport: mqttTransportFactory(config.broker, tuning, logger) };
  }
  const embedded = await startEmbedded(config.broker.preferredPort, logger);
  logger.info('no MQTT_HOST or MQTT_URL: started an embedded broker', {
    url: embedded.url,
    ...(embedded.fellBack ? { note: `port ${config.broker.preferredPort} was taken` } : {}),
  });
  logger.info(`another nara joins this plaza with: MQTT_URL=${embedded.url} nara`);
  if (embedded.wsUrl !== undefined)
    logger.info('browsers join this plaza over WebSockets: open the dashboard with ?mqtt=<url>', {
      url: embedded.wsUrl,
    });
  return {
    label: embedded.url,
    createTransport: mqttTransportFactory({ kind: 'embedded', url: embedded.url }, tuning, logger),
    embedded,
  };
}

/**
 * Connects to the configured broker (or starts an embedded one) and starts a nara on it with the settings
 * `join` and `watch` share; when the nara cannot start, an embedded broker is closed again.
 */
export async function startOnBroker(
  config: CommonConfig,
  logger: Logger,
  options: Pick<NaraOptions, 'identity' | 'chattiness'> = {},
): Promise<{ broker: BrokerConnection; node: NaraNode }> {
  const broker = await connectBroker(config, logger);
  try {
    const node = await startNara(
      {
        ...options,
        ...(config.http ? { http: config.http } : {}),
        ...(config.pins ? { pins: config.pins } : {}),
        connectTimeoutMs: config.connectTimeoutMs,
        brokerLabel: broker.label,
      },
      { createTransport: broker.createTransport, logger },
    );
    return { broker, node };
  } catch (error) {
    await broker.embedded?.close();
    throw error;
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
