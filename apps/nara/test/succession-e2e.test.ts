/**
 * Key succession end to end (docs/PROTOCOL.md section 12), the built binary on a real mosquitto: a nara
 * moves to its next soul and every peer follows without operator action, while a thief running the old
 * soul is refused by all of them.
 */
import { freePort, useMosquitto } from '@nara/tooling/brokers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertBuilt,
  eventually as eventuallyWithin,
  nara,
  type PeerJson,
  type Proc,
  peers,
} from './helpers.js';

/** Polls for up to 60 s: a busy two-core machine starts three naras slowly. */
const eventually = <T>(what: string, fn: () => Promise<T | undefined>) => eventuallyWithin(what, fn, 60_000);

interface MadeSoul {
  name: string;
  soul: string;
  publicKey: string;
  commitment: string;
}

/** `nara soul --name N --json`: a soul, its public key, and the commitment a previous soul names. */
async function makeSoul(name: string): Promise<MadeSoul> {
  const p = nara(['soul', '--name', name, '--json']);
  await p.exited;
  return JSON.parse(p.stdout.join('')) as MadeSoul;
}

type Moved = PeerJson & { commitment: string | null; successions: number; chain: { publicKey: string }[] };

async function peer(httpPort: number, name: string): Promise<Moved | undefined> {
  return (await peers(httpPort)).find((p) => p.name === name) as Moved | undefined;
}

async function metric(httpPort: number, line: RegExp): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
  const match = text.split('\n').find((l) => line.test(l));
  return match === undefined ? 0 : Number(match.split(' ').at(-1));
}

describe('a nara that moves to its next soul, on a real mosquitto', () => {
  const broker = useMosquitto();
  const running: Proc[] = [];
  const observers: { name: string; http: number }[] = [];
  let souls: MadeSoul[];

  function start(name: string, soul: string, env: Record<string, string> = {}, http?: number): Proc {
    const p = nara([], {
      MQTT_HOST: '127.0.0.1',
      MQTT_PORT: String(broker().port),
      MQTT_KEEPALIVE: '2',
      NARA_NAME: name,
      NARA_SOUL: soul,
      ...(http !== undefined ? { NARA_HTTP: `127.0.0.1:${http}` } : {}),
      ...env,
    });
    running.push(p);
    return p;
  }

  beforeAll(async () => {
    assertBuilt();
    souls = [await makeSoul('mover'), await makeSoul('mover'), await makeSoul('mover')];
    for (const name of ['obs-one', 'obs-two']) {
      const observer = { name, http: await freePort() };
      observers.push(observer);
      start(name, (await makeSoul(name)).soul, {}, observer.http);
    }
  });

  afterAll(() => {
    for (const p of running) p.kill('SIGKILL');
  });

  it('every peer pins the first soul with its commitment, then follows the move and counts it', async () => {
    const [first, second, third] = souls;
    const before = start('mover', first!.soul, { NARA_NEXT: second!.commitment });
    for (const o of observers)
      await eventually(`${o.name} to pin mover with its commitment`, async () => {
        const p = await peer(o.http, 'mover');
        return p?.state === 'ONLINE' && p.commitment === second!.commitment ? p : undefined;
      });
    before.kill('SIGTERM');
    await before.exited;

    start('mover', second!.soul, { NARA_PREVIOUS: first!.publicKey, NARA_NEXT: third!.commitment });
    for (const o of observers) {
      const moved = await eventually(`${o.name} to follow mover to its next soul`, async () => {
        const p = await peer(o.http, 'mover');
        return p?.publicKey === second!.publicKey && p.state === 'ONLINE' ? p : undefined;
      });
      expect(moved).toMatchObject({ successions: 1, commitment: third!.commitment });
      expect(moved.chain.map((link) => link.publicKey)).toEqual([first!.publicKey]);
      expect(await metric(o.http, /^nara_envelopes_accepted_total\{kind="succession"\}/)).toBeGreaterThan(0);
    }
  }, 180_000);

  it('a thief running the old soul is refused by every peer, and the name stays with its owner', async () => {
    const [first, second, third] = souls;
    start('mover', first!.soul, { NARA_NEXT: second!.commitment });
    for (const o of observers) {
      await eventually(`${o.name} to refuse the old soul`, async () =>
        (await metric(o.http, /^nara_envelopes_rejected_total\{reason="key-retired"\}/)) > 0
          ? true
          : undefined,
      );
      expect(await peer(o.http, 'mover')).toMatchObject({
        publicKey: second!.publicKey,
        commitment: third!.commitment,
        successions: 1,
        state: 'ONLINE',
      });
    }
  }, 180_000);
});
