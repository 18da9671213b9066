import type { Env } from './config.js';

/** A place to write text, as process.stdout and process.stderr are. */
export interface Output {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
  readonly rows?: number;
}

/** What a command may touch of the outside world; the tests pass their own. */
export interface CliIo {
  readonly env: Env;
  readonly stdout: Output;
  readonly stderr: Output;
  /** Aborted on SIGINT or SIGTERM: the command says chau and returns. */
  readonly shutdown: AbortSignal;
}
