import { mkdirSync } from 'node:fs';
import { freePort, useMosquitto } from '@nara/tooling/brokers';
import { type Page, useChromium } from '@nara/tooling/chromium';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectHostileShownAsText,
  killedAndStopped,
  newSoul,
  plazaNara,
  refusedForgery,
  SHOTS_DIR,
  shownText,
  untilPage,
  watchForAttacks,
} from './dashboard-helpers.js';
import { assertBuilt, type Proc } from './helpers.js';

const browser = useChromium();

describe('the dashboard served by a nara (NARA_HTTP), in Chromium', () => {
  const broker = useMosquitto();
  const who = ['ana', 'bob', 'carl'].map(newSoul);
  const procs = new Map<string, Proc>();
  let httpPort: number;
  let page: Page;
  let attacks: { dialogs: string[] };

  function start(w: { name: string; soul: string }, http?: number): Proc {
    const p = plazaNara(broker().url, w, http !== undefined ? { NARA_HTTP: `127.0.0.1:${http}` } : {});
    procs.set(w.name, p);
    return p;
  }

  beforeAll(async () => {
    assertBuilt();
    httpPort = await freePort();
    await start(who[0]!, httpPort).waitForLog('status endpoint');
    for (const w of who.slice(1)) start(w);
    page = await browser().newPage({ viewport: { width: 1280, height: 900 } });
    attacks = await watchForAttacks(page);
    await page.goto(`http://127.0.0.1:${httpPort}/`);
  }, 60_000);

  afterAll(async () => {
    for (const p of procs.values()) p.kill('SIGKILL');
  });

  it('is served with a strict CSP, hashed asset names, and says whose view it shows', async () => {
    const res = await fetch(`http://127.0.0.1:${httpPort}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await res.text();
    expect(html).toMatch(/src="\.\/app-[A-Z0-9]{8}\.js"/);
    expect(html).not.toMatch(/<script>|style=/);
    await untilPage(page, 'served and live', (v) => v.source === 'served' && v.stream === 'live');
    expect(await shownText(page, '#mode', 'served by ana')).toBe('served by ana');
  });

  it('shows the three naras ONLINE within seconds', async () => {
    await untilPage(
      page,
      'bob and carl ONLINE',
      (v) => v.peers.bob?.state === 'ONLINE' && v.peers.carl?.state === 'ONLINE',
    );
    expect(await shownText(page, '.card[data-name="bob"] .state', '● ONLINE')).toBe('● ONLINE');
  });

  it('shows a forged newspaper as a refusal with its reason, never as a peer', async () => {
    const view = await refusedForgery(page, broker().port, 'bob', 'not bob');
    expect(view.peers.bob?.state).toBe('ONLINE');
    expect(
      await shownText(page, '.events li[data-kind="refused"]', /1 newspaper for bob refused: key-mismatch/),
    ).toMatch(/1 newspaper for bob refused: key-mismatch/);
  });

  it('shows a SIGKILLed nara MISSING with its cause and a SIGTERMed one OFFLINE, live', async () => {
    await killedAndStopped(page, procs, 'bob', 'carl');
    expect(await shownText(page, '.card[data-name="bob"] .state', '✕ MISSING · will')).toBe(
      '✕ MISSING · will',
    );
    mkdirSync(SHOTS_DIR, { recursive: true });
    await page.screenshot({ path: `${SHOTS_DIR}served-desktop.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${SHOTS_DIR}served-desktop-dark.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 360, height: 780 });
    await page.screenshot({ path: `${SHOTS_DIR}served-phone.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('renders hostile names and fields as text: no dialog, no injected element, and the CSP holds', async () => {
    await expectHostileShownAsText(page, broker().port, attacks);
  });

  it('says when its stream is cut (the nara restarts) and recovers by itself', async () => {
    const ana = procs.get('ana')!;
    ana.kill('SIGTERM');
    await ana.exited;
    await untilPage(page, 'the stream lost', (v) => v.stream === 'lost');
    expect(await shownText(page, '#link .text', /stream lost/)).toMatch(/stream lost/);
    await start(who[0]!, httpPort).waitForLog('status endpoint');
    const view = await untilPage(
      page,
      'the stream back',
      (v) => v.stream === 'live' && v.source === 'served',
    );
    // A fresh snapshot from the new run: the hostile naras published before the restart are not in it.
    expect(view.peers['<b>bold<i>']).toBeUndefined();
    // The timeline is drawn on the next frame after the state changes: wait for each line in the page.
    const link = '.events li[data-kind="link"]';
    expect(await shownText(page, link, /stream is back/)).toMatch(/stream is back/);
    expect(await shownText(page, link, /stream was lost/)).toMatch(/stream was lost/);
  });
});
