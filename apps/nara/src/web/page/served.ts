/**
 * Served mode: the nara that serves this page streams what it saw on `/events` (it verified every
 * envelope); the counters are its `/metrics`. EventSource reconnects by itself with `Last-Event-ID`; when
 * the server answers with an error instead, a new stream is opened and starts with a fresh snapshot.
 */
import type { FeedEvent } from '../events.js';
import type { Store } from './store.js';

const TYPES = ['snapshot', 'peer', 'newspaper', 'rejections', 'link', 'counters'] as const;
const METRICS_EVERY_MS = 2000;
/** After a change (a refusal, a peer's state), the counters are read again this soon. */
const METRICS_AFTER_CHANGE_MS = 300;

export function connectServed(store: Store, onMetrics: (metrics: Map<string, number>) => void): void {
  let source: EventSource;
  const open = () => {
    source = new EventSource('./events');
    for (const type of TYPES)
      source.addEventListener(type, (e) => {
        store.setStream('live');
        store.apply(JSON.parse((e as MessageEvent<string>).data) as FeedEvent);
        if (type === 'rejections' || type === 'peer') soon();
      });
    source.onopen = () => store.setStream('live');
    source.onerror = () => {
      store.setStream('lost');
      if (source.readyState === EventSource.CLOSED) setTimeout(open, 2000);
    };
  };
  open();
  const poll = async () => {
    try {
      const res = await fetch('./metrics', { cache: 'no-store' });
      if (res.ok) onMetrics(parseMetrics(await res.text()));
    } catch {
      // The stream's state says the nara is unreachable; the counters keep their last values.
    }
  };
  let queued = false;
  const soon = () => {
    if (queued) return;
    queued = true;
    setTimeout(() => {
      queued = false;
      void poll();
    }, METRICS_AFTER_CHANGE_MS);
  };
  void poll();
  setInterval(poll, METRICS_EVERY_MS);
}

/** Prometheus text to `name{labels}` -> value (labels as written). */
export function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    const value = Number(line.slice(cut + 1));
    if (cut > 0 && Number.isFinite(value)) out.set(line.slice(0, cut), value);
  }
  return out;
}

/** The sum of a metric over its labels, and by one label's value. */
export function metric(
  metrics: Map<string, number>,
  name: string,
  label?: string,
): { total: number; by: Record<string, number> } {
  let total = 0;
  const by: Record<string, number> = {};
  for (const [key, value] of metrics) {
    if (key !== name && !key.startsWith(`${name}{`)) continue;
    total += value;
    if (label !== undefined) {
      const m = new RegExp(`${label}="([^"]*)"`).exec(key);
      if (m) by[m[1]!] = (by[m[1]!] ?? 0) + value;
    }
  }
  return { total, by };
}
