import { createServer } from 'node:http';
import { freePort, startMosquitto } from '@nara/tooling/brokers';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveJoinConfig } from '../src/config.js';
import { assertBuilt, nara, type Proc } from './helpers.js';

const running: Proc[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) {
    p.kill('SIGKILL');
    await p.exited;
  }
});

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('a broker setting that is wrong', () => {
  it('names the part that is wrong: the port, or a missing host, never echoing the URL', () => {
    expect(errorOf(() => resolveJoinConfig({}, { MQTT_URL: 'mqtt://127.0.0.1:99999' })).message).toBe(
      'MQTT_URL has a bad port: "99999" is not a port number (1 to 65535)',
    );
    expect(errorOf(() => resolveJoinConfig({ broker: 'mqtt://h:0' }, {})).message).toMatch(
      /^--broker has a bad port: "0"/,
    );
    const secret = errorOf(() => resolveJoinConfig({}, { MQTT_URL: 'mqtts://ana:hunter2-pw@:8883' }));
    expect(secret.message).toMatch(/^MQTT_URL has no host/);
    expect(secret.message).not.toContain('hunter2-pw');
    expect(
      errorOf(() => resolveJoinConfig({}, { MQTT_URL: 'mqtt://a:1883,mqtt://b:70000' })).message,
    ).toMatch(/"70000"/);
  });
});

describe('connecting', () => {
  beforeAll(() => assertBuilt());

  it('names something that is not an MQTT broker as such, instead of waiting out the timeout', async () => {
    const http = createServer((_req, res) => res.end('hello'));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const address = http.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const p = nara(['--connect-timeout', '120'], {
        MQTT_URL: `mqtt://127.0.0.1:${port}`,
        NARA_NAME: 'ana',
      });
      running.push(p);
      expect((await p.exited).code).toBe(1);
      expect(p.errors()).toEqual([
        `nara: mqtt://127.0.0.1:${port} is not an MQTT broker: something listens on port ${port} but does not answer an MQTT CONNECT (an HTTP server, or another service?)`,
      ]);
    } finally {
      http.close();
    }
  });

  it('says at once why a connection is refused, keeps trying, and stops quietly on Ctrl-C meanwhile', async () => {
    const port = await freePort();
    for (const command of [[], ['watch', '--json'], ['members']]) {
      const p = nara([...command, '--connect-timeout', '120'], {
        MQTT_URL: `mqtt://127.0.0.1:${port}`,
        NARA_NAME: 'ana',
        NARA_LOG_LEVEL: 'info',
      });
      running.push(p);
      const failed = await p.waitForLog(/connection attempt failed/);
      expect(String(failed.error)).toContain('ECONNREFUSED');
      p.kill('SIGINT');
      expect((await p.exited).code).toBe(0);
      expect(p.errors()).toEqual([]);
    }
  });

  it("says in every 'reconnecting' line why, and when the next attempt is: refused, then lost", async () => {
    const refusedPort = await freePort();
    const refused = nara(['--connect-timeout', '120'], {
      MQTT_URL: `mqtt://127.0.0.1:${refusedPort}`,
      NARA_NAME: 'ana',
      NARA_LOG_LEVEL: 'info',
    });
    running.push(refused);
    const first = await refused.waitForLog('reconnecting');
    expect(String(first.cause)).toMatch(/ECONNREFUSED/);
    // When: a time, after the line's own, delayMs later.
    expect(first.delayMs).toEqual(expect.any(Number));
    expect(Date.parse(String(first.nextAttemptAt))).toBeGreaterThanOrEqual(Date.parse(String(first.time)));

    const broker = await startMosquitto();
    try {
      const lost = nara([], { MQTT_URL: broker.url, NARA_NAME: 'bob', NARA_LOG_LEVEL: 'info' });
      running.push(lost);
      await lost.waitForLog('connected');
      await broker.stop();
      const line = await lost.waitForLog('reconnecting');
      expect(String(line.cause)).toMatch(/^connection-lost: /);
      expect(new Date(String(line.nextAttemptAt)).toISOString()).toBe(line.nextAttemptAt);
    } finally {
      await broker.stop();
    }
  });
});
