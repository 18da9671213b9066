#!/usr/bin/env node
// The launcher behind `./nara` and `pnpm nara`: builds the program quietly (turbo's output only when the
// build fails, and then on stderr), then runs it so that stdout carries the program's output alone,
// Ctrl-C ends it quietly with its own exit code, and SIGINT, SIGTERM or SIGHUP sent to the launcher (or to
// pnpm, which does not pass SIGTERM on) reaches the nara: it says chau instead of living on as an orphan.
//
// The nara runs in its own process group, so a Ctrl-C on the terminal reaches it once, through here (a
// second Ctrl-C still means "now"). It is also tied to this process by an IPC channel: if the launcher
// dies without a word (SIGKILL), the channel closes and the nara leaves by itself.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'apps', 'nara', 'dist', 'cli.js');

if (process.env.NARA_LAUNCHER_BUILD !== '0') {
  const turbo = join(root, 'node_modules', '.bin', 'turbo');
  if (!existsSync(turbo)) {
    process.stderr.write('nara: the workspace is not installed yet: run npx -y pnpm@10.34.8 install\n');
    process.exit(1);
  }
  const args = ['run', 'build', '--filter=@nara/cli...', '--output-logs=errors-only'];
  // turbo asks the package manager for its version: without a pnpm on PATH (./nara run from a shell),
  // borrow the pinned one through npx, as the README's install step does.
  const hasPnpm = spawnSync('sh', ['-c', 'command -v pnpm'], { stdio: 'ignore' }).status === 0;
  const { packageManager } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const [command, commandArgs] = hasPnpm
    ? [turbo, args]
    : ['npx', ['-y', packageManager, 'exec', 'turbo', ...args]];
  const build = spawnSync(command, commandArgs, {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TURBO_NO_UPDATE_NOTIFIER: '1' },
  });
  if (build.status !== 0) {
    process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}`);
    process.stderr.write(`nara: the build failed (turbo exit ${build.status ?? build.signal})\n`);
    process.exit(build.status ?? 1);
  }
}

const child = spawn(process.execPath, [cli, ...process.argv.slice(2)], {
  stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  detached: true,
});

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (child.exitCode === null && child.signalCode === null)
      child.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal);
  });
}

// pnpm exits on SIGTERM without telling its children: when our parent goes, the nara goes too.
const parent = process.ppid;
const orphanCheck = setInterval(() => {
  if (process.ppid !== parent && child.exitCode === null) child.kill('SIGTERM');
}, 250);
orphanCheck.unref();

child.on('exit', (code, signal) => {
  clearInterval(orphanCheck);
  process.exitCode = code ?? (signal === 'SIGINT' ? 130 : 143);
  // The IPC channel is what keeps the event loop of both alive: drop it.
  if (child.connected) child.disconnect();
});
child.on('error', (error) => {
  process.stderr.write(`nara: cannot start ${cli}: ${error.message}\n`);
  process.exitCode = 1;
});
