/**
 * The Go nara's wire in a running nara (NARA_WIRE=legacy or both): what it reads from the Go topics (every
 * message verified by @nara/legacy, then the one registry, then counted by reason), what it writes there
 * (hey_there, newspapers, chau, and howdy answers chosen by Go's self-selection), and the hints howdies
 * give (names to expect, never peers).
 */
import type { NewspaperStatus, Signer } from '@nara/envelope';
import type { Identity } from '@nara/identity';
import type { Logger } from '@nara/interface';
import {
  buildHowdy,
  buildNewspaper,
  buildSyncEvent,
  isJsonPayload,
  LEGACY_CHAU_TOPIC,
  LEGACY_HEY_THERE_TOPIC,
  LEGACY_HOWDY_TOPIC,
  type LegacyChecker,
  type LegacyRejectReason,
  legacyNewspaperTopic,
  type NeighborInfo,
  NewspaperReplayGuard,
  nowNanoseconds,
  parseLegacyTopic,
  toNaraStatus,
  toNewspaperStatus,
  verifyHowdy,
  verifyNewspaper,
  verifySyncEvent,
} from '@nara/legacy';
import type { IngestResult, PeerChange, PeerRegistry, PeerRejectReason } from '@nara/peers';
import type { MetricsRegistry } from './metrics.js';

/** Which wires a nara speaks: plaza/1 (default), the Go nara's, or both. */
export type Wire = 'plaza' | 'legacy' | 'both';
export const WIRES: readonly Wire[] = ['plaza', 'legacy', 'both'];

/** The kinds of Go-wire message. */
export type LegacyKind = 'hey-there' | 'chau' | 'newspaper' | 'howdy';

/** A Go-wire message verified and applied (a howdy only gives hints). */
export interface LegacyAccepted {
  readonly type: 'accepted';
  readonly wire: 'legacy';
  readonly kind: LegacyKind;
  readonly name: string;
  readonly topic: string;
  readonly change: PeerChange | 'hint';
  readonly publicKey: Uint8Array;
  readonly bytes: Uint8Array;
}

/** Why a Go-wire message was refused: the codec's reasons, the registry's, or a bug of ours. */
export type LegacyReceiveReason = LegacyRejectReason | PeerRejectReason | 'internal-error';

export interface LegacyRejected {
  readonly type: 'rejected';
  readonly wire: 'legacy';
  readonly stage: 'legacy' | 'registry' | 'internal';
  readonly reason: LegacyReceiveReason;
  readonly detail?: string;
  readonly topic: string;
  readonly name?: string;
}

export type LegacyOutcome =
  | LegacyAccepted
  | LegacyRejected
  | { readonly type: 'own'; readonly topic: string };

export interface LegacyWireInit {
  readonly registry: PeerRegistry;
  readonly metrics: MetricsRegistry;
  readonly logger: Logger;
  readonly now: () => number;
  readonly random: () => number;
  /** Absent for a listen-only nara: it reads, never writes. */
  readonly identity?: Identity;
  /** The nara's signer (`createSigner` of @nara/envelope, the one plaza/1 signs with); given with `identity`. */
  readonly signer?: Signer;
  /** Publishes bytes on a topic (QoS 0, not retained); resolves when done or failed. */
  readonly publish?: (topic: string, payload: Uint8Array, kind: LegacyKind) => Promise<void>;
  readonly checker?: LegacyChecker;
  /** Go's howdy answer wait, U[0, this) ms (3000 in Go). */
  readonly howdyMaxDelayMs?: number;
}

export interface LegacyWire {
  /** Whether a message on `topic` is the Go wire's (the shared chau topic: by its first byte). */
  handles(topic: string, payload: Uint8Array): boolean;
  /** Verifies and applies one Go-wire message. Never throws. */
  receive(topic: string, payload: Uint8Array): LegacyOutcome;
  /** Our hey_there (skipped within 5 s of the last one, as Go does). */
  heyThere(): Promise<void>;
  newspaper(status: NewspaperStatus): Promise<void>;
  chau(): Promise<void>;
  /** Names howdies told us to expect, newest last (bounded). */
  hints(): string[];
  /** Stops howdy timers. */
  close(): void;
}

const MISSING_MS = 300_000;
const MISSING_GOSSIP_MS = 3_600_000;
const HINTS = 1024;
const COORDINATORS = 1024;

interface Coordinator {
  seen: number;
  responded: boolean;
  readonly mentioned: Set<string>;
  timer: ReturnType<typeof setTimeout> | undefined;
  readonly forget: ReturnType<typeof setTimeout>;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : typeof error;
}

function keyOf(registry: PeerRegistry, name: string): Uint8Array | undefined {
  const peer = registry.get(name);
  return peer === undefined ? undefined : Uint8Array.from(atob(peer.publicKey), (c) => c.charCodeAt(0));
}

/** The Go wire of one nara. */
export function createLegacyWire(init: LegacyWireInit): LegacyWire {
  const { registry, metrics, logger, now, random, identity, signer } = init;
  if ((identity === undefined) !== (signer === undefined))
    throw new TypeError('a nara that writes the Go wire needs both its identity and its signer');
  const received = metrics.counter('nara_legacy_received_total', 'Messages received on the Go topics.');
  const accepted = metrics.counter('nara_legacy_accepted_total', 'Go-wire messages verified and accepted.');
  const rejected = metrics.counter(
    'nara_legacy_rejected_total',
    'Go-wire messages rejected, by reason (verification, registry rule or replay).',
  );
  const published = metrics.counter('nara_legacy_published_total', 'Go-wire messages this nara published.');
  async function send(topic: string, bytes: Uint8Array, kind: LegacyKind): Promise<void> {
    if (init.publish === undefined) return;
    await init.publish(topic, bytes, kind);
    published.inc({ kind });
  }
  const guard = new NewspaperReplayGuard();
  const hints = new Map<string, number>();
  const coordinators = new Map<string, Coordinator>();
  metrics.gauge('nara_legacy_hints', 'Names howdies told us to expect (hints, not peers).', () => [
    { labels: {}, value: hints.size },
  ]);
  const keyFor = (name: string) => keyOf(registry, name);
  const checker = init.checker ? { checker: init.checker } : {};
  let lastHeyThere = Number.NEGATIVE_INFINITY;
  let closed = false;

  function refuse(outcome: Omit<LegacyRejected, 'type' | 'wire'>): LegacyRejected {
    rejected.inc({ reason: outcome.reason });
    logger.debug('rejected a Go-wire message', { topic: outcome.topic, reason: outcome.reason });
    return { type: 'rejected', wire: 'legacy', ...outcome };
  }

  function applied(
    topic: string,
    kind: LegacyKind,
    name: string,
    result: IngestResult,
    publicKey: Uint8Array,
    bytes: Uint8Array,
  ): LegacyAccepted | LegacyRejected {
    if (!result.ok)
      return refuse({ stage: 'registry', reason: result.reason, detail: result.detail, topic, name });
    accepted.inc({ kind });
    return { type: 'accepted', wire: 'legacy', kind, name, topic, change: result.change, publicKey, bytes };
  }

  function run(topic: string, payload: Uint8Array): LegacyOutcome {
    const parsed = parseLegacyTopic(topic);
    if (parsed === null) return refuse({ stage: 'legacy', reason: 'bad-topic', topic });
    const me = identity?.name;
    switch (parsed.kind) {
      case 'hey-there':
      case 'chau': {
        const result = verifySyncEvent(payload, parsed.kind, { now: now(), keyFor, ...checker });
        if (!result.ok)
          return refuse({ stage: 'legacy', reason: result.reason, detail: result.detail, topic });
        const e = result.event;
        if (e.from === me) return { type: 'own', topic };
        const outcome = applied(
          topic,
          parsed.kind,
          e.from,
          registry.ingestLegacy({
            kind: parsed.kind,
            name: e.from,
            publicKey: e.key,
            // Go does not sign a SyncEvent's ID: a copy with another ID verifies too. Only a newspaper's
            // (inside the signed status) may set or contradict a peer's nara ID.
            naraId: '',
            ts: e.ts,
            meshIp: e.meshIp,
          }),
          e.key,
          payload,
        );
        if (outcome.type === 'accepted' && parsed.kind === 'hey-there') startCoordinator(e.from);
        return outcome;
      }
      case 'newspaper': {
        if (parsed.name === me) return { type: 'own', topic };
        const result = verifyNewspaper(payload, parsed.name, { keyFor, ...checker });
        if (!result.ok)
          return refuse({
            stage: 'legacy',
            reason: result.reason,
            detail: result.detail,
            topic,
            name: parsed.name,
          });
        const paper = result.newspaper;
        const at = now();
        const uptime = paper.status.HostStats.Uptime;
        const replay = guard.check(paper.name, paper.signature, uptime, at);
        if (replay !== null)
          return refuse({
            stage: 'registry',
            reason: 'replay',
            detail: `newspaper replay: ${replay}`,
            topic,
            name: paper.name,
          });
        const silenceMs = paper.status.transport_mode === 'gossip' ? MISSING_GOSSIP_MS : MISSING_MS;
        const outcome = applied(
          topic,
          'newspaper',
          paper.name,
          registry.ingestLegacy({
            kind: 'newspaper',
            name: paper.name,
            publicKey: paper.key,
            naraId: paper.status.ID,
            status: toNewspaperStatus(paper.status).status,
            silenceMs,
          }),
          paper.key,
          payload,
        );
        if (outcome.type === 'accepted') guard.accept(paper.name, paper.signature, uptime, at);
        return outcome;
      }
      case 'howdy': {
        const result = verifyHowdy(payload, checker);
        if (!result.ok)
          return refuse({ stage: 'legacy', reason: result.reason, detail: result.detail, topic });
        const howdy = result.howdy;
        if (howdy.From === me) return { type: 'own', topic };
        // Stricter than Go: a howdy from a pinned name must carry that name's key.
        const pinned = registry.get(howdy.From);
        if (pinned !== undefined && pinned.publicKey !== howdy.Me.PublicKey)
          return refuse({ stage: 'registry', reason: 'key-mismatch', topic, name: howdy.From });
        const coordinator = coordinators.get(howdy.To);
        if (coordinator !== undefined) {
          coordinator.seen += 1;
          coordinator.mentioned.add(howdy.From);
          for (const n of howdy.Neighbors ?? []) coordinator.mentioned.add(n.Name);
          if (coordinator.seen >= 10 && coordinator.timer !== undefined) clearTimeout(coordinator.timer);
        }
        // Only From:To:Seq is signed: the names are hints, never peers or pins.
        hint(howdy.From);
        for (const n of howdy.Neighbors ?? []) hint(n.Name);
        accepted.inc({ kind: 'howdy' });
        return {
          type: 'accepted',
          wire: 'legacy',
          kind: 'howdy',
          name: howdy.From,
          topic,
          change: 'hint',
          publicKey: result.key,
          bytes: payload,
        };
      }
    }
  }

  function hint(name: string): void {
    if (name === identity?.name || registry.has(name) || name.length > 64) return;
    hints.delete(name);
    hints.set(name, now());
    if (hints.size > HINTS) hints.delete(hints.keys().next().value as string);
  }

  /** Go's self-selection: wait U[0,3 s), answer unless 10 howdies for that name were already seen. */
  function startCoordinator(to: string): void {
    if (identity === undefined || init.publish === undefined || closed) return;
    const old = coordinators.get(to);
    if (old !== undefined) {
      if (old.timer !== undefined) clearTimeout(old.timer);
      clearTimeout(old.forget);
      coordinators.delete(to);
    }
    if (coordinators.size >= COORDINATORS) return;
    const delay = Math.floor(random() * (init.howdyMaxDelayMs ?? 3000));
    const c: Coordinator = {
      seen: 0,
      responded: false,
      mentioned: new Set(),
      timer: setTimeout(() => answer(to, c), delay),
      forget: setTimeout(() => {
        if (coordinators.get(to) === c) coordinators.delete(to);
      }, 30_000),
    };
    c.forget.unref?.();
    coordinators.set(to, c);
  }

  function answer(to: string, c: Coordinator): void {
    c.timer = undefined;
    if (closed || c.responded || c.seen >= 10) return;
    if (identity === undefined || signer === undefined || init.publish === undefined) return;
    c.responded = true;
    c.seen += 1;
    const target = registry.get(to);
    const neighbors: NeighborInfo[] = registry
      .list()
      .filter((p) => p.name !== to && p.name !== identity.name && !c.mentioned.has(p.name))
      .sort((a, b) =>
        a.state === 'ONLINE' && b.state !== 'ONLINE'
          ? -1
          : b.state === 'ONLINE' && a.state !== 'ONLINE'
            ? 1
            : a.lastSeen - b.lastSeen,
      )
      .slice(0, 10)
      .map((p) => ({
        Name: p.name,
        PublicKey: p.publicKey,
        MeshIP: p.meshIp ?? '',
        ID: p.naraId,
        Observation: { online: p.state, last_seen: Math.floor(p.lastSeen / 1000) },
      }));
    const bytes = buildHowdy({
      signer,
      from: identity.name,
      to,
      seq: c.seen,
      me: goStatus(lastStatus),
      you:
        target === undefined
          ? {}
          : {
              online: target.state,
              last_seen: Math.floor(target.lastSeen / 1000),
              start_time: Math.floor(target.firstSeen / 1000),
            },
      neighbors: neighbors.length > 0 ? neighbors : null,
    });
    void send(LEGACY_HOWDY_TOPIC, bytes, 'howdy').catch(() => {});
  }

  let lastStatus: NewspaperStatus = { chattiness: 50, buzz: 0 };
  function goStatus(status: NewspaperStatus) {
    if (identity === undefined) throw new TypeError('a listen-only nara does not write');
    return toNaraStatus(status, { publicKey: identity.publicKeyBase64, naraId: identity.naraId });
  }

  return {
    handles(topic, payload) {
      if (topic === LEGACY_CHAU_TOPIC) return isJsonPayload(payload);
      return parseLegacyTopic(topic) !== null;
    },
    receive(topic, payload) {
      received.inc();
      try {
        return run(topic, payload);
      } catch (error) {
        logger.error('the Go-wire receive path threw', { topic, error: describe(error) });
        return refuse({ stage: 'internal', reason: 'internal-error', detail: describe(error), topic });
      }
    },
    async heyThere() {
      if (identity === undefined || signer === undefined || init.publish === undefined) return;
      const at = now();
      if (at - lastHeyThere <= 5000) return;
      lastHeyThere = at;
      const bytes = buildSyncEvent('hey-there', {
        signer,
        name: identity.name,
        naraId: identity.naraId,
        ts: nowNanoseconds(at),
      });
      await send(LEGACY_HEY_THERE_TOPIC, bytes, 'hey-there');
    },
    async newspaper(status) {
      if (identity === undefined || signer === undefined || init.publish === undefined) return;
      lastStatus = status;
      const bytes = buildNewspaper({ signer, name: identity.name, status: goStatus(status) });
      await send(legacyNewspaperTopic(identity.name), bytes, 'newspaper');
    },
    async chau() {
      if (identity === undefined || signer === undefined || init.publish === undefined) return;
      const bytes = buildSyncEvent('chau', {
        signer,
        name: identity.name,
        naraId: identity.naraId,
        ts: nowNanoseconds(now()),
      });
      await send(LEGACY_CHAU_TOPIC, bytes, 'chau');
    },
    hints: () => [...hints.keys()],
    close() {
      closed = true;
      for (const c of coordinators.values()) {
        if (c.timer !== undefined) clearTimeout(c.timer);
        clearTimeout(c.forget);
      }
      coordinators.clear();
    },
  };
}
