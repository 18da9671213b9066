/**
 * The dashboard's event feed: what the page is told, in one vocabulary for both of its sources. A nara
 * turns its own receive outcomes and registry events into these and streams them on `GET /events`; the
 * standalone page turns the outcomes of its in-page pipeline into the very same ones. Browser-safe: no
 * `node:` import here.
 */
import type { MissingCause, PeerEvent, PeerSnapshot } from '@nara/peers';
import { unescapeNameLevel } from '@nara/topics';

/** A peer as the page sees it: the registry's snapshot, the promised next newspaper, and its wire when known. */
export type FeedPeer = PeerSnapshot & {
  /** The deadline the last newspaper promised for the next one (ms since the Unix epoch), when known. */
  readonly next?: number;
  /** The wire the peer speaks (`plaza/1`, ...), when the registry says. */
  readonly wire?: string;
};

/** Changes of presence (a newspaper of an ONLINE peer is a `newspaper` event instead). */
export type PresenceChange = 'joined' | 'reconnected' | 'returned' | 'left' | 'missing' | 'evicted' | 'moved';

/** Refusals of one peer (or of no readable name) for one reason, coalesced over a short window. */
export interface RejectionGroup {
  /** The claimed sender, when one could be read; attacker-chosen text. */
  readonly name: string | null;
  /** What was refused: `newspaper`, `hey-there`, `chau`, ... (from the topic), or `message`. */
  readonly what: string;
  readonly reason: string;
  readonly detail: string | null;
  readonly count: number;
}

/** Counters of a page that verifies by itself (standalone); a served page reads the nara's `/metrics`. */
export interface FeedCounters {
  readonly received: number;
  readonly accepted: number;
  readonly rejected: Readonly<Record<string, number>>;
}

export type FeedEvent =
  | {
      readonly type: 'snapshot';
      readonly at: number;
      /** Who produced the feed: a nara (`served`) or the page itself (`standalone`). */
      readonly source: 'served' | 'standalone';
      /** The nara serving the page, absent for a watcher and standalone pages. */
      readonly self: { readonly name: string; readonly naraId: string } | null;
      readonly connected: boolean;
      readonly peers: readonly FeedPeer[];
    }
  | {
      readonly type: 'peer';
      readonly at: number;
      readonly change: PresenceChange;
      readonly peer: FeedPeer;
      readonly cause?: MissingCause;
    }
  | { readonly type: 'newspaper'; readonly at: number; readonly peer: FeedPeer }
  | { readonly type: 'rejections'; readonly at: number; readonly groups: readonly RejectionGroup[] }
  | { readonly type: 'link'; readonly at: number; readonly connected: boolean }
  | { readonly type: 'counters'; readonly at: number; readonly counters: FeedCounters };

/** The parts of a receive outcome the feed reads (the app's `ReceiveOutcome`, or the page's). */
export type FeedOutcome =
  | {
      readonly type: 'accepted';
      readonly kind: string;
      readonly name: string;
      readonly envelope: { readonly body: unknown };
    }
  | {
      readonly type: 'rejected';
      readonly reason: string;
      readonly detail?: string;
      readonly topic: string;
      readonly name?: string;
    };

/** The longest name kept in a rejection group: a topic level can be long, the page needs no more. */
const MAX_NAME = 64;
/** Distinct (name, what, reason) groups held between flushes; more are counted under a null name. */
const MAX_GROUPS = 200;

function whatOf(topic: string): string {
  const m = /^nara\/plaza\/(newspaper|hey-there|chau|stash-refresh)(?:\/|$)/.exec(topic);
  if (m) return m[1]!;
  return topic.startsWith('nara/checkpoint/') ? 'checkpoint' : 'message';
}

/**
 * Turns outcomes and registry events into {@link FeedEvent}s. Rejections are coalesced by (name, what,
 * reason) until {@link flush}, so a flood of forgeries is one event per flush, not one per message.
 *
 * @example
 * ```ts
 * const feed = new FeedBuilder((event) => stream.push(event), registry);
 * node.on((e) => (e.type === 'peer' ? feed.peerEvent(e.event) : feed.outcome(e)));
 * setInterval(() => feed.flush(), 250);
 * ```
 */
export class FeedBuilder {
  private readonly nextByName = new Map<string, number>();
  private groups = new Map<
    string,
    { name: string | null; what: string; reason: string; detail: string | null; count: number }
  >();

  constructor(
    private readonly emit: (event: FeedEvent) => void,
    private readonly registry: { get(name: string): PeerSnapshot | undefined; list(): PeerSnapshot[] },
    private readonly now: () => number = Date.now,
  ) {}

  /** A peer with what the feed adds to the registry's view. */
  peer(snapshot: PeerSnapshot): FeedPeer {
    const next = this.nextByName.get(snapshot.name);
    return next === undefined ? snapshot : { ...snapshot, next };
  }

  /** Every peer, as a snapshot event would carry them. */
  peers(): FeedPeer[] {
    return this.registry.list().map((p) => this.peer(p));
  }

  /** One receive outcome: a newspaper event, or a rejection held for the next flush. */
  outcome(outcome: FeedOutcome): void {
    if (outcome.type === 'rejected') {
      const name = outcome.name !== undefined && outcome.name.length <= MAX_NAME ? outcome.name : null;
      this.reject(name, whatOf(outcome.topic), outcome.reason, outcome.detail ?? null);
      return;
    }
    if (outcome.kind !== 'newspaper') return;
    const body = outcome.envelope.body as { next?: unknown };
    if (typeof body.next === 'number') this.nextByName.set(outcome.name, body.next);
    const snapshot = this.registry.get(outcome.name);
    if (snapshot !== undefined) this.emit({ type: 'newspaper', at: this.now(), peer: this.peer(snapshot) });
  }

  /** One registry event (its `updated` is the newspaper event already sent by {@link outcome}). */
  peerEvent(event: PeerEvent): void {
    if (event.type === 'updated' || event.type === 'rejected') return;
    if (event.type === 'evicted') this.nextByName.delete(event.peer.name);
    this.emit({
      type: 'peer',
      at: this.now(),
      change: event.type,
      peer: this.peer(event.peer),
      ...(event.type === 'missing' ? { cause: event.cause } : {}),
    });
  }

  private reject(name: string | null, what: string, reason: string, detail: string | null): void {
    let key = `${what}\u0000${reason}\u0000${name ?? ''}`;
    if (!this.groups.has(key) && this.groups.size >= MAX_GROUPS) {
      name = null;
      key = `${what}\u0000${reason}\u0000`;
    }
    const group = this.groups.get(key);
    if (group !== undefined) group.count++;
    else this.groups.set(key, { name, what, reason, detail, count: 1 });
  }

  /** Sends the rejections held since the last flush as one event (nothing when there were none). */
  flush(): void {
    if (this.groups.size === 0) return;
    const groups = [...this.groups.values()];
    this.groups = new Map();
    this.emit({ type: 'rejections', at: this.now(), groups });
  }
}

const NEWSPAPER_NAME = /^nara\/plaza\/newspaper\/([^/]{1,200})$/;

/**
 * The name a newspaper topic claims, unescaped as the receive pipeline does (unverified: for grouping
 * refusals only), or undefined.
 */
export function claimedName(topic: string): string | undefined {
  const level = NEWSPAPER_NAME.exec(topic)?.[1];
  const name = level === undefined ? undefined : unescapeNameLevel(level);
  return name !== undefined && name.length <= 64 ? name : undefined;
}
