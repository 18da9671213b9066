import type { Options } from 'tsup';

/**
 * The one build every publishable package uses: ESM, bundled `.d.ts`, sourcemaps, Node 20 target.
 * `entry` maps output names to sources, e.g. `{ index: 'src/index.ts', testing: 'src/testing.ts' }`.
 */
export function packageBuild(entry: Record<string, string>, overrides: Options = {}): Options {
  return {
    entry,
    format: ['esm'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    platform: 'neutral',
    splitting: true,
    treeshake: true,
    ...overrides,
  };
}
