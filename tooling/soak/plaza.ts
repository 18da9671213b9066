/**
 * Many naras in one process on a real broker, each started as the app starts one (`startServedNara` of
 * `@nara/cli`, the engine of `@nara/plaza`, the app's MQTT transport factory), with what happens to each
 * one counted: the soak and the fault tests drive these.
 */

import { createLogger, type Logger, mqttTransportFactory, startServedNara } from '@nara/cli';
import type { EnvelopeVerifier } from '@nara/envelope';
import { createVerifier } from '@nara/envelope/node';
import { createIdentity, randomSoul } from '@nara/identity';
import type { NaraEvent, NaraNode } from '@nara/plaza';
import { Rng } from '../fuzz/random.js';

/** What one nara saw and did, counted from its events. */
export interface NaraTally {
  connects: number;
  /** Wall-clock times (ms) of each connection. */
  connectTimes: number[];
  disconnects: number;
  reconnectAttempts: number;
  publishedNewspapers: number;
  publishedHeyTheres: number;
  /** Wall-clock times (ms) of each hey-there this nara published. */
  heyThereTimes: number[];
  /** Newspapers from other naras that this one verified and accepted. */
  acceptedNewspapers: number;
  /** Rejections by the envelope verifier (bytes, signature, schema): from honest naras, always a bug. */
  verificationFailures: number;
  /** Rejections by the registry, by reason. */
  registryRejections: Record<string, number>;
  /** Delays (ms) of each scheduled reconnection. */
  reconnectDelays: number[];
}

export interface PlazaNara {
  readonly name: string;
  readonly node: NaraNode;
  /**
   * The nara's MQTT transport, to drop its connection as a crash would (`simulateCrash`), and the broker it
   * uses now (`url`, one of a list).
   */
  readonly transport: { simulateCrash(): void; readonly url: string };
  readonly tally: NaraTally;
  readonly events: NaraEvent[];
}

export interface StartNarasOptions {
  /** `mqtt://127.0.0.1:port` of the broker. */
  readonly url: string;
  readonly count: number;
  /** Name prefix; naras are `${prefix}-${i}`. */
  readonly prefix?: string;
  /** Reconnect window; default the app's (5 to 35 s). */
  readonly backoff?: { minMs: number; maxMs: number };
  readonly keepaliveSec?: number;
  readonly newspaperSpeed?: number;
  readonly chattiness?: number;
  readonly heyThereMaxDelayMs?: number;
  /** Keep every event of every nara (for fault tests; the soak only counts). */
  readonly keepEvents?: boolean;
  /** Give up on the first connection after this long. */
  readonly connectTimeoutMs?: number;
  /** Log level of the naras' own loggers (lines go nowhere unless `write` is given). Default `error`. */
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
  readonly write?: (line: string) => void;
  /** Shared by the naras, as in the demo; default a node:crypto verifier. */
  readonly verifier?: EnvelopeVerifier;
  /** Serve status on this loopback port (one nara only). */
  readonly httpPort?: number;
  /**
   * Seed of the naras' reconnect draws: nara i draws from a PRNG seeded with `seed + i`, so a test about
   * how reconnects spread out is the same on every run. Default: Math.random.
   */
  readonly seed?: number;
}

export function newTally(): NaraTally {
  return {
    connects: 0,
    connectTimes: [],
    disconnects: 0,
    reconnectAttempts: 0,
    publishedNewspapers: 0,
    publishedHeyTheres: 0,
    heyThereTimes: [],
    acceptedNewspapers: 0,
    verificationFailures: 0,
    registryRejections: {},
    reconnectDelays: [],
  };
}

function count(tally: NaraTally, name: string, event: NaraEvent): void {
  switch (event.type) {
    case 'connected':
      tally.connects += 1;
      tally.connectTimes.push(Date.now());
      return;
    case 'disconnected':
      tally.disconnects += 1;
      return;
    case 'reconnecting':
      tally.reconnectAttempts += 1;
      tally.reconnectDelays.push(event.delayMs);
      return;
    case 'published':
      if (event.kind === 'newspaper') tally.publishedNewspapers += 1;
      if (event.kind === 'hey-there') {
        tally.publishedHeyTheres += 1;
        tally.heyThereTimes.push(Date.now());
      }
      return;
    case 'accepted':
      if (event.kind === 'newspaper' && event.name !== name) tally.acceptedNewspapers += 1;
      return;
    case 'rejected':
      if (event.stage === 'registry')
        tally.registryRejections[event.reason] = (tally.registryRejections[event.reason] ?? 0) + 1;
      else tally.verificationFailures += 1;
      return;
    default:
      return;
  }
}

/** Starts one nara on the broker; resolves once it is connected. */
export async function startOne(
  name: string,
  options: Omit<StartNarasOptions, 'count' | 'prefix'>,
  verifier: EnvelopeVerifier = options.verifier ?? createVerifier(),
  random?: () => number,
): Promise<PlazaNara> {
  const logger: Logger = createLogger({
    level: options.logLevel ?? 'error',
    format: 'json',
    write: options.write ?? (() => {}),
  });
  const identity = createIdentity({ name, soul: randomSoul(name) });
  const tally = newTally();
  const events: NaraEvent[] = [];
  const listener = (event: NaraEvent) => {
    count(tally, name, event);
    if (options.keepEvents) events.push(event);
  };
  // Counted from the first event: the first connect (and any retries before it) happen inside start().
  let early: ((event: NaraEvent) => void) | undefined = listener;
  let transport: { simulateCrash(): void; readonly url: string } | undefined;
  const node = await startServedNara(
    {
      identity,
      ...(options.chattiness !== undefined ? { chattiness: options.chattiness } : {}),
      ...(options.newspaperSpeed !== undefined ? { newspaperSpeed: options.newspaperSpeed } : {}),
      ...(options.heyThereMaxDelayMs !== undefined ? { heyThereMaxDelayMs: options.heyThereMaxDelayMs } : {}),
      ...(options.connectTimeoutMs !== undefined ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
      ...(options.httpPort !== undefined ? { http: { host: '127.0.0.1', port: options.httpPort } } : {}),
      brokerLabel: options.url,
    },
    {
      createTransport: (init) => {
        const factory = mqttTransportFactory(
          { kind: 'embedded', url: options.url },
          {
            keepaliveSec: options.keepaliveSec ?? 5,
            ...(options.backoff ? { backoff: options.backoff } : {}),
            ...(random ? { random } : {}),
          },
          logger,
        );
        const created = factory(init);
        transport = created as unknown as { simulateCrash(): void; readonly url: string };
        // Listen before connect, so the first 'connected' (and the retries before it) are counted too.
        created.on((event) => {
          if (early === undefined) return;
          if (event.type === 'connected') early({ type: 'connected' });
          if (event.type === 'reconnecting')
            early({ type: 'reconnecting', attempt: event.attempt, delayMs: event.delayMs });
        });
        return created;
      },
      logger,
      verifier,
    },
  );
  early = undefined;
  node.on(listener);
  if (transport === undefined) throw new Error('the nara did not create a transport');
  return { name, node, transport, tally, events };
}

/** Starts `count` naras, a few at a time; resolves once all are connected. */
export async function startNaras(options: StartNarasOptions): Promise<PlazaNara[]> {
  const verifier = options.verifier ?? createVerifier();
  const prefix = options.prefix ?? 'soak';
  const naras: PlazaNara[] = [];
  const batch = 10;
  for (let i = 0; i < options.count; i += batch) {
    const names = Array.from({ length: Math.min(batch, options.count - i) }, (_, j) => `${prefix}-${i + j}`);
    naras.push(
      ...(await Promise.all(
        names.map((name, j) => {
          const rng = options.seed === undefined ? undefined : new Rng(options.seed + i + j);
          return startOne(name, options, verifier, rng ? () => rng.float() : undefined);
        }),
      )),
    );
  }
  return naras;
}

/** Waits until `test` is true, polling; rejects after `timeoutMs` naming `what`. */
export async function until(
  what: string,
  test: () => boolean,
  timeoutMs = 20_000,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
