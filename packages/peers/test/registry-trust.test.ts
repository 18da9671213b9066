import type { VerifiedEnvelope } from '@nara/envelope';
import { systemClock } from '@nara/interface';
import { createPeerRegistry, RegistryClosedError, toBase64 } from '@nara/peers';
import { CHAU_TOPIC, newspaperTopic } from '@nara/topics';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { TestNara, testSeed, verified } from './helpers.js';
import { alice, bob, mallory, setup, T0, useFakePlaza } from './registry-fixture.js';

useFakePlaza();

describe('replays', () => {
  it('the same message twice is refused as a replay', () => {
    const { registry } = setup();
    const paper = alice.v.newspaper(30_000);
    registry.ingest(paper);
    expect(registry.ingest(paper)).toMatchObject({ ok: false, reason: 'replay' });
  });

  it('an older message of the current epoch, arriving late, is refused', () => {
    const { registry } = setup();
    const first = alice.v.newspaper(30_000);
    const second = alice.v.newspaper(30_000);
    registry.ingest(second);
    expect(registry.ingest(first)).toMatchObject({ ok: false, reason: 'replay' });
    expect(registry.get('alice')!.seq).toBe(second.seq);
  });

  it('messages of an epoch the peer left behind are refused as stale-epoch', () => {
    const { registry } = setup();
    const old = alice.v.newspaper(30_000);
    registry.ingest(alice.v.heyThere());
    vi.advanceTimersByTime(5000);
    alice.connect();
    registry.ingest(alice.v.heyThere());
    // Within the age window, so only the epoch rule stops it.
    expect(registry.ingest(old)).toMatchObject({ ok: false, reason: 'stale-epoch' });
  });

  it('an unseen epoch that is not newer than the last accepted message is refused while ONLINE', () => {
    const { registry } = setup();
    alice.connect();
    const fromOtherEpoch = alice.v.heyThere(Date.now());
    alice.connect();
    vi.advanceTimersByTime(1000);
    registry.ingest(alice.v.heyThere());
    expect(registry.ingest(fromOtherEpoch)).toMatchObject({ ok: false, reason: 'stale-epoch' });
  });

  it('a restart with the clock behind is refused while ONLINE, then accepted once the peer is MISSING', () => {
    const { registry } = setup();
    registry.ingest(alice.v.newspaper(5000, Date.now() + 29_000)); // alice's clock was 29 s ahead
    vi.advanceTimersByTime(1000);
    alice.connect();
    // Her clock was corrected and she restarted: her new epoch's time is behind the last time she sent.
    expect(registry.ingest(alice.v.heyThere())).toMatchObject({ ok: false, reason: 'stale-epoch' });
    vi.advanceTimersByTime(14_000);
    expect(registry.get('alice')!.state).toBe('MISSING');
    // Still behind her old clock, but fresh by ours: accepted now that she is no longer ONLINE.
    expect(registry.ingest(alice.v.heyThere())).toMatchObject({ ok: true, change: 'returned' });
  });

  it('whatever order a peer messages arrive in, accepted sequence numbers only go up', () => {
    const papers = Array.from({ length: 12 }, (_, i) => alice.v.newspaper(30_000, T0 + i));
    fc.assert(
      fc.property(fc.shuffledSubarray(papers, { minLength: 1 }), (order) => {
        const registry = createPeerRegistry({}, { clock: systemClock });
        const accepted: number[] = [];
        for (const p of [...order, ...order]) {
          const r = registry.ingest(p);
          if (r.ok) accepted.push(p.seq);
          else expect(r.reason).toBe('replay');
        }
        for (let i = 1; i < accepted.length; i++) expect(accepted[i]!).toBeGreaterThan(accepted[i - 1]!);
        registry.close();
      }),
      { numRuns: 200 },
    );
  });
});

describe('keys', () => {
  it('another key claiming a pinned name is rejected and reported, never adopted', () => {
    const { registry, events } = setup();
    registry.ingest(alice.v.heyThere());
    const impostor = new TestNara('alice', 66, alice.naraId, mallory.signer);
    impostor.connect();
    for (const forged of [impostor.v.heyThere(), impostor.v.newspaper(30_000), impostor.v.chau()]) {
      expect(registry.ingest(forged)).toMatchObject({ ok: false, reason: 'key-mismatch' });
    }
    expect(registry.ingest(impostor.v.connect())).toMatchObject({ ok: false, reason: 'key-mismatch' });
    expect(registry.get('alice')).toMatchObject({ publicKey: toBase64(alice.publicKey), state: 'ONLINE' });
    expect(events.filter((e) => e.type === 'rejected')).toHaveLength(4);
    expect(events.at(-1)).toMatchObject({
      type: 'rejected',
      name: 'alice',
      kind: 'chau',
      reason: 'key-mismatch',
    });
    expect(registry.stats().rejected['key-mismatch']).toBe(4);
  });

  it('a seeded key is enforced before the name is ever heard', () => {
    const { registry } = setup({ known: [{ name: 'alice', publicKey: alice.publicKey }] });
    const squatter = new TestNara('alice', 66, alice.naraId, mallory.signer);
    squatter.connect();
    expect(registry.ingest(squatter.v.heyThere())).toMatchObject({ ok: false, reason: 'key-mismatch' });
    expect(registry.ingest(alice.v.heyThere())).toMatchObject({ ok: true, change: 'joined' });
    expect(registry.get('alice')!.pin).toBe('seed');
  });

  it('pin() over a first-use pin of another key drops the squatter', () => {
    const { registry, events } = setup();
    const squatter = new TestNara('alice', 66, alice.naraId, mallory.signer);
    squatter.connect();
    registry.ingest(squatter.v.heyThere());
    registry.pin('alice', alice.publicKey);
    expect(events.at(-1)).toMatchObject({ type: 'evicted' });
    expect(registry.has('alice')).toBe(false);
    expect(registry.ingest(alice.v.heyThere())).toMatchObject({ ok: true, change: 'joined' });
    expect(registry.ingest(squatter.v.newspaper(30_000))).toMatchObject({
      ok: false,
      reason: 'key-mismatch',
    });
  });

  it('pin() of the key already heard turns the pin into a seeded one', () => {
    const { registry } = setup();
    registry.ingest(alice.v.heyThere());
    registry.pin('alice', alice.publicKey);
    expect(registry.get('alice')!.pin).toBe('seed');
  });

  it('another nara ID under the pinned key is refused', () => {
    const { registry } = setup();
    registry.ingest(alice.v.heyThere());
    const confused = new TestNara('alice', 1, 'another', alice.signer);
    confused.connect();
    expect(registry.ingest(confused.v.heyThere())).toMatchObject({ ok: false, reason: 'id-mismatch' });
  });

  it('delete() forgets a peer and its pin, so the name can be pinned again', () => {
    const { registry } = setup({ known: [{ name: 'alice', publicKey: alice.publicKey }] });
    registry.ingest(alice.v.heyThere());
    expect(registry.delete('alice')).toBe(true);
    expect(registry.has('alice')).toBe(false);
    const renewed = new TestNara('alice', 1, alice.naraId, mallory.signer);
    renewed.connect();
    expect(registry.ingest(renewed.v.heyThere())).toMatchObject({ ok: true, change: 'joined' });
    expect(registry.delete('nobody')).toBe(false);
  });
});

describe('time', () => {
  it('refuses messages from more than 30 s in the future and older than 60 s, with the reason', () => {
    const { registry } = setup();
    expect(registry.ingest(alice.v.heyThere(T0 + 30_001))).toMatchObject({
      ok: false,
      reason: 'from-future',
    });
    expect(registry.ingest(alice.v.heyThere(T0 - 60_001))).toMatchObject({ ok: false, reason: 'too-old' });
    // The edges themselves are inside the window.
    expect(registry.ingest(alice.v.heyThere(T0 + 30_000))).toMatchObject({ ok: true });
    expect(registry.ingest(bob.v.heyThere(T0 - 60_000))).toMatchObject({ ok: true });
  });

  it('accepts a will of any age for the current epoch, but not one from the future', () => {
    const { registry } = setup();
    const will = alice.v.connect();
    registry.ingest(alice.v.heyThere());
    for (let i = 0; i < 24; i++) {
      vi.advanceTimersByTime(150_000);
      registry.ingest(alice.v.newspaper(200_000));
    }
    expect(registry.ingest(will)).toMatchObject({ ok: true, change: 'missing' });

    const future = bob.v.connect(Date.now() + 31_000);
    registry.ingest(bob.v.heyThere());
    expect(registry.ingest(future)).toMatchObject({ ok: false, reason: 'from-future' });
  });

  it('uses the configured window', () => {
    const { registry } = setup({ maxFutureMs: 1000, maxAgeMs: 2000 });
    expect(registry.ingest(alice.v.heyThere(T0 + 1001))).toMatchObject({ ok: false, reason: 'from-future' });
    expect(registry.ingest(alice.v.heyThere(T0 - 2001))).toMatchObject({ ok: false, reason: 'too-old' });
  });

  it('measures and smooths each peer clock offset', () => {
    const { registry } = setup();
    // Bob's clock runs 12 s behind ours; messages take no time on this fake bus.
    registry.ingest(bob.v.heyThere(Date.now() - 12_000));
    expect(registry.get('bob')!.clockOffsetMs).toBe(12_000);
    for (let i = 0; i < 30; i++) {
      vi.advanceTimersByTime(30_000);
      registry.ingest(bob.v.newspaper(30_000, Date.now() - 2000)); // his clock was corrected
    }
    expect(registry.get('bob')!.clockOffsetMs).toBeGreaterThanOrEqual(2000);
    expect(registry.get('bob')!.clockOffsetMs).toBeLessThan(2100);
    registry.ingest(alice.v.heyThere(Date.now() + 5000));
    expect(registry.get('alice')!.clockOffsetMs).toBe(-5000);
  });

  it('judges a newer epoch in the sender time, so a peer far ahead of us is not confused by skew', () => {
    const { registry } = setup();
    registry.ingest(bob.v.heyThere(Date.now() + 25_000));
    vi.advanceTimersByTime(1000);
    bob.connect();
    expect(registry.ingest(bob.v.heyThere(Date.now() + 25_000))).toMatchObject({
      ok: true,
      change: 'reconnected',
    });
  });
});

describe('bounds', () => {
  it('when full, evicts the peer that departed first, never an ONLINE or a seeded one', () => {
    const { registry, events } = setup({
      maxPeers: 3,
      known: [{ name: 'alice', publicKey: alice.publicKey }],
    });
    const carol = new TestNara('carol', 3, undefined, bob.signer);
    const dave = new TestNara('dave', 4, undefined, bob.signer);
    carol.connect();
    dave.connect();
    registry.ingest(alice.v.heyThere());
    registry.ingest(bob.v.heyThere());
    registry.ingest(carol.v.heyThere());
    registry.ingest(alice.v.chau()); // seeded: may not be evicted
    registry.ingest(carol.v.chau()); // left first among the unseeded
    registry.ingest(bob.v.chau());
    expect(registry.ingest(dave.v.heyThere())).toMatchObject({ ok: true, change: 'joined' });
    expect(events.find((e) => e.type === 'evicted')).toMatchObject({ peer: { name: 'carol' } });
    expect(
      registry
        .list()
        .map((p) => p.name)
        .sort(),
    ).toEqual(['alice', 'bob', 'dave']);
    expect(registry.stats().evicted).toBe(1);
  });

  it('when full of ONLINE peers, refuses new names with capacity', () => {
    const { registry } = setup({ maxPeers: 2 });
    registry.ingest(alice.v.heyThere());
    registry.ingest(bob.v.heyThere());
    expect(registry.ingest(mallory.v.heyThere())).toMatchObject({ ok: false, reason: 'capacity' });
    // Known peers keep talking.
    expect(registry.ingest(alice.v.newspaper(30_000))).toMatchObject({ ok: true });
  });

  it('keeps at most retiredEpochs past epochs per peer', () => {
    const { registry } = setup({ retiredEpochs: 2 });
    const olds: VerifiedEnvelope[] = [];
    registry.ingest(alice.v.heyThere());
    for (let i = 0; i < 4; i++) {
      olds.push(alice.v.heyThere());
      vi.advanceTimersByTime(1000);
      alice.connect();
      registry.ingest(alice.v.heyThere());
    }
    // The two most recent past epochs are remembered by name; older ones fall to the time rule.
    for (const old of olds) expect(registry.ingest(old)).toMatchObject({ ok: false, reason: 'stale-epoch' });
  });
});

describe('events and snapshots', () => {
  it('a snapshot is JSON, with base64 keys, and carries no secret', () => {
    const { registry } = setup();
    registry.ingest(alice.v.heyThere());
    registry.ingest(alice.v.newspaper(30_000));
    registry.ingest(bob.v.heyThere());
    registry.ingest(bob.v.chau());
    const snapshot = registry.snapshot();
    const json = JSON.stringify(snapshot);
    expect(JSON.parse(json)).toEqual(snapshot);
    expect(snapshot.stats).toMatchObject({ peers: 2, online: 1, offline: 1, missing: 0, accepted: 4 });
    expect(snapshot.peers.find((p) => p.name === 'alice')!.publicKey).toBe(
      Buffer.from(alice.publicKey).toString('base64'),
    );
    // No signer material: the seeds behind the test keys appear in no encoding.
    for (const seed of [testSeed(1), testSeed(2)]) {
      expect(json).not.toContain(Buffer.from(seed).toString('base64'));
      expect(json).not.toContain(Buffer.from(seed).toString('hex'));
    }
    expect(json).not.toMatch(/private|secret|soul/i);
  });

  it('an event listener that throws does not break ingest, and off() stops events', () => {
    const logged: string[] = [];
    const registry = createPeerRegistry(
      {},
      {
        clock: systemClock,
        logger: {
          debug: () => {},
          info: () => {},
          warn: () => {},
          error: (m) => logged.push(m),
        },
      },
    );
    const off = registry.on(() => {
      throw new Error('listener bug');
    });
    expect(registry.ingest(alice.v.heyThere())).toMatchObject({ ok: true });
    expect(logged).toEqual(['peer registry listener threw']);
    off();
    registry.ingest(bob.v.heyThere());
    expect(logged).toHaveLength(1);
  });

  it('counts every rejection by reason', () => {
    const { registry } = setup();
    const paper = alice.v.newspaper(30_000);
    registry.ingest(paper);
    registry.ingest(paper);
    registry.ingest(paper);
    registry.ingest(bob.v.chau());
    expect(registry.stats().rejected).toMatchObject({ replay: 2, 'unknown-peer': 1, 'key-mismatch': 0 });
  });

  it('after close, ingest and pin throw RegistryClosedError, reads still work, tick does nothing', () => {
    const { registry } = setup();
    registry.ingest(alice.v.newspaper(30_000));
    registry.close();
    registry.close();
    expect(() => registry.ingest(alice.v.heyThere())).toThrow(RegistryClosedError);
    expect(() => registry.pin('bob', bob.publicKey)).toThrow(RegistryClosedError);
    vi.advanceTimersByTime(600_000);
    expect(registry.tick()).toBe(0);
    expect(registry.get('alice')!.state).toBe('ONLINE');
  });
});

describe('arguments', () => {
  it('throws TypeError naming what is wrong', () => {
    expect(() => createPeerRegistry({ maxPeers: 0 })).toThrow(/options\.maxPeers/);
    expect(() => createPeerRegistry({ graceMs: -1 })).toThrow(/options\.graceMs/);
    expect(() => createPeerRegistry({ maxAgeMs: 1.5 })).toThrow(/options\.maxAgeMs/);
    expect(() => createPeerRegistry({ known: 5 as never })).toThrow(/options\.known/);
    expect(() => createPeerRegistry({ known: [{ name: 'a', publicKey: new Uint8Array(3) }] })).toThrow(
      /options\.known\[\]\.publicKey/,
    );
    expect(() => createPeerRegistry({}, { clock: {} as never })).toThrow(/components\.clock/);
    const registry = createPeerRegistry();
    expect(() => registry.ingest(null as never)).toThrow(/envelope/);
    expect(() => registry.ingest({ name: 'x' } as never)).toThrow(TypeError);
    // A verified envelope's epoch is 8 bytes; anything else is not one.
    const sevenByteEpoch = { ...alice.v.heyThere(), epoch: new Uint8Array(7) } as unknown as VerifiedEnvelope;
    expect(() => registry.ingest(sevenByteEpoch)).toThrow(TypeError);
    expect(() => registry.pin('', alice.publicKey)).toThrow(/name/);
    expect(() => registry.pin('a', new Uint8Array(31))).toThrow(/publicKey/);
    expect(() => registry.on(3 as never)).toThrow(/listener/);
    registry.close();
  });

  it('verifies the wire path end to end: a will bound to the chau topic is what the registry gets', () => {
    const { registry } = setup();
    const willBytes = alice.connect();
    registry.ingest(verified(newspaperTopic('alice'), alice.newspaper(30_000)));
    expect(registry.ingest(verified(CHAU_TOPIC, willBytes))).toMatchObject({ ok: true, change: 'missing' });
  });
});
