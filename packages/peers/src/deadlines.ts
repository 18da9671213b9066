/** Something with a deadline and a slot in the heap. */
export interface Scheduled {
  deadline: number;
  /** Position in the heap, or -1 when not in it. */
  heapIndex: number;
}

/**
 * A min-heap of deadlines with one slot per item, so moving a deadline is O(log n) and the top is always a
 * live deadline: the registry arms a single timer for the earliest one instead of one timer per peer.
 *
 * The deadlines are kept beside the items, in one array of numbers in heap order: sifting compares only
 * those, so moving a peer's deadline reads a few neighbouring numbers, not the records of its parent and
 * children (on a large plaza, three cache misses per message).
 */
export class DeadlineHeap<T extends Scheduled> {
  private readonly items: T[] = [];
  private keys = new Float64Array(64);

  peek(): T | undefined {
    return this.items[0];
  }

  /** Inserts `item`, or moves it if it is already in the heap, after its deadline changed. */
  update(item: T): void {
    if (item.heapIndex < 0) {
      const i = this.items.length;
      if (i === this.keys.length) {
        const grown = new Float64Array(2 * i);
        grown.set(this.keys);
        this.keys = grown;
      }
      this.items.push(item);
      this.keys[i] = item.deadline;
      item.heapIndex = i;
      this.up(i);
      return;
    }
    const i = item.heapIndex;
    const before = this.keys[i]!;
    this.keys[i] = item.deadline;
    if (item.deadline < before) this.up(i);
    else if (item.deadline > before) this.down(i);
  }

  remove(item: T): void {
    const i = item.heapIndex;
    if (i < 0) return;
    const last = this.items.pop()!;
    const lastKey = this.keys[this.items.length]!;
    item.heapIndex = -1;
    if (i === this.items.length) return;
    this.items[i] = last;
    this.keys[i] = lastKey;
    last.heapIndex = i;
    this.up(i);
    this.down(i);
  }

  private up(i: number): void {
    const { items, keys } = this;
    const item = items[i]!;
    const key = keys[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent]! <= key) break;
      this.put(i, items[parent]!, keys[parent]!);
      i = parent;
    }
    this.put(i, item, key);
  }

  private down(i: number): void {
    const { items, keys } = this;
    const n = items.length;
    const item = items[i]!;
    const key = keys[i]!;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && keys[right]! < keys[left]! ? right : left;
      if (keys[child]! >= key) break;
      this.put(i, items[child]!, keys[child]!);
      i = child;
    }
    this.put(i, item, key);
  }

  /** Puts `item` with its key at position `i`. */
  private put(i: number, item: T, key: number): void {
    this.items[i] = item;
    this.keys[i] = key;
    item.heapIndex = i;
  }
}
