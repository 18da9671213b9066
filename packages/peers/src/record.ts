/** What the registry keeps per peer, how a record is made, and what a snapshot of one shows. */
import type { EnvelopeKind, NewspaperStatus } from '@nara/envelope';
import type { Scheduled } from './deadlines.js';
import type { MissingCause, PeerChange, PeerEvent, PeerSnapshot, PeerState, PinSource } from './types.js';

export interface PeerRecord extends Scheduled {
  readonly name: string;
  /** The pinned key, base64: what each message's key is compared with (one field, not a second copy). */
  readonly publicKeyB64: string;
  pin: PinSource;
  /** The nara ID first heard; `''` until one is (a Go newspaper may come without). */
  naraId: string;
  /** Bit 1: heard on plaza/1; bit 2: heard on the Go wire. */
  wires: number;
  /** The `ts` (ns) of the last Go SyncEvent accepted: the next must be above it. */
  legacyTs: bigint;
  state: PeerState;
  missingCause: MissingCause | null;
  /** The status of the last accepted newspaper, or null. */
  status: NewspaperStatus | null;
  meshIp: string | null;
  readonly firstSeen: number;
  lastSeen: number;
  /** The current epoch, hex (encoded only when it changes). */
  epoch: string;
  /**
   * The current epoch's 8 bytes as two 32-bit integers, what each message's epoch is compared with: two
   * numbers in the record itself, where the hex string is one more object to fetch per message.
   */
  epochHigh: number;
  epochLow: number;
  seq: number;
  /** Sender time of the latest message accepted in the current epoch. */
  lastTime: number;
  /** The current epoch ended with a chau (left or will): nothing more is accepted in it. */
  closed: boolean;
  readonly retired: string[];
  /**
   * The smoothed clock offset; NaN until the first sample. A number field, never null: a field that holds
   * null and numbers keeps each new value in a heap box of its own (an allocation per message).
   */
  offset: number;
  /** The interval the peer last promised (next - time), or maxSilence before any promise in this epoch. */
  promiseMs: number;
  reconnects: number;
}

/** Bits of `wires`. */
export const PLAZA = 1;
export const LEGACY = 2;

/** Weight of a new clock-offset sample in the moving average. */
const OFFSET_SMOOTHING = 0.2;

/** Takes one clock-offset sample (our time minus the sender's) into the record's moving average. */
export function addOffsetSample(r: PeerRecord, sample: number): void {
  r.offset = Number.isNaN(r.offset) ? sample : r.offset + OFFSET_SMOOTHING * (sample - r.offset);
}

/** A record for a peer heard for the first time, ONLINE, before the message is applied to it. */
export function newRecord(
  name: string,
  publicKeyB64: string,
  pin: PinSource,
  naraId: string,
  wires: number,
  now: number,
  maxSilenceMs: number,
): PeerRecord {
  return {
    name,
    publicKeyB64,
    pin,
    naraId,
    wires,
    legacyTs: 0n,
    state: 'ONLINE',
    missingCause: null,
    status: null,
    meshIp: null,
    firstSeen: now,
    lastSeen: now,
    // A plaza/1 message sets the epoch; the Go wire has none.
    epoch: '',
    epochHigh: Number.NaN,
    epochLow: Number.NaN,
    seq: 0,
    lastTime: 0,
    closed: false,
    retired: [],
    offset: Number.NaN,
    promiseMs: maxSilenceMs,
    reconnects: 0,
    deadline: Number.POSITIVE_INFINITY,
    heapIndex: -1,
  };
}

/** What a snapshot shows of a record (JSON-serialisable, no secrets). */
export function snapshotOf(r: PeerRecord): PeerSnapshot {
  return {
    name: r.name,
    publicKey: r.publicKeyB64,
    pin: r.pin,
    naraId: r.naraId,
    wire: r.wires === PLAZA ? 'plaza' : r.wires === LEGACY ? 'legacy' : 'both',
    state: r.state,
    missingCause: r.missingCause,
    status: r.status,
    meshIp: r.meshIp,
    firstSeen: r.firstSeen,
    lastSeen: r.lastSeen,
    epoch: r.epoch,
    seq: r.seq,
    deadline: r.heapIndex >= 0 ? r.deadline : null,
    clockOffsetMs: Number.isNaN(r.offset) ? null : Math.round(r.offset),
    reconnects: r.reconnects,
  };
}

export function changeOf(
  previous: PeerState,
  r: PeerRecord,
  newEpoch: boolean,
  kind: EnvelopeKind,
): PeerChange {
  switch (r.state) {
    case 'ONLINE':
      if (previous !== 'ONLINE') return 'returned';
      if (newEpoch) return 'reconnected';
      return kind === 'newspaper' ? 'updated' : 'refreshed';
    case 'OFFLINE':
      return previous === 'OFFLINE' ? 'refreshed' : 'left';
    case 'MISSING':
      return previous === 'MISSING' ? 'refreshed' : 'missing';
  }
}

/** The event an accepted message's change makes, or null (a refresh says nothing). */
export function eventOf(
  change: PeerChange,
  previous: PeerState | undefined,
  peer: PeerSnapshot,
): PeerEvent | null {
  switch (change) {
    case 'returned':
      return { type: 'returned', peer, from: previous === 'OFFLINE' ? 'OFFLINE' : 'MISSING' };
    case 'missing':
      return { type: 'missing', peer, cause: peer.missingCause ?? 'will' };
    case 'updated':
    case 'reconnected':
    case 'left':
    case 'joined':
      return { type: change, peer };
    case 'refreshed':
      return null;
  }
}
