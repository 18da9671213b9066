/**
 * Helpers of the dashboard's browser tests: a static server for the built page (standalone mode is
 * plain files), envelopes signed here and injected with `mosquitto_pub` (forgeries and hostile text), and
 * the page's own state read through the hook it exposes.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createSigner, EPOCH_BYTES, type NewspaperStatus, signEnvelope } from '@nara/envelope';
import { createIdentity, Soul } from '@nara/identity';
import type { Page } from '@nara/tooling/chromium';
import { HEY_THERE_TOPIC, newspaperTopic } from '@nara/topics';
import type { Store } from '../src/web/page/store.js';

export const WEB_DIR = fileURLToPath(new URL('../dist/web/', import.meta.url));
/** Where the tests write their screenshots (gitignored). */
export const SHOTS_DIR = fileURLToPath(new URL('../../../reports/screenshots/', import.meta.url));

export function newSoul(name: string): { name: string; soul: string; publicKey: string } {
  const soul = Soul.random(name);
  return { name, soul: soul.unsafeText(), publicKey: createIdentity({ name, soul }).publicKeyBase64 };
}

/** Serves dist/web as any static host would (no headers of ours: the page's meta CSP is what holds). */
export async function serveStatic(dir = WEB_DIR): Promise<{ url: string; close: () => Promise<void> }> {
  const types: Record<string, string> = { html: 'text/html', js: 'text/javascript', css: 'text/css' };
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const name = path === '/' ? 'index.html' : path.slice(1);
    if (!/^[a-zA-Z0-9.-]+$/.test(name)) return void res.writeHead(404).end();
    try {
      const body = readFileSync(join(dir, name));
      res.writeHead(200, { 'content-type': types[name.split('.').pop()!] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
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

/** Signs a hey-there and a newspaper for `name` with a key of its own (a forgery when `name` is taken). */
export function signedPair(
  name: string,
  status: Partial<NewspaperStatus> = {},
): { heyThere: Uint8Array; newspaper: Uint8Array; topic: string } {
  const identity = createIdentity({ name, soul: Soul.random(name) });
  const signer = createSigner(identity.unsafeSeed());
  const epoch = crypto.getRandomValues(new Uint8Array(EPOCH_BYTES));
  const common = { name, naraId: identity.naraId, epoch, time: Date.now() };
  const heyThere = signEnvelope(signer, HEY_THERE_TOPIC, { kind: 'hey-there', ...common, seq: 0, body: {} });
  const topic = newspaperTopic(name);
  const newspaper = signEnvelope(signer, topic, {
    kind: 'newspaper',
    ...common,
    seq: 1,
    body: { status: { chattiness: 50, buzz: 7, ...status }, next: Date.now() + 60_000 },
  });
  return { heyThere, newspaper, topic };
}

const run = promisify(execFile);

/** Publishes raw bytes with mosquitto_pub (from a file: the bytes are binary). */
export async function mosquittoPub(port: number, topic: string, bytes: Uint8Array): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'nara-pub-'));
  const file = join(dir, 'payload');
  await writeFile(file, bytes);
  await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-t', topic, '-f', file]);
}

/** What the page knows, through its test hook: peer states, causes and the timeline's refusals. */
export interface PageView {
  peers: Record<string, { state: string; cause: string | null }>;
  refused: { name: string | null; what: string; reason: string; count: number }[];
  stream: string;
  source: string | null;
  counters: { received: number; accepted: number; rejected: Record<string, number> } | null;
}

export function pageView(page: Page): Promise<PageView> {
  return page.evaluate(() => {
    const { store } = (globalThis as unknown as { naraDashboard: { store: Store } }).naraDashboard;
    const peers: Record<string, { state: string; cause: string | null }> = {};
    for (const [name, view] of store.peers)
      peers[name] = { state: view.peer.state, cause: view.peer.missingCause };
    const refused = store.timeline
      .filter((e) => e.kind === 'refused')
      .map((e) => ({ name: e.name, what: e.what ?? '', reason: e.label, count: e.count ?? 0 }));
    return { peers, refused, stream: store.stream, source: store.source, counters: store.counters };
  });
}

/** Waits until the page's view passes `test` (polled; the page updates itself). */
export async function untilPage(
  page: Page,
  what: string,
  test: (view: PageView) => boolean,
  timeoutMs = 20_000,
): Promise<PageView> {
  const deadline = Date.now() + timeoutMs;
  let last: PageView | undefined;
  for (;;) {
    last = await pageView(page);
    if (test(last)) return last;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for the page: ${what}; it shows ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
