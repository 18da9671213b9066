/**
 * The dashboard. Served by a nara it reads the nara's `/events` and `/metrics`; opened with
 * `?mqtt=ws://host:port/path` it loads its standalone script and verifies the plaza by itself.
 */
import type { FeedEvent } from '../events.js';
import { CardList } from './cards.js';
import { batched, byId, el } from './dom.js';
import { PlazaMap } from './map.js';
import { connectServed, metric } from './served.js';
import { Store } from './store.js';
import { renderCounters, renderTimeline, topReasons } from './timeline.js';

type StateFilter = 'ALL' | 'ONLINE' | 'OFFLINE' | 'MISSING';

const store = new Store();
const params = new URLSearchParams(location.search);
const brokerUrl = params.get('mqtt');

const mode = byId('mode');
const trust = byId('trust');
const link = byId('link');
const legend = byId('legend');
const counters = byId('counters');
const search = byId<HTMLInputElement>('search');
const filters = byId('filters');
let filter: StateFilter = 'ALL';

const map = new PlazaMap(store, byId<HTMLCanvasElement>('map'), (name) => {
  const card = document.querySelector<HTMLElement>(`.card[data-name="${CSS.escape(name)}"]`);
  card?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  card?.focus({ preventScroll: true });
});
const cards = new CardList(store, byId('cards'), byId('empty'), (name) => map.highlight(name));

const filterButtons = (['ALL', 'ONLINE', 'OFFLINE', 'MISSING'] as const).map((state) => {
  const b = el('button');
  b.type = 'button';
  b.dataset.filter = state;
  b.addEventListener('click', () => {
    filter = state;
    applyFilter();
  });
  filters.append(b);
  return b;
});

function applyFilter(): void {
  for (const b of filterButtons) b.setAttribute('aria-pressed', String(b.dataset.filter === filter));
  cards.setFilter(filter, search.value);
}
search.addEventListener('input', applyFilter);
search.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') {
    search.value = '';
    applyFilter();
  }
});
document.addEventListener('keydown', (e) => {
  if (e.key === '/' && document.activeElement !== search) {
    e.preventDefault();
    search.focus();
  }
});

function header(): void {
  const standalone = store.source === 'standalone' || brokerUrl !== null;
  mode.dataset.mode = standalone ? 'standalone' : 'served';
  if (standalone) {
    mode.textContent = 'standalone · verifying in this page';
    trust.textContent = `Connected straight to the broker ${brokerUrl ?? ''}. Every envelope is verified here, in your browser (${backend ?? 'Ed25519'}), with the same rules as a nara: this page trusts neither a nara nor the broker, only signatures.`;
  } else {
    const who = store.self === null ? 'a listening nara (nara watch)' : `the nara ${store.self.name}`;
    mode.textContent = store.self === null ? 'served by a watcher' : `served by ${store.self.name}`;
    trust.textContent = `Shown as ${who} at ${location.host} saw it: it verified every signature; this page trusts that nara.`;
  }
  link.dataset.state = store.stream;
  const text = link.querySelector('.text')!;
  if (store.stream === 'live')
    text.textContent = store.brokerConnected ? 'live' : 'live · the broker is unreachable';
  else if (store.stream === 'lost') text.textContent = 'stream lost · reconnecting…';
  else text.textContent = 'connecting…';
}

let legendKey = '';
function legendAndFilters(): void {
  const t = store.tally();
  const key = `${t.ONLINE}/${t.OFFLINE}/${t.MISSING}`;
  if (key === legendKey) return;
  legendKey = key;
  const items: [string, string, number][] = [
    ['●', 'online', t.ONLINE],
    ['○', 'offline', t.OFFLINE],
    ['✕', 'missing', t.MISSING],
  ];
  legend.replaceChildren(
    ...items.map(([mark, label, n]) => {
      const li = el('li');
      li.dataset.state = label.toUpperCase();
      li.append(`${mark} ${label} `, el('b', undefined, String(n)));
      return li;
    }),
  );
  const total = store.peers.size;
  for (const b of filterButtons) {
    const f = b.dataset.filter as StateFilter;
    b.textContent = `${f === 'ALL' ? 'All' : f[0] + f.slice(1).toLowerCase()} ${f === 'ALL' ? total : t[f]}`;
  }
}

let metrics: Map<string, number> | null = null;
let backend: string | null = null;

function counterRows(): void {
  const t = store.tally();
  const peersRow = {
    id: 'peers',
    label: 'naras',
    value: String(store.peers.size),
    note: `${t.ONLINE} online · ${t.OFFLINE} offline · ${t.MISSING} missing`,
  };
  if (store.source === 'standalone') {
    const c = store.counters ?? { received: 0, accepted: 0, rejected: {} };
    const refused = Object.values(c.rejected).reduce((a, b) => a + b, 0);
    renderCounters(counters, [
      { id: 'received', label: 'received (this page)', value: String(c.received) },
      { id: 'accepted', label: 'verified & accepted', value: String(c.accepted) },
      { id: 'rejected', label: 'refused (this page)', value: String(refused), note: topReasons(c.rejected) },
      peersRow,
      { id: 'backend', label: 'verified by', value: backend ?? '…', note: 'Ed25519 in this browser' },
    ]);
    return;
  }
  if (metrics === null) {
    renderCounters(counters, [peersRow]);
    return;
  }
  const scraped = metrics;
  const rejected = metric(scraped, 'nara_envelopes_rejected_total', 'reason');
  const total = (id: string, label: string, name: string) => ({
    id,
    label,
    value: String(metric(scraped, name).total),
  });
  renderCounters(counters, [
    total('received', 'received', 'nara_envelopes_received_total'),
    total('accepted', 'accepted', 'nara_envelopes_accepted_total'),
    { id: 'rejected', label: 'refused', value: String(rejected.total), note: topReasons(rejected.by) },
    peersRow,
    total('published', 'published', 'nara_envelopes_published_total'),
    total('reconnects', 'broker reconnects', 'nara_transport_reconnects_total'),
  ]);
}

/** Time spent rendering, for the benchmark's breakdown (the map counts its own). */
const renderStats = { renders: 0, ms: 0 };
const render = batched(() => {
  const started = performance.now();
  header();
  cards.render();
  legendAndFilters();
  renderTimeline(store, byId('timeline'));
  counterRows();
  map.request();
  renderStats.renders++;
  renderStats.ms += performance.now() - started;
});
store.onChange(render);
setInterval(() => cards.tick(), 1000);
applyFilter();
render();

interface Standalone {
  start(
    url: string,
    emit: (event: FeedEvent) => void,
    stream: (state: 'live' | 'lost') => void,
  ): Promise<{ backend: string }>;
}

if (brokerUrl === null) {
  connectServed(store, (m) => {
    metrics = m;
    render();
  });
} else {
  // The standalone script (mqtt.js, the verifier, the registry) is only loaded in this mode.
  const script = document.createElement('script');
  script.src = document.querySelector<HTMLMetaElement>('meta[name="nara-standalone-script"]')!.content;
  script.addEventListener('load', async () => {
    const standalone = (globalThis as unknown as { naraStandalone: Standalone }).naraStandalone;
    try {
      const handle = await standalone.start(
        brokerUrl,
        (e) => store.apply(e),
        (s) => store.setStream(s),
      );
      backend = handle.backend;
      render();
    } catch (error) {
      trust.textContent = `Could not join ${brokerUrl}: ${error instanceof Error ? error.message : String(error)}`;
    }
  });
  document.head.append(script);
}

/** For tests and the benchmark: the store and the map's frame figures. */
Object.assign(globalThis, { naraDashboard: { store, map, cards, renderStats } });
