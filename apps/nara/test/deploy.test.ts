/**
 * deploy/systemd stays true: the unit starts the program this repository builds, with settings the
 * program reads. (The broker files of deploy/ are run by the broker tests: tooling/src/clustered-brokers.ts.)
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveJoinConfig } from '../src/config.js';

const deploy = (path: string): string =>
  readFileSync(fileURLToPath(new URL(`../../../deploy/${path}`, import.meta.url)), 'utf8');

/** `KEY=value` lines of an environment file or of a unit's `Environment=` settings. */
function assignments(lines: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of lines) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m?.[1] !== undefined) env[m[1]] = m[2] ?? '';
  }
  return env;
}

describe('deploy/systemd/nara.service', () => {
  const unit = deploy('systemd/nara.service');

  it('runs the CLI this repository builds, under node, and stops it with SIGTERM (chau, no will)', () => {
    const exec = /^ExecStart=(\S+) (\S+)$/m.exec(unit);
    expect(exec?.[1]).toBe('/usr/bin/node');
    expect(exec?.[2]).toMatch(/\/apps\/nara\/dist\/cli\.js$/);
    const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
    expect(existsSync(cli.replace(/dist\/cli\.js$/, 'src/cli.ts'))).toBe(true);
    expect(unit).toMatch(/^KillSignal=SIGTERM$/m);
  });

  it('sets only what the program reads: its settings and the example env file configure a join', () => {
    const fromUnit = assignments(
      unit
        .split('\n')
        .filter((l) => l.startsWith('Environment='))
        .map((l) => l.slice('Environment='.length)),
    );
    const fromFile = assignments(deploy('systemd/nara.env').split('\n'));
    const config = resolveJoinConfig({}, { ...fromFile, ...fromUnit, NARA_SOUL: undefined });
    expect(config.logFormat).toBe('json');
    expect(config.http).toEqual({ host: '127.0.0.1', port: 9090 });
    expect(config.name).toBe('bravo');
    expect(config.broker).toMatchObject({
      kind: 'remote',
      url: 'mqtt://nats-1:1883,mqtt://nats-2:1883,mqtt://nats-3:1883',
    });
  });
});
