/**
 * The checks every browser-safe package runs: on its sources, no file outside its Node-only ones imports a
 * Node built-in, calls `require`, uses `process` or `Buffer`, or imports the package's Node-only modules
 * (comments do not count: examples and notes may mention Node); and its entry bundled for the browser
 * platform, as a user's bundler would, loads no Node module.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const NODE_ONLY_CODE: readonly RegExp[] = [
  /from\s+['"](node:[\w/]+|fs|os|path|crypto|util)['"/]/,
  // A call with a module name: `map.require(keys)` and a method named require are not Node.
  /(?<![.\w])require\(\s*['"`]/,
  /\bprocess\./,
  /\bBuffer\b/,
  /from\s+['"]\.\.?\/node(\.js)?['"/]/,
];

/** What {@link browserSafety} found: the files it read, and each Node-only use as `file: code`. */
export interface BrowserSafety {
  files: string[];
  nodeOnly: string[];
}

/**
 * Reads every `.ts` file below `srcDir` except those whose path starts with one of `nodeOnly` (relative
 * paths such as `node.ts` or `node/`), and lists the Node-only code in them.
 *
 * @example
 * ```ts
 * const { files, nodeOnly } = browserSafety(fileURLToPath(new URL('../src', import.meta.url)));
 * expect(files.length).toBeGreaterThan(0);
 * expect(nodeOnly).toEqual([]);
 * ```
 */
export function browserSafety(srcDir: string, nodeOnly: readonly string[] = []): BrowserSafety {
  const files = readdirSync(srcDir, { recursive: true, encoding: 'utf8' })
    .map((f) => f.split('\\').join('/'))
    .filter((f) => f.endsWith('.ts') && !nodeOnly.some((prefix) => f.startsWith(prefix)))
    .sort();
  const found: string[] = [];
  for (const file of files) {
    const code = readFileSync(join(srcDir, file), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    for (const pattern of NODE_ONLY_CODE) {
      const match = pattern.exec(code);
      if (match !== null) found.push(`${file}: ${match[0]}`);
    }
  }
  return { files, nodeOnly: found };
}

/** What {@link bundleForBrowser} made: the modules that went in, and the first Node module load left in it. */
export interface BrowserBundle {
  /** The bundled modules, as esbuild names them (dependencies under `node_modules/...`). */
  inputs: string[];
  /** A `require('...')` or `from 'node:...'` still in the output, or `undefined` when there is none. */
  nodeModuleUse: string | undefined;
}

/**
 * Bundles `entry` (a path) for the browser platform as ESM, dependencies included, as a user's bundler
 * would; rejects when something in it cannot be bundled for a browser (a Node built-in import).
 *
 * @example
 * ```ts
 * const { inputs, nodeModuleUse } = await bundleForBrowser(join(src, 'index.ts'));
 * expect(nodeModuleUse).toBeUndefined();
 * ```
 */
export async function bundleForBrowser(entry: string): Promise<BrowserBundle> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
    metafile: true,
  });
  const code = result.outputFiles[0]?.text ?? '';
  return {
    inputs: Object.keys(result.metafile.inputs),
    nodeModuleUse: /(?<![.\w])require\(\s*['"`]|from\s*["']node:/.exec(code)?.[0],
  };
}
