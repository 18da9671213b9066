#!/usr/bin/env node
// Makes sure the system programs the test suite needs are present before it starts, so a missing broker
// is one clear line instead of a hundred failing tests. On a machine where we are root and apt-get
// exists (CI, fresh containers) it installs them; elsewhere it says what to install.
import { execFileSync, spawnSync } from 'node:child_process';

const needed = [
  { program: 'mosquitto', pkg: 'mosquitto' },
  { program: 'mosquitto_sub', pkg: 'mosquitto-clients' },
  { program: 'openssl', pkg: 'openssl' },
  // NATS with MQTT and RabbitMQ's MQTT plugin: the tests start their own, on free loopback ports.
  { program: 'nats-server', pkg: 'nats-server' },
  { program: 'rabbitmq-server', pkg: 'rabbitmq-server' },
  // The browser tests drive Debian's Chromium through playwright-core (never a downloaded browser).
  { program: 'chromium', pkg: 'chromium' },
];

const has = (program) =>
  spawnSync('sh', ['-c', `command -v ${program} || test -x /usr/sbin/${program}`]).status === 0;
const missing = needed.filter((n) => !has(n.program));
if (missing.length === 0) process.exit(0);

const pkgs = [...new Set(missing.map((m) => m.pkg))];
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !has('apt-get')) {
  console.error(
    `preflight: missing ${missing.map((m) => m.program).join(', ')}; install: apt-get install -y ${pkgs.join(' ')}`,
  );
  process.exit(1);
}
console.log(`preflight: installing ${pkgs.join(' ')} with apt-get`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], {
  stdio: 'inherit',
  env,
});
