/**
 * The dashboard's static files (`dist/web/`, built by `scripts/build-web.mjs`): `index.html` on `GET /`
 * and the hashed assets by their exact names, read once at start. The same files work as a static site.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The Content-Security-Policy of the dashboard: scripts and styles only from the page's own origin, no
 * inline anything, nothing framed. `connect-src` allows ws:/wss: because a standalone page connects to the
 * broker its URL names. The HTML carries the same policy in a meta tag, for when it is served by others.
 */
export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface WebAsset {
  readonly type: string;
  readonly body: Buffer;
  /** Hashed names never change content: cache them for good. */
  readonly immutable: boolean;
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
};

/** Where the built page is: beside the bundled binary (`dist/web`), or from the sources (`src/web`). */
export function webDirectory(): string | undefined {
  for (const candidate of ['./web/', '../../dist/web/']) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(`${dir}index.html`)) return dir;
  }
  return undefined;
}

/** Loads the built page; an empty map when it was not built (then `/` says how to build it). */
export function loadWebAssets(dir = webDirectory()): Map<string, WebAsset> {
  const assets = new Map<string, WebAsset>();
  if (dir === undefined) return assets;
  for (const name of readdirSync(dir)) {
    const ext = name.slice(name.lastIndexOf('.') + 1);
    const type = TYPES[ext];
    if (type === undefined || !/^[A-Za-z0-9.-]+$/.test(name)) continue;
    assets.set(`/${name}`, { type, body: readFileSync(`${dir}${name}`), immutable: name !== 'index.html' });
  }
  const index = assets.get('/index.html');
  if (index !== undefined) assets.set('/', index);
  return assets;
}
