import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dir = fileURLToPath(new URL('..', import.meta.url));

describe('the published entry point', () => {
  it('points at the built files, and nothing else is exported', () => {
    const pkg = JSON.parse(readFileSync(`${dir}package.json`, 'utf8'));
    expect(Object.keys(pkg.exports)).toEqual(['.', './package.json']);
    // The build (turbo's, before vitest in `pnpm test`) made what the entry names.
    for (const condition of Object.values(pkg.exports['.']) as string[])
      expect(existsSync(`${dir}${condition}`), condition).toBe(true);
  });

  it('runs two naras on the memory bus in a plain Node program that imports only @nara/plaza, identity and transport', () => {
    const out = execFileSync(process.execPath, [`${dir}test/fixtures/user-program.mjs`], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(JSON.parse(out)).toEqual({
      online: 'ONLINE',
      kinds: ['hey-there', 'newspaper', 'chau'],
      after: 'OFFLINE',
      received: { verified: 3, rejected: 0 },
    });
  });
});
