import { join } from 'node:path';
import { browserSafety } from '@nara/tooling/browser-safe';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const src = new URL('../src/', import.meta.url).pathname;

describe('@nara/legacy in a browser', () => {
  it('imports no Node built-in and uses no Node global in any source', () => {
    const { files, nodeOnly } = browserSafety(src);
    expect(files.length).toBeGreaterThan(5);
    expect(nodeOnly).toEqual([]);
  });

  it('bundles for the browser platform with its dependencies and no Node module', async () => {
    const result = await build({
      entryPoints: [join(src, 'index.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
      metafile: true,
    });
    const inputs = Object.keys(result.metafile?.inputs ?? {});
    expect(inputs.some((input) => input.includes('@noble/hashes'))).toBe(true);
    expect(result.outputFiles?.[0]?.text ?? '').not.toMatch(/(?<![.\w])require\(\s*['"`]|from\s*["']node:/);
  });
});
