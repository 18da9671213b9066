/**
 * The naras as cards: name, state in words and a mark (never colour alone), aura, flair and trend,
 * chattiness and buzz, last seen and the promised next newspaper (both live), clock offset, nara ID, key
 * fingerprint and wire. Filtered by name and state; arrow keys move between cards.
 */
import type { FeedPeer } from '../events.js';
import { el, fingerprint, offset, relative, STATE_MARK, safeColour } from './dom.js';
import type { Store } from './store.js';

type StateFilter = 'ALL' | 'ONLINE' | 'OFFLINE' | 'MISSING';

interface Card {
  node: HTMLElement;
  seen: HTMLElement;
  due: HTMLElement;
  peer: FeedPeer;
}

const CAUSE: Record<string, string> = {
  will: 'its connection died (signed will)',
  silence: 'silent past its promise',
};

function stateText(peer: FeedPeer): string {
  const mark = STATE_MARK[peer.state] ?? '';
  if (peer.state !== 'MISSING' || peer.missingCause === null) return `${mark} ${peer.state}`;
  return `${mark} MISSING · ${peer.missingCause}`;
}

function fact(list: HTMLElement, term: string, value: string | Node, className?: string): HTMLElement {
  const dd = el('dd', className);
  if (typeof value === 'string') dd.textContent = value;
  else dd.append(value);
  list.append(el('dt', undefined, term), dd);
  return dd;
}

function meter(value: number, max: number): HTMLElement {
  const m = el('span', 'meter');
  m.setAttribute('aria-hidden', 'true');
  const fill = el('i');
  fill.style.width = `${Math.max(0, Math.min(100, (value / max) * 100))}%`;
  m.append(fill);
  return m;
}

export class CardList {
  private readonly cards = new Map<string, Card>();
  private filter: StateFilter = 'ALL';
  private query = '';

  constructor(
    private readonly store: Store,
    private readonly container: HTMLElement,
    private readonly empty: HTMLElement,
    private readonly onFocus: (name: string | null) => void,
  ) {
    container.addEventListener('keydown', (e) => this.key(e));
    container.addEventListener('focusin', (e) => {
      const card = (e.target as HTMLElement).closest<HTMLElement>('.card');
      this.onFocus(card?.dataset.name ?? null);
    });
    container.addEventListener('focusout', () => this.onFocus(null));
  }

  setFilter(filter: StateFilter, query: string): void {
    this.filter = filter;
    this.query = query.trim().toLowerCase();
    for (const card of this.cards.values()) card.node.hidden = !this.shows(card.peer);
    this.updateEmpty();
  }

  private shows(peer: FeedPeer): boolean {
    if (this.filter !== 'ALL' && peer.state !== this.filter) return false;
    return this.query === '' || peer.name.toLowerCase().includes(this.query);
  }

  private updateEmpty(): void {
    const visible = [...this.cards.values()].some((c) => !c.node.hidden);
    this.empty.hidden = visible;
    this.empty.textContent =
      this.cards.size === 0 ? 'No nara heard yet.' : 'No nara matches this search and filter.';
  }

  /** Applies the store's changes: every card after a snapshot, else only the changed ones. */
  render(): void {
    const { store } = this;
    if (store.all) {
      store.all = false;
      store.dirty.clear();
      this.cards.clear();
      const names = [...store.peers.keys()].sort(compare);
      this.container.replaceChildren(...names.map((n) => this.build(store.peers.get(n)!.peer, false).node));
    } else {
      for (const name of store.dirty) {
        const view = store.peers.get(name);
        const card = this.cards.get(name);
        if (view === undefined) {
          card?.node.remove();
          this.cards.delete(name);
          continue;
        }
        const pulse = card !== undefined && Date.now() - view.pulsedAt < 1000;
        const fresh = this.build(view.peer, pulse);
        if (card !== undefined) {
          const focused = card.node.contains(document.activeElement);
          card.node.replaceWith(fresh.node);
          if (focused) fresh.node.focus({ preventScroll: true });
        } else this.insert(fresh.node, name);
      }
      store.dirty.clear();
    }
    this.updateEmpty();
  }

  private insert(node: HTMLElement, name: string): void {
    for (const child of Array.from(this.container.children)) {
      if (compare((child as HTMLElement).dataset.name ?? '', name) > 0) {
        this.container.insertBefore(node, child);
        return;
      }
    }
    this.container.append(node);
  }

  private build(peer: FeedPeer, pulse: boolean): Card {
    const node = el('li', `card${pulse ? ' pulse' : ''}`);
    node.tabIndex = 0;
    node.dataset.name = peer.name;
    node.dataset.state = peer.state;
    const status = peer.status;
    const a1 = safeColour(status?.aura?.primary);
    const a2 = safeColour(status?.aura?.secondary);
    if (a1 !== null) node.style.setProperty('--aura1', a1);
    if (a2 !== null) node.style.setProperty('--aura2', a2);

    const head = el('div', 'card-head');
    const name = el('bdi', 'name', peer.name);
    name.setAttribute('dir', 'auto');
    name.title = peer.name;
    const state = el('span', 'state', stateText(peer));
    state.dataset.state = peer.state;
    if (peer.state === 'MISSING' && peer.missingCause !== null) state.title = CAUSE[peer.missingCause] ?? '';
    head.append(name, state);

    const flairText = [status?.trendEmoji, status?.flair ?? status?.trend].filter(Boolean).join(' ');
    const flair = el('p', 'flair', flairText || (status === null ? 'no newspaper yet' : 'no flair'));
    flair.setAttribute('dir', 'auto');
    if (flairText) flair.title = flairText;

    const facts = el('dl', 'facts');
    const seen = fact(facts, 'last seen', '');
    seen.dataset.at = String(peer.lastSeen);
    const due = fact(facts, 'next paper', '');
    if (status !== null) {
      const c = el('span', undefined, String(status.chattiness));
      fact(facts, 'chattiness', c).append(meter(status.chattiness, 100));
      const b = el('span', undefined, String(status.buzz));
      fact(facts, 'buzz', b).append(meter(status.buzz, 182));
    }
    fact(facts, 'clock offset', offset(peer.clockOffsetMs));
    fact(facts, 'nara ID', peer.naraId, 'mono').title = peer.naraId;
    fact(facts, 'key', fingerprint(peer.publicKey), 'mono').title = peer.publicKey;
    fact(facts, 'wire', peer.wire ?? 'plaza/1');
    node.append(head, flair, facts);
    node.setAttribute(
      'aria-label',
      `${peer.name}: ${peer.state}${peer.missingCause ? ` (${peer.missingCause})` : ''}`,
    );
    node.hidden = !this.shows(peer);
    const card = { node, seen, due, peer };
    this.cards.set(peer.name, card);
    this.tickCard(card, Date.now());
    return card;
  }

  private tickCard(card: Card, now: number): void {
    card.seen.textContent = relative(now - card.peer.lastSeen);
    const next = card.peer.state === 'ONLINE' ? (card.peer.next ?? card.peer.deadline) : null;
    card.due.textContent =
      next === null || next === undefined
        ? '—'
        : next >= now
          ? relative(now - next)
          : `overdue ${relative(now - next).replace(' ago', '')}`;
  }

  /** The live times: once a second. */
  tick(): void {
    const now = Date.now();
    for (const card of this.cards.values()) if (!card.node.hidden) this.tickCard(card, now);
  }

  private key(e: KeyboardEvent): void {
    const moves: Record<string, number> = {
      ArrowDown: 1,
      ArrowRight: 1,
      ArrowUp: -1,
      ArrowLeft: -1,
      Home: -Infinity,
      End: Infinity,
    };
    const move = moves[e.key];
    if (move === undefined) return;
    const visible = Array.from(this.container.querySelectorAll<HTMLElement>('.card:not([hidden])'));
    if (visible.length === 0) return;
    const at = visible.indexOf(document.activeElement as HTMLElement);
    const to =
      move === -Infinity
        ? 0
        : move === Infinity
          ? visible.length - 1
          : Math.max(0, Math.min(visible.length - 1, at + move));
    visible[to]!.focus();
    e.preventDefault();
  }
}

function compare(a: string, b: string): number {
  return a.localeCompare(b, undefined, { sensitivity: 'base' });
}
