import { join } from 'node:path';
import { browserSafety, bundleForBrowser } from '@nara/tooling/browser-safe';
import { describe, expect, it } from 'vitest';

const src = new URL('../src/', import.meta.url).pathname;

describe('@nara/legacy in a browser', () => {
  it('imports no Node built-in and uses no Node global in any source', () => {
    const { files, nodeOnly } = browserSafety(src);
    expect(files.length).toBeGreaterThan(5);
    expect(nodeOnly).toEqual([]);
  });

  it('bundles for the browser platform with its dependencies and no Node module', async () => {
    const { inputs, nodeModuleUse } = await bundleForBrowser(join(src, 'index.ts'));
    expect(inputs.some((input) => input.includes('@noble/hashes'))).toBe(true);
    expect(nodeModuleUse).toBeUndefined();
  });
});
