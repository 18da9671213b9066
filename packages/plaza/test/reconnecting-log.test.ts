import { createIdentity, randomSoul } from '@nara/identity';
import { type NaraEvent, startNara } from '@nara/plaza';
import { createMemoryBus } from '@nara/transport';
import { afterEach, describe, expect, it, vi } from 'vitest';

describe('a nara that lost its broker', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("logs every 'reconnecting' with why and when the next try is", async () => {
    vi.useFakeTimers();
    const bus = createMemoryBus();
    const lines: Array<{ msg: string; fields: Record<string, unknown> }> = [];
    const record = (msg: string, fields: Record<string, unknown> = {}) => lines.push({ msg, fields });
    const logger = { debug: () => {}, info: record, warn: record, error: record };
    const node = await startNara(
      { identity: createIdentity({ name: 'ana', soul: randomSoul('ana') }) },
      {
        logger,
        random: () => 0,
        createTransport: (init) =>
          bus.createTransport({ ...init, random: () => 0, backoff: { minMs: 1000, maxMs: 8000 } }),
      },
    );
    const events: NaraEvent[] = [];
    node.on((e) => events.push(e));
    bus.stop();
    const lostAt = Date.now();
    await vi.advanceTimersByTimeAsync(1000);
    const retries = lines.filter((l) => l.msg === 'reconnecting');
    expect(retries.map((l) => l.fields)).toEqual([
      {
        attempt: 1,
        delayMs: 1000,
        nextAttemptAt: new Date(lostAt + 1000).toISOString(),
        cause: 'connection-lost: the memory bus stopped',
      },
      {
        attempt: 2,
        delayMs: 2000,
        nextAttemptAt: new Date(lostAt + 3000).toISOString(),
        cause: 'unreachable: the memory bus is stopped',
      },
    ]);
    // The event carries the cause as an error, for a program that wants more than the line.
    const event = events.find((e) => e.type === 'reconnecting');
    expect(event?.type === 'reconnecting' && event.cause?.message).toBe('the memory bus stopped');
    await node.close();
  });
});
