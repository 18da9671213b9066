/**
 * Real naras on a real mosquitto, seen by a newcomer: every live nara at once from the retained
 * newspapers, a nara that said chau gone (its newspaper cleared) while those who saw it keep it OFFLINE,
 * a SIGKILLed one MISSING for everyone (by its will for those who saw it, by its stale retained newspaper
 * for a newcomer, with its last-seen time).
 */
import { createVerifier } from '@nara/envelope';
import { formatSoul, randomSoul } from '@nara/identity';
import { freePort, useMosquitto } from '@nara/tooling/brokers';
import { newspaperTopic } from '@nara/topics';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, eventually, nara, type Proc, peerState } from './helpers.js';

interface Member {
  name: string;
  state: string;
  missingCause?: string;
  lastSeen: string;
}

describe('a newcomer to a plaza of real naras', () => {
  const broker = useMosquitto();
  const env = () => ({ MQTT_HOST: '127.0.0.1', MQTT_PORT: String(broker().port) });
  const running: Proc[] = [];
  const procs = new Map<string, Proc>();
  let watcherHttp: number;
  // Every newspaper the naras publish, as an outside observer sees it (live: none of them retained here).
  const papers = new Map<string, Buffer[]>();
  let observer: mqtt.MqttClient;

  async function members(): Promise<Map<string, Member>> {
    const p = nara(['members', '--json', '--wait', '2'], env());
    expect((await p.exited).code).toBe(0);
    return new Map((JSON.parse(p.stdout.join('')) as Member[]).map((m) => [m.name, m]));
  }

  beforeAll(async () => {
    assertBuilt();
    observer = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker().port}`);
    observer.on('message', (topic, payload, packet) => {
      if (packet.retain) return;
      const name = topic.slice('nara/plaza/newspaper/'.length);
      papers.set(name, [...(papers.get(name) ?? []), payload]);
    });
    await observer.subscribeAsync('nara/plaza/newspaper/+');
    watcherHttp = await freePort();
    const watcher = nara(['watch', '--json'], { ...env(), NARA_HTTP: `127.0.0.1:${watcherHttp}` });
    running.push(watcher);
    await watcher.waitForLog('connected');
    for (const name of ['ana', 'bob', 'carl']) {
      // carl at chattiness 100: its newspaper promises the next within 30 s, so its silence shows soon.
      const p = nara([], {
        ...env(),
        NARA_NAME: name,
        NARA_SOUL: formatSoul(randomSoul(name)),
        ...(name === 'carl' ? { NARA_CHATTINESS: '100' } : {}),
      });
      running.push(p);
      procs.set(name, p);
    }
    await eventually('a newspaper from each nara', async () =>
      ['ana', 'bob', 'carl'].every((n) => (papers.get(n)?.length ?? 0) > 0) ? true : undefined,
    );
  });

  afterAll(async () => {
    for (const p of running) p.kill('SIGKILL');
    await observer?.endAsync();
  });

  it('lists every live nara at once, from the newspapers the broker keeps for it', async () => {
    // Frozen, the naras say nothing while the newcomer listens (their connections stay open for the
    // broker's 45 s, one and a half keepalives): what it lists, the broker kept for it.
    for (const p of procs.values()) p.kill('SIGSTOP');
    try {
      const startedAt = Date.now();
      const seen = await members();
      for (const name of ['ana', 'bob', 'carl']) {
        expect(seen.get(name)?.state).toBe('ONLINE');
        expect(Date.parse(seen.get(name)?.lastSeen ?? '')).toBeLessThan(startedAt);
      }
    } finally {
      for (const p of procs.values()) p.kill('SIGCONT');
    }
  });

  it('does not list a nara that said chau (its newspaper cleared), which those who saw it keep OFFLINE', async () => {
    const bob = procs.get('bob')!;
    bob.kill('SIGTERM');
    expect((await bob.exited).code).toBe(0);
    await eventually('the watcher to mark bob OFFLINE', async () =>
      (await peerState(watcherHttp, 'bob')) === 'OFFLINE' ? true : undefined,
    );
    // The clearing came before the chau, from the same connection: the broker has forgotten it.
    const seen = await members();
    expect(seen.get('bob')).toBeUndefined();
    expect(seen.get('ana')?.state).toBe('ONLINE');
  });

  it('shows a SIGKILLed nara MISSING: by its will to those who saw it, by its stale newspaper to a newcomer', async () => {
    const carl = procs.get('carl')!;
    carl.kill('SIGKILL');
    await carl.exited;
    await eventually('the watcher to mark carl MISSING', async () =>
      (await peerState(watcherHttp, 'carl')) === 'MISSING' ? true : undefined,
    );
    // A newcomer never heard the will; carl's last newspaper is still retained, and its promise holds
    // until its deadline: after that (and the registry's 10 s of grace), it says carl is gone.
    const last = papers.get('carl')!.at(-1)!;
    const verified = createVerifier().verify(newspaperTopic('carl'), new Uint8Array(last));
    if (!verified.ok || verified.envelope.kind !== 'newspaper') throw new Error('carl sent a newspaper');
    const { time, body } = verified.envelope;
    await eventually(
      "carl's promise to run out",
      async () => (Date.now() > body.next + 10_000 ? true : undefined),
      60_000,
    );
    const seen = await members();
    expect(seen.get('carl')).toMatchObject({ state: 'MISSING', missingCause: 'silence' });
    expect(Date.parse(seen.get('carl')!.lastSeen)).toBe(time);
    expect(seen.get('ana')?.state).toBe('ONLINE');
  }, 120_000);
});
