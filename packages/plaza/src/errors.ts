/**
 * A nara could not start for a reason outside its configuration: the broker unreachable or refusing, the
 * first connection too slow. One line for a person, naming the cause; never a secret. `exitCode` is what a
 * program exits with when it gives up on it (1).
 */
export class StartError extends Error {
  override readonly name = 'StartError';
  readonly exitCode = 1;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One line saying why the first connection failed, naming the cause a person can fix. */
export function connectError(
  error: unknown,
  last: Error | undefined,
  broker: string | undefined,
  timeoutMs: number,
): StartError {
  const where = broker ? ` to ${broker}` : '';
  const cause = error instanceof Error && error.name === 'TransportError' ? error : last;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    const why = last ? `: ${last.message}` : '';
    return new StartError(`could not connect${where} within ${Math.round(timeoutMs / 1000)} s${why}`);
  }
  return new StartError(`could not connect${where}: ${cause ? cause.message : describe(error)}`);
}

/** Why a connection must be tried again, in one phrase: the transport's reason and its message. */
export function describeCause(error: Error): string {
  const reason = (error as { reason?: unknown }).reason;
  return typeof reason === 'string' ? `${reason}: ${error.message}` : error.message || error.name;
}
