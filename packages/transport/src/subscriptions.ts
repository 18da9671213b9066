import type { TopicMatcher } from '@nara/topics';
import { assertHandler } from './checks.js';
import type { MessageHandler, TransportMessage } from './types.js';

interface Entry {
  readonly filter: string;
  readonly matches: TopicMatcher;
  readonly handler: MessageHandler;
}

/**
 * The subscriptions of one transport, matched locally: a message is handed to every matching handler once,
 * whichever broker subscription brought it. Handlers are isolated: one that throws is reported through
 * `onHandlerError` and the others still run.
 */
export class SubscriptionTable {
  readonly #entries = new Set<Entry>();
  readonly #filters = new Map<string, number>();

  /**
   * Adds a subscription; `added` is true when this filter is new to the table (the broker must hear of it).
   * Throws `TypeError` unless `handler` is a function, so that every transport built on the table checks it.
   */
  add(filter: string, matches: TopicMatcher, handler: MessageHandler): { entry: object; added: boolean } {
    assertHandler(handler);
    const entry: Entry = { filter, matches, handler };
    this.#entries.add(entry);
    const count = this.#filters.get(filter) ?? 0;
    this.#filters.set(filter, count + 1);
    return { entry, added: count === 0 };
  }

  /** Removes a subscription; `removed` is true when no subscription uses its filter any more. */
  remove(entry: object): { filter: string; removed: boolean } | undefined {
    const e = entry as Entry;
    if (!this.#entries.delete(e)) return undefined;
    const count = (this.#filters.get(e.filter) ?? 1) - 1;
    if (count <= 0) this.#filters.delete(e.filter);
    else this.#filters.set(e.filter, count);
    return { filter: e.filter, removed: count <= 0 };
  }

  /** The distinct filters in use. */
  filters(): string[] {
    return [...this.#filters.keys()];
  }

  get size(): number {
    return this.#entries.size;
  }

  /** `true` when some subscription matches `topic`. */
  matches(topic: string): boolean {
    for (const entry of this.#entries) if (entry.matches(topic)) return true;
    return false;
  }

  /**
   * Calls each matching handler with its own copy of the payload, so one handler cannot change what
   * another sees. Returns how many handlers were called. `only` limits it to one subscription (retained
   * messages sent for a new one).
   */
  dispatch(
    topic: string,
    payload: Uint8Array,
    onHandlerError: (error: unknown, filter: string) => void,
    retained = false,
    only?: object,
  ): number {
    let called = 0;
    for (const entry of only === undefined ? [...this.#entries] : [only as Entry]) {
      if (!this.#entries.has(entry) || !entry.matches(topic)) continue;
      const message: TransportMessage = retained
        ? { topic, payload: payload.slice(), retained: true }
        : { topic, payload: payload.slice() };
      called++;
      try {
        entry.handler(message);
      } catch (error) {
        onHandlerError(error, entry.filter);
      }
    }
    return called;
  }

  clear(): void {
    this.#entries.clear();
    this.#filters.clear();
  }
}
