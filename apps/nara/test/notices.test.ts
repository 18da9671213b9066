import { createIdentity, formatSoul, randomSoul } from '@nara/identity';
import { useMosquitto } from '@nara/tooling/brokers';
import { HEY_THERE_TOPIC } from '@nara/topics';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mosquittoPub, signedPair } from './dashboard-helpers.js';
import { assertBuilt, eventually, nara, type Proc } from './helpers.js';

const running: Proc[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) {
    p.kill('SIGKILL');
    await p.exited;
  }
});

describe('what a nara tells its operator', () => {
  const broker = useMosquitto();
  beforeAll(() => assertBuilt());

  function start(name: string, soul: string): Proc {
    const p = nara([], {
      MQTT_HOST: '127.0.0.1',
      MQTT_PORT: String(broker().port),
      NARA_NAME: name,
      NARA_SOUL: soul,
    });
    running.push(p);
    return p;
  }

  it('warns on both sides when the same soul runs twice: the copy already running, and the newcomer', async () => {
    const soul = formatSoul(randomSoul('twin'));
    const first = start('twin', soul);
    await first.waitForLog('connected');
    const second = start('twin', soul);
    // The first copy hears the newcomer's hey-there; the newcomer, the first copy's answer to it (its
    // retained newspaper, sent before the newcomer connected, is not taken for a live copy).
    const twin = /another process is running as "twin" with the same soul/;
    const [one, two] = await Promise.all([first.waitForLog(twin), second.waitForLog(twin)]);
    for (const warning of [one, two]) {
      expect(warning.level).toBe('warn');
      expect(warning.name).toBe('twin');
      expect(warning.epochs).toHaveLength(2);
    }
  });

  it('does not take a lone nara for its own twin', async () => {
    const soul = formatSoul(randomSoul('single'));
    const p = start('single', soul);
    await p.waitForLog('connected');
    // Its hey-there comes within 5 s: heard back, one epoch.
    await eventually('its own hey-there to come back', async () =>
      p.logs().some((l) => l.msg === 'peer joined' && l.peer === 'single') ? true : undefined,
    );
    expect(p.logs().some((l) => /another process is running/.test(String(l.msg)))).toBe(false);
  });

  it('logs rejections at info, once per sender and reason per minute, with counts', async () => {
    const ana = createIdentity({ name: 'ana', soul: randomSoul('ana') });
    const p = start('ana', formatSoul(ana.soul));
    await p.waitForLog('connected');
    // Twenty forgeries under ana's name with another key, and one message that is not an envelope.
    for (let i = 0; i < 20; i++)
      await mosquittoPub(broker().port, HEY_THERE_TOPIC, signedPair('ana').heyThere);
    await mosquittoPub(broker().port, HEY_THERE_TOPIC, new TextEncoder().encode('not an envelope'));
    await eventually('both kinds of rejection to be logged', async () => {
      const lines = p.logs().filter((l) => l.msg === 'rejected messages');
      return lines.some((l) => l.peer === 'ana') && lines.some((l) => l.peer === null) ? true : undefined;
    });
    const lines = p.logs().filter((l) => l.msg === 'rejected messages');
    const forged = lines.filter((l) => l.peer === 'ana');
    expect(forged).toHaveLength(1);
    expect(forged[0]).toMatchObject({
      level: 'info',
      reason: 'key-mismatch',
      count: 1,
      total: 1,
      windowSec: 60,
    });
    expect(lines.filter((l) => l.peer === null)).toHaveLength(1);
  });
});
