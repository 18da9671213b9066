import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeadlineHeap, type Scheduled } from '../src/deadlines.js';

type Op = { kind: 'set'; item: number; deadline: number } | { kind: 'remove'; item: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    item: fc.nat(19),
    deadline: fc.integer({ min: 0, max: 50 }),
  }),
  fc.record({ kind: fc.constant('remove' as const), item: fc.nat(19) }),
);

describe('the deadline heap', () => {
  it('always has the earliest deadline on top and knows where each item is, whatever moves', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const heap = new DeadlineHeap<Scheduled & { id: number }>();
        const items = Array.from({ length: 20 }, (_, id) => ({ id, deadline: Infinity, heapIndex: -1 }));
        const live = new Set<number>();
        for (const o of ops) {
          const item = items[o.item]!;
          if (o.kind === 'set') {
            item.deadline = o.deadline;
            heap.update(item);
            live.add(o.item);
          } else {
            heap.remove(item);
            live.delete(o.item);
          }
          const earliest = Math.min(...[...live].map((i) => items[i]!.deadline));
          expect(heap.peek()?.deadline ?? Infinity).toBe(earliest);
          for (const it of items) expect(it.heapIndex >= 0).toBe(live.has(it.id));
        }
        // Draining in order gives the deadlines sorted.
        const drained: number[] = [];
        for (let top = heap.peek(); top !== undefined; top = heap.peek()) {
          drained.push(top.deadline);
          heap.remove(top);
        }
        expect(drained).toEqual([...live].map((i) => items[i]!.deadline).sort((a, b) => a - b));
      }),
      { numRuns: 500 },
    );
  });
});
