/**
 * The broker's ceiling with mosquitto's own C clients, for `pnpm capacity`: S `mosquitto_sub` receivers on
 * `nara/#` (spread over the brokers' ports), one `mosquitto_pub` sending M copies of a real signed newspaper
 * as fast as it can. Delivered messages a second (received by all receivers / time from the first publish
 * to the last receipt) and how many were lost (QoS 0: a broker drops for a receiver that falls behind).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CClientsResult {
  receivers: number;
  sent: number;
  payloadBytes: number;
  delivered: number;
  lost: number;
  seconds: number;
  deliveredPerSecond: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function receiver(port: number): { proc: ChildProcess; count: () => number; done: Promise<unknown> } {
  // `-F %l`: one line per message, its length (the payload is binary: its own bytes may hold newlines).
  const proc = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(port), '-t', 'nara/#', '-F', '%l'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let lines = 0;
  proc.stdout?.on('data', (chunk: Buffer) => {
    for (const byte of chunk) if (byte === 0x0a) lines++;
  });
  return { proc, count: () => lines, done: once(proc, 'exit') };
}

export async function measureCClients(
  ports: readonly number[],
  receivers: number,
  messages: number,
  payload: Uint8Array,
): Promise<CClientsResult> {
  const dir = mkdtempSync(join(tmpdir(), 'nara-capacity-'));
  const file = join(dir, 'newspaper.cbor');
  writeFileSync(file, payload);
  const subs = Array.from({ length: receivers }, (_, i) => receiver(ports[i % ports.length] as number));
  const sender = String(ports[0]);
  try {
    // Subscribed: a marker published until every receiver has one (each then counts one message less).
    for (let tries = 0; tries < 300 && subs.some((s) => s.count() === 0); tries++) {
      spawn('mosquitto_pub', ['-h', '127.0.0.1', '-p', sender, '-t', 'nara/plaza/marker', '-m', 'm']);
      await sleep(100);
    }
    await sleep(500);
    const before = subs.map((s) => s.count());
    const start = process.hrtime.bigint();
    const pub = spawn(
      'mosquitto_pub',
      [
        '-h',
        '127.0.0.1',
        '-p',
        sender,
        '-t',
        'nara/plaza/newspaper/capacity',
        '-f',
        file,
        '--repeat',
        String(messages),
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
      if (total >= receivers * messages || Date.now() - lastChange > 1_000) break;
      await sleep(20);
    }
    const seconds = Number(end - start) / 1e9;
    const delivered = Math.min(last, receivers * messages);
    return {
      receivers,
      sent: messages,
      payloadBytes: payload.length,
      delivered,
      lost: receivers * messages - delivered,
      seconds: Math.round(seconds * 1000) / 1000,
      deliveredPerSecond: Math.round(delivered / seconds),
    };
  } finally {
    for (const s of subs) s.proc.kill('SIGKILL');
    await Promise.all(subs.map((s) => s.done));
    rmSync(dir, { recursive: true, force: true });
  }
}
