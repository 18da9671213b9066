import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

  it('falls back to node:crypto, and says sodium is unavailable, when sodium-native cannot be loaded', () => {
    // A child process in which loading sodium-native fails, as on a platform without its prebuilt binary.
    const dir = mkdtempSync(join(tmpdir(), 'no-sodium-'));
    const hide = join(dir, 'hide-sodium.mjs');
    writeFileSync(
      hide,
      `import Module from 'node:module';
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'sodium-native') throw new Error("Cannot find module 'sodium-native'");
  return load.call(this, request, ...rest);
};
`,
    );
    const entry = pathToFileURL(join(root, 'src/node.ts')).href;
    const code = `const m = await import(${JSON.stringify(entry)});
let sodium = 'available';
try { m.resolveBackend('sodium'); } catch (e) { sodium = e.name; }
console.log(JSON.stringify({ auto: m.createVerifier().backend, signer: String(m.createSigner(new Uint8Array(32))), loaded: m.loadSodiumBackend(), sodium }));`;
    try {
      const out = execFileSync(
        process.execPath,
        ['--import', 'tsx', '--import', pathToFileURL(hide).href, '--input-type=module', '-e', code],
        { cwd: root, encoding: 'utf8' },
      );
      const result = JSON.parse(out.trim().split('\n').at(-1)!);
      expect(result).toEqual({
        auto: 'node',
        signer: expect.stringContaining('backend: node'),
        loaded: null,
        sodium: 'BackendUnavailableError',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
    expect(pkg.exports['./node'].default).toBe('./dist/node.js');
  });

  it('keeps node: imports out of every browser-safe source file', () => {
    const { files, nodeOnly } = browserSafety(join(root, 'src'), ['node.ts', 'node/']);
    expect(files.length).toBeGreaterThan(5);
    expect(nodeOnly).toEqual([]);
  });
});
