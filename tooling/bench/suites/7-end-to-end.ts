/**
 * Issue 8, benchmark 7: end to end. 200 naras in this process (the app's own startNara, MQTT transport,
 * verifier and registry) on a real mosquitto on loopback at an accelerated newspaper cadence, against the
 * same harness with 200 plain mqtt.js clients publishing the same status as unsigned Go-style JSON on the
 * same topics at the same cadence, parsed with JSON.parse on receipt.
 *
 * Counted: newspapers delivered from another sender and accepted (signed: verified, schema-checked, applied to
 * the receiver's registry; unsigned: JSON.parse gave an object with a `From`), and this process's CPU time
 * (process.cpuUsage, user + system; the broker's CPU is its own process and counted on neither side).
 * The figure is messages per CPU-second, signed over unsigned, per window, windows of equal length.
 * The 200 naras share one verifier: without its verify-once cache for `end-to-end.200-naras` (every delivery
 * verified by its receiver), with it for `end-to-end.200-naras.verify-once` (see `figure` below).
 */

// The built package, as the app's naras (tooling/soak/plaza.ts) get it.
import { createVerifier, type EnvelopeVerifier } from '@nara/envelope/node';
import mqtt, { type MqttClient } from 'mqtt';
import { type PlazaNara, sleep, startOne } from '../../soak/plaza.js';
import { type Broker, startMosquitto } from '../../src/brokers.js';
import type { CustomMeasurement, Figure, MeasureOptions } from '../measure.js';
import { stats } from '../measure.js';
import { goNewspaperJson, naraIdOf } from '../plaza.js';

const NARAS = 200;
/** Chattiness 100 is a newspaper every 30 s nominal; 5 times faster is every 6 s (5.4 to 6 s with jitter). */
const SPEED = 5;
const PERIOD_MS = 30_000 / SPEED;
const JITTER = 0.1;
/** One newspaper round and a second: every nara has heard every other, the startup bursts are over. */
const SETTLE_MS = 7_000;

interface Window {
  delivered: number;
  cpuMs: number;
  wallMs: number;
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** Counts deliveries and CPU over consecutive windows of equal length. */
async function windows(count: number, windowMs: number, delivered: () => number): Promise<Window[]> {
  const out: Window[] = [];
  for (let i = 0; i < count; i++) {
    const d0 = delivered();
    const c0 = cpuMs();
    const t0 = performance.now();
    await sleep(windowMs);
    out.push({ delivered: delivered() - d0, cpuMs: cpuMs() - c0, wallMs: performance.now() - t0 });
  }
  return out;
}

async function signedRun(
  count: number,
  windowMs: number,
  verifier: EnvelopeVerifier,
): Promise<{ w: Window[]; extra: Record<string, unknown> }> {
  const broker = await startMosquitto();
  const naras: PlazaNara[] = [];
  try {
    const options = {
      url: broker.url,
      chattiness: 100,
      newspaperSpeed: SPEED,
      heyThereMaxDelayMs: 1_000,
      keepaliveSec: 30,
      connectTimeoutMs: 20_000,
    };
    for (let i = 0; i < NARAS; i += 10) {
      const batch = Array.from({ length: Math.min(10, NARAS - i) }, (_, j) =>
        startOne(`e2e-signed-${i + j}`, options, verifier),
      );
      naras.push(...(await Promise.all(batch)));
    }
    await sleep(SETTLE_MS);
    const accepted = () => naras.reduce((sum, n) => sum + n.tally.acceptedNewspapers, 0);
    const failures0 = naras.reduce((sum, n) => sum + n.tally.verificationFailures, 0);
    const w = await windows(count, windowMs, accepted);
    const failures = naras.reduce((sum, n) => sum + n.tally.verificationFailures, 0) - failures0;
    return { w, extra: { verificationFailures: failures, duplicatesAnsweredOnce: verifier.duplicates } };
  } finally {
    await Promise.all(naras.map((n) => n.node.close()));
    await broker.stop();
  }
}

async function unsignedRun(count: number, windowMs: number): Promise<Window[]> {
  const broker: Broker = await startMosquitto();
  const clients: MqttClient[] = [];
  const timers: NodeJS.Timeout[] = [];
  let delivered = 0;
  try {
    for (let i = 0; i < NARAS; i += 10) {
      const batch = Array.from({ length: Math.min(10, NARAS - i) }, async (_, j) => {
        const k = i + j;
        const name = `e2e-json-${k}`;
        const topic = `nara/plaza/newspaper/${name}`;
        const client = await mqtt.connectAsync(broker.url, {
          clientId: name,
          keepalive: 30,
          reconnectPeriod: 0,
        });
        client.on('message', (t, payload) => {
          if (t === topic) return;
          const parsed = JSON.parse(payload.toString('utf8')) as { From?: unknown };
          if (typeof parsed.From === 'string') delivered++;
        });
        await client.subscribeAsync('nara/#', { qos: 0 });
        const publish = () => {
          client.publish(topic, goNewspaperJson(name, naraIdOf(k)), { qos: 0, retain: false });
          timers[k] = setTimeout(publish, PERIOD_MS * (1 - JITTER * Math.random()));
        };
        timers[k] = setTimeout(publish, PERIOD_MS * Math.random());
        return client;
      });
      clients.push(...(await Promise.all(batch)));
    }
    await sleep(SETTLE_MS);
    return await windows(count, windowMs, () => delivered);
  } finally {
    for (const t of timers) clearTimeout(t);
    await Promise.all(clients.map((c) => c.endAsync()));
    await broker.stop();
  }
}

const perCpuSecond = (w: Window) => (w.delivered * 1000) / Math.max(w.cpuMs, 0.001);

/**
 * Both figures run the same harness; they differ in the verifier the 200 naras are given. `every-delivery`:
 * one verifier without its verify-once cache, so every delivery's signature is checked by its receiver; only
 * the once-per-key policy verdict (about 1 ms per key) is shared, which 200 separate processes would each pay
 * once when a peer first appears, not per message (separately it is 200 x 199 checks, 40 s of startup here).
 * `verify-once`: one verifier with its verify-once cache, as the demo runs its naras, so a newspaper is
 * verified for the first of its 199 receivers and answered from the cache for the other 198.
 */
function figure(variant: 'every-delivery' | 'verify-once'): Figure {
  const everyDelivery = variant === 'every-delivery';
  return {
    kind: 'custom',
    name: everyDelivery ? 'end-to-end.200-naras' : 'end-to-end.200-naras.verify-once',
    description: `200 naras (the app: MQTT transport, verify, registry) in one process on mosquitto on loopback, a newspaper every ${PERIOD_MS / 1000} s each, ${everyDelivery ? 'every delivery verified by its receiver' : 'one shared verifier with its verify-once cache (as the demo runs them: 1 verify per newspaper, not 199)'}; delivered-and-accepted newspapers per CPU-second of this process, against 200 mqtt.js clients sending the same status as unsigned JSON, parsed with JSON.parse, on the same topics and cadence`,
    direction: 'at-least',
    goal: 0.7,
    async measure(options: MeasureOptions): Promise<CustomMeasurement> {
      // Fixed, not the speed figures' 250 ms windows: a newspaper round takes 6 s here.
      const quick = options.windowMs < 250;
      const count = 3;
      const windowMs = quick ? 2_000 : 4_000;
      const verifier = createVerifier(everyDelivery ? { duplicateCacheSize: 0 } : {});
      const signed = await signedRun(count, windowMs, verifier);
      const unsigned = await unsignedRun(count, windowMs);
      const ratios = signed.w.map((s, i) => perCpuSecond(s) / perCpuSecond(unsigned[i] as Window));
      const rate = (ws: Window[]) => ws.map((w) => (w.delivered * 1000) / w.wallMs);
      const cpuPerMsgUs = (ws: Window[]) => ws.map((w) => (w.cpuMs * 1000) / Math.max(1, w.delivered));
      const summary = (ws: Window[]) => ({
        deliveredPerSecond: stats(rate(ws), 'msgs/s'),
        cpuPerMessageUs: stats(cpuPerMsgUs(ws), 'µs'),
        cpuShareOfOneCore: stats(
          ws.map((w) => w.cpuMs / w.wallMs),
          '',
        ),
        delivered: ws.reduce((sum, w) => sum + w.delivered, 0),
      });
      return {
        subject: {
          label: everyDelivery ? 'signed, every delivery verified' : 'signed, verify-once cache shared',
          ...stats(signed.w.map(perCpuSecond), 'msgs/CPU-s'),
        },
        baseline: {
          label: 'unsigned JSON over plain mqtt.js',
          ...stats(unsigned.map(perCpuSecond), 'msgs/CPU-s'),
        },
        ratios,
        extra: {
          naras: NARAS,
          newspaperPeriodMs: PERIOD_MS,
          windowMs,
          signed: { ...summary(signed.w), ...signed.extra },
          unsigned: summary(unsigned),
        },
      };
    },
  };
}

export const figures: Figure[] = [figure('every-delivery'), figure('verify-once')];
