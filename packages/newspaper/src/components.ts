/** An opaque handle returned by {@link Clock.setTimeout}. */
export type TimerHandle = unknown;

/**
 * Time as the scheduler sees it. Inject a fake in tests; {@link systemClock} in production.
 * `now()` is milliseconds since the Unix epoch.
 */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** A uniform random number in [0, 1), like `Math.random`. */
export type RandomSource = () => number;

/** Structured fields attached to a log line. Never put secrets here. */
export type LogFields = Readonly<Record<string, unknown>>;

/** The logger packages write to; the app decides where lines go. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/**
 * The platform clock (`Date.now`, `globalThis.setTimeout`). Works in Node and browsers.
 *
 * @example
 * ```ts
 * import { systemClock } from '@nara/newspaper';
 * console.log(systemClock.now() > 0); // true
 * ```
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  // Calls through globalThis so fake timers installed after import (vitest, sinon) still apply.
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

/** `Math.random`: fine for jitter, which only has to keep naras out of step, not be unpredictable. */
export const mathRandom: RandomSource = () => Math.random();

/** A logger that drops everything. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
