/**
 * docs/ARCHITECTURE.md as a test: packages are layers, a package imports only from layers below it and
 * only what it declares in its package.json, never by path into another package, and never a subpath
 * another package does not export. Tests and tooling import packages by name, never another package's
 * `src/` by path.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The layers of docs/ARCHITECTURE.md: a package may depend only on packages of a lower layer. */
const LAYERS: Readonly<Record<string, number>> = {
  '@nara/interface': 0,
  '@nara/topics': 0,
  '@nara/identity': 1,
  '@nara/envelope': 1,
  '@nara/envelope-workers': 2,
  '@nara/transport': 1,
  '@nara/newspaper': 1,
  '@nara/peers': 2,
  '@nara/legacy': 2,
  '@nara/transport-mqtt': 2,
  '@nara/plaza': 3,
  '@nara/cli': 4,
};

interface Pkg {
  readonly name: string;
  readonly dir: string;
  readonly manifest: {
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
    exports?: Record<string, unknown>;
  };
}

function workspacePackages(): Pkg[] {
  const out: Pkg[] = [];
  for (const parent of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, parent)).sort()) {
      const file = join(root, parent, name, 'package.json');
      if (!existsSync(file)) continue;
      const manifest = JSON.parse(readFileSync(file, 'utf8'));
      out.push({ name: manifest.name, dir: join(root, parent, name), manifest });
    }
  }
  return out;
}

function filesBelow(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...filesBelow(path));
    else if (/\.(ts|mts|mjs|js)$/.test(entry) && !entry.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

// Static imports and re-exports, side-effect imports, dynamic import() with a literal.
const IMPORT =
  /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** The module specifiers a source file imports, comments removed first. */
function importsOf(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const out: string[] = [];
  for (const m of code.matchAll(IMPORT)) out.push((m[1] ?? m[2] ?? m[3]) as string);
  return out;
}

const packages = workspacePackages();
const byName = new Map(packages.map((p) => [p.name, p]));

/** `@nara/x/sub` -> `['@nara/x', './sub']`. */
function split(specifier: string): [string, string] {
  const [scope, name, ...rest] = specifier.split('/');
  return [`${scope}/${name}`, rest.length === 0 ? '.' : `./${rest.join('/')}`];
}

/** Which package directory a path lies in, if any. */
function ownerOf(path: string): Pkg | undefined {
  return packages.find((p) => path === p.dir || path.startsWith(p.dir + sep));
}

describe('the package layers', () => {
  it('place every workspace package in a layer', () => {
    expect(packages.map((p) => p.name).sort()).toEqual(Object.keys(LAYERS).sort());
  });

  it('let every package depend only on packages of a lower layer', () => {
    const upward: string[] = [];
    for (const pkg of packages) {
      const deps = { ...pkg.manifest.dependencies, ...pkg.manifest.peerDependencies };
      for (const dep of Object.keys(deps).filter((d) => d in LAYERS))
        if ((LAYERS[dep] as number) >= (LAYERS[pkg.name] as number)) upward.push(`${pkg.name} -> ${dep}`);
    }
    expect(upward).toEqual([]);
  });

  it('let sources import only declared packages of lower layers, by exported entry points, never by path', () => {
    const wrong: string[] = [];
    for (const pkg of packages) {
      const declared = { ...pkg.manifest.dependencies, ...pkg.manifest.peerDependencies };
      for (const file of filesBelow(join(pkg.dir, 'src'))) {
        const where = relative(root, file);
        for (const spec of importsOf(readFileSync(file, 'utf8'))) {
          if (spec.startsWith('.')) {
            const target = resolve(dirname(file), spec);
            if (ownerOf(target) !== pkg && !target.startsWith(join(pkg.dir, 'package.json')))
              wrong.push(`${where}: ${spec} leaves ${pkg.name}`);
            continue;
          }
          if (!spec.startsWith('@nara/')) continue;
          const [name, subpath] = split(spec);
          const target = byName.get(name);
          if (target === undefined) wrong.push(`${where}: ${spec} is no workspace package`);
          else if (name !== pkg.name && !(name in declared))
            wrong.push(`${where}: ${spec} is not in ${pkg.name}'s dependencies`);
          else if ((LAYERS[name] as number) >= (LAYERS[pkg.name] as number) && name !== pkg.name)
            wrong.push(`${where}: ${spec} is not below ${pkg.name}`);
          else if (!(subpath in (target.manifest.exports ?? {})))
            wrong.push(`${where}: ${spec} is not an entry point ${name} exports`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('tests and tooling', () => {
  it("import packages by name, never another package's src/ by path", () => {
    const files = [
      ...packages.flatMap((p) => [
        ...filesBelow(join(p.dir, 'test')).map((f) => ({ f, owner: p as Pkg | undefined })),
        ...filesBelow(join(p.dir, 'scripts')).map((f) => ({ f, owner: p as Pkg | undefined })),
      ]),
      ...filesBelow(join(root, 'tooling')).map((f) => ({ f, owner: undefined })),
    ];
    const wrong: string[] = [];
    for (const { f, owner } of files) {
      const where = relative(root, f).split(sep).join('/');
      for (const spec of importsOf(readFileSync(f, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = resolve(dirname(f), spec);
        const into = ownerOf(target);
        if (into !== undefined && into !== owner && target.startsWith(join(into.dir, 'src') + sep))
          wrong.push(`${where}: ${spec}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('find imports the way the checks above read them', () => {
    expect(
      importsOf(
        "import a from 'x';\nexport { b } from \"../y.js\";\nimport 'z';\nconst c = await import('w');\n// import d from 'no';\n/* import e from 'no2' */\nimport type {\n  F,\n} from '@nara/f';",
      ),
    ).toEqual(['x', '../y.js', 'z', 'w', '@nara/f']);
  });
});
