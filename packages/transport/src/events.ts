import type { Logger } from '@nara/interface';
import type { TransportEvent, TransportEventListener } from './types.js';

/**
 * The listener list behind `Transport.on`. A throwing listener is logged and skipped, so one bad listener
 * cannot stop the others or the transport.
 */
export class TransportEvents {
  readonly #listeners = new Set<TransportEventListener>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  on(listener: TransportEventListener): () => void {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    // Wrap so that the same function registered twice gets two independent registrations.
    const entry: TransportEventListener = (event) => listener(event);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  emit(event: TransportEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.#logger.error('transport event listener threw', { event: event.type, error: String(error) });
      }
    }
  }
}
