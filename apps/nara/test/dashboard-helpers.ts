/**
 * Helpers of the dashboard's browser tests: a static server for the built page (standalone mode is
 * plain files), envelopes signed here and injected with `mosquitto_pub` (forgeries and hostile text), and
 * the page's own state read through the hook it exposes.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createSigner, EPOCH_BYTES, type NewspaperStatus, signEnvelope } from '@nara/envelope';
import { createIdentity, formatSoul, randomSoul } from '@nara/identity';
import { type Page, serveDirectory } from '@nara/tooling/chromium';
import { HEY_THERE_TOPIC, newspaperTopic } from '@nara/topics';
import { expect } from 'vitest';
import type { Store } from '../src/web/page/store.js';
import { nara, type Proc } from './helpers.js';

export const WEB_DIR = fileURLToPath(new URL('../dist/web/', import.meta.url));
/** Where the tests write their screenshots (gitignored). */
export const SHOTS_DIR = fileURLToPath(new URL('../../../reports/screenshots/', import.meta.url));

export function newSoul(name: string): { name: string; soul: string; publicKey: string } {
  const soul = randomSoul(name);
  return { name, soul: formatSoul(soul), publicKey: createIdentity({ name, soul }).publicKeyBase64 };
}

/** Serves dist/web as any static host would (no headers of ours: the page's meta CSP is what holds). */
export function serveStatic(dir = WEB_DIR): ReturnType<typeof serveDirectory> {
  return serveDirectory(dir);
}

/** Signs a hey-there and a newspaper for `name` with a key of its own (a forgery when `name` is taken). */
export function signedPair(
  name: string,
  status: Partial<NewspaperStatus> = {},
): {
  heyThere: Uint8Array;
  newspaper: Uint8Array;
  topic: string;
  name: string;
  status: Partial<NewspaperStatus>;
} {
  const identity = createIdentity({ name, soul: randomSoul(name) });
  const signer = createSigner(identity.soul.unsafeSeed());
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
  return { heyThere, newspaper, topic, name, status };
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

/** Records dialogs and CSP violations of `page` from its first script on (call before `goto`). */
export async function watchForAttacks(page: Page): Promise<{ dialogs: string[] }> {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    Object.assign(globalThis, { cspViolations: seen });
    document.addEventListener('securitypolicyviolation', (e) => seen.push(e.effectiveDirective));
  });
  return { dialogs };
}

/** Hostile names and fields, each validly signed by a key of its own (names follow the name rules). */
export function hostilePairs(): ReturnType<typeof signedPair>[] {
  return [
    signedPair('<b>bold<i>', { flair: '<img src=x onerror=alert(1)>', trend: '<script>alert(2)</script>' }),
    signedPair('W'.repeat(64), { flair: '\u202eevil\u202c <svg onload=alert(3)>' }),
    signedPair('שלום<i>', { flair: 'x'.repeat(64), trendEmoji: '"><img src=x onerror=alert(4)>' }),
  ];
}

/** What the page made of the hostile naras, and of markup with an inline handler put into it on purpose. */
export interface HostileOutcome {
  /** Name and flair as shown, beside what was sent. */
  shown: { name: string | null; flair: string | null }[];
  sent: { name: string; flair: string }[];
  /** Elements that could only have come from the hostile text, and scripts that are not the page's own. */
  injected: { foreign: number; scripts: number };
  /** Whether the probe's inline handler ran, and the CSP directives reported as violated. */
  probe: { ran: boolean; violations: string[] };
}

/** Publishes the hostile pairs, waits for the page to show them, and reads what it shows. */
export async function injectHostile(page: Page, port: number): Promise<HostileOutcome> {
  const pairs = hostilePairs();
  for (const p of pairs) {
    await mosquittoPub(port, HEY_THERE_TOPIC, p.heyThere);
    await mosquittoPub(port, p.topic, p.newspaper);
  }
  const names = pairs.map((p) => p.name);
  await untilPage(page, 'the hostile naras', (v) => names.every((n) => v.peers[n]?.state === 'ONLINE'));
  await page.waitForFunction(
    (n) =>
      Array.from(document.querySelectorAll<HTMLElement>('.card')).filter((c) =>
        n.includes(c.dataset.name ?? ''),
      ).length === n.length,
    names,
  );
  const shown = await page.evaluate((n) => {
    const cards = Array.from(document.querySelectorAll<HTMLElement>('.card'));
    return n.map((name) => {
      const card = cards.find((c) => c.dataset.name === name);
      return {
        name: card?.querySelector('.name')?.textContent ?? null,
        flair: card?.querySelector('.flair')?.textContent ?? null,
      };
    });
  }, names);
  const injected = await page.evaluate(() => ({
    foreign: document.querySelectorAll(
      'img, svg, iframe, object, embed, .card b, .card i, .events b, .events i',
    ).length,
    scripts: Array.from(document.scripts).filter((s) => !/\/(app|standalone)-[A-Z0-9]+\.js$/.test(s.src))
      .length,
  }));
  const probe = await page.evaluate(async () => {
    document.body.insertAdjacentHTML('beforeend', '<img id="csp-probe" src="x" onerror="window.pwned = 1">');
    await new Promise((r) => setTimeout(r, 500));
    document.getElementById('csp-probe')?.remove();
    const g = globalThis as unknown as { pwned?: number; cspViolations: string[] };
    return { ran: g.pwned === 1, violations: [...g.cspViolations] };
  });
  const sent = pairs.map((p) => ({
    name: p.name,
    flair: [p.status.trendEmoji, p.status.flair ?? p.status.trend].filter(Boolean).join(' '),
  }));
  return { shown, sent, injected, probe };
}

/** The text of the first `selector` once it shows `text` (the page renders at its next frame). */
export async function shownText(page: Page, selector: string, text: string | RegExp): Promise<string | null> {
  const found = page.locator(selector, { hasText: text }).first();
  await found.waitFor({ timeout: 15_000 });
  return found.textContent();
}

/** A nara of the dashboard tests on `mqttUrl`, with a 2 s keepalive so that a killed one's will comes soon. */
export function plazaNara(
  mqttUrl: string,
  who: { name: string; soul: string },
  env: Record<string, string> = {},
): Proc {
  return nara([], {
    MQTT_URL: mqttUrl,
    MQTT_KEEPALIVE: '2',
    NARA_NAME: who.name,
    NARA_SOUL: who.soul,
    ...env,
  });
}

/**
 * Publishes a newspaper for `name` signed by another key (on the broker at `port`), and resolves with the
 * page's view once the page shows it refused as `key-mismatch`.
 */
export async function refusedForgery(
  page: Page,
  port: number,
  name: string,
  flair: string,
): Promise<PageView> {
  const forged = signedPair(name, { flair });
  await mosquittoPub(port, forged.topic, forged.newspaper);
  return untilPage(page, 'the forgery refused', (v) =>
    v.refused.some((r) => r.name === name && r.reason === 'key-mismatch'),
  );
}

/**
 * SIGKILLs `killed` (its will makes it MISSING) and SIGTERMs `stopped` (its chau makes it OFFLINE), and
 * resolves with the page's view once it shows both, the will named as the cause.
 */
export async function killedAndStopped(
  page: Page,
  procs: ReadonlyMap<string, Proc>,
  killed: string,
  stopped: string,
): Promise<PageView> {
  procs.get(killed)!.kill('SIGKILL');
  procs.get(stopped)!.kill('SIGTERM');
  const view = await untilPage(
    page,
    `${killed} MISSING, ${stopped} OFFLINE`,
    (v) => v.peers[killed]?.state === 'MISSING' && v.peers[stopped]?.state === 'OFFLINE',
  );
  expect(view.peers[killed]?.cause).toBe('will');
  return view;
}

/**
 * Injects the hostile naras (on the broker at `port`) and checks the page shows them as text: their names
 * and flair exactly as sent, no element they tried to inject, no dialog, and the CSP refusing a script.
 */
export async function expectHostileShownAsText(
  page: Page,
  port: number,
  attacks: { dialogs: string[] },
): Promise<void> {
  const outcome = await injectHostile(page, port);
  expect(outcome.shown).toEqual(outcome.sent);
  expect(outcome.injected).toEqual({ foreign: 0, scripts: 0 });
  expect(attacks.dialogs).toEqual([]);
  expect(outcome.probe.ran).toBe(false);
  expect(outcome.probe.violations.some((d) => d.startsWith('script-src'))).toBe(true);
}
