/**
 * Broker faults against a real mosquitto started here, with naras started by the app's own startNara and
 * MQTT transport (several in one process; tooling/soak/plaza.ts). SIGTERM/SIGKILL of the binary, TLS and
 * passwords are in e2e.test.ts and packages/transport-mqtt/test; docs/SECURITY.md maps each threat to
 * its test.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, useMosquitto } from '@nara/tooling/brokers';
import { afterEach, describe, expect, it } from 'vitest';
import { type PlazaNara, startNaras, startOne, until } from '../../../tooling/soak/plaza.js';
import { renderPrometheus } from '../src/prometheus.js';

const running: PlazaNara[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((n) => n.node.close()));
});

const everyoneSeesEveryone = (naras: PlazaNara[]) => () =>
  naras.every((n) => naras.every((m) => m === n || n.node.registry.get(m.name)?.state === 'ONLINE'));

describe('a broker killed and restarted under 20 naras', () => {
  const broker = useMosquitto();

  it('brings every nara back within the backoff window, each says hey-there again, and the returns spread out', async () => {
    // The seed's 5-35 s window scaled down ten times, so the test takes seconds.
    const backoff = { minMs: 500, maxMs: 3500 };
    const naras = await startNaras({
      url: broker().url,
      count: 20,
      prefix: 'restart',
      backoff,
      keepaliveSec: 2,
      heyThereMaxDelayMs: 300,
      newspaperSpeed: 10,
      // Each nara draws its own delays, from its own seeded source: independent draws, and the same
      // draws on every run, so the spread check below cannot fail by chance.
      seed: 1,
    });
    running.push(...naras);
    await until('all 20 to see each other', everyoneSeesEveryone(naras), 20_000);

    await broker().restart({ kill: true });
    await until('all 20 to reconnect and say hey-there again', () =>
      naras.every((n) => n.tally.connects >= 2 && n.tally.publishedHeyTheres >= 2),
    );

    for (const n of naras) {
      expect(n.tally.disconnects, n.name).toBe(1);
      for (const delay of n.tally.reconnectDelays) {
        expect(delay).toBeGreaterThanOrEqual(backoff.minMs);
        expect(delay).toBeLessThanOrEqual(backoff.maxMs);
      }
    }
    // Spread: when each nara tried again is its own draw from the window. No window of 1/30 of the span
    // (the seed's "one second" of 5-35 s) holds more than a quarter of the first attempts. (Connects that
    // land while mosquitto is still starting complete together when it begins accepting; that is the
    // broker's moment, not the naras' schedule.)
    const attempts = naras.map((n) => n.tally.reconnectDelays[0]!).sort((a, b) => a - b);
    const window = (backoff.maxMs - backoff.minMs) / 30;
    for (let i = 0; i + 5 < attempts.length; i++)
      expect(
        attempts[i + 5]! - attempts[i]!,
        `first attempts after ${attempts.join(', ')} ms`,
      ).toBeGreaterThan(window);
    await until('all 20 to see each other again', everyoneSeesEveryone(naras), 20_000);
  });
});

describe('a broker that is down when naras start', () => {
  const broker = useMosquitto();

  it('is retried with backoff while the naras stay responsive, and they join once it is up', async () => {
    await broker().kill();
    const httpPort = await freePort();
    const options = {
      url: broker().url,
      backoff: { minMs: 100, maxMs: 400 },
      keepaliveSec: 2,
      heyThereMaxDelayMs: 100,
      connectTimeoutMs: 30_000,
      newspaperSpeed: 10,
    };
    const first = startOne('early-0', { ...options, httpPort });
    const second = startOne('early-1', options);
    // Responsive while retrying: the status endpoint answers and says it is not connected.
    const health = await (async () => {
      for (;;) {
        try {
          return await (await fetch(`http://127.0.0.1:${httpPort}/healthz`)).json();
        } catch {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    })();
    expect(health).toMatchObject({ ok: false, connected: false });
    await new Promise((r) => setTimeout(r, 1200));
    await broker().restart();
    const naras = await Promise.all([first, second]);
    running.push(...naras);
    for (const n of naras) {
      expect(n.tally.reconnectAttempts, n.name).toBeGreaterThanOrEqual(2);
      expect(n.tally.reconnectDelays.every((d) => d >= 100 && d <= 400)).toBe(true);
    }
    await until('both to see each other', everyoneSeesEveryone(naras));
    expect(await (await fetch(`http://127.0.0.1:${httpPort}/healthz`)).json()).toMatchObject({
      ok: true,
      connected: true,
      broker: broker().url,
    });
  });
});

describe('wills', () => {
  const broker = useMosquitto();

  it('a crash publishes the signed will and the others mark the nara MISSING; replaying that will later changes nothing', async () => {
    const [ana, bob] = await startNaras({
      url: broker().url,
      count: 2,
      prefix: 'will',
      backoff: { minMs: 300, maxMs: 600 },
      keepaliveSec: 2,
      heyThereMaxDelayMs: 100,
      keepEvents: true,
    });
    running.push(ana!, bob!);
    await until('ana to see bob', () => ana!.node.registry.get(bob!.name)?.state === 'ONLINE');

    // bob's connection dies without a DISCONNECT, as a killed process's would: mosquitto sends the will.
    bob!.transport.simulateCrash();
    await until('ana to mark bob MISSING', () => ana!.node.registry.get(bob!.name)?.state === 'MISSING');
    expect(ana!.node.registry.get(bob!.name)?.missingCause).toBe('will');
    const will = ana!.events.find(
      (e) => e.type === 'accepted' && e.envelope.kind === 'chau' && e.envelope.body.reason === 'lost',
    );
    expect(will?.type).toBe('accepted');
    const willBytes = will?.type === 'accepted' ? will.envelope.bytes : new Uint8Array();

    // bob comes back in a new epoch; then someone replays the old will, byte for byte, from outside.
    await until('bob to come back ONLINE', () => ana!.node.registry.get(bob!.name)?.state === 'ONLINE');
    const before = ana!.node.registry.get(bob!.name);
    const rejectedBefore = ana!.events.filter((e) => e.type === 'rejected').length;
    const pub = spawn('mosquitto_pub', [
      '-h',
      '127.0.0.1',
      '-p',
      String(broker().port),
      '-t',
      'nara/plaza/chau',
      '-s',
    ]);
    pub.stdin.end(Buffer.from(willBytes));
    await new Promise((resolve) => pub.on('exit', resolve));
    await until(
      'ana to reject the replay',
      () => ana!.events.filter((e) => e.type === 'rejected').length > rejectedBefore,
    );
    const rejection = ana!.events.filter((e) => e.type === 'rejected').at(-1);
    expect(rejection).toMatchObject({
      type: 'rejected',
      stage: 'registry',
      reason: 'stale-will',
      name: bob!.name,
    });
    // What a replayed will could change: presence, its cause, the epoch, the pin. (bob's own newspapers keep
    // arriving meanwhile and may move lastSeen, seq and status: that is bob, not the replay.)
    const threatened = (peer: typeof before) => ({
      state: peer?.state,
      missingCause: peer?.missingCause,
      epoch: peer?.epoch,
      reconnects: peer?.reconnects,
      pin: peer?.pin,
      publicKey: peer?.publicKey,
    });
    expect(threatened(ana!.node.registry.get(bob!.name))).toEqual(threatened(before));
    expect(ana!.node.registry.get(bob!.name)?.seq).toBeGreaterThanOrEqual(before!.seq);
  });
});

describe('a stalled subscriber and a flood', () => {
  const broker = useMosquitto();

  it('cannot grow a nara without bound: a frozen subscriber on the broker and 30 MB of garbage leave the heap bounded', async () => {
    const [nara] = await startNaras({ url: broker().url, count: 1, prefix: 'flooded', keepaliveSec: 5 });
    running.push(nara!);
    // A subscriber that never reads: mosquitto_sub stopped with SIGSTOP after subscribing.
    const frozen = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(broker().port), '-t', 'nara/#']);
    await new Promise((r) => setTimeout(r, 300));
    frozen.kill('SIGSTOP');
    // A slow receiver: every message costs this nara 0.2 ms of CPU on top of its own work.
    nara!.node.on(() => {
      const until = performance.now() + 0.2;
      while (performance.now() < until) {}
    });
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 20);
    // 30,000 messages of 1 KiB from outside, as fast as mosquitto_pub can send them (from a file: this
    // process is the slow receiver, it must not be the feeder too).
    const file = join(mkdtempSync(join(tmpdir(), 'nara-flood-')), 'flood.txt');
    writeFileSync(file, `${'x'.repeat(1023)}\n`.repeat(30_000));
    const flood = spawn('sh', [
      '-c',
      `mosquitto_pub -h 127.0.0.1 -p ${broker().port} -t nara/plaza/hey-there -l < ${file}`,
    ]);
    await new Promise((resolve) => flood.on('exit', resolve));
    await new Promise((r) => setTimeout(r, 1500));
    clearInterval(sampler);
    frozen.kill('SIGKILL');
    const metrics = renderPrometheus(nara!.node.metrics);
    const received = Number(/^nara_envelopes_received_total (\d+)$/m.exec(metrics)?.[1] ?? 0);
    const accepted = Number(
      /^nara_envelopes_accepted_total\{kind="hey-there"\} (\d+)$/m.exec(metrics)?.[1] ?? 0,
    );
    // What reached the nara was judged and rejected; the rest waited at the broker, not in this heap.
    expect(received).toBeGreaterThan(1000);
    expect(accepted).toBeLessThanOrEqual(1);
    expect((peak - baseline) / 1_048_576).toBeLessThan(40);
    expect(nara!.node.connected).toBe(true);
  });
});
