/**
 * Processes the tooling starts (brokers, mostly): each killed at process exit even when the test that
 * started it failed, and supervised (started until ready, stopped, killed and started again).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

const live = new Set<() => void>();
let exitHookInstalled = false;

/** Whatever else happens, brokers die with the process that started them. Returns the untrack function. */
export function track(killNow: () => void): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const kill of live) kill();
    });
  }
  live.add(killNow);
  return () => {
    live.delete(killNow);
  };
}

/** One broker process: started, killed and started again on the same ports and data. */
export interface Supervised {
  start(): Promise<void>;
  /** SIGKILL, as a crashed machine. */
  kill(): Promise<void>;
  /** SIGTERM, waiting for the exit. */
  stop(): Promise<void>;
  readonly running: boolean;
  log(): string;
}

export function supervise(
  label: string,
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  ready: (exited: Promise<never>) => Promise<void>,
): Supervised {
  let child: ChildProcess | undefined;
  let untrack: () => void = () => {};
  let log = '';
  const halt = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child;
    child = undefined;
    if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = once(proc, 'exit');
    proc.kill(signal);
    await gone;
    untrack();
  };
  return {
    get running() {
      return child !== undefined;
    },
    log: () => log,
    async start() {
      const proc = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      child = proc;
      const keep = (chunk: Buffer): void => {
        log = (log + chunk.toString('utf8')).slice(-16_000);
      };
      proc.stdout?.on('data', keep);
      proc.stderr?.on('data', keep);
      const exited = new Promise<never>((_, reject) => {
        proc.once('exit', (code, signal) =>
          reject(new Error(`${label} exited (${code ?? signal}) before it was ready:\n${log.slice(-4_000)}`)),
        );
      });
      exited.catch(() => {});
      untrack = track(() => proc.kill('SIGKILL'));
      try {
        await ready(exited);
      } catch (error) {
        proc.kill('SIGKILL');
        throw error;
      }
    },
    kill: () => halt('SIGKILL'),
    stop: () => halt('SIGTERM'),
  };
}
