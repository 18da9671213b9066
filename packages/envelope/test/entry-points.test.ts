import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as portable from '@nara/envelope';
import * as onNode from '@nara/envelope/node';
import { browserSafety } from '@nara/tooling/browser-safe';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('backend selection', () => {
  it('gives a Node user the fastest backend without asking: libsodium, since sodium-native is installed', () => {
    expect(onNode.createVerifier().backend).toBe('sodium');
    expect(onNode.resolveBackend('auto').name).toBe('sodium');
    expect(onNode.resolveBackend('auto')).toBe(onNode.loadSodiumBackend());
    expect(onNode.createVerifier({ backend: 'node' }).backend).toBe('node');
    expect(onNode.createVerifier({ backend: 'sodium' }).backend).toBe('sodium');
  });

  it('gives the portable entry point the noble backend, and refuses node and sodium there', () => {
    expect(portable.createVerifier().backend).toBe('noble');
    expect(() => portable.resolveBackend('node')).toThrow(portable.BackendUnavailableError);
    expect(() => portable.resolveBackend('sodium')).toThrow(portable.BackendUnavailableError);
    expect(() => portable.createSigner(new Uint8Array(32), { backend: 'node' })).toThrow(/Node entry point/);
  });

  it('selects a backend by name or object, and refuses anything else with a TypeError', () => {
    expect(onNode.createVerifier({ backend: 'noble' }).backend).toBe('noble');
    expect(onNode.createVerifier({ backend: onNode.nobleBackend }).backend).toBe('noble');
    expect(() => onNode.createVerifier({ backend: 'libsodium' as 'node' })).toThrow(TypeError);
    expect(() => onNode.createVerifier({ maxBytes: 0 })).toThrow(/maxBytes/);
  });

  it('exports the Node entry through the node condition and the browser-safe one by default', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.exports['.'])).toEqual(['types', 'node', 'default']);
    expect(pkg.exports['.'].node).toBe('./dist/node.js');
    expect(pkg.exports['.'].default).toBe('./dist/index.js');
    expect(pkg.exports['./node'].import).toBe('./dist/node.js');
  });

  it('keeps node: imports out of every browser-safe source file', () => {
    const { files, nodeOnly } = browserSafety(join(root, 'src'), ['node.ts', 'node/']);
    expect(files.length).toBeGreaterThan(5);
    expect(nodeOnly).toEqual([]);
  });
});
