/** Something with a deadline and a slot in the heap. */
export interface Scheduled {
  deadline: number;
  /** Position in the heap, or -1 when not in it. */
  heapIndex: number;
}

/**
 * A min-heap of deadlines with one slot per item, so moving a deadline is O(log n) and the top is always a
 * live deadline: the registry arms a single timer for the earliest one instead of one timer per peer.
 */
export class DeadlineHeap<T extends Scheduled> {
  private readonly items: T[] = [];

  peek(): T | undefined {
    return this.items[0];
  }

  /** Inserts `item`, or moves it if it is already in the heap, after its deadline changed. */
  update(item: T): void {
    if (item.heapIndex < 0) {
      item.heapIndex = this.items.length;
      this.items.push(item);
      this.up(item.heapIndex);
      return;
    }
    this.up(item.heapIndex);
    this.down(item.heapIndex);
  }

  remove(item: T): void {
    const i = item.heapIndex;
    if (i < 0) return;
    const last = this.items.pop()!;
    item.heapIndex = -1;
    if (i === this.items.length) return;
    this.items[i] = last;
    last.heapIndex = i;
    this.up(i);
    this.down(i);
  }

  private up(i: number): void {
    const items = this.items;
    const item = items[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent]!;
      if (p.deadline <= item.deadline) break;
      items[i] = p;
      p.heapIndex = i;
      i = parent;
    }
    items[i] = item;
    item.heapIndex = i;
  }

  private down(i: number): void {
    const items = this.items;
    const n = items.length;
    const item = items[i]!;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && items[right]!.deadline < items[left]!.deadline ? right : left;
      const c = items[child]!;
      if (c.deadline >= item.deadline) break;
      items[i] = c;
      c.heapIndex = i;
      i = child;
    }
    items[i] = item;
    item.heapIndex = i;
  }
}
