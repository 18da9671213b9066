import { systemClock } from '@nara/interface';
import { createPeerRegistry, type PeerEvent } from '@nara/peers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TestNara } from './helpers.js';

const T0 = 1_750_000_000_000;
const HOUR = 3_600_000;

function setup() {
  const registry = createPeerRegistry({}, { clock: systemClock });
  const events: PeerEvent[] = [];
  registry.on((e) => events.push(e));
  const types = () => events.map((e) => (e.type === 'rejected' ? `rejected:${e.reason}` : e.type));
  return { registry, events, types };
}

const alice = new TestNara('alice', 1);
const bob = new TestNara('bob', 2);

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  alice.connect();
  bob.connect();
});
afterEach(() => vi.useRealTimers());

describe('retained newspapers', () => {
  it("a live nara's retained newspaper joins it ONLINE, last seen when it was sent", () => {
    const { registry, types } = setup();
    const sent = T0 - 20_000;
    const result = registry.ingest(alice.v.newspaper(60_000, sent), { retained: true });
    expect(result).toMatchObject({ ok: true, change: 'joined' });
    expect(registry.get('alice')).toMatchObject({ state: 'ONLINE', lastSeen: sent });
    expect(types()).toEqual(['joined']);
  });

  it("shows a dead nara's stale one MISSING at once, with its last-seen time, however old it is", () => {
    const { registry, events } = setup();
    const sent = T0 - 5 * HOUR;
    const result = registry.ingest(alice.v.newspaper(60_000, sent), { retained: true });
    expect(result).toMatchObject({ ok: true, change: 'missing' });
    expect(registry.get('alice')).toMatchObject({
      state: 'MISSING',
      missingCause: 'silence',
      lastSeen: sent,
    });
    expect(events).toEqual([expect.objectContaining({ type: 'missing', cause: 'silence' })]);
    // The same message live (not retained) is refused as too old, as before.
    const live = setup();
    expect(live.registry.ingest(bob.v.newspaper(60_000, sent))).toMatchObject({
      ok: false,
      reason: 'too-old',
    });
  });

  it('takes a retained copy of something already seen for old news, not a hostile replay', () => {
    const { registry, types } = setup();
    const paper = alice.v.newspaper(60_000);
    registry.ingest(paper);
    // Resubscribing delivers the same retained newspaper again.
    expect(registry.ingest(paper, { retained: true })).toMatchObject({ ok: true, change: 'refreshed' });
    expect(Object.values(registry.stats().rejected).every((n) => n === 0)).toBe(true);
    // The same copy live is a replay, as before.
    expect(registry.ingest(paper)).toMatchObject({ ok: false, reason: 'replay' });
    expect(types()).toEqual(['joined', 'rejected:replay']);
  });

  it('takes a retained newspaper of an epoch the nara has left behind for old news too', () => {
    const { registry } = setup();
    const old = alice.v.newspaper(60_000, T0 - 1000);
    registry.ingest(old);
    vi.advanceTimersByTime(1000);
    alice.connect();
    registry.ingest(alice.v.heyThere());
    expect(registry.ingest(old, { retained: true })).toMatchObject({ ok: true, change: 'refreshed' });
    expect(registry.get('alice')).toMatchObject({ state: 'ONLINE', reconnects: 1 });
    expect(Object.values(registry.stats().rejected).every((n) => n === 0)).toBe(true);
  });
});
