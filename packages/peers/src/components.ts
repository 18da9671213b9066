/** An opaque handle returned by {@link Clock.setTimeout}. */
export type TimerHandle = unknown;

/**
 * Time as the registry sees it: `now()` in milliseconds since the Unix epoch, and one-shot timers.
 * Inject a fake in tests; {@link systemClock} in production.
 */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Structured fields attached to a log line. Never secrets. */
export type LogFields = Readonly<Record<string, unknown>>;

/** The logger the registry writes to; the app decides where lines go. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** The platform clock (`Date.now`, `globalThis.setTimeout`). Works in Node and browsers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  // Through globalThis at call time, so fake timers installed after import still apply.
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

/** A logger that drops everything. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
