#!/usr/bin/env node
// The one place that says what a published package of this workspace carries: repository, homepage, bugs,
// licence, author, publishConfig, files, engines, require()-able exports, a LICENSE copy, and README links
// that work on npm. Every package under packages/ and apps/ that is not private gets it, so a new package
// is brought under the scheme by running this once (`pnpm metadata`); `--check` (run by the tests) lists
// what is out of step instead of writing.
//
// REPOSITORY is a placeholder until the project has a public repository: change it here and rerun.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPOSITORY = 'https://github.com/nara-plaza/nara-plaza';
const BRANCH = 'main';
const AUTHOR = 'nara plaza contributors';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Directories (relative to the root, `/`-separated) of the workspace packages that are published. */
export function publicPackageDirs() {
  const dirs = [];
  for (const parent of ['packages', 'apps']) {
    if (!existsSync(join(root, parent))) continue;
    for (const name of readdirSync(join(root, parent)).sort()) {
      const file = join(root, parent, name, 'package.json');
      if (!existsSync(file)) continue;
      if (JSON.parse(readFileSync(file, 'utf8')).private === true) continue;
      dirs.push(`${parent}/${name}`);
    }
  }
  return dirs;
}

/**
 * A `{ import }` export condition becomes `{ default }`: on Node 20.19+ `require()` loads an ES module, but
 * only through a condition it matches (`require`, `node` or `default`), never `import`.
 */
function requirable(exports) {
  if (typeof exports !== 'object' || exports === null) return exports;
  const out = {};
  for (const [key, value] of Object.entries(exports)) {
    if (key === 'import' && !('default' in exports)) out.default = requirable(value);
    else out[key] = requirable(value);
  }
  return out;
}

function manifestFor(dir, pkg) {
  const files = new Set(pkg.files ?? ['dist']);
  for (const f of ['dist', 'README.md', 'LICENSE', 'CHANGELOG.md']) files.add(f);
  // Test vectors promised to other implementations travel with the package that makes them.
  if (existsSync(join(root, dir, 'vectors'))) files.add('vectors');
  const keywords = [...new Set(['nara', 'plaza', ...(pkg.keywords ?? [])])];
  const out = {};
  // Keep the author's key order, inserting the release fields after `license`.
  for (const [key, value] of Object.entries(pkg)) {
    if (['author', 'repository', 'homepage', 'bugs', 'publishConfig'].includes(key)) continue;
    out[key] = value;
    if (key === 'license') {
      out.author = AUTHOR;
      out.repository = { type: 'git', url: `git+${REPOSITORY}.git`, directory: dir };
      out.homepage = `${REPOSITORY}/tree/${BRANCH}/${dir}#readme`;
      out.bugs = { url: `${REPOSITORY}/issues` };
    }
  }
  out.license = 'MIT';
  out.keywords = keywords;
  out.files = [...files];
  out.engines = { ...(pkg.engines ?? {}), node: '>=20.19' };
  out.exports = requirable(pkg.exports);
  if (files.has('vectors') && out.exports && !out.exports['./vectors/*'])
    out.exports = { ...out.exports, './vectors/*': './vectors/*' };
  out.publishConfig = { access: 'public', provenance: true };
  if (!('author' in out)) Object.assign(out, { author: AUTHOR });
  return out;
}

/**
 * Links relative to the README point into the repository, which an npm page does not have: they become
 * absolute links to the same file on the repository's default branch.
 */
export function absoluteLinks(dir, markdown) {
  return markdown.replace(/\]\((?!https?:|mailto:|#)([^)\s]+)\)/g, (_match, target) => {
    const [path, hash] = target.split('#');
    const full = posix.normalize(posix.join(dir, path));
    const kind = existsSync(join(root, full)) && statSync(join(root, full)).isDirectory() ? 'tree' : 'blob';
    return `](${REPOSITORY}/${kind}/${BRANCH}/${full}${hash ? `#${hash}` : ''})`;
  });
}

const MODULE_NOTE =
  'ES module with TypeScript types; `require()` works too on Node 20.19+, which loads ES modules synchronously\n' +
  '(on older Node, `require()` fails with `ERR_REQUIRE_ESM`: use `import`).\n\n';

/**
 * A library's README starts with its install line, naming the package and every other package its first
 * example imports (under pnpm, a package not installed directly cannot be imported), then how it loads.
 */
export function withInstallLine(name, markdown) {
  const title = `# ${name}\n\n`;
  if (!markdown.startsWith(title)) return markdown;
  let rest = markdown.slice(title.length).replace(/^```sh\nnpm install [^\n]*\n```\n\n/, '');
  if (rest.startsWith(MODULE_NOTE)) rest = rest.slice(MODULE_NOTE.length);
  const example = /```ts\n([\s\S]*?)```/.exec(rest)?.[1] ?? '';
  const imported = [...example.matchAll(/\bfrom\s+'(@[\w-]+\/[\w-]+|[\w-]+)(?:\/[^']*)?'/g)]
    .map((m) => m[1])
    .filter((p) => p !== name);
  const install = ['npm install', name, ...new Set(imported)].join(' ');
  return `${title}\`\`\`sh\n${install}\n\`\`\`\n\n${MODULE_NOTE}${rest}`;
}

function run(check) {
  const problems = [];
  const license = readFileSync(join(root, 'LICENSE'), 'utf8');
  const write = (file, content) => {
    const now = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (now === content) return;
    if (check) problems.push(`${relative(root, file)} is not as the release scheme makes it`);
    else writeFileSync(file, content);
  };
  for (const dir of publicPackageDirs()) {
    const file = join(root, dir, 'package.json');
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    write(file, `${JSON.stringify(manifestFor(dir, pkg), null, 2)}\n`);
    write(join(root, dir, 'LICENSE'), license);
    const readme = join(root, dir, 'README.md');
    if (!existsSync(readme)) continue;
    const text = absoluteLinks(dir, readFileSync(readme, 'utf8'));
    write(readme, dir.startsWith('packages/') ? withInstallLine(pkg.name, text) : text);
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const problems = run(check);
  if (problems.length > 0) {
    for (const p of problems) console.error(p);
    console.error('run `pnpm metadata` to apply the release scheme');
    process.exit(1);
  }
}
