import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SlotIndex } from '../src/duplicates.js';

describe('the verify-once cache index', () => {
  it('finds exactly what a Map would, through any sequence of adds and deletes (runs and wrap-around included)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 40 })), { maxLength: 300 }),
        (capacity, ops) => {
          // Slots hold ids as the cache does: a ring of `capacity`, the index pointing into it.
          const ids = new Array<number>(capacity).fill(-1);
          const index = new SlotIndex(capacity);
          const model = new Map<number, number>();
          let next = 0;
          for (const [add, id] of ops) {
            if (add && !model.has(id)) {
              const slot = next;
              next = (next + 1) % capacity;
              if (ids[slot]! >= 0) {
                index.delete(ids[slot]!);
                model.delete(ids[slot]!);
              }
              ids[slot] = id;
              index.set(id, slot);
              model.set(id, slot);
            }
            for (let probe = 0; probe <= 40; probe++) expect(index.get(probe)).toBe(model.get(probe) ?? -1);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
