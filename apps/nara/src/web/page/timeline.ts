/**
 * The timeline (newest first) and the counters. Refusals are one line per (peer, what, reason) whose
 * count grows: "12 newspapers for ana refused: key-mismatch".
 */
import { el } from './dom.js';
import type { Store, TimelineEntry } from './store.js';

const ICON: Record<string, string> = {
  joined: '⊕',
  reconnected: '↻',
  returned: '↩',
  left: '○',
  missing: '✕',
  evicted: '⌫',
  refused: '⊘',
  link: '⚡',
};

function clock(at: number): string {
  return new Date(at).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
}

function nameNode(name: string): HTMLElement {
  const b = el('bdi', 'name', name.length > 80 ? `${name.slice(0, 79)}…` : name);
  b.setAttribute('dir', 'auto');
  b.title = name;
  return b;
}

function presence(entry: TimelineEntry): string {
  switch (entry.kind) {
    case 'joined':
      return ' joined the plaza';
    case 'reconnected':
      return ' reconnected (a new connection epoch)';
    case 'returned':
      return ' is back ONLINE';
    case 'left':
      return ' is OFFLINE: it said chau';
    case 'missing':
      return entry.what === 'will'
        ? ' is MISSING: its connection died (its signed will arrived)'
        : ' is MISSING: silent past the newspaper it promised';
    case 'evicted':
      return ' was forgotten (the registry was full)';
    case 'moved':
      return ' moved to its next soul (a succession its last key committed to)';
    default:
      return '';
  }
}

function describe(entry: TimelineEntry): HTMLElement {
  const what = el('span', 'what');
  if (entry.kind === 'link') {
    const n = entry.count ?? 0;
    const text: Record<string, string> = {
      lost: 'The live stream was lost; reconnecting…',
      back: 'The live stream is back.',
      snapshot: `Following the plaza: ${n} ${n === 1 ? 'nara' : 'naras'} known so far.`,
    };
    what.textContent = text[entry.label] ?? entry.label;
    return what;
  }
  if (entry.kind === 'refused') {
    const count = entry.count ?? 1;
    const noun = `${entry.what ?? 'message'}${count === 1 ? '' : 's'}`;
    what.append(el('span', 'count', String(count)), ` ${noun}`);
    if (entry.name !== null) what.append(' for ', nameNode(entry.name));
    what.append(` refused: ${entry.label}`);
    if (entry.detail) what.append(el('span', 'detail', entry.detail));
    return what;
  }
  what.append(nameNode(entry.name ?? '?'), presence(entry));
  return what;
}

export function renderTimeline(store: Store, list: HTMLElement): void {
  if (!store.timelineChanged) return;
  store.timelineChanged = false;
  const items = store.timeline.map((entry) => {
    const li = el('li');
    li.dataset.kind = entry.kind;
    const time = el('time', undefined, clock(entry.at));
    time.dateTime = new Date(entry.at).toISOString();
    const icon = el('span', 'icon', ICON[entry.kind] ?? '·');
    icon.setAttribute('aria-hidden', 'true');
    li.append(time, icon, describe(entry));
    return li;
  });
  list.replaceChildren(...items);
}

/** Counters as label/value pairs, from the nara's /metrics (served) or the page's own (standalone). */
const shownCounters = new WeakMap<HTMLElement, string>();

export function renderCounters(
  list: HTMLElement,
  rows: readonly { label: string; value: string; note?: string; id?: string }[],
): void {
  const key = JSON.stringify(rows);
  if (shownCounters.get(list) === key) return;
  shownCounters.set(list, key);
  list.replaceChildren(
    ...rows.map((row) => {
      const div = el('div');
      if (row.id) div.dataset.counter = row.id;
      const dd = el('dd', undefined, row.value);
      if (row.note) dd.append(el('small', undefined, row.note));
      div.append(el('dt', undefined, row.label), dd);
      return div;
    }),
  );
}

/** The few largest reasons of a by-reason counter, as "bad-signature 3 · key-mismatch 1". */
export function topReasons(byReason: Readonly<Record<string, number>>, n = 3): string {
  return Object.entries(byReason)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${k} ${v}`)
    .join(' · ');
}
