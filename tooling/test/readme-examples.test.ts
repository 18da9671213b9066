import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const packages = readdirSync(join(root, 'packages')).filter((p) =>
  existsSync(join(root, 'packages', p, 'package.json')),
);

// Each package's `typecheck` extracts the README's first example to .readme/example.ts and type-checks it
// (turbo runs that before vitest in `pnpm test`). Here the example is run, against the built package,
// as a user who copied it would run it.
describe('package README examples', () => {
  it('exist for every package', () => {
    for (const pkg of packages) {
      const readme = readFileSync(join(root, 'packages', pkg, 'README.md'), 'utf8');
      expect(readme, `${pkg}/README.md`).toMatch(/^# @nara\/[a-z-]+\n\n[\s\S]*?```ts\n/);
    }
  });

  it.each(packages)('runs the example at the top of packages/%s/README.md', (pkg) => {
    const dir = join(root, 'packages', pkg);
    execFileSync(process.execPath, [join(root, 'tooling/scripts/extract-readme-example.mjs'), dir]);
    const out = execFileSync(tsx, [join(dir, '.readme', 'example.ts')], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
    });
    // The examples print what they show; an example that prints nothing demonstrates nothing.
    expect(out.trim().length).toBeGreaterThan(0);
  });
});
