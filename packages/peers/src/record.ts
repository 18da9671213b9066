/** What the registry keeps per peer, how a record is made, and what a snapshot of one shows. */
import type { EnvelopeKind, NewspaperStatus, VerifiedEnvelope } from '@nara/envelope';
import type { Scheduled } from './deadlines.js';
import { high32, low32, toHex } from './encoding.js';
import { type ChainState, commitmentText } from './succession.js';
import type { MissingCause, PeerChange, PeerEvent, PeerSnapshot, PeerState, PinSource } from './types.js';

export interface PeerRecord extends Scheduled, ChainState {
  readonly name: string;
  /** The pinned key, base64: what each message's key is compared with (one field, not a second copy). */
  publicKeyB64: string;
  /** Successions accepted for the name (the chain keeps the last few keys only). */
  successions: number;
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
    commitment: null,
    chain: [],
    successions: 0,
    deadline: Number.POSITIVE_INFINITY,
    heapIndex: -1,
  };
}

/**
 * The record after a succession moved its pin to `env`'s key: the peer keeps its record and its history;
 * its nara ID (derived from the soul) and its epochs start again with the new soul.
 */
export function startNewSoul(
  r: PeerRecord,
  env: VerifiedEnvelope,
  registry: {
    seeds: Map<string, Uint8Array>;
    seedCommitments: Map<string, Uint8Array>;
    retiredEpochs: number;
    maxSilenceMs: number;
  },
): void {
  // A seeded pin moves with the name: the operator pinned the name's chain, not one key of it.
  if (registry.seeds.has(r.name)) {
    registry.seeds.set(r.name, env.publicKey.slice());
    if (r.commitment !== null) registry.seedCommitments.set(r.name, r.commitment.slice());
  }
  r.successions += 1;
  r.naraId = env.naraId;
  r.wires |= PLAZA;
  enterEpoch(r, env, registry.retiredEpochs, registry.maxSilenceMs);
}

/**
 * The record enters `env`'s epoch, with `env` as its first word: the epoch left (if any) is remembered
 * among the last `retiredEpochs`, so that its messages stay refused.
 */
export function enterEpoch(
  r: PeerRecord,
  env: VerifiedEnvelope,
  retiredEpochs: number,
  maxSilenceMs: number,
): void {
  if (r.epoch !== '' && retiredEpochs > 0) {
    r.retired.push(r.epoch);
    if (r.retired.length > retiredEpochs) r.retired.shift();
  }
  r.epoch = toHex(env.epoch);
  r.epochHigh = high32(env.epoch);
  r.epochLow = low32(env.epoch);
  r.seq = env.seq;
  r.lastTime = env.time;
  r.closed = false;
  r.promiseMs = maxSilenceMs;
}

/** The event a change makes, or null (`refreshed`; a move is announced with the key it left). */
export function changeEvent(
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
    case 'moved':
      return null;
  }
}

/** What a plaza/1 message's body tells of its sender: its status and promise, or its mesh address. */
export function applyBody(r: PeerRecord, env: VerifiedEnvelope, maxSilenceMs: number): void {
  switch (env.kind) {
    case 'newspaper': {
      r.status = env.body.status;
      const promised = env.body.next - env.time;
      r.promiseMs = Math.min(Math.max(Number.isFinite(promised) ? promised : maxSilenceMs, 0), maxSilenceMs);
      break;
    }
    case 'hey-there':
      r.meshIp = env.body.meshIp ?? null;
      break;
    default:
      break;
  }
}

/**
 * A retained copy of what a registry already has (the same epoch at or below its floor, or an epoch it
 * has moved past) is old news, not a hostile replay: accepted as a no-op, counted as neither.
 */
export function alreadySeen(r: PeerRecord): { ok: true; change: 'refreshed'; peer: PeerSnapshot } {
  return { ok: true, change: 'refreshed', peer: snapshotOf(r) };
}

/** How many records are in each state. */
export function countStates(records: Iterable<PeerRecord>): {
  online: number;
  offline: number;
  missing: number;
} {
  let online = 0;
  let offline = 0;
  let missing = 0;
  for (const r of records) {
    if (r.state === 'ONLINE') online += 1;
    else if (r.state === 'OFFLINE') offline += 1;
    else missing += 1;
  }
  return { online, offline, missing };
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
    commitment: commitmentText(r.commitment),
    successions: r.successions,
    chain: r.chain.map((link) => ({ ...link })),
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
