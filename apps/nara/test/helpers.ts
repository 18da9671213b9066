import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built binary: the e2e tests run what a user runs. `pnpm test` builds it first. */
export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

export function assertBuilt(): void {
  if (!existsSync(CLI)) {
    throw new Error(
      `${CLI} is missing: build first (pnpm build, or pnpm exec turbo run build --filter=@nara/cli...)`,
    );
  }
}

/** A process under test, with its output collected line by line. */
export class Proc {
  readonly child: ChildProcess;
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #waiters = new Set<() => void>();

  constructor(
    command: string,
    args: readonly string[],
    env: Record<string, string | undefined>,
    options: { detached?: boolean; cwd?: string } = {},
  ) {
    this.child = spawn(command, args, {
      env: env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...options,
    });
    for (const [stream, lines] of [
      [this.child.stdout, this.stdout],
      [this.child.stderr, this.stderr],
    ] as const) {
      let buffer = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        buffer += chunk;
        const parts = buffer.split('\n');
        buffer = parts.pop() ?? '';
        lines.push(...parts);
        for (const wake of this.#waiters) wake();
      });
      stream?.on('end', () => {
        if (buffer) lines.push(buffer);
        for (const wake of this.#waiters) wake();
      });
    }
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  /** Everything it printed so far. */
  get output(): string {
    return [...this.stdout, ...this.stderr].join('\n');
  }

  /** JSON log lines from stderr. */
  logs(): Array<Record<string, unknown>> {
    const out: Array<Record<string, unknown>> = [];
    for (const line of this.stderr) {
      try {
        out.push(JSON.parse(line) as Record<string, unknown>);
      } catch {}
    }
    return out;
  }

  /** Waits until `test` finds what it looks for in the output (polled on every new line). */
  waitFor<T>(what: string, test: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = test();
        if (found !== undefined && found !== false) {
          cleanup();
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${what}; output so far:\n${this.output.slice(-3000)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  /**
   * The program's last words (`nara: ...`): a JSON log line's `msg` in JSON log mode (the tests' default),
   * the plain line otherwise.
   */
  errors(): string[] {
    const out: string[] = [];
    for (const line of this.stderr) {
      if (line.startsWith('nara: ')) out.push(line);
      else if (line.startsWith('{')) {
        try {
          const msg = (JSON.parse(line) as { msg?: unknown }).msg;
          if (typeof msg === 'string' && msg.startsWith('nara: ')) out.push(msg);
        } catch {}
      }
    }
    return out;
  }

  waitForLog(msg: string | RegExp, timeoutMs?: number): Promise<Record<string, unknown>> {
    return this.waitFor(
      `log ${String(msg)}`,
      () => this.logs().find((l) => (typeof msg === 'string' ? l.msg === msg : msg.test(String(l.msg)))),
      timeoutMs,
    );
  }

  kill(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }
}

/** Runs the binary with a clean environment plus `env` (no MQTT_* leaking in from the machine). */
export function nara(args: readonly string[], env: Record<string, string | undefined> = {}): Proc {
  const base: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NARA_LOG_FORMAT: 'json',
  };
  return new Proc(process.execPath, [CLI, ...args], { ...base, ...env });
}

/** Polls `fn` until it returns something, or fails after `timeoutMs`. For HTTP state, not for timing. */
export async function eventually<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface PeerJson {
  name: string;
  state: 'ONLINE' | 'OFFLINE' | 'MISSING';
  publicKey: string;
  id: string;
  lastSeen: number;
  /** The last newspaper's status, or null before the first. */
  status: { chattiness: number; buzz: number } | null;
}

export async function peers(httpPort: number): Promise<PeerJson[]> {
  const res = await fetch(`http://127.0.0.1:${httpPort}/peers`);
  return (await res.json()) as PeerJson[];
}

export async function peerState(httpPort: number, name: string): Promise<string | undefined> {
  return (await peers(httpPort)).find((p) => p.name === name)?.state;
}
