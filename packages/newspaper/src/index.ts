/**
 * The newspaper scheduler of the nara plaza: a repeating task whose cadence follows the nara's
 * chattiness, with jitter, a debounced "publish soon", never two runs at once, an AbortSignal per run,
 * and a promised deadline for the next newspaper. Runs in Node and in browsers.
 *
 * @packageDocumentation
 */
export { RunTimeoutError, SchedulerStoppedError } from './errors.js';
export {
  DEFAULT_JITTER,
  jitterBounds,
  jitteredDelayMs,
  MAX_INTERVAL_MS,
  MAX_PROMISE_MS,
  MIN_INTERVAL_MS,
  nominalIntervalMs,
} from './interval.js';
export {
  createNewspaperScheduler,
  type NewspaperRun,
  type NewspaperScheduler,
  type NewspaperSchedulerComponents,
  type NewspaperSchedulerInit,
  type RunReason,
} from './scheduler.js';
