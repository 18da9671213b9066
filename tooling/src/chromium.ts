/**
 * Debian's Chromium (/usr/bin/chromium) driven by playwright-core, for tests and benchmarks that must run in
 * a real browser; never a downloaded browser. One browser per test file: launching is the slow part.
 * Also bundles a TypeScript entry for a page with esbuild, resolving the workspace packages to their
 * sources as the tests do.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';

export type { Browser, Page } from 'playwright-core';

import { afterAll, beforeAll } from 'vitest';

/** Where Debian puts Chromium; `.ci/run` installs it with apt-get when missing. */
export const CHROMIUM_PATH = process.env.NARA_CHROMIUM ?? '/usr/bin/chromium';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Launches headless Chromium. Fails with the install command when it is missing (tests never skip).
 *
 * @example
 * ```ts
 * const browser = await launchChromium();
 * const page = await browser.newPage();
 * ```
 */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: apt-get install chromium (or run .ci/run)`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // Root in a container has no user namespace for the sandbox; the pages are our own, on loopback.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', ...extraArgs],
  });
}

/** One Chromium for the whole test file, closed after it. */
export function useChromium(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (browser === undefined) throw new Error('Chromium is not started yet');
    return browser;
  };
}

/** `@nara/x` and `@nara/x/y` to the package's sources, as vitest's aliases do. */
export const workspaceSources: Plugin = {
  name: 'nara-workspace-sources',
  setup(b) {
    b.onResolve({ filter: /^@nara\/[a-z0-9-]+(\/[a-z0-9-]+)?$/ }, (args) => {
      const [, pkg, sub] = /^@nara\/([a-z0-9-]+)(?:\/([a-z0-9-]+))?$/.exec(args.path)!;
      if (pkg === 'tooling') return undefined;
      return { path: `${repoRoot}packages/${pkg}/src/${sub ?? 'index'}.ts` };
    });
  },
};

/** A static server for a directory on a free loopback port (`/` is index.html), as any static host. */
export async function serveDirectory(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const types: Record<string, string> = { html: 'text/html', js: 'text/javascript', css: 'text/css' };
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const name = path === '/' ? 'index.html' : path.slice(1);
    if (!/^[a-zA-Z0-9.-]+$/.test(name)) return void res.writeHead(404).end();
    readFile(join(dir, name)).then(
      (body) => {
        res.writeHead(200, { 'content-type': types[name.split('.').pop()!] ?? 'application/octet-stream' });
        res.end(body);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Bundles `entry` (a path) for a browser page as one IIFE script, the workspace packages from source.
 *
 * @example
 * ```ts
 * const script = await bundleForPage(new URL('./page.ts', import.meta.url));
 * await page.addScriptTag({ content: script });
 * ```
 */
export async function bundleForPage(entry: string | URL): Promise<string> {
  const result = await build({
    entryPoints: [typeof entry === 'string' ? entry : fileURLToPath(entry)],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    plugins: [workspaceSources],
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}
