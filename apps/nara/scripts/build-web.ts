/**
 * Builds the dashboard into dist/web/: the page script, the standalone script (mqtt.js, the verifier and
 * the registry, loaded only with `?mqtt=`) and the stylesheet, each with a content hash in its name, and
 * index.html naming them. No CDN, no inline script or style. Prints each file's size as sent (gzip).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { DASHBOARD_CSP } from '../src/web/assets.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const out = here('../dist/web/');
const page = here('../src/web/page/');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const result = await build({
  entryPoints: { app: `${page}main.ts`, standalone: `${page}standalone.ts`, style: `${page}style.css` },
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: ['chrome120', 'firefox120', 'safari17'],
  entryNames: '[name]-[hash]',
  outdir: out,
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});
const names: Record<string, string> = {};
for (const file of Object.keys(result.metafile.outputs)) {
  const name = file.slice(file.lastIndexOf('/') + 1);
  names[name.slice(0, name.indexOf('-'))] = name;
}
const html = readFileSync(`${page}index.html`, 'utf8')
  // frame-ancestors only works as a header (the nara sends it); in a meta tag browsers ignore it and say so.
  .replace('__CSP__', DASHBOARD_CSP.replace("; frame-ancestors 'none'", ''))
  .replace('__APP__', names.app!)
  .replace('__STANDALONE__', names.standalone!)
  .replace('__CSS__', names.style!);
writeFileSync(`${out}index.html`, html);

const sizes = Object.fromEntries(
  ['index.html', names.app!, names.style!, names.standalone!].map((name) => {
    const body = readFileSync(`${out}${name}`);
    return [name, { bytes: body.length, gzip: gzipSync(body, { level: 9 }).length }];
  }),
);
writeFileSync(`${out}sizes.json`, `${JSON.stringify(sizes, null, 2)}\n`);
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const served = ['index.html', names.app!, names.style!].reduce((a, n) => a + sizes[n]!.gzip, 0);
process.stderr.write(
  `dashboard: served page ${kb(served)} gzip (html + app + css); standalone script +${kb(sizes[names.standalone!]!.gzip)} gzip\n`,
);
