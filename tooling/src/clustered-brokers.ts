/**
 * Brokers beyond one mosquitto, for tests, started from the files of deploy/ with the test's own free
 * loopback ports substituted (so those files stay true): a NATS server or a three-node NATS cluster with
 * MQTT, a RabbitMQ node of the tests' own with the MQTT plugin, and two mosquittos bridged. Never the
 * machine's own services (mosquitto 1883, NATS 4222, RabbitMQ 5672 and its Erlang distribution/epmd):
 * every port here is a free one, the RabbitMQ node has its own name, epmd port, cookie and data directory.
 * Each is stopped at process exit even when a test failed.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { type Broker, freePort, startMosquitto, track, waitReady } from './brokers.js';
import { type Supervised, supervise } from './processes.js';

const HOST = '127.0.0.1';
const DEPLOY = fileURLToPath(new URL('../../deploy/', import.meta.url));

/** A file of deploy/, as text. */
export function deployFile(path: string): string {
  return readFileSync(join(DEPLOY, path), 'utf8');
}

export interface NatsNode extends Supervised {
  readonly name: string;
  /** `mqtt://127.0.0.1:port` of this node's MQTT listener. */
  readonly url: string;
  readonly port: number;
}

export interface NatsCluster {
  readonly nodes: readonly NatsNode[];
  /** Every node's MQTT URL, comma-separated: what `MQTT_URL` takes. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts NATS with MQTT from deploy/nats-cluster/nats.conf: three nodes routed into one cluster (the file
 * as written), or one server (`nodes: 1`, the file without its `cluster` block). Ready when every node
 * answers an MQTT CONNECT, which NATS does only once JetStream (and, clustered, its quorum) is up.
 */
export async function startNats(options: { nodes?: 1 | 3 } = {}): Promise<NatsCluster> {
  const count = options.nodes ?? 3;
  const dir = await mkdtemp(join(tmpdir(), 'nara-nats-'));
  const forgetDir = track(() => rmSync(dir, { recursive: true, force: true }));
  let text = deployFile('nats-cluster/nats.conf');
  if (count === 1) text = text.replace(/^cluster \{[\s\S]*?^\}\n?/m, '');
  const config = join(dir, 'nats.conf');
  await writeFile(config, text);
  const ports = await Promise.all(
    Array.from({ length: count }, async () => ({
      client: await freePort(),
      mqtt: await freePort(),
      route: await freePort(),
    })),
  );
  const nodes: NatsNode[] = ports.map((p, i) => {
    const name = `plaza-${i + 1}`;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NATS_SERVER_NAME: name,
      NATS_LISTEN: `${HOST}:${p.client}`,
      NATS_STORE_DIR: join(dir, name),
      NATS_MQTT_LISTEN: `${HOST}:${p.mqtt}`,
      NATS_CLUSTER_LISTEN: `${HOST}:${p.route}`,
    };
    ports.forEach((q, j) => {
      env[`NATS_ROUTE_${j + 1}`] = `nats-route://${HOST}:${q.route}`;
    });
    const proc = supervise(`nats-server ${name}`, 'nats-server', ['-c', config], env, (exited) =>
      waitReady(p.mqtt, false, exited, 60_000),
    );
    return Object.assign(proc, { name, url: `mqtt://${HOST}:${p.mqtt}`, port: p.mqtt });
  });
  try {
    // Together: a clustered node waits for the others' routes before its JetStream is ready.
    await Promise.all(nodes.map((n) => n.start()));
  } catch (error) {
    await Promise.all(nodes.map((n) => n.kill()));
    forgetDir();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    nodes,
    url: nodes.map((n) => n.url).join(','),
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
      forgetDir();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface RabbitMq {
  readonly url: string;
  readonly port: number;
  readonly nodeName: string;
  stop(): Promise<void>;
  log(): string;
}

/**
 * Starts a RabbitMQ node of the tests' own with the MQTT plugin, from deploy/rabbitmq (rabbitmq.conf and
 * enabled_plugins) with free loopback ports for MQTT, AMQP, Erlang distribution and its own epmd, its own
 * node name, cookie (HOME) and data directory under a temp dir. Takes seconds (10 to 30 on a busy
 * machine): start it once per test file.
 */
export async function startRabbitMq(): Promise<RabbitMq> {
  const dir = await mkdtemp(join(tmpdir(), 'nara-rabbitmq-'));
  await chmod(dir, 0o700);
  const [mqtt, amqp, dist, epmd] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const config = deployFile('rabbitmq/rabbitmq.conf')
    .replace(/^mqtt\.listeners\.tcp\.default = .*$/m, `mqtt.listeners.tcp.default = ${HOST}:${mqtt}`)
    .replace(/^listeners\.tcp\.default = .*$/m, `listeners.tcp.default = ${HOST}:${amqp}`);
  await writeFile(join(dir, 'rabbitmq.conf'), config);
  await writeFile(join(dir, 'enabled_plugins'), deployFile('rabbitmq/enabled_plugins'));
  const nodeName = `nara${randomBytes(4).toString('hex')}@localhost`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    LANG: 'C.UTF-8',
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_NODE_IP_ADDRESS: HOST,
    RABBITMQ_NODE_PORT: String(amqp),
    RABBITMQ_DIST_PORT: String(dist),
    ERL_EPMD_PORT: String(epmd),
    ERL_EPMD_ADDRESS: HOST,
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_PLUGINS_EXPAND_DIR: join(dir, 'expand'),
    RABBITMQ_PID_FILE: join(dir, 'pid'),
    RABBITMQ_LOGS: '-',
  };
  const killEpmd = (): void => {
    // The node starts an epmd daemon on its own port; it outlives the node unless told to go.
    spawnSync('epmd', ['-kill'], { env, stdio: 'ignore', timeout: 5_000 });
  };
  const untrackEpmd = track(killEpmd);
  const forgetDir = track(() => rmSync(dir, { recursive: true, force: true }));
  const node = supervise(`rabbitmq ${nodeName}`, '/usr/lib/rabbitmq/bin/rabbitmq-server', [], env, (exited) =>
    waitReady(mqtt, false, exited, 120_000),
  );
  const cleanUp = async (): Promise<void> => {
    killEpmd();
    untrackEpmd();
    forgetDir();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await node.start();
  } catch (error) {
    await node.kill();
    await cleanUp();
    throw error;
  }
  return {
    url: `mqtt://${HOST}:${mqtt}`,
    port: mqtt,
    nodeName,
    log: node.log,
    async stop() {
      await node.stop();
      await cleanUp();
    },
  };
}

export interface MosquittoBridge {
  /** plaza-a, which holds the bridge. */
  readonly a: Broker;
  readonly b: Broker;
  stop(): Promise<void>;
}

/**
 * Two mosquittos bridged as deploy/mosquitto-bridge says (`topic nara/# both 0`), on free loopback ports;
 * `tryPrivate: false` turns off the bridge's loop detection, which makes every message come back once.
 * Ready once the bridge is connected (its first probe crossed is the caller's to check).
 */
export async function startMosquittoBridge(options: { tryPrivate?: boolean } = {}): Promise<MosquittoBridge> {
  const b = await startMosquitto({ config: deployFile('mosquitto-bridge/plaza-b.conf') });
  let configA = deployFile('mosquitto-bridge/plaza-a.conf').replace(
    /^address .*$/m,
    `address ${HOST}:${b.port}`,
  );
  if (options.tryPrivate === false) configA = configA.replace(/^try_private true$/m, 'try_private false');
  let a: Broker;
  try {
    a = await startMosquitto({ config: configA });
  } catch (error) {
    await b.stop();
    throw error;
  }
  return {
    a,
    b,
    async stop() {
      await Promise.all([a.stop(), b.stop()]);
    },
  };
}

/** Starts something before the enclosing suite, stops it after; read it inside tests from the getter. */
export function useStarted<T extends { stop(): Promise<void> }>(
  start: () => Promise<T>,
  timeoutMs = 150_000,
): () => T {
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
  }, timeoutMs);
  afterAll(async () => {
    await started?.stop();
  }, 60_000);
  return () => {
    if (started === undefined) throw new Error('not started yet (use it inside a test)');
    return started;
  };
}
