import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = new URL('../src/', import.meta.url).pathname;
const browserModules = readdirSync(src).filter((file) => file.endsWith('.ts') && file !== 'node.ts');

// The main entry must bundle for browsers: no Node built-ins, no Node globals, and no path to ./node.ts.
describe('the browser-safe entry', () => {
  it.each(browserModules)('src/%s imports no Node built-in and does not reach node.ts', (file) => {
    // Comments may mention Node (examples, notes); only code counts.
    const text = readFileSync(join(src, file), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    expect(text).not.toMatch(/from\s+['"](node:|fs|os|path|crypto|util)['"/]/);
    expect(text).not.toMatch(/\brequire\(|\bprocess\.|\bBuffer\b/);
    expect(text).not.toMatch(/from\s+['"]\.\/node(\.js)?['"]/);
  });
});
