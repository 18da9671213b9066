/**
 * `npx tsx tooling/scripts/dashboard-screenshot.ts [out.png]`: runs `nara demo --fast` (its whole story:
 * an impostor, a goodbye, a crash, a late joiner), opens the dashboard it serves in Debian's Chromium and
 * writes a screenshot (default docs/dashboard.png, the README's). Needs `pnpm build` first.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../src/chromium.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const out = process.argv[2] ?? `${root}docs/dashboard.png`;
const demo = spawn(process.execPath, [`${root}apps/nara/dist/cli.js`, 'demo', '--fast', '--naras', '8'], {
  env: { PATH: process.env.PATH, HOME: process.env.HOME, NARA_BROKER_PORT: '0' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let output = '';
demo.stdout.setEncoding('utf8');
const url = await new Promise<string>((resolve, reject) => {
  demo.stdout.on('data', (chunk: string) => {
    output += chunk;
    const m = /dashboard: (http:\/\/\S+\/)/.exec(output);
    if (m) resolve(m[1]!);
  });
  demo.once('exit', () => reject(new Error(`the demo stopped:\n${output}`)));
});
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.goto(url);
  // Until the story is told ("story complete"), so every state is on the page.
  await new Promise<void>((resolve) => {
    const check = () => (/story complete/.test(output) ? resolve() : setTimeout(check, 250));
    check();
  });
  await new Promise((r) => setTimeout(r, 1500));
  await page.screenshot({ path: out });
  process.stderr.write(`wrote ${out}\n`);
} finally {
  await browser.close();
  demo.kill('SIGTERM');
}
