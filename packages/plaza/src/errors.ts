/**
 * A nara could not start for a reason outside its configuration: the broker unreachable or refusing, the
 * first connection too slow. One line for a person, naming the cause; never a secret. `exitCode` is what a
 * program exits with when it gives up on it (1).
 */
export class StartError extends Error {
  override readonly name = 'StartError';
  readonly exitCode = 1;
}
