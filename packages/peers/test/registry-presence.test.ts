import { toBase64 } from '@nara/peers';
import { describe, expect, it, vi } from 'vitest';
import { TestNara } from './helpers.js';
import { alice, bob, setup, T0, useFakePlaza } from './registry-fixture.js';

useFakePlaza();

describe('joining and staying', () => {
  it('a hey-there from a new name joins it ONLINE and pins its key on first use', () => {
    const { registry, types } = setup();
    const result = registry.ingest(alice.v.heyThere(Date.now(), '100.64.0.1'));
    expect(result).toMatchObject({ ok: true, change: 'joined' });
    const peer = registry.get('alice')!;
    expect(peer).toMatchObject({
      name: 'alice',
      state: 'ONLINE',
      pin: 'first-use',
      publicKey: toBase64(alice.publicKey),
      naraId: alice.naraId,
      meshIp: '100.64.0.1',
      firstSeen: T0,
      lastSeen: T0,
      seq: 1,
      status: null,
      missingCause: null,
      reconnects: 0,
    });
    expect(types()).toEqual(['joined']);
  });

  it('a newspaper updates the status and moves the deadline to the promise plus grace', () => {
    const { registry, types } = setup();
    registry.ingest(alice.v.heyThere());
    vi.advanceTimersByTime(1000);
    const status = { chattiness: 90, buzz: 40, flair: '🔥' };
    const result = registry.ingest(alice.v.newspaper(45_000, Date.now(), status));
    expect(result).toMatchObject({ ok: true, change: 'updated' });
    expect(registry.get('alice')).toMatchObject({ status, deadline: T0 + 1000 + 45_000 + 10_000, seq: 2 });
    expect(types()).toEqual(['joined', 'updated']);
  });

  it('a snapshot is a plain object to JSON, spreading and structured clone, status in its place', () => {
    const { registry } = setup();
    const status = { chattiness: 90, buzz: 40, flair: '🔥' };
    const result = registry.ingest(alice.v.newspaper(45_000, Date.now(), status));
    if (!result.ok) throw new Error(result.reason);
    const keys = Object.keys(result.peer);
    expect(keys.indexOf('status')).toBe(keys.indexOf('missingCause') + 1);
    expect({ ...result.peer }.status).toEqual(status);
    expect(JSON.parse(JSON.stringify(registry.snapshot())).peers[0].status).toEqual(status);
    expect(structuredClone(result.peer)).toEqual({ ...result.peer });
    expect(registry.get('alice')?.status).toBe(result.peer.status);
  });

  it('a stash-refresh or a hey-there counts as a sign of life without a status change', () => {
    const { registry, types } = setup();
    registry.ingest(alice.v.newspaper(30_000));
    vi.advanceTimersByTime(20_000);
    expect(registry.ingest(alice.v.stashRefresh())).toMatchObject({ ok: true, change: 'refreshed' });
    expect(registry.get('alice')!.deadline).toBe(T0 + 20_000 + 40_000);
    expect(types()).toEqual(['joined']);
  });
});

describe('leaving', () => {
  it('a graceful chau makes a peer OFFLINE and ends its epoch', () => {
    const { registry, types } = setup();
    registry.ingest(alice.v.heyThere());
    registry.ingest(alice.v.newspaper(30_000));
    expect(registry.ingest(alice.v.chau())).toMatchObject({ ok: true, change: 'left' });
    expect(registry.get('alice')).toMatchObject({ state: 'OFFLINE', deadline: null });
    // Anything later in the same epoch is refused: the chau was its last word.
    expect(registry.ingest(alice.v.newspaper(30_000))).toMatchObject({ ok: false, reason: 'stale-epoch' });
    vi.advanceTimersByTime(600_000);
    expect(registry.get('alice')!.state).toBe('OFFLINE');
    expect(types()).toEqual(['joined', 'updated', 'left', 'rejected:stale-epoch']);
  });

  it('a will for the current epoch makes the peer MISSING at once although its seq is below the floor', () => {
    const { registry, events } = setup();
    const will = alice.v.connect();
    registry.ingest(alice.v.heyThere());
    registry.ingest(alice.v.newspaper(300_000));
    vi.advanceTimersByTime(5000);
    const result = registry.ingest(will);
    expect(result).toMatchObject({ ok: true, change: 'missing' });
    expect(registry.get('alice')).toMatchObject({ state: 'MISSING', missingCause: 'will', deadline: null });
    expect(events.at(-1)).toMatchObject({ type: 'missing', cause: 'will' });
  });

  it('a will signed at connect hours ago is applied: wills have no age bound (docs/PROTOCOL.md section 6)', () => {
    const { registry } = setup();
    const will = alice.v.connect();
    registry.ingest(alice.v.heyThere());
    for (let hour = 0; hour < 3; hour++) {
      vi.advanceTimersByTime(3_600_000);
      expect(registry.ingest(alice.v.newspaper(300_000))).toMatchObject({ ok: true });
    }
    expect(registry.ingest(will)).toMatchObject({ ok: true, change: 'missing' });
  });

  it('a will is applied at most once', () => {
    const { registry } = setup();
    const will = alice.v.connect();
    registry.ingest(alice.v.heyThere());
    registry.ingest(will);
    expect(registry.ingest(will)).toMatchObject({ ok: false, reason: 'stale-will' });
  });

  it('a will from an older epoch is refused, however late it comes', () => {
    const { registry } = setup();
    const oldWill = alice.v.connect();
    registry.ingest(alice.v.heyThere());
    vi.advanceTimersByTime(10_000);
    alice.connect();
    registry.ingest(alice.v.heyThere());
    vi.advanceTimersByTime(3_600_000 - 10_000);
    registry.ingest(alice.v.heyThere());
    expect(registry.ingest(oldWill)).toMatchObject({ ok: false, reason: 'stale-will' });
    expect(registry.get('alice')!.state).toBe('ONLINE');
  });

  it('a will after a graceful chau in the same epoch is refused', () => {
    const { registry } = setup();
    const will = alice.v.connect();
    registry.ingest(alice.v.heyThere());
    registry.ingest(alice.v.chau());
    expect(registry.ingest(will)).toMatchObject({ ok: false, reason: 'stale-will' });
    expect(registry.get('alice')!.state).toBe('OFFLINE');
  });

  it('a will for an epoch never heard but newer than the current one is applied', () => {
    const { registry } = setup();
    registry.ingest(alice.v.heyThere());
    vi.advanceTimersByTime(20_000);
    // Alice reconnected and died before her hey-there reached us: only the broker's will arrives.
    const will = alice.v.connect();
    expect(registry.ingest(will)).toMatchObject({ ok: true, change: 'missing' });
    expect(registry.get('alice')).toMatchObject({ state: 'MISSING', missingCause: 'will', reconnects: 1 });
  });

  it('a chau from a name the registry does not know changes nothing and pins nothing', () => {
    const { registry } = setup();
    expect(registry.ingest(alice.v.chau())).toMatchObject({ ok: false, reason: 'unknown-peer' });
    expect(registry.ingest(alice.v.connect())).toMatchObject({ ok: false, reason: 'unknown-peer' });
    expect(registry.has('alice')).toBe(false);
  });
});

describe('silence', () => {
  it('makes a peer MISSING when its promised deadline plus grace passes', () => {
    const { registry, events } = setup({ graceMs: 10_000 });
    registry.ingest(alice.v.newspaper(60_000));
    vi.advanceTimersByTime(69_999);
    expect(registry.get('alice')!.state).toBe('ONLINE');
    vi.advanceTimersByTime(1);
    expect(registry.get('alice')).toMatchObject({
      state: 'MISSING',
      missingCause: 'silence',
      deadline: null,
    });
    expect(events.at(-1)).toMatchObject({ type: 'missing', cause: 'silence' });
  });

  it('never waits more than five minutes, whatever the peer promised', () => {
    const { registry } = setup();
    registry.ingest(alice.v.newspaper(3_600_000));
    expect(registry.get('alice')!.deadline).toBe(T0 + 300_000);
    vi.advanceTimersByTime(300_000);
    expect(registry.get('alice')!.state).toBe('MISSING');
  });

  it('gives a peer that promised nothing yet (hey-there only) five minutes', () => {
    const { registry } = setup();
    registry.ingest(alice.v.heyThere());
    vi.advanceTimersByTime(299_999);
    expect(registry.get('alice')!.state).toBe('ONLINE');
    vi.advanceTimersByTime(1);
    expect(registry.get('alice')!.state).toBe('MISSING');
  });

  it('keeps a peer ONLINE for as long as it keeps its promises', () => {
    const { registry, types } = setup();
    for (let i = 0; i < 20; i++) {
      registry.ingest(alice.v.newspaper(290_000));
      vi.advanceTimersByTime(290_000);
    }
    expect(registry.get('alice')!.state).toBe('ONLINE');
    expect(types().filter((t) => t === 'missing')).toEqual([]);
  });

  it('a peer MISSING through silence returns ONLINE when it speaks again in the same epoch', () => {
    const { registry, events } = setup();
    registry.ingest(alice.v.newspaper(30_000));
    vi.advanceTimersByTime(45_000);
    expect(registry.get('alice')!.state).toBe('MISSING');
    expect(registry.ingest(alice.v.newspaper(30_000))).toMatchObject({ ok: true, change: 'returned' });
    expect(events.at(-1)).toMatchObject({ type: 'returned', from: 'MISSING' });
    expect(registry.get('alice')).toMatchObject({ state: 'ONLINE', missingCause: null, reconnects: 0 });
  });

  it('tracks many peers with one timer: each goes MISSING at its own deadline', () => {
    const { registry } = setup({ graceMs: 0 });
    const naras = Array.from(
      { length: 30 },
      (_, i) => new TestNara(`peer-${i}`, 100 + i, undefined, alice.signer),
    );
    // One signer, many names: the registry pins per name, and this keeps the test fast.
    for (const [i, n] of naras.entries()) {
      n.connect();
      registry.ingest(n.v.newspaper(1000 * (30 - i)));
    }
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(10_500);
    const missing = registry
      .list()
      .filter((p) => p.state === 'MISSING')
      .map((p) => p.name);
    expect(missing.sort()).toEqual(
      naras
        .slice(20)
        .map((n) => n.name)
        .sort(),
    );
  });
});

describe('our own outages', () => {
  it('judges no silence while paused, and gives every ONLINE peer the full five minutes on resume', () => {
    const { registry, types } = setup();
    registry.ingest(alice.v.newspaper(30_000));
    registry.ingest(bob.v.newspaper(290_000));
    vi.advanceTimersByTime(20_000);
    registry.pause();
    registry.pause();
    expect(registry.paused).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(100_000);
    expect(registry.tick()).toBe(0);
    expect(registry.get('alice')!.state).toBe('ONLINE');
    registry.resume();
    registry.resume();
    expect(registry.paused).toBe(false);
    expect(vi.getTimerCount()).toBe(1);
    expect(registry.get('alice')!.deadline).toBe(T0 + 120_000 + 300_000);
    expect(registry.get('bob')!.deadline).toBe(T0 + 120_000 + 300_000);
    vi.advanceTimersByTime(299_999);
    expect(registry.get('alice')!.state).toBe('ONLINE');
    vi.advanceTimersByTime(1);
    expect(registry.get('alice')!.state).toBe('MISSING');
    expect(types().filter((t) => t === 'missing')).toHaveLength(2);
  });
});

describe('returning and restarting', () => {
  it('a peer MISSING through its will returns in a new epoch', () => {
    const { registry, events } = setup();
    const will = alice.v.connect();
    registry.ingest(alice.v.heyThere());
    registry.ingest(will);
    vi.advanceTimersByTime(20_000);
    alice.connect();
    expect(registry.ingest(alice.v.heyThere())).toMatchObject({ ok: true, change: 'returned' });
    expect(events.at(-1)).toMatchObject({ type: 'returned', from: 'MISSING' });
    expect(registry.get('alice')).toMatchObject({ state: 'ONLINE', reconnects: 1, seq: 1 });
  });

  it('a peer that said chau returns in a new epoch', () => {
    const { registry, events } = setup();
    registry.ingest(alice.v.heyThere());
    registry.ingest(alice.v.chau());
    vi.advanceTimersByTime(60_000);
    alice.connect();
    expect(registry.ingest(alice.v.heyThere())).toMatchObject({ ok: true, change: 'returned' });
    expect(events.at(-1)).toMatchObject({ type: 'returned', from: 'OFFLINE' });
  });

  it('a restart without goodbye: a newer epoch while ONLINE resets the sequence floor', () => {
    const { registry, types } = setup();
    registry.ingest(alice.v.heyThere());
    for (let i = 0; i < 5; i++) registry.ingest(alice.v.newspaper(30_000));
    expect(registry.get('alice')!.seq).toBe(6);
    vi.advanceTimersByTime(10_000);
    alice.connect();
    expect(registry.ingest(alice.v.heyThere())).toMatchObject({ ok: true, change: 'reconnected' });
    expect(registry.get('alice')).toMatchObject({ state: 'ONLINE', seq: 1, reconnects: 1 });
    expect(types().at(-1)).toBe('reconnected');
  });
});
