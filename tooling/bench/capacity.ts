/**
 * `pnpm capacity`: how many deliveries a second a broker on this machine carries to a plaza's fan-out, with
 * mosquitto's own C clients (`mosquitto_sub` as receivers, one `mosquitto_pub` as the sender), on one
 * mosquitto and on the three-node NATS cluster of deploy/nats-cluster (receivers spread over the nodes).
 * For each number of receivers S, one sender publishes M newspaper-sized messages (336 bytes, the size of a
 * typical signed newspaper in BENCHMARKS.md) as fast as it can on `nara/plaza/newspaper/…`; every receiver
 * subscribes to `nara/#`. The figure is delivered messages a second (received by all receivers / time from
 * the first publish to the last receipt) and how many were lost (QoS 0: a broker drops for a receiver that
 * falls behind). A plaza of N naras with a newspaper every T seconds each asks for N²/T deliveries a
 * second: the largest plaza a broker holds is sqrt(rate × T). Prints a table; `--json` writes
 * docs/capacity.json. The machine is shared: figures vary between runs.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { startMosquitto } from '../src/brokers.js';
import { startNats } from '../src/clustered-brokers.js';

const MESSAGES = 2_000;
const PAYLOAD = 'x'.repeat(336);
const RECEIVERS = [10, 25, 50, 100];
/** The mean newspaper interval of the plaza model (docs/SCALING.md). */
const MEAN_INTERVAL_S = 167;

interface Row {
  broker: string;
  receivers: number;
  sent: number;
  delivered: number;
  lost: number;
  seconds: number;
  perSecond: number;
  plazaAtZeroLoss: number | null;
}

function receiver(port: number): { proc: ChildProcess; count: () => number; done: Promise<unknown> } {
  const proc = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(port), '-t', 'nara/#'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let lines = 0;
  proc.stdout?.on('data', (chunk: Buffer) => {
    for (const byte of chunk) if (byte === 0x0a) lines++;
  });
  return { proc, count: () => lines, done: once(proc, 'exit') };
}

async function measure(broker: string, ports: number[], receivers: number): Promise<Row> {
  const subs = Array.from({ length: receivers }, (_, i) => receiver(ports[i % ports.length] as number));
  // Subscribed: a marker published until every receiver has it (then it counts one message less).
  const sender = ports[0] as number;
  for (let tries = 0; tries < 200 && subs.some((s) => s.count() === 0); tries++) {
    spawn('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(sender), '-t', 'nara/plaza/marker', '-m', 'm']);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const before = subs.map((s) => s.count());
  const start = process.hrtime.bigint();
  const pub = spawn(
    'mosquitto_pub',
    [
      '-h',
      '127.0.0.1',
      '-p',
      String(sender),
      '-t',
      'nara/plaza/newspaper/capacity',
      '-m',
      PAYLOAD,
      '--repeat',
      String(MESSAGES),
    ],
    { stdio: 'ignore' },
  );
  await once(pub, 'exit');
  // Until every receiver has its messages, or nothing more arrives for a second (the rest is lost).
  let last = -1;
  let lastChange = Date.now();
  let end = process.hrtime.bigint();
  for (;;) {
    const total = subs.reduce((sum, s, i) => sum + s.count() - (before[i] ?? 0), 0);
    if (total !== last) {
      last = total;
      lastChange = Date.now();
      end = process.hrtime.bigint();
    }
    if (total >= receivers * MESSAGES || Date.now() - lastChange > 1_000) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  for (const s of subs) s.proc.kill('SIGKILL');
  await Promise.all(subs.map((s) => s.done));
  const seconds = Number(end - start) / 1e9;
  const delivered = Math.min(last, receivers * MESSAGES);
  const perSecond = delivered / seconds;
  const lost = receivers * MESSAGES - delivered;
  return {
    broker,
    receivers,
    sent: MESSAGES,
    delivered,
    lost,
    seconds: Math.round(seconds * 1000) / 1000,
    perSecond: Math.round(perSecond),
    plazaAtZeroLoss: lost === 0 ? Math.floor(Math.sqrt(perSecond * MEAN_INTERVAL_S)) : null,
  };
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const mosquitto = await startMosquitto();
  try {
    for (const s of RECEIVERS) rows.push(await measure('mosquitto', [mosquitto.port], s));
  } finally {
    await mosquitto.stop();
  }
  const nats = await startNats({ nodes: 3 });
  try {
    for (const s of RECEIVERS)
      rows.push(
        await measure(
          'nats-cluster-3',
          nats.nodes.map((n) => n.port),
          s,
        ),
      );
  } finally {
    await nats.stop();
  }
  console.log(
    'broker          receivers  delivered  lost     seconds  deliveries/s  plaza (T=167 s, zero loss)',
  );
  for (const r of rows)
    console.log(
      `${r.broker.padEnd(16)}${String(r.receivers).padStart(9)}${String(r.delivered).padStart(11)}${String(r.lost).padStart(6)}${r.seconds.toFixed(2).padStart(12)}${String(r.perSecond).padStart(14)}  ${r.plazaAtZeroLoss ?? '-'}`,
    );
  if (process.argv.includes('--json'))
    writeFileSync(
      new URL('../../docs/capacity.json', import.meta.url),
      `${JSON.stringify({ messages: MESSAGES, payloadBytes: PAYLOAD.length, meanIntervalSeconds: MEAN_INTERVAL_S, rows }, null, 2)}\n`,
    );
}

await main();
