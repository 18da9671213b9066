import type { EnvelopeKind, NewspaperStatus } from '@nara/envelope';

/**
 * Presence of a peer. ONLINE: heard from, within its promise. OFFLINE: said chau (`left`). MISSING: its
 * signed will (chau `lost`) arrived, or its promised deadline plus grace passed in silence.
 */
export type PeerState = 'ONLINE' | 'OFFLINE' | 'MISSING';

/** Why a peer is MISSING. */
export type MissingCause = 'will' | 'silence';

/**
 * Which wire a peer was heard on: plaza/1 (`plaza`), the Go nara's JSON wire (`legacy`), or both with the
 * same key (`both`). One name, one pinned key, whichever wire.
 */
export type PeerWire = 'plaza' | 'legacy' | 'both';

/**
 * A message of the Go nara's wire, verified by `@nara/legacy`, for {@link PeerRegistry.ingestLegacy}. The
 * registry applies the same pin to it as to plaza/1; it has no epoch, so SyncEvents must rise in `ts`.
 */
export interface LegacyIngest {
  readonly kind: 'hey-there' | 'newspaper' | 'chau';
  readonly name: string;
  /** The key it verified with (32 bytes). */
  readonly publicKey: Uint8Array;
  /** The nara ID it carries (Go does not sign it), or `''`. */
  readonly naraId: string;
  /** A SyncEvent's time in nanoseconds since the Unix epoch; absent for newspapers (they have none). */
  readonly ts?: bigint;
  /** A newspaper's status, mapped to plaza/1's. */
  readonly status?: NewspaperStatus;
  /** A hey_there's mesh address (`''` for none). */
  readonly meshIp?: string;
  /** Silence before MISSING, Go's rule: 300 s, or 3600 s for a peer in gossip mode. Default maxSilenceMs. */
  readonly silenceMs?: number;
}

/** Where a peer's pinned key came from: the registry's seed (`pin()`, `known`) or the first message heard. */
export type PinSource = 'seed' | 'first-use';

/**
 * Why the registry refused a verified envelope. A closed set, stable for metrics and logs.
 *
 * - `key-mismatch`: another key than the one pinned for this name (impersonation, or a re-keyed nara).
 * - `id-mismatch`: the pinned key, but another nara ID than the one first heard.
 * - `replay`: a sequence number not above the floor of the current epoch.
 * - `stale-epoch`: an epoch that is not newer than the current one (retired, ended by a chau, or not
 *   later in the sender's time while the peer is ONLINE).
 * - `stale-will`: a will (chau `lost`) for another epoch than the current one, or one already applied.
 * - `unknown-peer`: a chau from a name the registry does not know: nothing to change, and a chau never pins.
 * - `from-future`: sender time more than `maxFutureMs` ahead of ours.
 * - `too-old`: sender time more than `maxAgeMs` behind ours (not applied to wills, signed at connect time).
 * - `capacity`: a new name while the registry is full of peers it may not evict.
 * - `key-retired`: a key this name moved away from by a succession (a thief holding an old soul).
 * - `commitment-mismatch`: a message of the pinned key without the commitment pinned with it, or another.
 * - `succession-wrong-previous`: a succession that does not name the pinned key as the one it leaves.
 * - `succession-replay`: a succession to a key this name already moved away from.
 * - `succession-not-committed`: a succession for a key that committed to no next key.
 * - `succession-retired`: a succession for a key that committed to having no successor.
 * - `succession-wrong-key`: a succession signed by another key than the committed one.
 */
/** How a message came: `retained` for a broker's kept copy delivered on subscribe (old news). */
export interface IngestOptions {
  /**
   * A retained copy: judged by its own time and promise (a dead nara's shows MISSING at once, with its
   * last-seen time), not refused as too old, and a copy of something already seen is a no-op rather than
   * a replay.
   */
  readonly retained?: boolean;
}

export type PeerRejectReason = (typeof PEER_REJECT_REASONS)[number];

/** Every {@link PeerRejectReason}: the one list, so the type and the list cannot drift apart. */
export const PEER_REJECT_REASONS = Object.freeze([
  'key-mismatch',
  'id-mismatch',
  'replay',
  'stale-epoch',
  'stale-will',
  'unknown-peer',
  'from-future',
  'too-old',
  'capacity',
  'key-retired',
  'commitment-mismatch',
  'succession-wrong-previous',
  'succession-replay',
  'succession-not-committed',
  'succession-retired',
  'succession-wrong-key',
] as const);

/**
 * What the registry knows about one peer. JSON-serialisable, no secrets: safe for status endpoints and UIs.
 * Times are the registry's clock (ms since the Unix epoch) unless said otherwise.
 */
export interface PeerSnapshot {
  readonly name: string;
  /** The pinned Ed25519 public key, base64 (standard alphabet, padded, as Go writes keys). */
  readonly publicKey: string;
  readonly pin: PinSource;
  readonly naraId: string;
  /** The wire(s) it was heard on. */
  readonly wire: PeerWire;
  readonly state: PeerState;
  /** Set when `state` is MISSING. */
  readonly missingCause: MissingCause | null;
  /** The status of the last accepted newspaper, or null before the first one. */
  readonly status: Readonly<NewspaperStatus> | null;
  /** The mesh address from the last hey-there, or null. */
  readonly meshIp: string | null;
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** The current connection epoch, lowercase hex. */
  readonly epoch: string;
  /** The sequence floor of the current epoch: the highest sequence number accepted in it. */
  readonly seq: number;
  /** When the peer becomes MISSING if it stays silent (ONLINE peers only), else null. */
  readonly deadline: number | null;
  /**
   * Measured clock offset: our receive time minus the sender's time, smoothed (it includes transit time).
   * Positive means the peer's clock is behind ours. Null before the first sample.
   */
  readonly clockOffsetMs: number | null;
  /** How many times this peer came back in a new epoch after we first heard it. */
  readonly reconnects: number;
  /**
   * The commitment to the peer's next key pinned with its key (docs/PROTOCOL.md section 12): SHA-256 of
   * the next public key, lowercase hex; `''` when the peer committed to having no successor; null when it
   * made no commitment (it cannot move its name).
   */
  readonly commitment: string | null;
  /** How many successions this registry accepted for the name. */
  readonly successions: number;
  /** The keys the name moved away from (base64, oldest first, at most 16) and when each move was accepted. */
  readonly chain: readonly { readonly publicKey: string; readonly until: number }[];
}

/** A change the registry made, reported by `ingest` and carried by events. */
export type PeerChange =
  /** A name heard for the first time. */
  | 'joined'
  /** A newspaper from an ONLINE peer in the same epoch. */
  | 'updated'
  /** An ONLINE peer moved to a newer epoch (it reconnected or restarted without a goodbye). */
  | 'reconnected'
  /** An OFFLINE or MISSING peer was heard again. */
  | 'returned'
  /** A chau `left`. */
  | 'left'
  /** A will (chau `lost`). Silence gives a `missing` event but no ingest. */
  | 'missing'
  /** Accepted (the floor moved, the deadline too) with no change of state or status. */
  | 'refreshed'
  /** A succession moved the pin to the peer's next key; the peer keeps its history. */
  | 'moved';

/** Events for the app and for library users. */
export type PeerEvent =
  | { readonly type: 'joined'; readonly peer: PeerSnapshot }
  | { readonly type: 'updated'; readonly peer: PeerSnapshot }
  | { readonly type: 'reconnected'; readonly peer: PeerSnapshot }
  | { readonly type: 'returned'; readonly peer: PeerSnapshot; readonly from: 'OFFLINE' | 'MISSING' }
  | { readonly type: 'left'; readonly peer: PeerSnapshot }
  | { readonly type: 'missing'; readonly peer: PeerSnapshot; readonly cause: MissingCause }
  | { readonly type: 'evicted'; readonly peer: PeerSnapshot }
  | { readonly type: 'moved'; readonly peer: PeerSnapshot; readonly from: string }
  | {
      readonly type: 'rejected';
      readonly name: string;
      readonly kind: EnvelopeKind;
      readonly reason: PeerRejectReason;
      readonly detail: string;
    };

export type PeerEventListener = (event: PeerEvent) => void;

/** The result of `ingest`. Never thrown for hostile input. */
export type IngestResult =
  | { readonly ok: true; readonly change: PeerChange; readonly peer: PeerSnapshot }
  | { readonly ok: false; readonly reason: PeerRejectReason; readonly detail: string };

/** A key the registry trusts for a name from the start. */
export interface KnownPeer {
  readonly name: string;
  /** 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
  /** The commitment to its next key (32 bytes, or 0 for no successor), when the operator knows it. */
  readonly commitment?: Uint8Array;
}

/** Counters and sizes, for metrics. */
export interface RegistryStats {
  readonly peers: number;
  readonly online: number;
  readonly offline: number;
  readonly missing: number;
  /** Seeded pins (some may have no peer record yet). */
  readonly seeded: number;
  readonly accepted: number;
  readonly rejected: Readonly<Record<PeerRejectReason, number>>;
  readonly evicted: number;
}

/** The whole registry as JSON for a status endpoint. */
export interface RegistrySnapshot {
  /** When it was taken (registry clock). */
  readonly at: number;
  readonly peers: readonly PeerSnapshot[];
  readonly stats: RegistryStats;
}
