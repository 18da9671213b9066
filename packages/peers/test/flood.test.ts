import type { VerifiedEnvelope } from '@nara/envelope';
import { systemClock } from '@nara/interface';
import { createPeerRegistry } from '@nara/peers';
import { newspaperTopic } from '@nara/topics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TestNara } from './helpers.js';

const T0 = 1_750_000_000_000;

/**
 * A flood needs 100,000 distinct signed names; signing and verifying them for real takes longer than this
 * whole suite may (about 10 s here with node:crypto). The registry reads only the fields of a verified
 * envelope, so this one test builds those objects directly and casts them: the only place in these tests
 * where an envelope is not produced by the verifier. Every other test signs and verifies for real.
 */
function floodEnvelope(i: number, wave: number): VerifiedEnvelope {
  const publicKey = new Uint8Array(32);
  const view = new DataView(publicKey.buffer);
  view.setUint32(0, i);
  view.setUint32(4, wave);
  const name = `fake-${wave}-${i}`;
  return {
    kind: 'newspaper',
    name,
    naraId: 'fake',
    epoch: publicKey.subarray(0, 8),
    seq: 1,
    time: Date.now(),
    body: { status: { chattiness: 100, buzz: 182, flair: 'x'.repeat(64) }, next: Date.now() + 30_000 },
    topic: newspaperTopic(name),
    publicKey,
    bytes: new Uint8Array(0),
  } as unknown as VerifiedEnvelope;
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('a flood of fake names', () => {
  it('keeps the registry within its cap and keeps the peers it already trusts', () => {
    const registry = createPeerRegistry({ maxPeers: 10_000 }, { clock: systemClock });
    const alice = new TestNara('alice', 1);
    alice.connect();
    registry.ingest(alice.v.heyThere());
    let evictions = 0;
    registry.on((e) => {
      if (e.type === 'evicted') evictions += 1;
    });

    const results = { joined: 0, capacity: 0 };
    for (let i = 0; i < 100_000; i++) {
      const r = registry.ingest(floodEnvelope(i, 1));
      if (r.ok) results.joined += 1;
      else if (r.reason === 'capacity') results.capacity += 1;
      // Alice keeps talking through the flood.
      if (i % 10_000 === 0) expect(registry.ingest(alice.v.newspaper(30_000)).ok).toBe(true);
    }
    expect(results).toEqual({ joined: 9_999, capacity: 90_001 });
    expect(registry.size).toBe(10_000);
    expect(registry.get('alice')).toMatchObject({ state: 'ONLINE', pin: 'first-use' });

    // The fakes fall silent and go MISSING; a second wave may now evict them, oldest departure first,
    // and the registry never grows past its cap.
    vi.advanceTimersByTime(30_000);
    registry.ingest(alice.v.newspaper(30_000));
    vi.advanceTimersByTime(15_000);
    expect(registry.stats()).toMatchObject({ peers: 10_000, online: 1, missing: 9_999 });
    let joined = 0;
    for (let i = 0; i < 100_000; i++) {
      if (registry.ingest(floodEnvelope(i, 2)).ok) joined += 1;
      expect(registry.size).toBeLessThanOrEqual(10_000);
    }
    expect(joined).toBe(9_999);
    expect(evictions).toBe(9_999);
    expect(registry.get('alice')!.state).toBe('ONLINE');
    expect(registry.stats()).toMatchObject({ peers: 10_000, evicted: 9_999 });
    expect(registry.stats().rejected.capacity).toBe(90_001 * 2);
    registry.close();
  });
});
