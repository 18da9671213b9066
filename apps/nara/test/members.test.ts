import { createSigner, EPOCH_BYTES, signEnvelope } from '@nara/envelope';
import { createIdentity, randomSoul } from '@nara/identity';
import { freePort, useMosquitto } from '@nara/tooling/brokers';
import { newspaperTopic } from '@nara/topics';
import mqtt from 'mqtt';
import { beforeAll, describe, expect, it } from 'vitest';
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

/** The newspaper a nara would have left retained, signed with its own key. */
function newspaper(name: string, sentAt: number, nextInMs: number): { topic: string; payload: Uint8Array } {
  const identity = createIdentity({ name, soul: randomSoul(name) });
  const signer = createSigner(identity.soul.unsafeSeed());
  const topic = newspaperTopic(name);
  const payload = signEnvelope(signer, topic, {
    kind: 'newspaper',
    name,
    naraId: identity.naraId,
    epoch: crypto.getRandomValues(new Uint8Array(EPOCH_BYTES)),
    seq: 1,
    time: sentAt,
    body: { status: { chattiness: 50, buzz: 10 }, next: sentAt + nextInMs },
  });
  return { topic, payload };
}

describe('nara members', () => {
  const broker = useMosquitto();
  const env = () => ({ MQTT_HOST: '127.0.0.1', MQTT_PORT: String(broker().port) });

  beforeAll(async () => {
    assertBuilt();
    // A plaza of a thousand naras as a broker holding retained newspapers has it: each one's latest.
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker().port}`);
    for (let i = 0; i < PLAZA_SIZE; i++) {
      const { topic, payload } = newspaper(`nara-${i}`, Date.now(), 300_000);
      await client.publishAsync(topic, Buffer.from(payload), { retain: true, qos: 1 });
    }
    await client.endAsync();
  }, 120_000);

  it('lists every nara of a 1,000-nara plaza within its 2 s of listening, with state, key fingerprint and wire', async () => {
    const watcher = nara(['members', '--json', '--wait', '2'], { ...env(), NARA_LOG_LEVEL: 'info' });
    expect((await watcher.exited).code).toBe(0);
    const members = JSON.parse(watcher.stdout.join('')) as Member[];
    const byName = new Map(members.map((m) => [m.name, m]));
    for (let i = 0; i < PLAZA_SIZE; i++) expect(byName.get(`nara-${i}`)?.state).toBe('ONLINE');
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
