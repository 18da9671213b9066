/**
 * Issue 8's benchmark 7, restated by issue 17: what a nara's CPU costs per delivered newspaper, everything
 * but the signature check, against an unsigned harness. 200 naras in this process (the app's own
 * startServedNara, MQTT transport, verifier and registry) on a real mosquitto on loopback at an accelerated
 * newspaper cadence, against the same harness with 200 plain mqtt.js clients publishing the same status as
 * unsigned Go-style JSON on the same topics at the same cadence, parsed with JSON.parse on receipt.
 *
 * Counted: newspapers delivered from another sender and accepted (signed: verified, schema-checked, applied to
 * the receiver's registry; unsigned: JSON.parse gave an object with a `From`), and this process's CPU time
 * (process.cpuUsage, user + system; the broker's CPU is its own process and counted on neither side). The
 * 200 naras share one verifier without its verify-once cache, so every delivery's signature is checked by
 * its receiver, as in 200 processes (only the once-per-key policy verdict is shared, which 200 processes
 * would each pay once per peer, at its first message).
 *
 * The signature check is measured on the same messages in the same run: the verifier's Ed25519 backend is
 * the default one wrapped (a public `Ed25519Backend`) so that it counts its calls in each window; before the
 * windows it keeps 2,000 (key, Sig_structure, signature) it is asked about, and after each window the bare
 * backend checks those again in 3 passes of 200 ms, timed in CPU; one check's cost is the median of the 9
 * passes. The figure, per window: (signed CPU per delivery − signature
 * checks per delivery × one check's CPU) / unsigned CPU per delivery; goal at most 1.2.
 */

// The built package, as the app's naras (tooling/soak/plaza.ts) get it.
import {
  createVerifier,
  type Ed25519Backend,
  type EnvelopeVerifier,
  resolveBackend,
} from '@nara/envelope/node';
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
  /** Signature checks made in the window (signed runs). */
  checks: number;
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** Counts deliveries and CPU over consecutive windows of equal length. */
async function windows(
  count: number,
  windowMs: number,
  delivered: () => number,
  checks: () => number = () => 0,
  afterEach: () => void = () => {},
): Promise<Window[]> {
  const out: Window[] = [];
  for (let i = 0; i < count; i++) {
    const d0 = delivered();
    const v0 = checks();
    const c0 = cpuMs();
    const t0 = performance.now();
    await sleep(windowMs);
    out.push({
      delivered: delivered() - d0,
      cpuMs: cpuMs() - c0,
      wallMs: performance.now() - t0,
      checks: checks() - v0,
    });
    afterEach();
  }
  return out;
}

/** How many calls to keep for the timing of the signature check alone. */
const KEPT_CHECKS = 2_000;

/**
 * The default Ed25519 backend, wrapped: it counts every signature check, and when asked (`keep()`) copies
 * the next {@link KEPT_CHECKS} checks' arguments, so the bare backend can check the same messages again.
 */
function recordingBackend(): {
  backend: Ed25519Backend;
  checks: () => number;
  keep: () => void;
  kept: () => Array<{ key: unknown; message: Uint8Array; signature: Uint8Array }>;
  inner: Ed25519Backend;
} {
  const inner = resolveBackend('auto');
  let checks = 0;
  let keeping = false;
  const kept: Array<{ key: unknown; message: Uint8Array; signature: Uint8Array }> = [];
  const backend: Ed25519Backend = {
    name: inner.name,
    importKey: (publicKey) => inner.importKey(publicKey),
    verify(key, message, signature) {
      checks++;
      if (keeping && kept.length < KEPT_CHECKS)
        kept.push({ key, message: message.slice(), signature: signature.slice() });
      return inner.verify(key, message, signature);
    },
    createSigner: (seed) => inner.createSigner(seed),
  };
  return {
    backend,
    checks: () => checks,
    keep: () => {
      keeping = true;
    },
    kept: () => kept,
    inner,
  };
}

/**
 * One signature check's CPU time (µs): the bare backend's `verify` of the same (key, Sig_structure,
 * signature) the verifier asked about, in a pass of at least 200 ms of CPU.
 */
function signatureCheckUs(
  inner: Ed25519Backend,
  kept: Array<{ key: unknown; message: Uint8Array; signature: Uint8Array }>,
): number {
  if (kept.length === 0) throw new Error('no signature check was kept: the signed run delivered nothing');
  const c0 = cpuMs();
  let n = 0;
  let bad = 0;
  while (cpuMs() - c0 < 200) {
    for (const k of kept) if (!inner.verify(k.key, k.message, k.signature)) bad++;
    n += kept.length;
  }
  if (bad > 0) throw new Error(`${bad} kept signatures did not verify again`);
  return ((cpuMs() - c0) * 1000) / n;
}

async function signedRun(
  count: number,
  windowMs: number,
): Promise<{ w: Window[]; signatureUs: number[]; backend: string; extra: Record<string, unknown> }> {
  const recording = recordingBackend();
  const verifier: EnvelopeVerifier = createVerifier({ duplicateCacheSize: 0, backend: recording.backend });
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
    await sleep(SETTLE_MS - 2_000);
    // This run's messages, kept as the verifier asks the backend about them (before the windows: copying
    // them is not the naras' work).
    recording.keep();
    await sleep(2_000);
    const kept = recording.kept();
    const accepted = () => naras.reduce((sum, n) => sum + n.tally.acceptedNewspapers, 0);
    const tallied = (pick: (t: PlazaNara['tally']) => number) =>
      naras.reduce((sum, n) => sum + pick(n.tally), 0);
    const rejected = (t: PlazaNara['tally']) =>
      Object.values(t.registryRejections).reduce((a, b) => a + b, 0);
    const failures0 = tallied((t) => t.verificationFailures);
    const rejected0 = tallied(rejected);
    // After each window, the signature check alone on those messages, three times: its cost under that load.
    const signatureUs: number[] = [];
    const w = await windows(count, windowMs, accepted, recording.checks, () => {
      for (let pass = 0; pass < 3; pass++) signatureUs.push(signatureCheckUs(recording.inner, kept));
    });
    return {
      w,
      signatureUs,
      backend: recording.inner.name,
      extra: {
        verificationFailures: tallied((t) => t.verificationFailures) - failures0,
        registryRejections: tallied(rejected) - rejected0,
        checksKept: kept.length,
      },
    };
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

const cpuPerDeliveryUs = (w: Window) => (w.cpuMs * 1000) / Math.max(1, w.delivered);

export const figures: Figure[] = [
  {
    kind: 'custom',
    name: 'end-to-end.200-naras',
    description: `200 naras (the app: MQTT transport, verify, registry) in one process on mosquitto on loopback, a newspaper every ${PERIOD_MS / 1000} s each, every delivery verified by its receiver: this process's CPU per delivered-and-accepted newspaper minus its signature checks (the same messages' Ed25519 checks, timed alone), against 200 mqtt.js clients sending the same status as unsigned JSON, parsed with JSON.parse, on the same topics and cadence`,
    direction: 'at-most',
    goal: 1.2,
    async measure(options: MeasureOptions): Promise<CustomMeasurement> {
      // Fixed, not the speed figures' 250 ms windows: a newspaper round takes 6 s here.
      const quick = options.windowMs < 250;
      const count = 3;
      const windowMs = quick ? 2_000 : 4_000;
      const signed = await signedRun(count, windowMs);
      const unsigned = await unsignedRun(count, windowMs);
      const signature = stats(signed.signatureUs, 'µs');
      // One check's cost: the median of the passes after each window (a single pass can land on a burst of
      // another process's work, and a window's figure must not hang on it).
      const withoutSignature = signed.w.map(
        (w) => cpuPerDeliveryUs(w) - (signature.median * w.checks) / Math.max(1, w.delivered),
      );
      const unsignedUs = unsigned.map(cpuPerDeliveryUs);
      const ratios = withoutSignature.map((us, i) => us / (unsignedUs[i] as number));
      const rate = (ws: Window[]) => ws.map((w) => (w.delivered * 1000) / w.wallMs);
      const summary = (ws: Window[]) => ({
        deliveredPerSecond: stats(rate(ws), 'msgs/s'),
        cpuPerMessageUs: stats(ws.map(cpuPerDeliveryUs), 'µs'),
        cpuShareOfOneCore: stats(
          ws.map((w) => w.cpuMs / w.wallMs),
          '',
        ),
        delivered: ws.reduce((sum, w) => sum + w.delivered, 0),
      });
      return {
        subject: {
          label: 'signed, every delivery verified: CPU per delivery without the signature check',
          ...stats(withoutSignature, 'µs/msg'),
        },
        baseline: { label: 'unsigned JSON over plain mqtt.js', ...stats(unsignedUs, 'µs/msg') },
        ratios,
        extra: {
          naras: NARAS,
          newspaperPeriodMs: PERIOD_MS,
          windowMs,
          signatureCheck: {
            backend: signed.backend,
            perCheckUs: signature,
            checksPerDelivery: signed.w.map((w) => w.checks / Math.max(1, w.delivered)),
          },
          signed: { ...summary(signed.w), ...signed.extra },
          unsigned: summary(unsigned),
        },
      };
    },
  },
];
