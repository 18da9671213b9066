import { createPeerRegistry, type LegacyIngest } from '@nara/peers';
import { HEY_THERE_TOPIC } from '@nara/topics';
import { describe, expect, it } from 'vitest';
import { TestNara, verified } from './helpers.js';
import { SimClock } from './sim-clock.js';

const T0 = 1_767_225_600_000;
const ns = (ms: number) => BigInt(ms) * 1_000_000n;

function setup() {
  const clock = new SimClock(T0);
  const registry = createPeerRegistry({}, { clock });
  return { clock, registry };
}

const ana = new TestNara('ana', 1);
const mallory = new TestNara('mallory', 9);

function hey(nara: TestNara, ts: bigint, over: Partial<LegacyIngest> = {}): LegacyIngest {
  return {
    kind: 'hey-there',
    name: nara.name,
    publicKey: nara.publicKey,
    naraId: '',
    ts,
    meshIp: '',
    ...over,
  };
}

describe('the registry on the Go wire', () => {
  it('lists a Go nara heard by hey_there as ONLINE, with its key and wire legacy', () => {
    const { registry } = setup();
    const result = registry.ingestLegacy(hey(ana, ns(T0), { meshIp: '100.64.0.9' }));
    expect(result).toMatchObject({ ok: true, change: 'joined' });
    expect(registry.get('ana')).toMatchObject({
      state: 'ONLINE',
      wire: 'legacy',
      meshIp: '100.64.0.9',
      pin: 'first-use',
    });
    expect(registry.get('ana')?.publicKey).toBe(Buffer.from(ana.publicKey).toString('base64'));
  });

  it('keeps one peer for one key on both wires (wire both), and adopts the nara ID plaza/1 brings', () => {
    const { registry } = setup();
    registry.ingestLegacy(hey(ana, ns(T0)));
    ana.connect(T0);
    expect(registry.ingest(verified(HEY_THERE_TOPIC, ana.heyThere(T0)))).toMatchObject({ ok: true });
    expect(registry.size).toBe(1);
    expect(registry.get('ana')).toMatchObject({ wire: 'both', naraId: ana.naraId, state: 'ONLINE' });
    expect(registry.ingestLegacy(hey(ana, ns(T0) + 1n, { naraId: 'someone-else' }))).toMatchObject({
      ok: false,
      reason: 'id-mismatch',
    });
  });

  it('never lets another key take a name pinned on the other wire, either way', () => {
    const { registry } = setup();
    ana.connect(T0);
    registry.ingest(verified(HEY_THERE_TOPIC, ana.heyThere(T0)));
    const forged = registry.ingestLegacy({ ...hey(ana, ns(T0)), publicKey: mallory.publicKey });
    expect(forged).toMatchObject({ ok: false, reason: 'key-mismatch' });
    expect(registry.get('ana')?.wire).toBe('plaza');

    const other = setup().registry;
    other.ingestLegacy(hey(mallory, ns(T0), { name: 'ana' }));
    expect(other.ingest(verified(HEY_THERE_TOPIC, ana.heyThere(T0)))).toMatchObject({
      ok: false,
      reason: 'key-mismatch',
    });
    expect(other.stats().rejected['key-mismatch']).toBe(1);
  });

  it('refuses a SyncEvent whose ts does not rise (a replayed hey_there), or outside the time window', () => {
    const { registry } = setup();
    registry.ingestLegacy(hey(ana, ns(T0)));
    expect(registry.ingestLegacy(hey(ana, ns(T0)))).toMatchObject({ ok: false, reason: 'replay' });
    expect(registry.ingestLegacy(hey(ana, ns(T0 - 61_000)))).toMatchObject({ ok: false, reason: 'too-old' });
    expect(registry.ingestLegacy(hey(ana, ns(T0 + 31_000)))).toMatchObject({
      ok: false,
      reason: 'from-future',
    });
    expect(registry.ingestLegacy(hey(ana, ns(T0) + 1n))).toMatchObject({ ok: true, change: 'refreshed' });
  });

  it("goes MISSING by Go's rule (300 s of silence, 3600 s in gossip mode) and OFFLINE on chau", async () => {
    const { clock, registry } = setup();
    registry.ingestLegacy(hey(ana, ns(T0)));
    registry.ingestLegacy({ ...hey(mallory, ns(T0)), silenceMs: 3_600_000 });
    await clock.advanceTo(T0 + 299_000);
    expect(registry.get('ana')?.state).toBe('ONLINE');
    await clock.advanceTo(T0 + 300_001);
    expect(registry.get('ana')).toMatchObject({ state: 'MISSING', missingCause: 'silence' });
    expect(registry.get('mallory')?.state).toBe('ONLINE');

    const status = { chattiness: 40, buzz: 3, flair: '🌊' };
    const back = registry.ingestLegacy({
      kind: 'newspaper',
      name: 'ana',
      publicKey: ana.publicKey,
      naraId: '',
      status,
    });
    expect(back).toMatchObject({ ok: true, change: 'returned' });
    expect(registry.get('ana')?.status).toEqual(status);
    const bye = registry.ingestLegacy({ ...hey(ana, ns(T0 + 300_002)), kind: 'chau' });
    expect(bye).toMatchObject({ ok: true, change: 'left' });
    expect(registry.get('ana')?.state).toBe('OFFLINE');
    // A newspaper has no time: it cannot bring back a peer that said chau (a replayed one would).
    const replayed = registry.ingestLegacy({
      kind: 'newspaper',
      name: 'ana',
      publicKey: ana.publicKey,
      naraId: '',
      status,
    });
    expect(replayed).toMatchObject({ ok: false, reason: 'replay' });
    expect(registry.ingestLegacy(hey(ana, ns(T0 + 300_003)))).toMatchObject({ ok: true, change: 'returned' });
  });

  it('refuses a chau from a name it does not know, and never pins through one', () => {
    const { registry } = setup();
    expect(registry.ingestLegacy({ ...hey(ana, ns(T0)), kind: 'chau' })).toMatchObject({
      ok: false,
      reason: 'unknown-peer',
    });
    expect(registry.size).toBe(0);
  });
});
