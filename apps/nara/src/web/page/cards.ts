/**
 * The naras as cards: name, state in words and a mark (never colour alone), aura, flair and trend,
 * chattiness and buzz, last seen and the promised next newspaper (both live), clock offset, nara ID, key
 * fingerprint and wire. Filtered by name and state; arrow keys move between cards.
 */
import type { FeedPeer } from '../events.js';
import { el, fingerprint, offset, relative, STATE_MARK, safeColour } from './dom.js';
import type { Store } from './store.js';

type StateFilter = 'ALL' | 'ONLINE' | 'OFFLINE' | 'MISSING';

/**
 * Cards in the page at most (more on request): a thousand cards made every frame slow (52 ms median
 * frames at 1,000 naras and 200 newspapers/s, measured); the map shows everyone at once.
 */
const PAGE = 120;

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
  const fill = el('span');
  fill.style.width = `${Math.max(0, Math.min(100, (value / max) * 100))}%`;
  m.append(fill);
  return m;
}

export class CardList {
  private readonly cards = new Map<string, Card>();
  private filter: StateFilter = 'ALL';
  private query = '';
  private limit = PAGE;
  private rebuild = true;
  private readonly more = el('p', 'more');
  private readonly moreText = el('span');
  private readonly moreButton = el('button');

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
    this.moreButton.type = 'button';
    this.moreButton.addEventListener('click', () => {
      this.limit += PAGE;
      this.rebuild = true;
      this.render();
    });
    this.more.append(this.moreText, this.moreButton);
    this.more.hidden = true;
    container.after(this.more);
  }

  setFilter(filter: StateFilter, query: string): void {
    this.filter = filter;
    this.query = query.trim().toLowerCase();
    this.limit = PAGE;
    this.rebuild = true;
    this.render();
  }

  private shows(peer: FeedPeer): boolean {
    if (this.filter !== 'ALL' && peer.state !== this.filter) return false;
    return this.query === '' || peer.name.toLowerCase().includes(this.query);
  }

  /**
   * Whether the changes of `names` add or remove a card (else cards are only redrawn in place): a card
   * goes, or a nara that matches has none but belongs among the first `limit` by name.
   */
  private structural(names: Iterable<string>): boolean {
    const last = this.container.lastElementChild as HTMLElement | null;
    const full = this.cards.size >= this.limit;
    for (const name of names) {
      const view = this.store.peers.get(name);
      const shown = this.cards.has(name);
      if (view === undefined || !this.shows(view.peer)) {
        if (shown) return true;
      } else if (!shown && (!full || compare(name, last?.dataset.name ?? '') < 0)) return true;
    }
    return false;
  }

  /** Applies the store's changes: the list again after a snapshot or a join, else the changed cards. */
  render(): void {
    const { store } = this;
    if (store.all || this.rebuild || this.structural(store.dirty)) {
      store.all = false;
      this.rebuild = false;
      store.dirty.clear();
      this.rebuildList();
      return;
    }
    for (const name of store.dirty) {
      const view = store.peers.get(name)!;
      const card = this.cards.get(name);
      if (card === undefined) continue;
      const fresh = this.build(view.peer, Date.now() - view.pulsedAt < 1000);
      const focused = card.node.contains(document.activeElement);
      card.node.replaceWith(fresh.node);
      if (focused) fresh.node.focus({ preventScroll: true });
    }
    store.dirty.clear();
  }

  private rebuildList(): void {
    const focused = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('.card')?.dataset
      .name;
    const matching: FeedPeer[] = [];
    for (const view of this.store.peers.values()) if (this.shows(view.peer)) matching.push(view.peer);
    matching.sort((a, b) => compare(a.name, b.name));
    this.cards.clear();
    const nodes = matching.slice(0, this.limit).map((peer) => this.build(peer, false).node);
    this.container.replaceChildren(...nodes);
    if (focused !== undefined) this.cards.get(focused)?.node.focus({ preventScroll: true });
    this.empty.hidden = matching.length > 0;
    this.empty.textContent =
      this.store.peers.size === 0 ? 'No nara heard yet.' : 'No nara matches this search and filter.';
    this.more.hidden = matching.length <= this.limit;
    if (!this.more.hidden) {
      this.moreText.textContent = `Showing ${nodes.length} of ${matching.length} naras, by name; search to narrow, or `;
      this.moreButton.textContent = `show ${Math.min(PAGE, matching.length - nodes.length)} more`;
    }
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
    fact(facts, 'wire', peer.wire ?? 'plaza');
    node.append(head, flair, facts);
    node.setAttribute(
      'aria-label',
      `${peer.name}: ${peer.state}${peer.missingCause ? ` (${peer.missingCause})` : ''}`,
    );
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
    for (const card of this.cards.values()) this.tickCard(card, now);
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
    const visible = Array.from(this.container.querySelectorAll<HTMLElement>('.card'));
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

const collator = new Intl.Collator(undefined, { sensitivity: 'base' });
const compare = collator.compare;
