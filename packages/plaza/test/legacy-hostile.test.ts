/**
 * Hostile input on the Go wire, through the nara's Go-wire receive path (createLegacyWire: @nara/legacy's
 * verifiers -> the one registry -> metrics). Every forgery asserts its reason, its counter up by exactly
 * one, and the registry unchanged.
 */
import { readFileSync } from 'node:fs';
import { createSigner } from '@nara/envelope';
import { createIdentity, randomSoul } from '@nara/identity';
import { silentLogger } from '@nara/interface';
import {
  buildHowdy,
  buildNewspaper,
  buildSyncEvent,
  computeEventId,
  contentString,
  type NaraStatus,
  nowNanoseconds,
  signableDigest,
  toNaraStatus,
} from '@nara/legacy';
import { createPeerRegistry, type PeerRegistry } from '@nara/peers';
import { MetricsRegistry } from '../src/metrics.js';

const base64 = {
  decode: (s: string) => new Uint8Array(Buffer.from(s, 'base64')),
  encode: (b: Uint8Array) => Buffer.from(b).toString('base64'),
};

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLegacyWire, type LegacyWire } from '../src/legacy-wire.js';

const NOW = 1_767_225_600_000;
const gopher = createIdentity({ name: 'gopher', soul: randomSoul('gopher') });
const mallory = createIdentity({ name: 'mallory', soul: randomSoul('mallory') });
// The one signer, as the nara's Go wire signs: @nara/envelope's, from the soul's seed.
const gopherSigner = createSigner(gopher.soul.unsafeSeed());
const mallorySigner = createSigner(mallory.soul.unsafeSeed());
const ana = createSigner(new Uint8Array(32).fill(3));
const utf8 = new TextEncoder();

const goStatus = (uptime = 1000): NaraStatus => ({
  ...toNaraStatus(
    { chattiness: 60, buzz: 20, flair: '🐹', hostStats: { uptime } },
    { publicKey: gopher.publicKeyBase64, naraId: gopher.naraId },
  ),
});

interface Fixture {
  registry: PeerRegistry;
  metrics: MetricsRegistry;
  wire: LegacyWire;
  now: number;
  published: { topic: string; bytes: Uint8Array }[];
}
let f: Fixture;

beforeEach(() => {
  const published: Fixture['published'] = [];
  const registry = createPeerRegistry(
    {},
    { clock: { now: () => f.now, setTimeout: () => 0, clearTimeout: () => {} } },
  );
  registry.pin('ana', ana.publicKey);
  const metrics = new MetricsRegistry();
  const me = createIdentity({ name: 'me', soul: randomSoul('me') });
  f = {
    registry,
    metrics,
    now: NOW,
    published,
    wire: createLegacyWire({
      registry,
      metrics,
      logger: silentLogger,
      now: () => f.now,
      random: () => 0,
      identity: me,
      signer: createSigner(me.soul.unsafeSeed()),
      howdyMaxDelayMs: 1,
      publish: async (topic, bytes) => {
        published.push({ topic, bytes });
      },
    }),
  };
});
afterEach(() => f.wire.close());

const rejectedCount = (reason: string) =>
  f.metrics
    .collect()
    .find((m) => m.name === 'nara_legacy_rejected_total')
    ?.samples.find((x) => x.labels.reason === reason)?.value ?? 0;

function heyThere(signer = gopherSigner, name = 'gopher', ts = nowNanoseconds(f.now)): Uint8Array {
  return buildSyncEvent('hey-there', { signer, name, naraId: gopher.naraId, ts });
}

/** Asserts a rejection with `reason`, its counter up by one, and the registry as it was. */
function expectRefused(topic: string, bytes: Uint8Array, reason: string): void {
  const before = JSON.stringify(f.registry.list());
  const count = rejectedCount(reason);
  const outcome = f.wire.receive(topic, bytes);
  expect(outcome).toMatchObject({ type: 'rejected', reason });
  expect(rejectedCount(reason)).toBe(count + 1);
  expect(JSON.stringify(f.registry.list())).toBe(before);
}

describe('the Go wire, honest', () => {
  it('lists a Go nara ONLINE with its key and wire legacy after its hey_there, and answers with a howdy', async () => {
    expect(f.wire.receive('nara/plaza/hey_there', heyThere())).toMatchObject({
      type: 'accepted',
      change: 'joined',
    });
    expect(f.registry.get('gopher')).toMatchObject({
      state: 'ONLINE',
      wire: 'legacy',
      publicKey: gopher.publicKeyBase64,
      // hey_there's ID is not signed by Go: not taken from it
      naraId: '',
    });
    await new Promise((r) => setTimeout(r, 20));
    const howdy = f.published.find((p) => p.topic === 'nara/plaza/howdy');
    expect(howdy).toBeDefined();
    expect(JSON.parse(new TextDecoder().decode(howdy?.bytes))).toMatchObject({
      From: 'me',
      To: 'gopher',
      Seq: 1,
    });
  });

  it('does not answer when 10 howdies for that name were already seen (Go self-selection)', async () => {
    f.wire.receive('nara/plaza/hey_there', heyThere());
    for (let seq = 1; seq <= 10; seq++) {
      const other = createIdentity({ name: `n${seq}`, soul: randomSoul(`n${seq}`) });
      const me = toNaraStatus(
        { chattiness: 1, buzz: 1 },
        { publicKey: other.publicKeyBase64, naraId: other.naraId },
      );
      f.wire.receive(
        'nara/plaza/howdy',
        buildHowdy({
          signer: createSigner(other.soul.unsafeSeed()),
          from: other.name,
          to: 'gopher',
          seq,
          me,
        }),
      );
    }
    await new Promise((r) => setTimeout(r, 20));
    expect(f.published.filter((p) => p.topic === 'nara/plaza/howdy')).toEqual([]);
    // The howdies named ten naras: hints, not peers.
    expect(f.wire.hints()).toHaveLength(10);
    expect(f.registry.has('n1')).toBe(false);
  });

  it('reads a newspaper into the status, and a chau makes the peer OFFLINE', () => {
    f.wire.receive('nara/plaza/hey_there', heyThere());
    const paper = buildNewspaper({ signer: gopherSigner, name: 'gopher', status: goStatus() });
    expect(f.wire.receive('nara/newspaper/gopher', paper)).toMatchObject({
      type: 'accepted',
      change: 'updated',
    });
    expect(f.registry.get('gopher')?.status).toMatchObject({ chattiness: 60, buzz: 20, flair: '🐹' });
    f.now += 1000;
    const chau = buildSyncEvent('chau', { signer: gopherSigner, name: 'gopher', ts: nowNanoseconds(f.now) });
    expect(f.wire.receive('nara/plaza/chau', chau)).toMatchObject({ type: 'accepted', change: 'left' });
    expect(f.registry.get('gopher')?.state).toBe('OFFLINE');
  });
});

describe('forgeries over the Go wire change nothing and are each counted', () => {
  beforeEach(() => {
    f.wire.receive('nara/plaza/hey_there', heyThere());
    f.wire.receive(
      'nara/newspaper/gopher',
      buildNewspaper({ signer: gopherSigner, name: 'gopher', status: goStatus() }),
    );
    f.now += 1000;
  });

  it('another key for a name pinned on plaza/1 (NARA_PINS or first use): key-mismatch', () => {
    expectRefused('nara/plaza/hey_there', heyThere(mallorySigner, 'ana'), 'key-mismatch');
    expect(f.registry.has('ana')).toBe(false);
  });

  it('another key for a name first heard on the Go wire: key-mismatch', () => {
    expectRefused('nara/plaza/hey_there', heyThere(mallorySigner, 'gopher'), 'key-mismatch');
  });

  it("a newspaper on the victim's topic signed by another key: key-mismatch", () => {
    const status = { ...goStatus(1001), PublicKey: mallory.publicKeyBase64 };
    expectRefused(
      'nara/newspaper/gopher',
      buildNewspaper({ signer: mallorySigner, name: 'gopher', status }),
      'key-mismatch',
    );
  });

  it('a chau for the victim signed by another key: key-mismatch (the victim stays ONLINE)', () => {
    const chau = buildSyncEvent('chau', { signer: mallorySigner, name: 'gopher', ts: nowNanoseconds(f.now) });
    expectRefused('nara/plaza/chau', chau, 'key-mismatch');
    expect(f.registry.get('gopher')?.state).toBe('ONLINE');
  });

  it('a broken signature: bad-signature', () => {
    const bytes = heyThere();
    const text = new TextDecoder().decode(bytes);
    const sig = JSON.parse(text).sig as string;
    const raw = base64.decode(sig);
    raw[5] = raw[5]! ^ 0x40;
    expectRefused(
      'nara/plaza/hey_there',
      utf8.encode(text.replace(sig, base64.encode(raw))),
      'bad-signature',
    );
  });

  it('an unsigned event (Go accepts it): unsigned', () => {
    const ts = nowNanoseconds(f.now);
    const content = contentString('hey-there', 'gopher', mallory.publicKeyBase64, '');
    const id = computeEventId(ts, 'hey-there', content);
    const unsigned = `{"id":"${id}","ts":${ts},"svc":"hey-there","hey_there":{"From":"gopher","PublicKey":"${mallory.publicKeyBase64}","MeshIP":"","ID":"","Signature":""}}`;
    expectRefused('nara/plaza/hey_there', utf8.encode(unsigned), 'unsigned');
  });

  it('a replayed hey_there, byte for byte: replay (its ts does not rise)', () => {
    const bytes = heyThere();
    expect(f.wire.receive('nara/plaza/hey_there', bytes)).toMatchObject({ type: 'accepted' });
    expectRefused('nara/plaza/hey_there', bytes, 'replay');
  });

  it('a hey_there captured more than 60 s ago: too-old', () => {
    expectRefused(
      'nara/plaza/hey_there',
      heyThere(gopherSigner, 'gopher', nowNanoseconds(f.now - 61_000)),
      'too-old',
    );
  });

  it('emitter that is not From (signed by the emitter): emitter-mismatch', () => {
    const ts = nowNanoseconds(f.now);
    const content = contentString('hey-there', 'gopher', mallory.publicKeyBase64, '');
    const id = computeEventId(ts, 'hey-there', content);
    const sig = base64.encode(mallorySigner.sign(signableDigest(id, ts, 'hey-there', 'mallory', content)));
    const forged = `{"id":"${id}","ts":${ts},"svc":"hey-there","emitter":"mallory","sig":"${sig}","hey_there":{"From":"gopher","PublicKey":"${mallory.publicKeyBase64}","MeshIP":"","ID":"","Signature":""}}`;
    expectRefused('nara/plaza/hey_there', utf8.encode(forged), 'emitter-mismatch');
  });

  it('a replayed newspaper (identical bytes), one whose uptime runs backwards, one from too far ahead: replay', () => {
    const first = buildNewspaper({ signer: gopherSigner, name: 'gopher', status: goStatus(1001) });
    expect(f.wire.receive('nara/newspaper/gopher', first)).toMatchObject({ type: 'accepted' });
    expectRefused('nara/newspaper/gopher', first, 'replay');
    expectRefused(
      'nara/newspaper/gopher',
      buildNewspaper({ signer: gopherSigner, name: 'gopher', status: goStatus(900) }),
      'replay',
    );
    expectRefused(
      'nara/newspaper/gopher',
      buildNewspaper({ signer: gopherSigner, name: 'gopher', status: goStatus(99_999) }),
      'replay',
    );
  });

  it('an unsigned newspaper (Go accepts it silently): unsigned', () => {
    const paper = new TextDecoder().decode(
      buildNewspaper({ signer: gopherSigner, name: 'gopher', status: goStatus(1001) }),
    );
    expectRefused(
      'nara/newspaper/gopher',
      utf8.encode(paper.replace(/"Signature":"[^"]+"}$/, '"Signature":""}')),
      'unsigned',
    );
  });

  it("a howdy naming a stranger's key for ana makes no peer and no pin: a hint at most", () => {
    const before = JSON.stringify(f.registry.list());
    const me = toNaraStatus({ chattiness: 1, buzz: 1 }, { publicKey: mallory.publicKeyBase64, naraId: '' });
    const howdy = buildHowdy({
      signer: mallorySigner,
      from: 'mallory',
      to: 'me',
      seq: 1,
      me,
      neighbors: [{ Name: 'ana', PublicKey: mallory.publicKeyBase64, MeshIP: '', ID: '', Observation: {} }],
    });
    expect(f.wire.receive('nara/plaza/howdy', howdy)).toMatchObject({ type: 'accepted', change: 'hint' });
    expect(JSON.stringify(f.registry.list())).toBe(before);
    expect(f.wire.hints()).toEqual(['mallory', 'ana']);
  });
});

describe('every invalid legacy vector through the receive path', () => {
  const vectors = JSON.parse(
    readFileSync(new URL('../../legacy/vectors/legacy.json', import.meta.url), 'utf8'),
  ) as {
    invalid: {
      description: string;
      topic: string;
      now: number;
      payloadHex: string;
      reason: string;
      knownKey?: string;
    }[];
  };
  it.each(
    vectors.invalid.filter((v) => v.knownKey === undefined).map((v) => [v.reason, v.description, v] as const),
  )('%s: %s', (reason, _, v) => {
    f.now = v.now;
    expectRefused(v.topic, Buffer.from(v.payloadHex, 'hex'), reason);
  });
});
