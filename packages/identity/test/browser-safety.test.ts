import { join } from 'node:path';
import { browserSafety, bundleForBrowser } from '@nara/tooling/browser-safe';
import { describe, expect, it } from 'vitest';

const src = new URL('../src/', import.meta.url).pathname;

// The main entry must bundle for browsers: no Node built-ins, no Node globals, and no path to ./node.ts.
describe('the browser-safe entry', () => {
  it('imports no Node built-in in any source but node.ts, and does not reach node.ts', () => {
    const { files, nodeOnly } = browserSafety(src, ['node.ts']);
    expect(files.length).toBeGreaterThan(0);
    expect(nodeOnly).toEqual([]);
  });

  it('bundles for the browser platform, dependencies included, with no Node module left', async () => {
    const { inputs, nodeModuleUse } = await bundleForBrowser(join(src, 'index.ts'));
    expect(inputs.some((input) => input.includes('@noble/curves'))).toBe(true);
    expect(inputs.some((input) => input.endsWith('node.ts'))).toBe(false);
    expect(nodeModuleUse).toBeUndefined();
  });

  it('while the ./node entry does not bundle for the browser (it reads files and interfaces)', async () => {
    await expect(bundleForBrowser(join(src, 'node.ts'))).rejects.toThrow(/node:fs|Could not resolve/);
  });
});
