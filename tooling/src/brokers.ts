/**
 * Real MQTT brokers for tests, on free loopback ports: mosquitto (plain, TLS with a CA made at test time,
 * password file, websockets) and the embedded aedes broker. Never port 1883, never a fixed sleep: readiness
 * is an MQTT CONNECT answered by a CONNACK. Every broker started here is stopped at process exit even when
 * the test that started it failed; use {@link useMosquitto} / {@link useAedes} to also stop it after the
 * suite.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { promisify } from 'node:util';
import { Aedes } from 'aedes';
import { afterAll, beforeAll } from 'vitest';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { connectPacket, DISCONNECT, portableClientId } from './mqtt-wire.js';
import { supervise, track } from './processes.js';

export { track };

import {
  createCa,
  type IssuedCertificate,
  issueCertificate,
  type ServerCertificateKind,
  type TestPki,
} from './pki.js';

export { createCa, type IssuedCertificate, type ServerCertificateKind, type TestPki };

const HOST = '127.0.0.1';

/** A CONNECT (random portable client id, clean session, keepalive 5 s) and a DISCONNECT, written by hand. */
const PROBE = (): Buffer => Buffer.concat([connectPacket(portableClientId('probe'), 5), DISCONNECT]);

export interface BrokerCredentials {
  readonly username: string;
  readonly password: string;
}

export interface BrokerTls {
  /** The CA that signed the server certificate (PEM) and its path. */
  readonly ca: string;
  readonly caPath: string;
  /** A client certificate signed by the same CA (present when `clientCertificates` was asked for). */
  readonly client?: IssuedCertificate;
  /** The whole test PKI, to issue more certificates. */
  readonly pki: TestPki;
}

export interface Broker {
  readonly kind: 'mosquitto' | 'aedes';
  readonly host: string;
  /** The MQTT port: plain, or TLS when the broker was started with `tls`. */
  readonly port: number;
  /** `mqtt://127.0.0.1:port` or `mqtts://127.0.0.1:port`. */
  readonly url: string;
  /** `ws://127.0.0.1:port` when started with `websockets`. */
  readonly wsUrl?: string;
  readonly tls?: BrokerTls;
  readonly credentials?: BrokerCredentials;
  /** Stops the broker gracefully (SIGTERM), waiting for it to exit. Idempotent. */
  stop(): Promise<void>;
  /** Kills the broker at once (SIGKILL for mosquitto; every socket destroyed for aedes). */
  kill(): Promise<void>;
  /** Stops (or kills, with `{ kill: true }`) and starts again on the same ports, ready when it resolves. */
  restart(options?: { kill?: boolean }): Promise<void>;
}

export interface MosquittoOptions {
  /** A TLS listener (instead of the plain one) with a CA and server certificate made now. */
  readonly tls?:
    | boolean
    | {
        /** Which server certificate to serve. Default 'valid'. */
        readonly certificate?: ServerCertificateKind;
        /** Require client certificates signed by the test CA (and issue one). */
        readonly clientCertificates?: boolean;
      };
  /** Require a username and password (from a `mosquitto_passwd` file); `true` makes random ones. */
  readonly password?: boolean | BrokerCredentials;
  /** Add a websockets listener (mosquitto 2.0.11 needs a plain listener beside it, which it keeps). */
  readonly websockets?: boolean;
  /**
   * A whole mosquitto.conf to run instead of the generated one (a file of deploy/, say): its first
   * `listener` line is moved to the test's loopback port; the rest is used as written. Not combined with
   * the options above.
   */
  readonly config?: string;
}

/** A port the OS says is free on the loopback interface, never 1883. */
export async function freePort(): Promise<number> {
  for (;;) {
    const server = createServer();
    server.listen(0, HOST);
    await once(server, 'listening');
    const address = server.address();
    server.close();
    await once(server, 'close');
    if (address !== null && typeof address === 'object' && address.port !== 1883) return address.port;
  }
}

/** `true` when something on the port answers an MQTT CONNECT with a CONNACK (whatever its return code). */
export type ProbeTls = false | { readonly cert?: string; readonly key?: string };

function probe(port: number, tls: ProbeTls): Promise<boolean> {
  return new Promise((resolve) => {
    const socket: Socket = tls
      ? tlsConnect({ host: HOST, port, rejectUnauthorized: false, ...tls })
      : netConnect({ host: HOST, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once(tls ? 'secureConnect' : 'connect', () => socket.write(PROBE()));
    socket.once('data', (data: Buffer) => done(data[0] === 0x20));
  });
}

/** Polls with a short, growing interval until the broker answers, or `exited` rejects first. */
export async function waitReady(
  port: number,
  tls: ProbeTls,
  exited?: Promise<never>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pause = 10;
  for (;;) {
    const attempt = probe(port, tls);
    const ok = await (exited === undefined ? attempt : Promise.race([attempt, exited]));
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`broker on ${HOST}:${port} not ready after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 100);
  }
}

const execFileAsync = promisify(execFile);

/**
 * Starts mosquitto with a generated config in a temp dir (mode 0755, files 0644: started as root, mosquitto
 * drops to user `mosquitto`) on free loopback ports.
 *
 * @example
 * ```ts
 * const broker = await startMosquitto({ tls: true, password: true });
 * // connect to broker.url with ca: broker.tls?.ca and broker.credentials
 * await broker.stop();
 * ```
 */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<Broker> {
  const dir = await mkdtemp(join(tmpdir(), 'nara-mosquitto-'));
  await chmod(dir, 0o755);
  const port = await freePort();
  const wsPort = options.websockets ? await freePort() : undefined;
  // mosquitto 2.0.11 refuses to run with only a websockets listener; keep a plain one beside TLS.
  const sidePort = options.websockets && options.tls ? await freePort() : undefined;
  const tlsOptions = options.tls === true ? {} : options.tls === false ? undefined : options.tls;
  const lines = ['persistence false', 'per_listener_settings false', 'log_dest stderr', 'log_type error'];
  lines.push('log_type warning', 'log_type notice', 'connection_messages true');

  let credentials: BrokerCredentials | undefined;
  if (options.password) {
    credentials =
      options.password === true
        ? { username: 'nara', password: randomBytes(12).toString('hex') }
        : options.password;
    const passwd = join(dir, 'passwd');
    await execFileAsync('mosquitto_passwd', ['-b', '-c', passwd, credentials.username, credentials.password]);
    await chmod(passwd, 0o644);
    lines.push('allow_anonymous false', `password_file ${passwd}`);
  } else {
    lines.push('allow_anonymous true');
  }

  let tls: BrokerTls | undefined;
  lines.push(`listener ${port} ${HOST}`);
  if (tlsOptions !== undefined) {
    const pki = await createCa(join(dir, 'pki'));
    const server = await issueCertificate(pki, 'server', tlsOptions.certificate ?? 'valid');
    const client = tlsOptions.clientCertificates
      ? await issueCertificate(pki, 'client', 'client')
      : undefined;
    tls = { ca: pki.ca, caPath: pki.caPath, pki, ...(client ? { client } : {}) };
    lines.push(`cafile ${pki.caPath}`, `certfile ${server.certPath}`, `keyfile ${server.keyPath}`);
    if (tlsOptions.clientCertificates) lines.push('require_certificate true');
  }
  const probeTls: ProbeTls =
    tls === undefined ? false : tls.client ? { cert: tls.client.cert, key: tls.client.key } : {};
  if (sidePort !== undefined) lines.push(`listener ${sidePort} ${HOST}`);
  if (wsPort !== undefined) lines.push(`listener ${wsPort} ${HOST}`, 'protocol websockets');
  if (options.config !== undefined) {
    lines.length = 0;
    let moved = false;
    for (const line of options.config.split('\n')) {
      if (!moved && /^\s*listener\s+\d+/.test(line)) {
        lines.push(`listener ${port} ${HOST}`);
        moved = true;
      } else lines.push(line);
    }
    if (!moved) throw new Error('the mosquitto config has no listener line to move to a test port');
    lines.push('log_dest stderr', 'log_type error', 'log_type warning', 'log_type notice');
  }
  const config = join(dir, 'mosquitto.conf');
  await writeFile(config, `${lines.join('\n')}\n`);
  await chmod(config, 0o644);

  const broker = supervise('mosquitto', 'mosquitto', ['-c', config], process.env, (exited) =>
    waitReady(port, probeTls, exited),
  );
  const launch = (): Promise<void> => broker.start();
  const halt = (signal: 'SIGTERM' | 'SIGKILL'): Promise<void> =>
    signal === 'SIGKILL' ? broker.kill() : broker.stop();

  try {
    await launch();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const forgetDir = track(() => rmSync(dir, { recursive: true, force: true }));
  let removed = false;
  return {
    kind: 'mosquitto',
    host: HOST,
    port,
    url: `${tlsOptions !== undefined ? 'mqtts' : 'mqtt'}://${HOST}:${port}`,
    ...(wsPort !== undefined ? { wsUrl: `ws://${HOST}:${wsPort}` } : {}),
    ...(tls !== undefined ? { tls } : {}),
    ...(credentials !== undefined ? { credentials } : {}),
    async stop() {
      await halt('SIGTERM');
      if (!removed) {
        removed = true;
        forgetDir();
        await rm(dir, { recursive: true, force: true });
      }
    },
    kill: () => halt('SIGKILL'),
    async restart(restartOptions = {}) {
      await halt(restartOptions.kill ? 'SIGKILL' : 'SIGTERM');
      await launch();
    },
  };
}

export interface AedesOptions {
  /** Add a websockets listener (through `ws`). */
  readonly websockets?: boolean;
  /** Require a username and password; `true` makes random ones. */
  readonly password?: boolean | BrokerCredentials;
  /** Refuse publishes with a larger payload (aedes has no limit of its own). Default 1 MiB. */
  readonly maxPayloadBytes?: number;
}

/**
 * Starts the embedded aedes broker in this process on free loopback ports, with the plaza app's 1 s drain
 * timeout (so one frozen subscriber cannot stall the others) and a payload cap; not the app's broker
 * (apps/nara/src/broker.ts): its cap is 1 MiB by default (the app's 64 KiB), 32 topic levels (the app's 16),
 * and `$` topics are not refused.
 */
export async function startAedes(options: AedesOptions = {}): Promise<Broker> {
  const port = await freePort();
  const wsPort = options.websockets ? await freePort() : undefined;
  const maxPayloadBytes = options.maxPayloadBytes ?? 1024 * 1024;
  const credentials =
    options.password === true
      ? { username: 'nara', password: randomBytes(12).toString('hex') }
      : options.password || undefined;

  let broker: Aedes | undefined;
  let server: Server | undefined;
  let http: HttpServer | undefined;
  let wss: WebSocketServer | undefined;
  const sockets = new Set<Socket>();
  let untrack: () => void = () => {};

  const launch = async (): Promise<void> => {
    const instance = await Aedes.createBroker({
      drainTimeout: 1_000,
      maxTopicLevels: 32,
      authorizePublish: (_client, packet, callback) => {
        if (packet.payload.length > maxPayloadBytes) callback(new Error('payload too large'));
        else callback(null);
      },
      ...(credentials !== undefined
        ? {
            authenticate: (_client, username, password, done) => {
              const ok =
                username === credentials.username && password?.toString('utf8') === credentials.password;
              if (ok) done(null, true);
              else
                done(Object.assign(new Error('bad username or password'), { returnCode: 4 as const }), false);
            },
          }
        : {}),
    });
    broker = instance;
    const tcp = createServer((socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      instance.handle(socket);
    });
    tcp.listen(port, HOST);
    await once(tcp, 'listening');
    server = tcp;
    if (wsPort !== undefined) {
      const httpServer = createHttpServer();
      const webSockets = new WebSocketServer({ server: httpServer });
      webSockets.on('connection', (ws, request) => {
        const stream = createWebSocketStream(ws);
        stream.on('error', () => ws.terminate());
        instance.handle(stream, request);
      });
      httpServer.on('connection', (socket) => {
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
      });
      httpServer.listen(wsPort, HOST);
      await once(httpServer, 'listening');
      http = httpServer;
      wss = webSockets;
    }
    untrack = track(() => {
      for (const socket of sockets) socket.destroy();
      server?.close();
      http?.close();
    });
    await waitReady(port, false);
  };

  const halt = async (abrupt: boolean): Promise<void> => {
    const instance = broker;
    broker = undefined;
    if (instance === undefined) return;
    if (abrupt) for (const socket of sockets) socket.destroy();
    const closing = [
      new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
      new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve())),
    ];
    wss?.close();
    await new Promise<void>((resolve) => instance.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await Promise.all(closing);
    server = undefined;
    http = undefined;
    wss = undefined;
    untrack();
  };

  await launch();
  return {
    kind: 'aedes',
    host: HOST,
    port,
    url: `mqtt://${HOST}:${port}`,
    ...(wsPort !== undefined ? { wsUrl: `ws://${HOST}:${wsPort}` } : {}),
    ...(credentials !== undefined ? { credentials } : {}),
    stop: () => halt(false),
    kill: () => halt(true),
    async restart(restartOptions = {}) {
      await halt(restartOptions.kill ?? false);
      await launch();
    },
  };
}

/**
 * Starts mosquitto before the enclosing suite and stops it after, even when a test failed. Read the broker
 * from the returned getter inside tests.
 */
export function useMosquitto(options: MosquittoOptions = {}): () => Broker {
  return useBroker(() => startMosquitto(options));
}

/** {@link useMosquitto} for aedes. */
export function useAedes(options: AedesOptions = {}): () => Broker {
  return useBroker(() => startAedes(options));
}

function useBroker(start: () => Promise<Broker>): () => Broker {
  let broker: Broker | undefined;
  beforeAll(async () => {
    broker = await start();
  });
  afterAll(async () => {
    await broker?.stop();
  });
  return () => {
    if (broker === undefined) throw new Error('the broker is not started yet (use it inside a test)');
    return broker;
  };
}
