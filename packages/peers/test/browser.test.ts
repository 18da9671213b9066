import { fileURLToPath } from 'node:url';
import { browserSafety } from '@nara/tooling/browser-safe';
import { describe, expect, it } from 'vitest';

describe('the package source', () => {
  it('imports no node: module and uses no Node global, so browsers can bundle it', () => {
    const { files, nodeOnly } = browserSafety(fileURLToPath(new URL('../src', import.meta.url)));
    expect(files.length).toBeGreaterThan(0);
    expect(nodeOnly).toEqual([]);
  });
});
