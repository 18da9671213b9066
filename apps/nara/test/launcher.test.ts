import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, eventually, Proc } from './helpers.js';

// The repository's launcher, as the README runs it (`./nara ...`), and as `pnpm nara` runs it.
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const LAUNCHER = `${ROOT}nara`;

const running: Proc[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) {
    try {
      process.kill(-(p.child.pid ?? 0), 'SIGKILL');
    } catch {}
    await p.exited;
  }
});

/** Starts a command in its own process group, as a shell starts a foreground job. */
function job(command: string, args: readonly string[], env: Record<string, string> = {}): Proc {
  const p = new Proc(
    command,
    args,
    {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NARA_LOG_FORMAT: 'json',
      NARA_BROKER_PORT: '0',
      NARA_LAUNCHER_BUILD: '0',
      ...env,
    },
    { detached: true, cwd: ROOT },
  );
  running.push(p);
  return p;
}

/** A nara that is still running under this name, by its command line and environment. */
function alive(marker: string): boolean {
  const out = execFileSync('sh', ['-c', `grep -l ${marker} /proc/[0-9]*/environ 2>/dev/null || true`], {
    encoding: 'utf8',
  });
  return out.trim() !== '';
}

describe('the launcher (./nara, and pnpm nara)', () => {
  beforeAll(() => assertBuilt());

  it('builds quietly and prints only the program output on stdout: ./nara soul --json | jq works', async () => {
    const p = job(LAUNCHER, ['soul', '--name', 'ana', '--json'], { NARA_LAUNCHER_BUILD: '1' });
    expect((await p.exited).code).toBe(0);
    expect(p.stdout.filter((l) => l !== '')).toHaveLength(1);
    expect(JSON.parse(p.stdout[0]!)).toMatchObject({ name: 'ana' });
    expect(p.stderr.join('\n')).not.toMatch(/turbo|Tasks:/);
  }, 120_000);

  it('ends quietly on Ctrl-C: the nara says chau once, exit 0, nothing on stdout', async () => {
    const p = job(LAUNCHER, ['--name', 'ctrl-c-nara'], { NARA_TEST_MARK: 'launcher-ctrl-c' });
    await p.waitForLog('connected');
    // A terminal's Ctrl-C: SIGINT to the whole foreground process group.
    process.kill(-p.child.pid!, 'SIGINT');
    expect((await p.exited).code).toBe(0);
    expect(p.stdout.filter((l) => l !== '')).toEqual([]);
    expect(p.logs().filter((l) => l.msg === 'leaving')).toHaveLength(1);
    expect(p.logs().some((l) => l.msg === 'chau')).toBe(true);
    expect(alive('NARA_TEST_MARK=launcher-ctrl-c')).toBe(false);
  });

  it('passes SIGTERM on, and a nara whose launcher is killed outright leaves by itself', async () => {
    const term = job(LAUNCHER, ['--name', 'term-nara'], { NARA_TEST_MARK: 'launcher-term' });
    await term.waitForLog('connected');
    term.child.kill('SIGTERM');
    expect((await term.exited).code).toBe(0);
    expect(term.logs().some((l) => l.msg === 'chau')).toBe(true);
    expect(alive('NARA_TEST_MARK=launcher-term')).toBe(false);

    const kill = job(LAUNCHER, ['--name', 'kill-nara'], { NARA_TEST_MARK: 'launcher-kill' });
    await kill.waitForLog('connected');
    kill.child.kill('SIGKILL');
    // The nara keeps our stderr pipe: its own goodbye arrives after the launcher is gone.
    await kill.waitForLog('chau');
    await eventually('the nara to exit', async () =>
      alive('NARA_TEST_MARK=launcher-kill') ? undefined : true,
    );
  });

  it('leaves no orphan when pnpm itself gets SIGTERM', async () => {
    const pnpm = execFileSync('npx', ['-y', 'pnpm@10.34.8', 'exec', 'sh', '-c', 'command -v pnpm'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim();
    const p = job(pnpm, ['nara', '--name', 'pnpm-nara'], { NARA_TEST_MARK: 'launcher-pnpm' });
    await p.waitForLog('connected', 60_000);
    expect(alive('NARA_TEST_MARK=launcher-pnpm')).toBe(true);
    p.child.kill('SIGTERM');
    await p.waitForLog('chau');
    await eventually('the nara to exit', async () =>
      alive('NARA_TEST_MARK=launcher-pnpm') ? undefined : true,
    );
  }, 90_000);
});
