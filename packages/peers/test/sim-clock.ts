import type { Clock } from '@nara/interface';

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly order: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/**
 * A hand-driven clock for long simulations: timers in a heap, fired in time order (ties in the order they
 * were set), with every microtask drained after each one, so async code (the memory bus delivers on
 * microtasks) runs as it would between real timers. vitest's async fake timers yield to the host event
 * loop with a real timeout after each timer, which makes an hour of 200 naras take minutes.
 */
export class SimClock implements Clock {
  private current: number;
  private readonly heap: Timer[] = [];
  private readonly byId = new Map<number, Timer>();
  private nextId = 1;
  private order = 0;
  fired = 0;

  constructor(start: number) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): number {
    const timer: Timer = {
      id: this.nextId++,
      // Whole milliseconds, like the host timers: envelope times are integers.
      at: this.current + Math.max(0, Number.isFinite(ms) ? Math.round(ms) : 0),
      order: this.order++,
      fn,
      cancelled: false,
    };
    this.byId.set(timer.id, timer);
    this.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    const timer = this.byId.get(handle as number);
    if (timer === undefined) return;
    timer.cancelled = true;
    this.byId.delete(timer.id);
  }

  /** Runs every timer due up to `time` (and those they set that are due too), then sets the clock to it. */
  async advanceTo(time: number): Promise<void> {
    await drain();
    for (;;) {
      const top = this.heap[0];
      if (top === undefined || top.at > time) break;
      this.pop();
      if (top.cancelled) continue;
      this.byId.delete(top.id);
      this.current = Math.max(this.current, top.at);
      this.fired += 1;
      top.fn();
      await drain();
    }
    this.current = Math.max(this.current, time);
  }

  private less(a: Timer, b: Timer): boolean {
    return a.at < b.at || (a.at === b.at && a.order < b.order);
  }

  private push(timer: Timer): void {
    const h = this.heap;
    h.push(timer);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}

/** Lets every queued microtask (and the ones they queue) run. */
function drain(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A small seeded PRNG, so a failing simulation can be replayed exactly. */
export { seededRandom } from '@nara/tooling/seeded-random';
