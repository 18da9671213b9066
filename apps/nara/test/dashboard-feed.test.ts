import { describe, expect, it } from 'vitest';
import { claimedName, FeedBuilder, type FeedEvent } from '../src/web/events.js';

const registry = { get: () => undefined, list: () => [] };

describe("the dashboard feed's coalescing of refusals", () => {
  it('sends a flood of refusals as one event per flush, grouped by name, kind and reason', () => {
    const events: FeedEvent[] = [];
    const feed = new FeedBuilder(
      (e) => events.push(e),
      registry,
      () => 7,
    );
    for (let i = 0; i < 1000; i++)
      feed.outcome({
        type: 'rejected',
        reason: 'key-mismatch',
        topic: 'nara/plaza/newspaper/ana',
        name: 'ana',
      });
    feed.outcome({ type: 'rejected', reason: 'bad-signature', topic: 'nara/plaza/hey-there' });
    feed.flush();
    feed.flush();
    expect(events).toEqual([
      {
        type: 'rejections',
        at: 7,
        groups: [
          { name: 'ana', what: 'newspaper', reason: 'key-mismatch', detail: null, count: 1000 },
          { name: null, what: 'hey-there', reason: 'bad-signature', detail: null, count: 1 },
        ],
      },
    ]);
  });

  it('keeps at most 200 groups between flushes; the rest count under no name', () => {
    const events: FeedEvent[] = [];
    const feed = new FeedBuilder((e) => events.push(e), registry);
    for (let i = 0; i < 5000; i++)
      feed.outcome({
        type: 'rejected',
        reason: 'replay',
        topic: `nara/plaza/newspaper/n${i}`,
        name: `n${i}`,
      });
    feed.flush();
    const groups = (events[0] as Extract<FeedEvent, { type: 'rejections' }>).groups;
    expect(groups).toHaveLength(201);
    expect(groups.at(-1)).toMatchObject({ name: null, count: 4800 });
  });

  it('reads the claimed name of a newspaper topic as the pipeline does (escaped levels decoded)', () => {
    expect(claimedName('nara/plaza/newspaper/bravo%2Elocal')).toBe('bravo.local');
    expect(claimedName('nara/plaza/newspaper/50%25')).toBe('50%');
    expect(claimedName('nara/plaza/newspaper/bad%41')).toBeUndefined();
    expect(claimedName(`nara/plaza/newspaper/${'x'.repeat(65)}`)).toBeUndefined();
    expect(claimedName('nara/plaza/hey-there')).toBeUndefined();
  });
});
