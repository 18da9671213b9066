import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { outsideReferences, repositoryFiles } from '../src/outside-refs.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
// Spelled in pieces so that this file does not itself name a path outside the repository.
const up = (n: number) => '../'.repeat(n);
const sibling = ['shared', 'vectors', 'cases.json'].join('/');
const machinePath = ['', 'work', 'main'].join('/');

describe('the repository stands alone', () => {
  it('has no file that refers to a path outside it (a clone has nothing beside it)', () => {
    const found = outsideReferences(repoRoot, repositoryFiles(repoRoot));
    expect(found.map((f) => `${f.where}: ${f.text}`)).toEqual([]);
  });

  describe('the check itself', () => {
    const dir = mkdtempSync(join(tmpdir(), 'outside-refs-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, 'packages', 'x', 'test'), { recursive: true });
    mkdirSync(join(dir, 'node_modules', 'y'), { recursive: true });
    mkdirSync(join(dir, 'docs'));

    it('finds a test that reads a file beside the checkout', () => {
      writeFileSync(
        join(dir, 'packages', 'x', 'test', 'a.test.ts'),
        `readFileSync(new URL('${up(4)}${sibling}', import.meta.url));\n`,
      );
      const found = outsideReferences(dir, ['packages/x/test/a.test.ts']);
      expect(found).toEqual([{ where: 'packages/x/test/a.test.ts:1', text: `${up(4)}${sibling}` }]);
    });

    it('finds docs that point readers at the sibling folder or at a machine path', () => {
      writeFileSync(join(dir, 'docs', 'b.md'), `see ${sibling}\nand ${machinePath} too\n`);
      const found = outsideReferences(dir, ['docs/b.md']).map((f) => f.where);
      expect(found).toEqual(['docs/b.md:1', 'docs/b.md:2']);
    });

    it('allows relative paths that stay inside, and skips generated folders', () => {
      writeFileSync(
        join(dir, 'packages', 'x', 'test', 'c.test.ts'),
        `import '${up(3)}tooling/x.js';\nnew URL('${up(1)}vectors/v.json', import.meta.url);\n`,
      );
      writeFileSync(join(dir, 'node_modules', 'y', 'index.js'), `require('${up(5)}${sibling}');\n`);
      expect(outsideReferences(dir, ['packages/x/test/c.test.ts'])).toEqual([]);
      expect(repositoryFiles(dir)).not.toContain(join('node_modules', 'y', 'index.js'));
    });
  });
});
