/**
 * The workspace's public packages as a user gets them: packed by pnpm (which turns `workspace:` ranges into
 * versions), unpacked, and installed with npm from the tarballs into an empty project outside the
 * workspace. Used by test/pack.test.ts (`pnpm verify:pack`).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publicPackageDirs } from '../scripts/release-metadata.mjs';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** What a command did: its exit status and output, for assertions that show both. */
export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (never through a shell); a timeout ends it and shows as a null status. */
export function run(command: string, args: readonly string[], cwd: string, timeoutMs = 120_000): Ran {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/** pnpm as this run was started (under `pnpm test`), or the pinned one through npx. */
export function pnpmCommand(): [string, string[]] {
  const execPath = process.env.npm_execpath;
  if (execPath?.includes('pnpm')) return [process.execPath, [execPath]];
  return ['npx', ['-y', 'pnpm@10.34.8']];
}

/** A packed public package. */
export interface Packed {
  /** `packages/topics`, `apps/nara`. */
  dir: string;
  name: string;
  tarball: string;
  /** Where the tarball was unpacked (its `package/` folder). */
  unpacked: string;
  /** The manifest inside the tarball. */
  manifest: Record<string, unknown> & {
    exports?: Record<string, unknown>;
    bin?: Record<string, string>;
    files?: string[];
  };
  readme: string;
}

/** Packs every public package into `<work>/tarballs` and unpacks each into `<work>/unpacked/<name>`. */
export function packAll(work: string): Packed[] {
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs, { recursive: true });
  const dirs = publicPackageDirs();
  const [pnpm, pre] = pnpmCommand();
  const filters = dirs.flatMap((d) => ['--filter', `./${d}`]);
  const packed = run(pnpm, [...pre, '-r', ...filters, 'pack', '--pack-destination', tarballs], repoRoot);
  if (packed.status !== 0) throw new Error(`pnpm pack failed:\n${packed.stdout}\n${packed.stderr}`);
  return dirs.map((dir) => {
    const source = JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
    };
    const file = `${source.name.replace('@', '').replace('/', '-')}-${source.version}.tgz`;
    const tarball = join(tarballs, file);
    const into = join(work, 'unpacked', source.name.replace('/', '+'));
    mkdirSync(into, { recursive: true });
    const untar = run('tar', ['-xzf', tarball, '-C', into], work);
    if (untar.status !== 0) throw new Error(`cannot unpack ${tarball}: ${untar.stderr}`);
    const unpacked = join(into, 'package');
    return {
      dir,
      name: source.name,
      tarball,
      unpacked,
      manifest: JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8')),
      readme: readFileSync(join(unpacked, 'README.md'), 'utf8'),
    };
  });
}

/** Every file below `dir`, relative, `/`-separated. */
export function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) =>
      join(e.parentPath, e.name)
        .slice(dir.length + 1)
        .split('\\')
        .join('/'),
    );
}

/** The first ```ts block of a README: the example every package README starts with. */
export function firstExample(readme: string): string | undefined {
  return /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
}

/** The ```ts file=NAME blocks of a README, by NAME (the transport guide's transport and harness). */
export function fileBlocks(readme: string): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const m of readme.matchAll(/```ts file=([\w.-]+)\n([\s\S]*?)```/g)) blocks.set(m[1]!, m[2]!);
  return blocks;
}

/** The packages a piece of code imports (`@scope/name`, `name`; subpaths and `node:` left out). */
export function importedPackages(code: string): string[] {
  const names = new Set<string>();
  for (const m of code.matchAll(/\bfrom\s+['"]([^'"]+)['"]/g)) {
    const spec = m[1]!;
    if (spec.startsWith('.') || spec.startsWith('node:')) continue;
    const parts = spec.split('/');
    names.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
  }
  return [...names];
}

/** The packages named by the README's install line (the first ```sh block's `npm install ...`). */
export function installLine(readme: string): string[] | undefined {
  const m = /^```sh\nnpm (?:install|i)(?: -g)? ([^\n]+)\n```/m.exec(readme);
  return m?.[1]?.split(/\s+/).filter((w) => !w.startsWith('-'));
}

/**
 * An empty project in the system's temporary folder, outside the workspace, with the tarballs and the
 * third-party tools a user would add (TypeScript, Node's types, vitest) installed by npm.
 */
export function installProject(packs: readonly Packed[]): string {
  const project = mkdtempSync(join(tmpdir(), 'nara-user-'));
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'nara-user', private: true, type: 'module' }, null, 2)}\n`,
  );
  const installed = run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      ...packs.map((p) => p.tarball),
      'typescript@~5.9.3',
      '@types/node@^20.19.0',
      'vitest@~4.1.12',
    ],
    project,
    420_000,
  );
  if (installed.status !== 0)
    throw new Error(`npm install failed (${installed.status}):\n${installed.stdout}\n${installed.stderr}`);
  return project;
}
