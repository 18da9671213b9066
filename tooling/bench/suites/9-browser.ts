/**
 * Issue 16: the dashboard's figures, measured in Debian's Chromium (playwright-core) in the same run.
 *
 * - browser.pipeline: the standalone page's receive pipeline (WebCrypto Ed25519 under the policy, then the
 *   registry) over 4,000 distinct newspapers from 1,000 senders, against a bare `crypto.subtle.verify` of
 *   the same signatures; both timed in the page, in interleaved windows.
 * - browser.frames: the built dashboard in standalone mode on mosquitto's WebSocket listener, with 1,000
 *   naras and 200 newspapers a second signed live here; the median frame's main-thread CPU time (a trace's
 *   thread time, not wall time: the machine is shared) against the 16 ms of a 60 Hz frame.
 */
import { fileURLToPath } from 'node:url';
import { createSigner, signEnvelope } from '@nara/envelope/node';
import mqtt from 'mqtt';
import { type Broker, startMosquitto } from '../../src/brokers.js';
import { bundleForPage, launchChromium, serveDirectory } from '../../src/chromium.js';
import type { CustomMeasurement, Figure, MeasureOptions } from '../measure.js';
import { stats } from '../measure.js';
import { makeMessages, nameOf, naraIdOf, seedOf, T0, typicalStatus } from '../plaza.js';

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const WEB_DIR = fileURLToPath(new URL('../../../apps/nara/dist/web/', import.meta.url));

async function pipelineFigure(options: MeasureOptions): Promise<CustomMeasurement> {
  const { messages } = makeMessages(1000, 4);
  const input = messages.map((m) => ({
    topic: m.topic,
    bytes: b64(m.bytes),
    toBeSigned: b64(m.toBeSigned),
    signature: b64(m.signature),
    publicKey: b64(m.publicKey),
    sender: m.sender,
  }));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    // localhost is a secure context, where WebCrypto is exposed.
    await page.route('http://localhost/bench', (r) =>
      r.fulfill({ contentType: 'text/html', body: '<!doctype html>' }),
    );
    await page.goto('http://localhost/bench');
    await page.addScriptTag({
      content: await bundleForPage(new URL('../browser/pipeline-page.ts', import.meta.url)),
    });
    const windowMs = Math.max(300, options.windowMs);
    const out = await page.evaluate(
      ([i, w, ms, now]) =>
        (
          globalThis as unknown as {
            benchPipeline: (
              ...a: unknown[]
            ) => Promise<{ backend: string; pipeline: number[]; baseline: number[] }>;
          }
        ).benchPipeline(i, w, ms, now),
      [input, options.windows, windowMs, T0 + 5_000] as const,
    );
    if (out.backend !== 'webcrypto') throw new Error(`the page verified with ${out.backend}, not WebCrypto`);
    return {
      subject: {
        label: 'in-page pipeline (WebCrypto verifier + registry)',
        ...stats(out.pipeline, 'msgs/s'),
      },
      baseline: { label: 'bare crypto.subtle.verify', ...stats(out.baseline, 'verifies/s') },
      ratios: out.pipeline.map((p, i) => p / out.baseline[i]!),
      extra: { chromium: browser.version(), messages: input.length },
    };
  } finally {
    await browser.close();
  }
}

const PEERS = 1000;
const RATE = 200;

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/**
 * The renderer main thread's CPU time per frame, from a Chromium trace: every top-level task's thread time
 * (`tdur`: CPU, not wall, so the figure holds on a shared machine) summed between consecutive frame starts
 * (`BeginMainThreadFrame`). Frames with no main-thread work in between are not frames of this page.
 */
function framesFromTrace(events: TraceEvent[]): number[] {
  const main = events.find(
    (e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain',
  );
  if (main === undefined) throw new Error('no renderer main thread in the trace');
  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid);
  const starts = onMain
    .filter((e) => e.name === 'BeginMainThreadFrame')
    .map((e) => e.ts)
    .sort((x, y) => x - y);
  const tasks = onMain
    .filter((e) => (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && e.ph === 'X')
    .sort((x, y) => x.ts - y.ts);
  const frames: number[] = [];
  let t = 0;
  for (let i = 0; i + 1 < starts.length; i++) {
    let cpu = 0;
    while (t < tasks.length && tasks[t]!.ts < starts[i]!) t++;
    while (t < tasks.length && tasks[t]!.ts < starts[i + 1]!) cpu += tasks[t++]!.tdur ?? 0;
    frames.push(cpu / 1000);
  }
  return frames;
}

async function framesFigure(options: MeasureOptions): Promise<CustomMeasurement> {
  const quick = options.windowMs < 250;
  const broker: Broker = await startMosquitto({ websockets: true });
  const site = await serveDirectory(WEB_DIR);
  const browser = await launchChromium();
  const client = mqtt.connect(broker.url, { clientId: 'bench-frames' });
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    const signers = Array.from({ length: PEERS }, (_, i) => createSigner(seedOf(i)));
    const seqs = new Array<number>(PEERS).fill(0);
    const epochs = signers.map((_, i) => Uint8Array.of(9, 8, 7, 6, 5, 4, (i >> 8) & 0xff, i & 0xff));
    const publish = (i: number) => {
      const topic = `nara/plaza/newspaper/${nameOf(i)}`;
      const time = Date.now();
      const bytes = signEnvelope(signers[i]!, topic, {
        kind: 'newspaper',
        name: nameOf(i),
        naraId: naraIdOf(i),
        epoch: epochs[i]!,
        seq: ++seqs[i]!,
        time,
        body: { status: typicalStatus, next: time + 60_000 },
      });
      client.publish(topic, Buffer.from(bytes));
    };
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${site.url}?mqtt=${encodeURIComponent(broker.wsUrl!)}`);
    await page.waitForFunction(() => document.querySelector('#link')?.getAttribute('data-state') === 'live');
    for (let i = 0; i < PEERS; i++) {
      publish(i);
      if (i % 100 === 99) await new Promise((r) => setTimeout(r, 50));
    }
    await page.waitForFunction(
      (n) => {
        const d = (globalThis as unknown as { naraDashboard: { store: { peers: Map<string, unknown> } } })
          .naraDashboard;
        return d.store.peers.size >= n;
      },
      PEERS,
      { timeout: 60_000 },
    );
    const cdp = await page.context().newCDPSession(page);
    const windows = quick ? 2 : options.windows;
    const windowMs = quick ? 1_500 : 3_000;
    const medians: number[] = [];
    const p95s: number[] = [];
    const counts: number[] = [];
    let next = 0;
    for (let w = 0; w < windows; w++) {
      const events: TraceEvent[] = [];
      const collect = (e: { value: object[] }) => events.push(...(e.value as TraceEvent[]));
      cdp.on('Tracing.dataCollected', collect);
      await cdp.send('Tracing.start', {
        categories: 'toplevel,devtools.timeline,disabled-by-default-devtools.timeline.frame',
        transferMode: 'ReportEvents',
      });
      const started = Date.now();
      let sent = 0;
      while (Date.now() - started < windowMs) {
        const due = Math.floor(((Date.now() - started) * RATE) / 1000);
        for (; sent < due; sent++) publish(next++ % PEERS);
        await new Promise((r) => setTimeout(r, 5));
      }
      const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
      await cdp.send('Tracing.end');
      await complete;
      cdp.off('Tracing.dataCollected', collect);
      const frames = framesFromTrace(events).sort((x, y) => x - y);
      if (frames.length < 10) throw new Error(`only ${frames.length} frames in a ${windowMs} ms window`);
      counts.push(frames.length);
      medians.push(frames[Math.floor(frames.length / 2)]!);
      p95s.push(frames[Math.floor(frames.length * 0.95)]!);
    }
    const budget = 16;
    return {
      subject: {
        label: `median frame (main-thread CPU), ${PEERS} naras, ${RATE} msgs/s`,
        ...stats(medians, 'ms'),
      },
      baseline: { label: '60 Hz frame budget', median: budget, min: budget, max: budget, unit: 'ms' },
      ratios: medians.map((m) => m / budget),
      extra: {
        p95FrameMs: stats(p95s, 'ms'),
        framesPerWindow: counts,
        windowMs,
        chromium: browser.version(),
      },
    };
  } finally {
    client.end(true);
    await browser.close();
    await site.close();
    await broker.stop();
  }
}

export const figures: Figure[] = [
  {
    kind: 'custom',
    name: 'browser.pipeline',
    description:
      "the standalone page's receive pipeline in Chromium (WebCrypto Ed25519 under the plaza/1 policy, then the registry) over 4,000 newspapers from 1,000 senders, against a bare crypto.subtle.verify of the same signatures, both timed in the page",
    direction: 'at-least',
    goal: 0.8,
    measure: pipelineFigure,
  },
  {
    kind: 'custom',
    name: 'browser.frames',
    description:
      "the built dashboard in Chromium, standalone on mosquitto over WebSockets, 1,000 naras and 200 newspapers/s signed live and verified in the page: the median frame's main-thread CPU time (from a Chromium trace: every task between two frame starts) against a 16 ms frame",
    direction: 'at-most',
    goal: 1,
    measure: framesFigure,
  },
];
