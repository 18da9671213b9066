import { freePort, useMosquitto } from '@nara/tooling/brokers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineMadePlaza } from './engine-plaza.js';
import { assertBuilt, nara } from './helpers.js';

const PLAZA_SIZE = 1000;

interface Member {
  name: string;
  state: string;
  lastSeen: string;
  id: string;
  publicKey: string;
  fingerprint: string;
  wire: string;
}

describe('nara members', () => {
  const broker = useMosquitto();
  const env = () => ({ MQTT_HOST: '127.0.0.1', MQTT_PORT: String(broker().port) });

  let plaza: Awaited<ReturnType<typeof engineMadePlaza>> | undefined;
  beforeAll(async () => {
    assertBuilt();
    // A plaza of a thousand naras, run by the engine: each has published its newspaper, retained, as
    // every nara does, so the broker holds each one's latest.
    const names = Array.from({ length: PLAZA_SIZE }, (_, i) => `nara-${i}`);
    plaza = await engineMadePlaza(`mqtt://127.0.0.1:${broker().port}`, names);
  }, 300_000);
  afterAll(async () => {
    await plaza?.stop();
  });

  it('lists every nara of a 1,000-nara plaza within its 2 s of listening, with state, key fingerprint and wire', async () => {
    const startedAt = Date.now();
    const watcher = nara(['members', '--json', '--wait', '2'], { ...env(), NARA_LOG_LEVEL: 'info' });
    expect((await watcher.exited).code).toBe(0);
    const members = JSON.parse(watcher.stdout.join('')) as Member[];
    const byName = new Map(members.map((m) => [m.name, m]));
    for (let i = 0; i < PLAZA_SIZE; i++) {
      const member = byName.get(`nara-${i}`);
      expect(member?.state).toBe('ONLINE');
      // Last seen when its newspaper was sent, before this watcher was: the broker's retained copy.
      expect(Date.parse(member?.lastSeen ?? '')).toBeLessThan(startedAt);
    }
    expect(byName.get('nara-0')?.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{16}$/);
    expect(byName.get('nara-0')?.wire).toBe('plaza');
    expect(Date.parse(byName.get('nara-0')!.lastSeen)).not.toBeNaN();
    expect(watcher.logs().filter((l) => l.msg === 'rejected messages')).toEqual([]);
  }, 60_000);

  it('prints a table a person can read, like serf members', async () => {
    const p = nara(['members', '--wait', '1'], env());
    expect((await p.exited).code).toBe(0);
    expect(p.stdout[0]).toMatch(/^NAME\s+STATE\s+LAST SEEN\s+KEY\s+WIRE\s*$/);
    expect(p.stdout.find((l) => l.startsWith('nara-0 '))).toMatch(/ONLINE\s+\d+s ago\s+SHA256:\S+\s+plaza/);
  });

  it('says so when there is no local plaza to ask', async () => {
    const p = nara(['members'], { NARA_BROKER_PORT: String(await freePort()) });
    expect((await p.exited).code).toBe(1);
    expect(p.errors()[0]).toMatch(/^nara: no local plaza on 127\.0\.0\.1:\d+: nothing listens there/);
  });
});
