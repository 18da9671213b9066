/**
 * Finds references in the repository's files to paths outside it: a relative path that climbs above the
 * repository's root, an absolute path into a home or work folder, or the sibling `shared/` folder that
 * exists only beside a developer's checkout. Users clone the repository alone (and install its packages
 * from npm), so a test that reads such a path fails for them and a doc that names one points nowhere.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** The lock file's paths are relative to each workspace package, not to the lock file, and pnpm writes it. */
const SKIPPED_FILES = new Set(['pnpm-lock.yaml']);
/** Folders that are made by tools, not written by us (the same ones .gitignore names). */
const SKIPPED_DIRS = new Set(['.git', 'node_modules', 'dist', '.turbo', 'coverage', 'reports', '.readme']);
/** Text files only: data and code we write. Pictures and archives cannot name a path. */
const TEXT_FILE = /\.(?:[cm]?[jt]sx?|json|md|ya?ml|sh|txt|html|css|toml|conf)$|^[^.]+$|^\.[a-z]+rc$/;

/** `../` climbing out of the file's folder, followed by what it names. */
const RELATIVE = /(?<![\w./-])((?:\.\.\/)+)([\w@.-][^\s'"`)\]>,;]*)?/g;
/** A folder that is never part of a clone: the sibling shared/ folder, or absolute machine paths. */
const FOREIGN = /(?<![\w./-])(?:shared\/(?:vectors|plaza)\b|\/(?:work|home|root|Users)\/[\w.-]+)/g;

export interface OutsideReference {
  /** The file, relative to the root, with the line number. */
  where: string;
  /** The text that names the outside path. */
  text: string;
}

/** Every text file below `root`, relative to it, skipping generated folders. */
export function repositoryFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (!SKIPPED_DIRS.has(name)) walk(path);
      } else if (TEXT_FILE.test(name) && !SKIPPED_FILES.has(name)) {
        out.push(relative(root, path));
      }
    }
  };
  walk(root);
  return out.sort();
}

/**
 * The references to outside paths in `files` (relative to `root`).
 *
 * @example
 * ```ts
 * const found = outsideReferences(repoRoot, repositoryFiles(repoRoot));
 * if (found.length > 0) console.error(found.map((f) => `${f.where}: ${f.text}`).join('\n'));
 * ```
 */
export function outsideReferences(root: string, files: readonly string[]): OutsideReference[] {
  const rootDir = resolve(root);
  const found: OutsideReference[] = [];
  for (const file of files) {
    const lines = readFileSync(join(rootDir, file), 'utf8').split('\n');
    lines.forEach((line, index) => {
      const where = `${file}:${index + 1}`;
      for (const match of line.matchAll(RELATIVE)) {
        const target = resolve(rootDir, dirname(file), match[0]);
        if (target !== rootDir && !target.startsWith(rootDir + sep)) found.push({ where, text: match[0] });
      }
      for (const match of line.matchAll(FOREIGN)) found.push({ where, text: match[0] });
    });
  }
  return found;
}
