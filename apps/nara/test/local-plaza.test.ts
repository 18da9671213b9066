import { createServer } from 'node:http';
import { freePort, startMosquitto } from '@nara/tooling/brokers';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { probePort } from '../src/local-plaza.js';
import { assertBuilt, eventually, nara, type Proc } from './helpers.js';

// The local plaza's port is NARA_BROKER_PORT: every test here takes a free one, never the machine's 1883.
const running: Proc[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) {
    p.kill('SIGKILL');
    await p.exited;
  }
});

function local(port: number, name: string, extra: Record<string, string> = {}): Proc {
  const p = nara(['--name', name], { NARA_BROKER_PORT: String(port), ...extra });
  running.push(p);
  return p;
}

const connectedCount = (p: Proc) => p.logs().filter((l) => l.msg === 'connected').length;

describe('the local plaza', () => {
  beforeAll(() => assertBuilt());

  it('tells an MQTT broker from a free port and from something else', async () => {
    const mosquitto = await startMosquitto();
    const http = createServer((_req, res) => res.end('hello'));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    try {
      expect(await probePort('127.0.0.1', mosquitto.port)).toBe('mqtt');
      expect(await probePort('127.0.0.1', await freePort())).toBe('free');
      const address = http.address();
      expect(await probePort('127.0.0.1', typeof address === 'object' && address ? address.port : 0)).toBe(
        'other',
      );
    } finally {
      http.close();
      await mosquitto.stop();
    }
  });

  it('joins the MQTT broker already on the port instead of starting an empty one', async () => {
    const mosquitto = await startMosquitto();
    try {
      const p = local(mosquitto.port, 'joiner');
      const joining = await p.waitForLog(/joining the local plaza/);
      expect(joining.url).toBe(`mqtt://127.0.0.1:${mosquitto.port}`);
      await p.waitForLog('connected');
      expect(p.logs().some((l) => /hosting/.test(String(l.msg)))).toBe(false);
    } finally {
      await mosquitto.stop();
    }
  });

  it('hosts on a free port, in one line, when the port is taken by something that is not MQTT', async () => {
    const http = createServer((_req, res) => res.end('hello'));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const address = http.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const p = local(port, 'elsewhere');
      const note = await p.waitForLog(/is taken by something that is not an MQTT broker/);
      expect(note.level).toBe('warn');
      const hosting = await p.waitForLog(/hosting the local plaza/);
      expect(hosting.url).not.toBe(`mqtt://127.0.0.1:${port}`);
    } finally {
      http.close();
    }
  });

  it('heals: when the host of five stops, another takes over on the same port and the rest reconnect', async () => {
    const port = await freePort();
    const names = ['host-ana', 'bo', 'cy', 'di', 'ed'];
    const naras: Proc[] = [];
    for (const name of names) {
      const p = local(port, name);
      // One at a time, so that the first hosts and the others find it.
      await p.waitForLog('connected');
      naras.push(p);
    }
    const [host, ...rest] = naras as [Proc, ...Proc[]];
    expect((await host.waitForLog(/hosting the local plaza/)).url).toBe(`mqtt://127.0.0.1:${port}`);
    for (const p of rest) await p.waitForLog(/joining the local plaza/);

    host.kill('SIGTERM');
    expect((await host.exited).code).toBe(0);

    // Exactly one of the four hosts the plaza now, on the same port; all four are connected again.
    const takers = await eventually('a nara to take over hosting', async () => {
      const found = rest.filter((p) => p.logs().some((l) => /hosting it here now/.test(String(l.msg))));
      return found.length > 0 ? found : undefined;
    });
    expect(takers).toHaveLength(1);
    expect(takers[0]!.logs().find((l) => /hosting it here now/.test(String(l.msg)))?.url).toBe(
      `mqtt://127.0.0.1:${port}`,
    );
    await eventually(
      'the four to reconnect',
      async () => (rest.every((p) => connectedCount(p) >= 2) ? true : undefined),
      30_000,
    );
    expect(await probePort('127.0.0.1', port)).toBe('mqtt');
    // Only one won the port: the others never logged a failure to host.
    for (const p of rest) expect(p.logs().filter((l) => l.level === 'error')).toEqual([]);
  }, 90_000);
});
