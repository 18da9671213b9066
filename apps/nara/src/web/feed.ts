/**
 * A nara's dashboard feed: its receive outcomes and registry events as {@link FeedEvent}s on an
 * {@link EventStream}, rejections coalesced every {@link FLUSH_MS}.
 */
import type { PeerEvent, PeerSnapshot } from '@nara/peers';
import { FeedBuilder, type FeedOutcome } from './events.js';
import { EventStream } from './stream.js';

const FLUSH_MS = 250;

/** What the feed reads of a running nara (the engine's node, or a watcher). */
export interface FeedNode {
  readonly name: string | undefined;
  readonly naraId: string | undefined;
  readonly connected: boolean;
  readonly registry: { get(name: string): PeerSnapshot | undefined; list(): PeerSnapshot[] };
  on(listener: (event: FeedNodeEvent) => void): () => void;
}

/** The node events the feed uses; others are ignored. */
export type FeedNodeEvent =
  | FeedOutcome
  | { readonly type: 'peer'; readonly event: PeerEvent }
  | { readonly type: 'connected' }
  | { readonly type: 'disconnected' }
  | { readonly type: string };

/**
 * Starts the feed of `node`; the stream's `close()` stops it.
 *
 * @example
 * ```ts
 * const events = dashboardEvents(node);
 * await startStatusServer(address, { peers, metrics, health, events });
 * ```
 */
export function dashboardEvents(node: FeedNode, now: () => number = Date.now): EventStream {
  const stream: EventStream = new EventStream(() => ({
    type: 'snapshot',
    at: now(),
    source: 'served',
    self:
      node.name !== undefined && node.naraId !== undefined ? { name: node.name, naraId: node.naraId } : null,
    connected: node.connected,
    peers: feed.peers(),
  }));
  const feed = new FeedBuilder((event) => stream.push(event), node.registry, now);
  const off = node.on((event) => {
    switch (event.type) {
      case 'accepted':
      case 'rejected':
        feed.outcome(event as FeedOutcome);
        return;
      case 'peer':
        feed.peerEvent((event as { event: PeerEvent }).event);
        return;
      case 'connected':
      case 'disconnected':
        stream.push({ type: 'link', at: now(), connected: event.type === 'connected' });
    }
  });
  const timer = setInterval(() => feed.flush(), FLUSH_MS);
  timer.unref();
  stream.onClose(() => {
    clearInterval(timer);
    off();
  });
  return stream;
}
