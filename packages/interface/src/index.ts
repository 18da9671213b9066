/**
 * The components every nara package takes by injection, declared once here (the way js-libp2p keeps
 * `@libp2p/interface`): a {@link Logger}, a {@link Clock}, a {@link RandomSource}, and the defaults a
 * package uses when none is given. No dependencies; runs in Node and browsers.
 *
 * @packageDocumentation
 */

/** Structured fields attached to a log line. Never secrets. */
export type LogFields = Readonly<Record<string, unknown>>;

/** The logger packages write to; the program decides where lines go. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line; a package that wants one falls back to itself without it. */
  child?(fields: LogFields): Logger;
}

/** An opaque handle returned by {@link Clock.setTimeout}. */
export type TimerHandle = unknown;

/**
 * Time as a package sees it: `now()` in milliseconds since the Unix epoch, and one-shot timers. Inject a
 * fake in tests; {@link systemClock} in production.
 */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** A uniform random number in [0, 1), like `Math.random`: for jitter, never for keys. */
export type RandomSource = () => number;

/**
 * The platform clock (`Date.now`, `globalThis.setTimeout`). Works in Node and browsers.
 *
 * @example
 * ```ts
 * import { systemClock } from '@nara/interface';
 * console.log(systemClock.now() > 0); // true
 * ```
 */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  // Through globalThis at call time, so fake timers installed after import (vitest, sinon) still apply.
  setTimeout: (callback: () => void, ms: number) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle: TimerHandle) =>
    globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
});

/** `Math.random`: fine for jitter, which only has to keep naras out of step, not be unpredictable. */
export const mathRandom: RandomSource = () => Math.random();

const noop = (): void => {};

/** A logger that drops everything: the default when none is injected. */
export const silentLogger: Logger = Object.freeze({
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger,
});

/** `logger.child(fields)` when the logger makes children, otherwise the logger itself. */
export function childLogger(logger: Logger, fields: LogFields): Logger {
  return logger.child ? logger.child(fields) : logger;
}
