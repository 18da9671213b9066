/**
 * The abort reason of a run's signal when the scheduler is stopped. Match by
 * `.name === 'SchedulerStoppedError'`.
 */
export class SchedulerStoppedError extends Error {
  override readonly name = 'SchedulerStoppedError';
  constructor() {
    super('the newspaper scheduler was stopped');
  }
}

/**
 * The abort reason of a run's signal when the run exceeds `runTimeoutMs`. Match by
 * `.name === 'RunTimeoutError'`.
 */
export class RunTimeoutError extends Error {
  override readonly name = 'RunTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`the newspaper run did not settle within ${timeoutMs} ms`);
  }
}
