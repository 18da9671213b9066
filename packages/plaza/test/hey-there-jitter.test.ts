import { createIdentity, randomSoul } from '@nara/identity';
import { type NaraEvent, type NaraNode, startNara } from '@nara/plaza';
import { createMemoryBus } from '@nara/transport';
import { afterEach, describe, expect, it, vi } from 'vitest';

// The seed: "Apply a random jitter delay (0-5s) before the first broadcast", then presence, then the first
// newspaper. (Its TestMQTT_ConnectJitter names the check; the Go tree has no such test.)
describe('the first broadcast after connecting', () => {
  let node: NaraNode | undefined;
  afterEach(async () => {
    await node?.close();
    vi.useRealTimers();
  });

  it.each([
    [0, 0],
    [0.6, 3000],
    [0.9999, 4999],
  ])(
    'with random() = %s waits %i ms, then says hey-there and publishes its first newspaper',
    async (draw, waitMs) => {
      vi.useFakeTimers();
      const bus = createMemoryBus();
      const published: Array<{ kind: string; at: number }> = [];
      const startedAt = Date.now();
      node = await startNara(
        { identity: createIdentity({ name: 'jit', soul: randomSoul('jit') }) },
        { random: () => draw, createTransport: (init) => bus.createTransport(init) },
      );
      node.on((event: NaraEvent) => {
        if (event.type === 'published') published.push({ kind: event.kind, at: Date.now() - startedAt });
      });

      if (waitMs > 0) {
        await vi.advanceTimersByTimeAsync(waitMs - 1);
        expect(published).toEqual([]);
      }
      await vi.advanceTimersByTimeAsync(waitMs > 0 ? 1 : 0);
      expect(published).toEqual([{ kind: 'hey-there', at: waitMs }]);
      // The first newspaper right after hey-there, not on the chattiness cadence.
      await vi.advanceTimersByTimeAsync(10);
      expect(published.map((p) => p.kind)).toEqual(['hey-there', 'newspaper']);
      expect(published[1]!.at - waitMs).toBeLessThanOrEqual(10);
    },
  );
});
