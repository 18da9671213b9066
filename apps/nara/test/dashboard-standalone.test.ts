import { mkdirSync } from 'node:fs';
import { useMosquitto } from '@nara/tooling/brokers';
import { type Page, useChromium } from '@nara/tooling/chromium';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectHostileShownAsText,
  killedAndStopped,
  newSoul,
  plazaNara,
  refusedForgery,
  SHOTS_DIR,
  serveStatic,
  shownText,
  untilPage,
  watchForAttacks,
} from './dashboard-helpers.js';
import { assertBuilt, nara, type Proc } from './helpers.js';

const browser = useChromium();

describe('the standalone page over mosquitto’s WebSocket listener, verifying in the browser', () => {
  const broker = useMosquitto({ websockets: true });
  const who = ['ana', 'bob', 'carl'].map(newSoul);
  const procs = new Map<string, Proc>();
  let site: Awaited<ReturnType<typeof serveStatic>>;
  let page: Page;
  let attacks: { dialogs: string[] };

  beforeAll(async () => {
    assertBuilt();
    site = await serveStatic();
    page = await browser().newPage({ viewport: { width: 1280, height: 900 } });
    attacks = await watchForAttacks(page);
    await page.goto(`${site.url}?mqtt=${encodeURIComponent(broker().wsUrl!)}`);
    // The naras start once the page listens, so that it hears each hey-there.
    await untilPage(page, 'live', (v) => v.stream === 'live');
    for (const w of who) procs.set(w.name, plazaNara(broker().url, w));
  }, 60_000);

  afterAll(async () => {
    for (const p of procs.values()) p.kill('SIGKILL');
    await site?.close();
  });

  it('says it is standalone and verifies with WebCrypto in the page', async () => {
    await untilPage(page, 'standalone and live', (v) => v.source === 'standalone' && v.stream === 'live');
    expect(await shownText(page, '#mode', /standalone/)).toMatch(/standalone/);
    expect(await shownText(page, '#trust', /verified here, in your browser \(webcrypto\)/)).toMatch(
      /verified here, in your browser \(webcrypto\)/,
    );
  });

  it('shows the three naras ONLINE, as they come', async () => {
    const view = await untilPage(page, 'three naras ONLINE', (v) =>
      who.every((w) => v.peers[w.name]?.state === 'ONLINE'),
    );
    expect(Object.keys(view.peers).sort()).toEqual(['ana', 'bob', 'carl']);
    await page.locator('.card[data-name="ana"] .state').waitFor();
    expect(await shownText(page, '.card[data-name="ana"] .state', '● ONLINE')).toBe('● ONLINE');
  });

  it('counts a forged newspaper for ana in its own counters, as a refusal with its reason, never a peer', async () => {
    const view = await refusedForgery(page, broker().port, 'ana', 'not the real ana');
    expect(view.counters?.rejected['key-mismatch']).toBeGreaterThanOrEqual(1);
    expect(Object.keys(view.peers).sort()).toEqual(['ana', 'bob', 'carl']);
    expect(
      await shownText(page, '.events li[data-kind="refused"]', /1 newspaper for ana refused: key-mismatch/),
    ).toMatch(/1 newspaper for ana refused: key-mismatch/);
    expect(await page.locator('.card[data-name="ana"] .flair').textContent()).not.toMatch(/not the real ana/);
  });

  it('shows a SIGKILLed nara MISSING with its cause and a SIGTERMed one OFFLINE, without reloading', async () => {
    await killedAndStopped(page, procs, 'bob', 'carl');
    expect(await shownText(page, '.card[data-name="bob"] .state', '✕ MISSING · will')).toBe(
      '✕ MISSING · will',
    );
    expect(await shownText(page, '.card[data-name="carl"] .state', '○ OFFLINE')).toBe('○ OFFLINE');
    mkdirSync(SHOTS_DIR, { recursive: true });
    await page.screenshot({ path: `${SHOTS_DIR}standalone-desktop.png`, fullPage: true });
    await page.setViewportSize({ width: 360, height: 780 });
    await page.screenshot({ path: `${SHOTS_DIR}standalone-phone.png`, fullPage: true });
  });

  it('renders hostile names and fields as text: no dialog, no injected element, and its CSP holds', async () => {
    await expectHostileShownAsText(page, broker().port, attacks);
    await page.screenshot({ path: `${SHOTS_DIR}standalone-hostile-phone.png`, fullPage: true });
  });
});

describe('the standalone page over the embedded broker’s WebSocket listener', () => {
  const who = ['dora', 'emil', 'fina'].map(newSoul);
  const procs = new Map<string, Proc>();
  let site: Awaited<ReturnType<typeof serveStatic>>;
  let page: Page;
  let mqttPort: number;

  beforeAll(async () => {
    site = await serveStatic();
    // The broker's host listens only (nara watch): every nara joins after the page, so the page hears
    // each one's hey-there rather than waiting for a newspaper.
    const host = nara(['watch', '--json'], { NARA_BROKER_PORT: '0' });
    procs.set('host', host);
    const ws = String((await host.waitForLog(/over WebSockets/)).url);
    const mqttUrl = String((await host.waitForLog(/no MQTT_HOST or MQTT_URL: hosting the local plaza/)).url);
    mqttPort = Number(new URL(mqttUrl).port);
    page = await browser().newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${site.url}?mqtt=${encodeURIComponent(ws)}`);
    await untilPage(page, 'live', (v) => v.stream === 'live');
    for (const w of who) procs.set(w.name, plazaNara(mqttUrl, w));
  }, 60_000);

  afterAll(async () => {
    for (const p of procs.values()) p.kill('SIGKILL');
    await site?.close();
  });

  it('shows the naras, refuses a forgery in its own counters, and follows a kill and a goodbye', async () => {
    await untilPage(
      page,
      'three naras ONLINE',
      (v) => who.every((w) => v.peers[w.name]?.state === 'ONLINE'),
      30_000,
    );
    const refused = await refusedForgery(page, mqttPort, 'dora', 'an impostor');
    expect(refused.counters?.rejected['key-mismatch']).toBe(1);
    expect(Object.keys(refused.peers).sort()).toEqual(['dora', 'emil', 'fina']);
    await killedAndStopped(page, procs, 'emil', 'fina');
  }, 60_000);
});
