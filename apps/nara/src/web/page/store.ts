/**
 * What the page knows, fed by {@link FeedEvent}s from either source (the nara's `/events`, or the
 * page's own pipeline). Renderers read it and the names it marks changed; nothing here touches the DOM.
 */
import type { FeedCounters, FeedEvent, FeedPeer, PresenceChange } from '../events.js';

export interface PeerView {
  peer: FeedPeer;
  /** When its last newspaper arrived (page clock), for the map's pulse; 0 before any. */
  pulsedAt: number;
}

export type TimelineKind = PresenceChange | 'refused' | 'link';

export interface TimelineEntry {
  /** Page clock. */
  at: number;
  kind: TimelineKind;
  /** The nara it is about (attacker-chosen text), or null. */
  name: string | null;
  /** For presence: the state; for refusals: the reason. */
  label: string;
  /** For refusals: what was refused and how many; for MISSING, its cause. */
  what?: string;
  count?: number;
  detail?: string | null;
  /** For refusals: the group it counts into. */
  key?: string;
}

export type StreamState = 'connecting' | 'live' | 'lost';

/** Timeline entries kept (older ones drop off the end). */
const TIMELINE = 300;

export class Store {
  readonly peers = new Map<string, PeerView>();
  timeline: TimelineEntry[] = [];
  private readonly groups = new Map<string, TimelineEntry>();
  source: 'served' | 'standalone' | null = null;
  self: { name: string; naraId: string } | null = null;
  /** The source's own link to the broker. */
  brokerConnected = false;
  stream: StreamState = 'connecting';
  /** How many times the stream was lost, and when it last came back (page clock). */
  losses = 0;
  counters: FeedCounters | null = null;
  /** Names whose card changed since the renderers last looked; `all` after a snapshot. */
  readonly dirty = new Set<string>();
  all = true;
  timelineChanged = true;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Renderers subscribe here; they batch to the next frame themselves. */
  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  setStream(state: StreamState): void {
    if (state === this.stream) return;
    if (state === 'lost') {
      this.losses++;
      this.note({ kind: 'link', name: null, label: 'lost' });
    } else if (state === 'live' && this.losses > 0) {
      this.note({ kind: 'link', name: null, label: 'back' });
    }
    this.stream = state;
    this.changed();
  }

  private note(entry: Omit<TimelineEntry, 'at'>): TimelineEntry {
    const full = { at: this.now(), ...entry };
    this.timeline.unshift(full);
    if (this.timeline.length > TIMELINE) {
      for (const gone of this.timeline.splice(TIMELINE))
        if (gone.key !== undefined) this.groups.delete(gone.key);
    }
    this.timelineChanged = true;
    return full;
  }

  private upsert(peer: FeedPeer, pulse: boolean): void {
    const view = this.peers.get(peer.name);
    if (view === undefined) this.peers.set(peer.name, { peer, pulsedAt: pulse ? this.now() : 0 });
    else {
      view.peer = peer;
      if (pulse) view.pulsedAt = this.now();
    }
    this.dirty.add(peer.name);
  }

  apply(event: FeedEvent): void {
    switch (event.type) {
      case 'snapshot':
        this.source = event.source;
        this.self = event.self;
        this.brokerConnected = event.connected;
        this.peers.clear();
        for (const p of event.peers) this.peers.set(p.name, { peer: p, pulsedAt: 0 });
        this.all = true;
        this.note({ kind: 'link', name: null, label: 'snapshot', count: event.peers.length });
        break;
      case 'peer':
        if (event.change === 'evicted') {
          this.peers.delete(event.peer.name);
          this.dirty.add(event.peer.name);
        } else this.upsert(event.peer, false);
        this.note({
          kind: event.change,
          name: event.peer.name,
          label: event.peer.state,
          ...(event.cause !== undefined ? { what: event.cause } : {}),
        });
        break;
      case 'newspaper':
        this.upsert(event.peer, true);
        break;
      case 'rejections':
        for (const g of event.groups) {
          const key = `${g.what}\u0000${g.reason}\u0000${g.name ?? ''}`;
          const held = this.groups.get(key);
          if (held !== undefined) {
            // The group moves to the top with its new count: the timeline says what is happening now.
            held.count = (held.count ?? 0) + g.count;
            held.at = this.now();
            const at = this.timeline.indexOf(held);
            if (at >= 0) this.timeline.splice(at, 1);
            this.timeline.unshift(held);
            this.timelineChanged = true;
          } else {
            const entry = this.note({
              kind: 'refused',
              name: g.name,
              label: g.reason,
              what: g.what,
              count: g.count,
              detail: g.detail,
              key,
            });
            this.groups.set(key, entry);
          }
        }
        break;
      case 'link':
        this.brokerConnected = event.connected;
        break;
      case 'counters':
        this.counters = event.counters;
        break;
    }
    this.changed();
  }

  /** Peers by state, for the legend and the filters. */
  tally(): Record<'ONLINE' | 'OFFLINE' | 'MISSING', number> {
    const t = { ONLINE: 0, OFFLINE: 0, MISSING: 0 };
    for (const { peer } of this.peers.values()) t[peer.state]++;
    return t;
  }
}
