/**
 * A plaza of simulated naras in one process, for `pnpm capacity`. Each simulated nara is what the broker
 * sees of a nara and no more: one MQTT connection subscribed to `nara/#`, one Ed25519 key (its own seed,
 * `createSigner` of @nara/envelope), and a real signed newspaper (`signEnvelope`, a typical status, a fresh
 * time, its next sequence number and the promise of the next one) published at the cadence of
 * @nara/newspaper (`jitteredDelayMs`). It counts what it receives (the framing of tooling/src/mqtt-wire.ts,
 * a few hundred nanoseconds a delivery); one nara in {@link SAMPLE_EVERY} also verifies everything it
 * receives (`verifier.verify`, the check every real nara makes) and notes how long after its signing each
 * newspaper arrived. Without the real naras' per-delivery work (some 25 to 66 µs, docs/SCALING.md §2),
 * thousands of them fit beside the broker on this machine.
 */
import { createSigner, createVerifier, type Signer, signEnvelope } from '@nara/envelope/node';
import { DEFAULT_JITTER, jitteredDelayMs } from '@nara/newspaper';
import { connectWire, portableClientId, type WireClient } from '../../src/mqtt-wire.js';
import { naraIdOf, typicalStatus } from '../plaza.js';

/** One nara in this many verifies what it receives and measures latency (naras 0, 100, 200, ...). */
export const SAMPLE_EVERY = 100;

interface SimulatedNara {
  readonly name: string;
  readonly naraId: string;
  readonly topic: string;
  readonly signer: Signer;
  readonly epoch: Uint8Array;
  seq: number;
  readonly client: WireClient;
  timer?: NodeJS.Timeout;
}

/** What one publishing window gave. */
export interface WindowResult {
  naras: number;
  /** Newspapers published in the window. */
  published: number;
  /** published × naras: every subscriber to `nara/#` gets every newspaper (its own too). */
  expected: number;
  delivered: number;
  /** Not delivered by the end of the wait after the window: lost, or later than that wait. */
  lost: number;
  windowSeconds: number;
  /** Deliveries the plaza asked for a second (expected / window): N²/T, measured. */
  demandPerSecond: number;
  /** From the window's end to the last delivery, when everything arrived (or the wait gave up). */
  drainMs: number;
  /** Deliveries a second, from the window's start to the last delivery. */
  deliveredPerSecond: number;
  /** Deliveries verified by the sampled naras, refusals among them, and their latency (signing to receipt). */
  verified: number;
  verifyFailures: Record<string, number>;
  latencyMs: { p50: number; p99: number; max: number };
  /** Sampled deliveries that arrived more than `lateMs` after they were signed. */
  late: number;
  /** Connections the broker closed during the window. */
  connectionsLost: number;
}

export interface SimulatedPlazaOptions {
  /** The brokers' MQTT ports; nara i connects to ports[i % ports.length]. */
  readonly ports: readonly number[];
  /** The naras' chattiness (their newspaper cadence, @nara/newspaper's `nominalIntervalMs`). */
  readonly chattiness: number;
  /** A sampled delivery later than this after its signing is late. */
  readonly lateMs: number;
  /** Naras connecting at once while the plaza grows. */
  readonly connectBatch?: number;
}

const quantile = (sorted: number[], q: number): number =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class SimulatedPlaza {
  readonly #naras: SimulatedNara[] = [];
  readonly #options: SimulatedPlazaOptions;
  readonly #verifier = createVerifier({ duplicateCacheSize: 0 });
  #latencies: number[] = [];
  #verified = 0;
  #failures: Record<string, number> = {};
  #published = 0;
  #lost = 0;

  constructor(options: SimulatedPlazaOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#naras.length;
  }

  #received(): number {
    let sum = 0;
    for (const n of this.#naras) sum += n.client.received;
    return sum;
  }

  async #connect(i: number): Promise<SimulatedNara> {
    const name = `capacity-${i}`;
    const topic = `nara/plaza/newspaper/${name}`;
    const ports = this.#options.ports;
    const onMessage =
      i % SAMPLE_EVERY === 0
        ? (t: string, payload: Buffer) => {
            const result = this.#verifier.verify(t, new Uint8Array(payload));
            if (result.ok) {
              this.#verified++;
              this.#latencies.push(Date.now() - result.envelope.time);
            } else this.#failures[result.reason] = (this.#failures[result.reason] ?? 0) + 1;
          }
        : undefined;
    const seed = new Uint8Array(32).fill(0xca);
    seed.set([i & 0xff, (i >> 8) & 0xff, (i >> 16) & 0xff]);
    const client = await connectWire({
      port: ports[i % ports.length] as number,
      clientId: portableClientId(`cap${i}x`),
      subscribe: 'nara/#',
      ...(onMessage === undefined ? {} : { onMessage }),
      onLost: () => {
        this.#lost++;
      },
    });
    const epoch = new Uint8Array(8);
    epoch.set([0xca, 0xfe, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff], 3);
    return { name, naraId: naraIdOf(i), topic, signer: createSigner(seed), epoch, seq: 0, client };
  }

  /** Closes the naras beyond `size` (the newest first). */
  async shrink(size: number): Promise<void> {
    const gone = this.#naras.splice(size);
    await Promise.all(gone.map((n) => n.client.close()));
  }

  /** Resolves once nothing has been delivered for `quietMs` (a backlog of an earlier window drained), or after `maxMs`. */
  async settle(quietMs = 1_000, maxMs = 30_000): Promise<void> {
    const start = Date.now();
    let last = this.#received();
    let lastAt = Date.now();
    while (Date.now() - lastAt < quietMs && Date.now() - start < maxMs) {
      await sleep(50);
      const now = this.#received();
      if (now !== last) {
        last = now;
        lastAt = Date.now();
      }
    }
  }

  /** Connects naras until the plaza has `size`, each subscribed before this resolves. */
  async grow(size: number): Promise<void> {
    const batch = this.#options.connectBatch ?? 50;
    while (this.#naras.length < size) {
      const from = this.#naras.length;
      const count = Math.min(batch, size - from);
      this.#naras.push(
        ...(await Promise.all(Array.from({ length: count }, (_, k) => this.#connect(from + k)))),
      );
    }
  }

  #publish(nara: SimulatedNara): void {
    const delay = jitteredDelayMs(this.#options.chattiness, DEFAULT_JITTER, Math.random());
    const time = Date.now();
    const bytes = signEnvelope(nara.signer, nara.topic, {
      kind: 'newspaper',
      name: nara.name,
      naraId: nara.naraId,
      epoch: nara.epoch,
      seq: nara.seq++,
      time,
      body: { status: typicalStatus, next: time + delay },
    });
    nara.client.publish(nara.topic, bytes);
    this.#published++;
    nara.timer = setTimeout(() => this.#publish(nara), delay);
  }

  /**
   * Every nara publishes on its cadence for `ms`, starting at a random phase of its first interval (so the
   * plaza's rate is steady from the first second); then publishing stops and the window waits until every
   * delivery arrived, or until nothing arrived for `quietMs`, or `maxDrainMs` passed (what is missing then
   * is lost).
   */
  async window(ms: number, quietMs = 2_000, maxDrainMs = 5_000): Promise<WindowResult> {
    const naras = this.#naras.length;
    const before = this.#received();
    this.#published = 0;
    this.#latencies = [];
    this.#verified = 0;
    this.#failures = {};
    const lost0 = this.#lost;
    const start = Date.now();
    for (const nara of this.#naras) {
      const first = jitteredDelayMs(this.#options.chattiness, DEFAULT_JITTER, Math.random()) * Math.random();
      nara.timer = setTimeout(() => this.#publish(nara), first);
    }
    await sleep(ms);
    for (const nara of this.#naras) clearTimeout(nara.timer);
    const end = Date.now();
    const expected = this.#published * naras;
    let last = this.#received() - before;
    let lastAt = Date.now();
    while (last < expected && Date.now() - lastAt < quietMs && Date.now() - end < maxDrainMs) {
      await sleep(20);
      const now = this.#received() - before;
      if (now !== last) {
        last = now;
        lastAt = Date.now();
      }
    }
    const delivered = Math.min(last, expected);
    const latencies = this.#latencies.sort((a, b) => a - b);
    const windowSeconds = (end - start) / 1000;
    return {
      naras,
      published: this.#published,
      expected,
      delivered,
      lost: expected - delivered,
      windowSeconds,
      demandPerSecond: Math.round(expected / windowSeconds),
      drainMs: Math.max(0, lastAt - end),
      deliveredPerSecond: Math.round(delivered / ((Math.max(lastAt, end) - start) / 1000)),
      verified: this.#verified,
      verifyFailures: this.#failures,
      latencyMs: {
        p50: quantile(latencies, 0.5),
        p99: quantile(latencies, 0.99),
        max: latencies.at(-1) ?? 0,
      },
      late: latencies.filter((l) => l > this.#options.lateMs).length,
      connectionsLost: this.#lost - lost0,
    };
  }

  async close(): Promise<void> {
    for (const nara of this.#naras) clearTimeout(nara.timer);
    await Promise.all(this.#naras.map((n) => n.client.close()));
    this.#naras.length = 0;
  }
}

/** One real signed newspaper of a simulated nara (the C clients send its bytes). */
export function sampleNewspaper(): Uint8Array {
  const time = Date.now();
  return signEnvelope(createSigner(new Uint8Array(32).fill(0xcb)), 'nara/plaza/newspaper/capacity', {
    kind: 'newspaper',
    name: 'capacity',
    naraId: naraIdOf(0),
    epoch: new Uint8Array(8).fill(0xcb),
    seq: 0,
    time,
    body: { status: typicalStatus, next: time + 30_000 },
  }).slice();
}
