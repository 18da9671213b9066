import { fileURLToPath } from 'node:url';
import { defineProject, mergeConfig, type ViteUserConfig } from 'vitest/config';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * Tests import workspace packages by their public names and run against `src/`, so no build is needed.
 * Convention: `@nara/<pkg>` is `packages/<pkg>/src/index.ts`, `@nara/<pkg>/<sub>` is
 * `packages/<pkg>/src/<sub>.ts` (the same subpaths the package's `exports` publish).
 */
export const workspaceAliases = [
  // The private test helpers (brokers on loopback and such) live in tooling/src, not packages/.
  { find: /^@nara\/tooling\/([a-z0-9-]+)$/, replacement: `${repoRoot}tooling/src/$1.ts` },
  // The app's library entry (the soak harness starts naras as the app does).
  { find: /^@nara\/cli$/, replacement: `${repoRoot}apps/nara/src/index.ts` },
  { find: /^@nara\/([a-z0-9-]+)$/, replacement: `${repoRoot}packages/$1/src/index.ts` },
  { find: /^@nara\/([a-z0-9-]+)\/([a-z0-9-]+)$/, replacement: `${repoRoot}packages/$1/src/$2.ts` },
];

/** The vitest project config every package uses; pass overrides for package-specific needs. */
export function packageProject(name: string, overrides: ViteUserConfig = {}): ViteUserConfig {
  return mergeConfig(
    defineProject({
      resolve: { alias: workspaceAliases },
      test: {
        name,
        include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
        environment: 'node',
        testTimeout: 20_000,
        hookTimeout: 30_000,
      },
    }),
    overrides,
  );
}
