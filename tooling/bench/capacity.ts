/**
 * `pnpm capacity [--json] [--rabbitmq] [--only mosquitto|nats|rabbitmq] [--quick]`: the largest plaza a broker on
 * this machine holds with zero loss.
 *
 * A plaza of simulated naras (capacity/simulated-plaza.ts: one MQTT connection each, subscribed to `nara/#`,
 * one Ed25519 key each, real signed newspapers of @nara/envelope at @nara/newspaper's cadence, counting
 * everything received, one in 100 verifying it and timing it) grows in steps on one broker; each step
 * publishes for a window, then waits for every delivery. A step is held when nothing is lost (every
 * newspaper reached every subscriber) and no sampled delivery arrived later than {@link LATE_MS} after it
 * was signed. The plaza grows by {@link STEP} until a step is not held, then tries the size halfway back:
 * the figure is the largest size held. Brokers: one mosquitto, and the three-node NATS cluster of
 * deploy/nats-cluster (tooling/src/clustered-brokers.ts, naras spread over the nodes); `--rabbitmq` adds a
 * RabbitMQ node of the tests' own (its start alone takes 10 to 30 s, beyond the budget: see SCALING.md).
 * Beside each, the broker's ceiling with mosquitto's own C clients (capacity/c-clients.ts): 100
 * `mosquitto_sub` on `nara/#` and one `mosquitto_pub` sending the same signed newspaper flat out.
 *
 * The choices, so that the whole run stays under 5 minutes on this machine:
 * - **Cadence: chattiness 100**, a newspaper every 27 to 30 s (the protocol's fastest), phases drawn at
 *   random so the plaza's rate is steady from the first second. At the mean cadence (T = 167 s, SCALING.md)
 *   the same broker load N²/T comes from a plaza sqrt(167 / 28.5) = 2.4 times larger; the figure is given
 *   both ways. A slower cadence would need windows of minutes to see every nara publish.
 * - **Windows of 10 s**: a third of a round at chattiness 100, about N/3 newspapers each delivered N
 *   times (330,000 deliveries at 1,000 naras); a broker behind its load by even 10 % is a second late
 *   within it. After a window, up to 5 s (2 s without a delivery) for what is still on its way.
 * - **Late: over 1 s** from signing to receipt. A broker that keeps up delivers in milliseconds to a few
 *   hundred (the naras and the broker share two cores); a second is a queue that grows.
 * - **Steps of 250 naras from 250**, then one step halfway back: a 12 % resolution near 1,000 naras.
 *
 * Broker, simulated naras and C clients share the machine's cores (2, shared with other work): the figures
 * are this machine's, and vary between runs. Prints a table; `--json` writes docs/capacity.json and the
 * generated part of docs/SCALING.md (not with `--only`, which runs one broker and prints). `--quick`: windows of 3 s
 * and steps of 100 up to 300 (a smoke run).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { nominalIntervalMs } from '@nara/newspaper';
import { startMosquitto } from '../src/brokers.js';
import { startNats, startRabbitMq } from '../src/clustered-brokers.js';
import { type CClientsResult, measureCClients } from './capacity/c-clients.js';
import { SimulatedPlaza, sampleNewspaper, type WindowResult } from './capacity/simulated-plaza.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
const wanted = (key: string) =>
  only === undefined ? key !== 'rabbitmq' || args.includes('--rabbitmq') : only === key;
const CHATTINESS = 100;
/** The mean of the jittered interval at {@link CHATTINESS} (27 to 30 s). */
const INTERVAL_S = (nominalIntervalMs(CHATTINESS) * 0.95) / 1000;
/** The plaza model's mean interval (docs/SCALING.md §1). */
const MEAN_INTERVAL_S = 167;
const WINDOW_MS = quick ? 3_000 : 10_000;
const LATE_MS = 1_000;
const STEP = quick ? 100 : 250;
const MAX_NARAS = quick ? 300 : 4_000;
const C_RECEIVERS = 100;
const C_MESSAGES = quick ? 200 : 2_000;

interface Step extends WindowResult {
  held: boolean;
}

interface BrokerResult {
  broker: string;
  steps: Step[];
  /** The largest plaza held at chattiness 100, and the deliveries a second it asked for and got. */
  largestHeld: number | null;
  heldDemandPerSecond: number | null;
  heldDeliveredPerSecond: number | null;
  /** The plaza that asks the broker for as many deliveries at the mean cadence: sqrt(demand × 167 s). */
  plazaAtMeanCadence: number | null;
  cClients: CClientsResult;
  seconds: number;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

function held(r: WindowResult): boolean {
  return (
    r.lost === 0 && r.late === 0 && r.connectionsLost === 0 && Object.keys(r.verifyFailures).length === 0
  );
}

async function ramp(name: string, ports: readonly number[]): Promise<Step[]> {
  const plaza = new SimulatedPlaza({ ports, chattiness: CHATTINESS, lateMs: LATE_MS });
  const steps: Step[] = [];
  const run = async (size: number): Promise<Step> => {
    if (size > plaza.size) await plaza.grow(size);
    else await plaza.shrink(size);
    await plaza.settle();
    const r = await plaza.window(WINDOW_MS);
    const step = { ...r, held: held(r) };
    steps.push(step);
    log(
      `capacity: ${name} ${size} naras: ${r.delivered}/${r.expected} delivered (${r.deliveredPerSecond}/s), lost ${r.lost}, latency p99 ${r.latencyMs.p99} ms max ${r.latencyMs.max} ms, ${step.held ? 'held' : 'NOT held'}`,
    );
    return step;
  };
  try {
    let size = STEP;
    let last = await run(size);
    while (last.held && size + STEP <= MAX_NARAS) {
      size += STEP;
      last = await run(size);
    }
    if (!last.held && size > STEP) await run(size - STEP / 2);
  } finally {
    await plaza.close();
  }
  return steps;
}

async function measureBroker(
  broker: string,
  start: () => Promise<{ ports: readonly number[]; stop(): Promise<void> }>,
  payload: Uint8Array,
): Promise<BrokerResult> {
  const t0 = Date.now();
  const started = await start();
  try {
    const steps = await ramp(broker, started.ports);
    const best = steps.filter((s) => s.held).sort((a, b) => b.naras - a.naras)[0];
    log(`capacity: ${broker}: ${C_RECEIVERS} mosquitto_sub, ${C_MESSAGES} messages flat out ...`);
    const cClients = await measureCClients(started.ports, C_RECEIVERS, C_MESSAGES, payload);
    return {
      broker,
      steps,
      largestHeld: best?.naras ?? null,
      heldDemandPerSecond: best?.demandPerSecond ?? null,
      heldDeliveredPerSecond: best?.deliveredPerSecond ?? null,
      plazaAtMeanCadence: best ? Math.floor(Math.sqrt(best.demandPerSecond * MEAN_INTERVAL_S)) : null,
      cClients,
      seconds: Math.round((Date.now() - t0) / 1000),
    };
  } finally {
    await started.stop();
  }
}

const n = (x: number | null) => (x === null ? '-' : x.toLocaleString('en-US'));

function summaryTable(results: BrokerResult[]): string {
  return [
    '| broker | largest plaza held, chattiness 100 | deliveries/s it asked (N²/T) | delivered/s | same load at T = 167 s | C clients, flat out: delivered/s (lost) | plaza / C clients |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${r.broker} | ${n(r.largestHeld)} naras | ${n(r.heldDemandPerSecond)} | ${n(r.heldDeliveredPerSecond)} | ${n(r.plazaAtMeanCadence)} naras | ${n(r.cClients.deliveredPerSecond)} (${n(r.cClients.lost)}) | ${r.heldDeliveredPerSecond === null ? '-' : (r.heldDeliveredPerSecond / r.cClients.deliveredPerSecond).toFixed(2)} |`,
    ),
  ].join('\n');
}

function stepsTable(results: BrokerResult[]): string {
  return [
    '| broker | naras | newspapers | deliveries expected | delivered | lost | delivered/s | latency p50 / p99 / max (ms) | late (> 1 s) | verified (refused) | |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...results.flatMap((r) =>
      r.steps.map(
        (s) =>
          `| ${r.broker} | ${n(s.naras)} | ${n(s.published)} | ${n(s.expected)} | ${n(s.delivered)} | ${n(s.lost)} | ${n(s.deliveredPerSecond)} | ${s.latencyMs.p50} / ${s.latencyMs.p99} / ${s.latencyMs.max} | ${n(s.late)} | ${n(s.verified)} (${Object.values(s.verifyFailures).reduce((a, b) => a + b, 0)}) | ${s.held ? 'held' : '**not held**'} |`,
      ),
    ),
  ].join('\n');
}

function writeGenerated(report: { date: string; durationSeconds: number; results: BrokerResult[] }): void {
  const path = new URL('../../docs/SCALING.md', import.meta.url);
  const start = '<!-- capacity:start -->';
  const end = '<!-- capacity:end -->';
  const body = [
    start,
    `Last run: ${report.date}, ${report.durationSeconds} s, on this project's machine (2 cores shared with other work; the simulated naras and the C clients run on the same cores as the broker). Simulated naras at chattiness 100 (a newspaper every ${(INTERVAL_S).toFixed(1)} s on average), windows of ${WINDOW_MS / 1000} s, late = over ${LATE_MS / 1000} s.`,
    '',
    summaryTable(report.results),
    '',
    'Every step:',
    '',
    stepsTable(report.results),
    end,
  ].join('\n');
  const current = readFileSync(path, 'utf8');
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  if (from < 0 || to < 0) throw new Error(`docs/SCALING.md: markers ${start} and ${end} not found`);
  writeFileSync(path, current.slice(0, from) + body + current.slice(to + end.length));
}

/** Each broker: started on free loopback ports, the MQTT port of every node, stopped. */
const BROKERS: ReadonlyArray<{
  key: string;
  name: string;
  start: () => Promise<{ ports: readonly number[]; stop(): Promise<void> }>;
}> = [
  {
    key: 'mosquitto',
    name: 'mosquitto 2.0',
    start: async () => {
      const m = await startMosquitto();
      return { ports: [m.port], stop: () => m.stop() };
    },
  },
  {
    key: 'nats',
    name: 'NATS 2.9, 3-node cluster',
    start: async () => {
      const c = await startNats({ nodes: 3 });
      return { ports: c.nodes.map((node) => node.port), stop: () => c.stop() };
    },
  },
  {
    key: 'rabbitmq',
    name: 'RabbitMQ 3.10 (MQTT plugin)',
    start: async () => {
      const r = await startRabbitMq();
      return { ports: [r.port], stop: () => r.stop() };
    },
  },
];

async function main(): Promise<void> {
  const t0 = Date.now();
  const payload = sampleNewspaper();
  const results: BrokerResult[] = [];
  for (const broker of BROKERS)
    if (wanted(broker.key)) results.push(await measureBroker(broker.name, broker.start, payload));
  const report = {
    date: new Date().toISOString(),
    durationSeconds: Math.round((Date.now() - t0) / 1000),
    chattiness: CHATTINESS,
    meanIntervalSeconds: INTERVAL_S,
    modelIntervalSeconds: MEAN_INTERVAL_S,
    windowMs: WINDOW_MS,
    lateMs: LATE_MS,
    step: STEP,
    newspaperBytes: payload.length,
    results,
  };
  console.log(
    `\n${summaryTable(results)}\n\n${stepsTable(results)}\n\nThe run took ${report.durationSeconds} s.`,
  );
  if (args.includes('--json') && !quick && only === undefined) {
    writeFileSync(
      new URL('../../docs/capacity.json', import.meta.url),
      `${JSON.stringify(report, null, 2)}\n`,
    );
    writeGenerated(report);
    log('capacity: wrote docs/capacity.json and docs/SCALING.md');
  }
}

await main();
