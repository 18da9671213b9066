import type { TransportClock, TransportLogger } from './types.js';

const noop = (): void => {};

/** A logger that drops everything: the default when none is injected. */
export const silentLogger: TransportLogger = Object.freeze({
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
});

/** The real timers of the host (also what vitest's fake timers replace). */
export const systemClock: TransportClock = Object.freeze({
  now: () => Date.now(),
  setTimeout: (callback: () => void, ms: number) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle: unknown) =>
    globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]),
});
