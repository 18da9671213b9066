/**
 * Ours and a Go nara on one real mosquitto. The Go nara is a test publisher that signs as Go does
 * (@nara/legacy's builders, held byte for byte to PROTOCOL-FACTS §7); what ours publishes on the Go topics is
 * checked by tooling's go-checker, written from PROTOCOL-FACTS without @nara/legacy's code.
 */
import { createSigner } from '@nara/envelope';
import { createIdentity, formatSoul, randomSoul } from '@nara/identity';
import { buildNewspaper, buildSyncEvent, nowNanoseconds, toNaraStatus } from '@nara/legacy';
import { freePort, useMosquitto } from '@nara/tooling/brokers';
import { checkGoHowdy, checkGoNewspaper, checkGoSyncEvent } from '@nara/tooling/go-checker';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, eventually, nara, type Proc, peers } from './helpers.js';

function newSoul(name: string): { name: string; soul: string; publicKey: string } {
  const soul = randomSoul(name);
  return { name, soul: formatSoul(soul), publicKey: createIdentity({ name, soul }).publicKeyBase64 };
}

const gopher = createIdentity({ name: 'gopher', soul: randomSoul('gopher') });
const mallory = createIdentity({ name: 'mallory', soul: randomSoul('mallory') });
// The one signer, as a nara's Go wire signs: @nara/envelope's, from the soul's seed.
const gopherSigner = createSigner(gopher.soul.unsafeSeed());
const mallorySigner = createSigner(mallory.soul.unsafeSeed());

describe('a Go nara and ours (NARA_WIRE=both) on a real mosquitto', () => {
  const broker = useMosquitto();
  const ana = newSoul('ana');
  const bob = newSoul('bob');
  const running: Proc[] = [];
  let go: mqtt.MqttClient;
  const heard: { topic: string; payload: Buffer }[] = [];
  let anaHttp: number;
  let bobHttp: number;
  let anaProc: Proc;

  const metric = async (pattern: RegExp): Promise<number> => {
    const text = await (await fetch(`http://127.0.0.1:${anaHttp}/metrics`)).text();
    return Number(pattern.exec(text)?.[1] ?? 0);
  };
  const rejected = (reason: string) =>
    metric(new RegExp(`^nara_legacy_rejected_total\\{reason="${reason}"\\} (\\d+)$`, 'm'));
  const publish = (topic: string, payload: Uint8Array) =>
    new Promise<void>((resolve, reject) =>
      go.publish(topic, Buffer.from(payload), { qos: 0 }, (e) => (e ? reject(e) : resolve())),
    );
  const goStatus = () =>
    toNaraStatus(
      { chattiness: 70, buzz: 12, flair: '🐹', version: '0.2.0', hostStats: { uptime: 4000 } },
      { publicKey: gopher.publicKeyBase64, naraId: gopher.naraId },
    );

  beforeAll(async () => {
    assertBuilt();
    anaHttp = await freePort();
    bobHttp = await freePort();
    go = mqtt.connect(`mqtt://127.0.0.1:${broker().port}`, { clientId: 'gopher', reconnectPeriod: 0 });
    await new Promise<void>((resolve, reject) => {
      go.once('connect', () => resolve());
      go.once('error', reject);
    });
    go.on('message', (topic, payload) => heard.push({ topic, payload }));
    await go.subscribeAsync('nara/#', { qos: 0 });
    const common = { MQTT_HOST: `tcp://127.0.0.1:${broker().port}`, MQTT_KEEPALIVE: '2' };
    anaProc = nara([], {
      ...common,
      NARA_NAME: ana.name,
      NARA_SOUL: ana.soul,
      NARA_HTTP: `127.0.0.1:${anaHttp}`,
      NARA_WIRE: 'both',
    });
    running.push(anaProc);
    running.push(
      nara([], { ...common, NARA_NAME: bob.name, NARA_SOUL: bob.soul, NARA_HTTP: `127.0.0.1:${bobHttp}` }),
    );
    await anaProc.waitForLog('connected');
  });

  afterAll(async () => {
    for (const p of running) p.kill('SIGKILL');
    await go?.endAsync();
  });

  it('see each other within seconds: ours lists the Go nara ONLINE with its key and wire legacy', async () => {
    await publish(
      'nara/plaza/hey_there',
      buildSyncEvent('hey-there', {
        signer: gopherSigner,
        name: 'gopher',
        naraId: gopher.naraId,
        ts: nowNanoseconds(),
      }),
    );
    await publish(
      'nara/newspaper/gopher',
      buildNewspaper({ signer: gopherSigner, name: 'gopher', status: goStatus() }),
    );
    const seen = await eventually('ana to list gopher', async () => {
      const p = (await peers(anaHttp)).find((x) => x.name === 'gopher');
      return p?.state === 'ONLINE' && p.status !== null ? p : undefined;
    });
    expect(seen).toMatchObject({
      state: 'ONLINE',
      publicKey: gopher.publicKeyBase64,
      wire: 'legacy',
      id: gopher.naraId,
    });
    expect(seen.status).toMatchObject({ chattiness: 70, buzz: 12, flair: '🐹' });
  });

  it("publishes hey_there, newspaper and a howdy on the Go topics that verify under Go's own rules", async () => {
    const hey = await eventually("ana's hey_there on nara/plaza/hey_there", async () =>
      heard.find(
        (m) =>
          m.topic === 'nara/plaza/hey_there' &&
          checkGoSyncEvent(m.payload, 'hey-there').ok &&
          JSON.parse(m.payload.toString()).emitter === 'ana',
      ),
    );
    expect(checkGoSyncEvent(hey.payload, 'hey-there')).toMatchObject({
      ok: true,
      from: 'ana',
      publicKey: ana.publicKey,
    });
    const paper = await eventually("ana's newspaper on nara/newspaper/ana", async () =>
      heard.find((m) => m.topic === 'nara/newspaper/ana'),
    );
    expect(checkGoNewspaper(paper.payload, 'nara/newspaper/ana')).toMatchObject({
      ok: true,
      from: 'ana',
      publicKey: ana.publicKey,
    });
    const howdy = await eventually('a howdy from ana to gopher', async () =>
      heard.find((m) => m.topic === 'nara/plaza/howdy' && JSON.parse(m.payload.toString()).To === 'gopher'),
    );
    expect(checkGoHowdy(howdy.payload)).toMatchObject({ ok: true, from: 'ana' });
  });

  it('is still a plaza/1 peer to a plaza/1 nara on the same broker', async () => {
    const seen = await eventually('bob to see ana', async () => {
      const p = (await peers(bobHttp)).find((x) => x.name === 'ana');
      return p?.state === 'ONLINE' ? p : undefined;
    });
    expect(seen).toMatchObject({ publicKey: ana.publicKey, wire: 'plaza' });
    // ana heard bob on plaza/1 and gopher on the Go wire: one registry, each with its wire.
    const bobSeen = await eventually('ana to see bob', async () =>
      (await peers(anaHttp)).find((p) => p.name === 'bob' && p.state === 'ONLINE'),
    );
    expect(bobSeen).toMatchObject({ wire: 'plaza', publicKey: bob.publicKey });
  });

  it('changes nothing for forgeries over the Go wire, and counts each', async () => {
    const before = (await peers(anaHttp)).find((p) => p.name === 'gopher');
    const counts = {
      key: await rejected('key-mismatch'),
      sig: await rejected('bad-signature'),
      unsigned: await rejected('unsigned'),
      replay: await rejected('replay'),
    };
    // Another key for the pinned name.
    await publish(
      'nara/plaza/hey_there',
      buildSyncEvent('hey-there', { signer: mallorySigner, name: 'gopher', ts: nowNanoseconds() }),
    );
    // A broken signature.
    const honest = buildSyncEvent('hey-there', {
      signer: gopherSigner,
      name: 'gopher',
      naraId: gopher.naraId,
      ts: nowNanoseconds() + 7n,
    });
    const text = Buffer.from(honest).toString();
    const sig = JSON.parse(text).sig as string;
    const flipped = Buffer.from(sig, 'base64');
    flipped[3] = (flipped[3] ?? 0) ^ 1;
    await publish('nara/plaza/hey_there', Buffer.from(text.replace(sig, flipped.toString('base64'))));
    // An unsigned event (Go would accept it).
    await publish('nara/plaza/hey_there', Buffer.from(text.replace(/"emitter":"gopher","sig":"[^"]+",/, '')));
    // A replayed hey_there: the honest one twice.
    await publish('nara/plaza/hey_there', honest);
    await publish('nara/plaza/hey_there', honest);
    await eventually('each forgery counted', async () =>
      (await rejected('key-mismatch')) > counts.key &&
      (await rejected('bad-signature')) > counts.sig &&
      (await rejected('unsigned')) > counts.unsigned &&
      (await rejected('replay')) > counts.replay
        ? true
        : undefined,
    );
    const after = (await peers(anaHttp)).find((p) => p.name === 'gopher');
    expect(after).toMatchObject({
      publicKey: before?.publicKey,
      state: 'ONLINE',
      wire: 'legacy',
      id: before?.id,
    });
  });

  it("marks the Go nara OFFLINE on its chau, and says chau in Go's format on SIGTERM", async () => {
    await publish(
      'nara/plaza/chau',
      buildSyncEvent('chau', {
        signer: gopherSigner,
        name: 'gopher',
        naraId: gopher.naraId,
        ts: nowNanoseconds() + 1_000_000n,
      }),
    );
    await eventually('gopher OFFLINE', async () =>
      (await peers(anaHttp)).find((p) => p.name === 'gopher')?.state === 'OFFLINE' ? true : undefined,
    );
    anaProc.kill('SIGTERM');
    await anaProc.exited;
    const chau = await eventually("ana's JSON chau on nara/plaza/chau", async () =>
      heard.find(
        (m) =>
          m.topic === 'nara/plaza/chau' &&
          m.payload[0] === 0x7b &&
          JSON.parse(m.payload.toString()).emitter === 'ana',
      ),
    );
    expect(checkGoSyncEvent(chau.payload, 'chau')).toMatchObject({
      ok: true,
      from: 'ana',
      publicKey: ana.publicKey,
    });
    // The plaza/1 chau too, on the same topic (the receiver tells them apart by the first byte).
    expect(heard.some((m) => m.topic === 'nara/plaza/chau' && m.payload[0] === 0xd2)).toBe(true);
  });
});
