/**
 * The soak: N naras (the app's own startNara and MQTT transport) on a real mosquitto for a while, at an
 * accelerated newspaper cadence, measuring memory over time, verification failures, messages lost and
 * reconnects. On loopback every one of those but memory has the goal 0.
 *
 * Loss is counted from sequence numbers: every message a nara signs in one epoch has the next seq, so a
 * receiver that accepted seqs min..max of a sender's epoch, where max is the highest any receiver saw,
 * lost exactly (max - min + 1) - accepted of them. Messages sent before a receiver was listening do not
 * count as lost.
 */
import type { NaraEvent } from '@nara/plaza';
import { type PlazaNara, sleep, startNaras } from './plaza.js';

export interface SoakOptions {
  /** `mqtt://127.0.0.1:port` of a broker started by the caller (never the one on 1883). */
  readonly url: string;
  readonly naras: number;
  readonly durationMs: number;
  /** Newspaper cadence multiplier (chattiness 100: every 30 s nominal, so 10 gives about 3 s). Default 10. */
  readonly speed?: number;
  /** Memory is sampled this often. Default 10 s. */
  readonly sampleEveryMs?: number;
  readonly onSample?: (sample: MemorySample) => void;
  readonly log?: (line: string) => void;
}

export interface MemorySample {
  /** Seconds since the naras were all connected. */
  readonly t: number;
  readonly rssMb: number;
  readonly heapMb: number;
  /** Peers known, summed over all naras' registries. */
  readonly peers: number;
  /** Messages accepted so far, over all naras. */
  readonly accepted: number;
}

export interface SoakReport {
  readonly naras: number;
  readonly durationMs: number;
  readonly speed: number;
  readonly startupMs: number;
  readonly samples: MemorySample[];
  readonly newspapersPublished: number;
  /** Messages accepted from other naras, over all receivers. */
  readonly deliveries: number;
  /** Messages lost (see the module comment). Goal 0 on loopback. */
  readonly lost: number;
  /** Envelope verification failures on honest traffic. Goal 0. */
  readonly verificationFailures: number;
  /** Registry rejections by reason (replays, stale epochs...). Goal none. */
  readonly registryRejections: Record<string, number>;
  /** Connections lost and reconnections scheduled. Goal 0 on loopback. */
  readonly disconnects: number;
  readonly reconnects: number;
  /** Every nara saw every other nara ONLINE at the end. */
  readonly everyoneOnline: boolean;
  /** Heap after startup (first sample) and at the end, MB. */
  readonly heapStartMb: number;
  readonly heapEndMb: number;
}

interface EpochView {
  min: number;
  count: number;
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const speed = options.speed ?? 10;
  const sampleEveryMs = options.sampleEveryMs ?? 10_000;
  const log = options.log ?? (() => {});
  // Per receiver: `${sender}|${epoch}` -> the seqs it accepted (min and count). Globally: the highest seq.
  const views = new Map<string, Map<string, EpochView>>();
  const highest = new Map<string, number>();
  const observe = (receiver: string) => (event: NaraEvent) => {
    if (event.type !== 'accepted' || event.name === receiver) return;
    const env = event.envelope;
    const key = `${env.name}|${Buffer.from(env.epoch).toString('hex')}`;
    let mine = views.get(receiver);
    if (mine === undefined) {
      mine = new Map();
      views.set(receiver, mine);
    }
    const view = mine.get(key);
    if (view === undefined) mine.set(key, { min: env.seq, count: 1 });
    else {
      view.min = Math.min(view.min, env.seq);
      view.count += 1;
    }
    if ((highest.get(key) ?? -1) < env.seq) highest.set(key, env.seq);
  };

  const started = Date.now();
  log(`soak: starting ${options.naras} naras on ${options.url}, newspaper cadence x${speed}`);
  const naras: PlazaNara[] = await startNaras({
    url: options.url,
    count: options.naras,
    newspaperSpeed: speed,
    chattiness: 100,
    keepaliveSec: 10,
  });
  for (const n of naras) n.node.on(observe(n.name));
  const startupMs = Date.now() - started;
  log(`soak: ${naras.length} naras connected in ${(startupMs / 1000).toFixed(1)} s`);

  const samples: MemorySample[] = [];
  const t0 = Date.now();
  const sample = (): void => {
    const memory = process.memoryUsage();
    const s: MemorySample = {
      t: Math.round((Date.now() - t0) / 1000),
      rssMb: Math.round(memory.rss / 1_048_576),
      heapMb: Math.round(memory.heapUsed / 1_048_576),
      peers: naras.reduce((sum, n) => sum + n.node.registry.size, 0),
      accepted: naras.reduce((sum, n) => sum + n.node.registry.stats().accepted, 0),
    };
    samples.push(s);
    options.onSample?.(s);
  };
  while (Date.now() - t0 < options.durationMs) {
    await sleep(Math.min(sampleEveryMs, options.durationMs - (Date.now() - t0)));
    sample();
  }

  // Stop the newspapers, let the last ones arrive, then judge.
  await Promise.all(naras.map((n) => n.node.halt()));
  await sleep(2000);
  let lost = 0;
  for (const [, mine] of views)
    for (const [key, view] of mine) lost += (highest.get(key) ?? view.min) - view.min + 1 - view.count;
  const everyoneOnline = naras.every((n) =>
    naras.every((m) => m === n || n.node.registry.get(m.name)?.state === 'ONLINE'),
  );
  const registryRejections: Record<string, number> = {};
  for (const n of naras)
    for (const [reason, c] of Object.entries(n.tally.registryRejections))
      registryRejections[reason] = (registryRejections[reason] ?? 0) + c;
  const report: SoakReport = {
    naras: naras.length,
    durationMs: options.durationMs,
    speed,
    startupMs,
    samples,
    newspapersPublished: naras.reduce((s, n) => s + n.tally.publishedNewspapers, 0),
    deliveries: [...views.values()].reduce((s, m) => s + [...m.values()].reduce((a, v) => a + v.count, 0), 0),
    lost,
    verificationFailures: naras.reduce((s, n) => s + n.tally.verificationFailures, 0),
    registryRejections,
    disconnects: naras.reduce((s, n) => s + n.tally.disconnects, 0),
    reconnects: naras.reduce((s, n) => s + n.tally.reconnectAttempts, 0),
    everyoneOnline,
    heapStartMb: samples[0]?.heapMb ?? 0,
    heapEndMb: samples.at(-1)?.heapMb ?? 0,
  };
  await Promise.all(naras.map((n) => n.node.close()));
  return report;
}
