import type { EnvelopeKind, NewspaperStatus, VerifiedEnvelope } from '@nara/envelope';
import { type Clock, type Logger, silentLogger, systemClock, type TimerHandle } from './components.js';
import { DeadlineHeap, type Scheduled } from './deadlines.js';
import { bytesEqual, high32, low32, toBase64, toHex } from './encoding.js';
import { RegistryClosedError } from './errors.js';
import {
  type ChainState,
  checkCommitment,
  commitmentText,
  isRetiredKey,
  judgeSuccession,
} from './succession.js';
import {
  type IngestResult,
  type KnownPeer,
  type LegacyIngest,
  type MissingCause,
  PEER_REJECT_REASONS,
  type PeerChange,
  type PeerEvent,
  type PeerEventListener,
  type PeerRejectReason,
  type PeerSnapshot,
  type PeerState,
  type PinSource,
  type RegistrySnapshot,
  type RegistryStats,
} from './types.js';

/** User configuration of a {@link PeerRegistry}. All durations in milliseconds. */
export interface PeerRegistryOptions {
  /** The most peers kept. Default 10,000. See the eviction rule in the README. */
  maxPeers?: number;
  /** Added to a peer's promised interval before it counts as MISSING. Default 10,000 (10 s). */
  graceMs?: number;
  /** The longest silence before MISSING, whatever the peer promised: the seed's 5 minutes. Default 300,000. */
  maxSilenceMs?: number;
  /** Messages whose sender time is further ahead of ours are rejected (`from-future`). Default 30,000. */
  maxFutureMs?: number;
  /** Messages whose sender time is further behind ours are rejected (`too-old`), wills excepted. Default 60,000. */
  maxAgeMs?: number;
  /** Past epochs remembered per peer, so that their messages stay rejected. Default 4. */
  retiredEpochs?: number;
  /** Keys trusted from the start ("seeded" pins), which first use can never override. */
  known?: Iterable<KnownPeer>;
}

/** Injected components: only the app or a test wires these. */
export interface PeerRegistryComponents {
  clock?: Clock;
  logger?: Logger;
}

/** The peer registry. See {@link createPeerRegistry}. */
export interface PeerRegistry {
  /**
   * Applies one verified envelope. Returns what changed, or a rejection with a reason; never throws for
   * hostile input (a rejection also emits a `rejected` event and counts in `stats()`).
   *
   * @throws {TypeError} when `envelope` is not an envelope object; {@link RegistryClosedError} after `close()`.
   */
  ingest(envelope: VerifiedEnvelope): IngestResult;
  /**
   * Applies one verified message of the Go nara's wire (see `@nara/legacy`), under the same pins as plaza/1:
   * a name pinned on either wire keeps its key (`key-mismatch`), the same key on both is one peer. A
   * SyncEvent's `ts` must be in the time window and above the last one accepted from the peer (`replay`); a
   * newspaper cannot bring back a peer whose chau was heard (`replay`: only a hey_there can). MISSING after
   * `silenceMs` of silence (Go's rule), OFFLINE on a chau.
   */
  ingestLegacy(message: LegacyIngest): IngestResult;
  /** One peer, or undefined. */
  get(name: string): PeerSnapshot | undefined;
  has(name: string): boolean;
  /** Every peer, in the order first heard. */
  list(): PeerSnapshot[];
  /** Everything, JSON-serialisable, without secrets. */
  snapshot(): RegistrySnapshot;
  stats(): RegistryStats;
  /**
   * Trusts `publicKey` for `name` from now on (a seeded pin). A first-use pin of another key for that name
   * is dropped with its peer record (an `evicted` event): the operator's word beats first use. With
   * `commitment` (32 bytes, or empty for no successor), the key's commitment to its next key is pinned too.
   */
  pin(name: string, publicKey: Uint8Array, commitment?: Uint8Array): void;
  /** Forgets a peer: its record and any pin, so the next key heard for the name is pinned on first use. */
  delete(name: string): boolean;
  /**
   * Marks MISSING every ONLINE peer whose deadline has passed, and returns how many. The registry calls it
   * from its own timer; call it yourself when driving time by hand.
   */
  tick(): number;
  /**
   * Stops judging silence: call it when our own connection drops, since a nara that hears nothing cannot
   * tell who went quiet. Idempotent.
   */
  pause(): void;
  /**
   * Judges silence again, once reconnected. Every ONLINE peer gets at least `maxSilenceMs` from now: the
   * newspapers sent while we were away, and the promises in them, were lost to us. Idempotent.
   */
  resume(): void;
  /** Whether silence judgement is paused. */
  readonly paused: boolean;
  /** Listens to events; returns a function that stops listening. */
  on(listener: PeerEventListener): () => void;
  /** Stops the timer and drops listeners. Reading still works; `ingest` and `pin` throw. Idempotent. */
  close(): void;
  /** How many peers are kept. */
  readonly size: number;
}

interface PeerRecord extends Scheduled, ChainState {
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

const PLAZA = 1;
const LEGACY = 2;

const DEFAULTS = {
  maxPeers: 10_000,
  graceMs: 10_000,
  maxSilenceMs: 300_000,
  maxFutureMs: 30_000,
  maxAgeMs: 60_000,
  retiredEpochs: 4,
} as const;

/** Weight of a new clock-offset sample in the moving average. */
const OFFSET_SMOOTHING = 0.2;

type Rejected = { readonly ok: false; readonly reason: PeerRejectReason; readonly detail: string };

function checkCount(value: number | undefined, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new TypeError(`options.${name} must be an integer of at least ${min}`);
  }
  return value;
}

function checkPublicKey(publicKey: unknown, argument: string): Uint8Array {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    throw new TypeError(`${argument} must be a 32-byte Uint8Array`);
  }
  return publicKey.slice();
}

function checkCommitmentBytes(commitment: unknown, argument: string): Uint8Array {
  if (!(commitment instanceof Uint8Array) || (commitment.length !== 0 && commitment.length !== 32)) {
    throw new TypeError(`${argument} must be a 32-byte Uint8Array, or empty (no successor)`);
  }
  return commitment.slice();
}

function checkName(name: unknown, argument: string): string {
  if (typeof name !== 'string' || name.length === 0)
    throw new TypeError(`${argument} must be a non-empty string`);
  return name;
}

/**
 * Creates the peer registry of a nara: it ingests only verified envelopes and keeps, per peer, the pinned
 * key (trust on first use, or seeded), the nara ID, the presence state, the last status, first and last
 * seen, the epoch and its sequence floor, and the measured clock offset. Bounded in peers and per peer.
 *
 * @example
 * ```ts
 * import { createPeerRegistry } from '@nara/peers';
 *
 * const registry = createPeerRegistry({ maxPeers: 1000 });
 * const off = registry.on((event) => console.log(event.type));
 * // for each message: const r = verifier.verify(topic, bytes); if (r.ok) registry.ingest(r.envelope);
 * console.log(registry.snapshot().peers.length); // 0
 * off();
 * registry.close();
 * ```
 */
export function createPeerRegistry(
  options: PeerRegistryOptions = {},
  components: PeerRegistryComponents = {},
): PeerRegistry {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  const maxPeers = checkCount(options.maxPeers, 'maxPeers', DEFAULTS.maxPeers, 1);
  const graceMs = checkCount(options.graceMs, 'graceMs', DEFAULTS.graceMs, 0);
  const maxSilenceMs = checkCount(options.maxSilenceMs, 'maxSilenceMs', DEFAULTS.maxSilenceMs, 1);
  const maxFutureMs = checkCount(options.maxFutureMs, 'maxFutureMs', DEFAULTS.maxFutureMs, 0);
  const maxAgeMs = checkCount(options.maxAgeMs, 'maxAgeMs', DEFAULTS.maxAgeMs, 0);
  const retiredEpochs = checkCount(options.retiredEpochs, 'retiredEpochs', DEFAULTS.retiredEpochs, 0);
  const clock = components.clock ?? systemClock;
  const logger = components.logger ?? silentLogger;
  // With the silent logger, the per-message debug lines are not even built (a string and an object each).
  const quiet = logger === silentLogger;
  if (
    typeof clock?.now !== 'function' ||
    typeof clock.setTimeout !== 'function' ||
    typeof clock.clearTimeout !== 'function'
  ) {
    throw new TypeError('components.clock must have now, setTimeout and clearTimeout');
  }

  const peers = new Map<string, PeerRecord>();
  const seeds = new Map<string, Uint8Array>();
  const seedCommitments = new Map<string, Uint8Array>();
  // Unseeded peers that are OFFLINE or MISSING, oldest departure first: the eviction order.
  const departed = new Map<string, PeerRecord>();
  const deadlines = new DeadlineHeap<PeerRecord>();
  const listeners = new Set<PeerEventListener>();
  const rejected = Object.fromEntries(PEER_REJECT_REASONS.map((r) => [r, 0])) as Record<
    PeerRejectReason,
    number
  >;
  let accepted = 0;
  let evicted = 0;
  let timer: TimerHandle | undefined;
  let armedAt: number | undefined;
  let closed = false;
  let paused = false;

  if (options.known !== undefined) {
    if (typeof (options.known as Iterable<KnownPeer>)[Symbol.iterator] !== 'function') {
      throw new TypeError('options.known must be an iterable of { name, publicKey }');
    }
    for (const known of options.known) {
      const name = checkName(known?.name, 'options.known[].name');
      seeds.set(name, checkPublicKey(known.publicKey, 'options.known[].publicKey'));
      if (known.commitment !== undefined)
        seedCommitments.set(name, checkCommitmentBytes(known.commitment, 'options.known[].commitment'));
    }
  }

  function emit(event: PeerEvent): void {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        logger.error('peer registry listener threw', {
          event: event.type,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        });
      }
    }
  }

  function view(r: PeerRecord): PeerSnapshot {
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

  function reject(name: string, kind: EnvelopeKind, reason: PeerRejectReason, detail: string): Rejected {
    rejected[reason] += 1;
    if (!quiet) logger.debug('peer registry rejected an envelope', { name, kind, reason });
    if (listeners.size > 0) emit({ type: 'rejected', name, kind, reason, detail });
    return { ok: false, reason, detail };
  }

  /** Keeps the one timer on the earliest deadline, or off while paused or closed. */
  function arm(): void {
    const next = closed || paused ? undefined : deadlines.peek()?.deadline;
    if (next === armedAt) return;
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    armedAt = next;
    if (next === undefined) return;
    timer = clock.setTimeout(
      () => {
        timer = undefined;
        armedAt = undefined;
        tick();
      },
      Math.max(0, next - clock.now()),
    );
  }

  function schedule(r: PeerRecord, now: number): void {
    r.deadline = now + Math.min(r.promiseMs + graceMs, maxSilenceMs);
    deadlines.update(r);
  }

  function unschedule(r: PeerRecord): void {
    deadlines.remove(r);
    r.deadline = Number.POSITIVE_INFINITY;
  }

  /** Keeps `departed` in step with a record's state after a change. */
  function track(r: PeerRecord, previous: PeerState | undefined): void {
    if (r.state === 'ONLINE' || r.pin === 'seed') {
      // A peer that was ONLINE is not in `departed` (it leaves it on the way to ONLINE, and pins take seeded
      // peers out): the common update, ONLINE to ONLINE, skips a Map lookup by name.
      if (previous !== 'ONLINE') departed.delete(r.name);
    } else if (previous === 'ONLINE' || previous === undefined) {
      departed.delete(r.name);
      departed.set(r.name, r);
    }
  }

  function drop(r: PeerRecord): void {
    unschedule(r);
    peers.delete(r.name);
    departed.delete(r.name);
  }

  function evictOne(): boolean {
    const oldest = departed.values().next();
    if (oldest.done) return false;
    const r = oldest.value;
    drop(r);
    evicted += 1;
    logger.debug('peer registry evicted a peer', { name: r.name, state: r.state });
    emit({ type: 'evicted', peer: view(r) });
    return true;
  }

  /** The time window: sender time against ours. Wills skip the age check: they are signed at connect. */
  function checkTime(env: VerifiedEnvelope, now: number, isWill: boolean): Rejected | null {
    if (env.time - now > maxFutureMs) {
      return reject(env.name, env.kind, 'from-future', `sender time ${env.time - now} ms ahead of ours`);
    }
    if (!isWill && now - env.time > maxAgeMs) {
      return reject(env.name, env.kind, 'too-old', `sender time ${now - env.time} ms behind ours`);
    }
    return null;
  }

  /** Applies a message that speaks for a live peer (anything but a will): floor, offset, body, deadline. */
  function hear(r: PeerRecord, env: VerifiedEnvelope, now: number): void {
    r.seq = env.seq;
    if (env.time > r.lastTime) r.lastTime = env.time;
    r.lastSeen = now;
    const sample = now - env.time;
    r.offset = Number.isNaN(r.offset) ? sample : r.offset + OFFSET_SMOOTHING * (sample - r.offset);
    switch (env.kind) {
      case 'newspaper': {
        r.status = env.body.status;
        const promised = env.body.next - env.time;
        r.promiseMs = Math.min(
          Math.max(Number.isFinite(promised) ? promised : maxSilenceMs, 0),
          maxSilenceMs,
        );
        break;
      }
      case 'hey-there':
        r.meshIp = env.body.meshIp ?? null;
        break;
      default:
        break;
    }
    if (env.kind === 'chau') {
      // A 'left' chau: wills never come through here.
      r.closed = true;
      r.state = 'OFFLINE';
      r.missingCause = null;
      unschedule(r);
    } else {
      r.state = 'ONLINE';
      r.missingCause = null;
      schedule(r, now);
    }
  }

  function applyWill(r: PeerRecord): void {
    r.closed = true;
    r.state = 'MISSING';
    r.missingCause = 'will';
    unschedule(r);
  }

  function changeOf(previous: PeerState, r: PeerRecord, newEpoch: boolean, kind: EnvelopeKind): PeerChange {
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

  function announce(change: PeerChange, previous: PeerState | undefined, peer: PeerSnapshot): void {
    if (listeners.size === 0) return;
    switch (change) {
      case 'returned':
        emit({ type: 'returned', peer, from: previous === 'OFFLINE' ? 'OFFLINE' : 'MISSING' });
        break;
      case 'missing':
        emit({ type: 'missing', peer, cause: 'will' });
        break;
      case 'updated':
      case 'reconnected':
      case 'left':
      case 'joined':
        emit({ type: change, peer });
        break;
      case 'refreshed':
      case 'moved':
        // A move is announced by `move`, with the key it left.
        break;
    }
  }

  function ingestNew(env: VerifiedEnvelope, now: number): IngestResult {
    const seeded = seeds.get(env.name);
    if (seeded !== undefined && !bytesEqual(seeded, env.publicKey)) {
      return reject(env.name, env.kind, 'key-mismatch', 'the key differs from the seeded pin for this name');
    }
    if (env.kind === 'chau') {
      return reject(env.name, env.kind, 'unknown-peer', 'a chau from a name this registry does not know');
    }
    const late = checkTime(env, now, false);
    if (late !== null) return late;
    const seededCommitment = seedCommitments.get(env.name);
    if (
      seededCommitment !== undefined &&
      (env.commitment === undefined || !bytesEqual(env.commitment, seededCommitment))
    ) {
      return reject(env.name, env.kind, 'commitment-mismatch', 'the commitment differs from the seeded pin');
    }
    if (peers.size >= maxPeers && !evictOne()) {
      return reject(env.name, env.kind, 'capacity', `${maxPeers} peers kept and none may be evicted`);
    }
    const publicKey = env.publicKey;
    const r: PeerRecord = {
      name: env.name,
      publicKeyB64: toBase64(publicKey),
      pin: seeded !== undefined ? 'seed' : 'first-use',
      naraId: env.naraId,
      wires: PLAZA,
      legacyTs: 0n,
      state: 'ONLINE',
      missingCause: null,
      status: null,
      meshIp: null,
      firstSeen: now,
      lastSeen: now,
      epoch: toHex(env.epoch),
      epochHigh: high32(env.epoch),
      epochLow: low32(env.epoch),
      seq: env.seq,
      lastTime: env.time,
      closed: false,
      retired: [],
      offset: Number.NaN,
      promiseMs: maxSilenceMs,
      reconnects: 0,
      commitment: env.commitment?.slice() ?? null,
      chain: [],
      successions: 0,
      deadline: Number.POSITIVE_INFINITY,
      heapIndex: -1,
    };
    peers.set(r.name, r);
    hear(r, env, now);
    return settle(r, undefined, 'joined');
  }

  /** The end of every accepted message: bookkeeping, the timer, the snapshot, the line and the event. */
  function settle(r: PeerRecord, previous: PeerState | undefined, change: PeerChange): IngestResult {
    track(r, previous);
    accepted += 1;
    arm();
    const peer = view(r);
    if (change !== 'refreshed' && !quiet) logger.debug(`peer ${change}`, { name: r.name });
    announce(change, previous, peer);
    return { ok: true, change, peer };
  }

  function ingest(env: VerifiedEnvelope): IngestResult {
    if (closed) throw new RegistryClosedError();
    if (
      env === null ||
      typeof env !== 'object' ||
      typeof env.name !== 'string' ||
      typeof env.kind !== 'string' ||
      !(env.publicKey instanceof Uint8Array) ||
      !(env.epoch instanceof Uint8Array) ||
      env.epoch.length !== 8
    ) {
      throw new TypeError('envelope must be a VerifiedEnvelope');
    }
    const now = clock.now();
    const r = peers.get(env.name);
    if (r === undefined) return ingestNew(env, now);

    if (env.kind === 'succession') {
      const from = r.publicKeyB64;
      const late = checkTime(env, now, false);
      if (late !== null) return late;
      const verdict = judgeSuccession(r, env, now);
      if (verdict === 'moved') return move(r, env, from, now);
      if (verdict !== null) return reject(env.name, env.kind, verdict.reason, verdict.detail);
    }
    const key = toBase64(env.publicKey);
    if (key !== r.publicKeyB64) {
      if (isRetiredKey(r, key))
        return reject(env.name, env.kind, 'key-retired', 'a key this name moved away from by a succession');
      return reject(
        env.name,
        env.kind,
        'key-mismatch',
        `the key differs from the ${r.pin} pin for this name`,
      );
    }
    const wrong = checkCommitment(r, env.commitment);
    if (wrong !== null) return reject(env.name, env.kind, wrong.reason, wrong.detail);
    if (r.naraId !== env.naraId) {
      if (r.naraId !== '')
        return reject(env.name, env.kind, 'id-mismatch', 'the nara ID differs from the one first heard');
      r.naraId = env.naraId;
    }
    r.wires |= PLAZA;
    const isWill = env.kind === 'chau' && env.body.reason === 'lost';
    const late = checkTime(env, now, isWill);
    if (late !== null) return late;

    const previous = r.state;
    const e = env.epoch;
    const newEpoch = high32(e) !== r.epochHigh || low32(e) !== r.epochLow;
    if (!newEpoch) {
      if (isWill) {
        // Signed at connect, so its seq is below everything since: bound to the epoch, applied at most once.
        if (r.closed) return reject(env.name, env.kind, 'stale-will', 'the epoch of this will already ended');
        applyWill(r);
      } else {
        if (r.closed) return reject(env.name, env.kind, 'stale-epoch', 'this epoch ended with a chau');
        if (env.seq <= r.seq) {
          return reject(env.name, env.kind, 'replay', `seq ${env.seq} is not above the floor ${r.seq}`);
        }
        hear(r, env, now);
      }
    } else {
      const stale = isWill ? 'stale-will' : 'stale-epoch';
      const epoch = toHex(env.epoch);
      if (r.retired.includes(epoch))
        return reject(env.name, env.kind, stale, 'an epoch this peer left behind');
      // "Newer" is judged in the sender's own time, so skew between us does not matter. A peer that is no
      // longer ONLINE may come back with its clock behind; wills skip the age check, so they never may.
      if (env.time <= r.lastTime && (previous === 'ONLINE' || isWill)) {
        return reject(env.name, env.kind, stale, 'an epoch not newer than the current one');
      }
      if (retiredEpochs > 0) {
        r.retired.push(r.epoch);
        if (r.retired.length > retiredEpochs) r.retired.shift();
      }
      r.epoch = epoch;
      r.epochHigh = high32(env.epoch);
      r.epochLow = low32(env.epoch);
      r.seq = env.seq;
      r.lastTime = env.time;
      r.closed = false;
      r.promiseMs = maxSilenceMs;
      r.reconnects += 1;
      if (isWill) applyWill(r);
      else hear(r, env, now);
    }
    return settle(r, previous, changeOf(previous, r, newEpoch, env.kind));
  }

  /**
   * The pin moved to the succession's key (judgeSuccession did that): the peer keeps its record and its
   * history; its nara ID (derived from the soul) and its epochs start again with the new soul.
   */
  function move(r: PeerRecord, env: VerifiedEnvelope, from: string, now: number): IngestResult {
    const previous = r.state;
    r.successions += 1;
    if (seeds.has(r.name)) seeds.set(r.name, env.publicKey.slice());
    if (seedCommitments.has(r.name)) seedCommitments.set(r.name, r.commitment!.slice());
    r.naraId = env.naraId;
    r.wires |= PLAZA;
    if (r.epoch !== '') r.retired.push(r.epoch);
    if (r.retired.length > retiredEpochs) r.retired.shift();
    r.epoch = toHex(env.epoch);
    r.epochHigh = high32(env.epoch);
    r.epochLow = low32(env.epoch);
    r.lastTime = env.time;
    r.closed = false;
    r.promiseMs = maxSilenceMs;
    hear(r, env, now);
    if (!quiet) logger.info('a peer moved to its next key', { name: r.name });
    const result = settle(r, previous, 'moved');
    if (result.ok && listeners.size > 0) emit({ type: 'moved', peer: result.peer, from });
    return result;
  }

  /** Applies a Go-wire message to a record: presence by Go's rule (no promise), its status or mesh address. */
  function hearLegacy(r: PeerRecord, m: LegacyIngest, time: number | undefined, now: number): void {
    r.wires |= LEGACY;
    r.lastSeen = now;
    if (m.ts !== undefined) r.legacyTs = m.ts;
    // lastTime stays plaza/1's (its epochs are judged by it); a Go time only feeds the clock offset.
    if (time !== undefined) {
      const sample = now - time;
      r.offset = Number.isNaN(r.offset) ? sample : r.offset + OFFSET_SMOOTHING * (sample - r.offset);
    }
    const silence = m.silenceMs ?? maxSilenceMs;
    if (m.kind === 'newspaper' && m.status !== undefined) r.status = m.status;
    if (m.kind === 'hey-there') r.meshIp = m.meshIp ? m.meshIp : null;
    r.missingCause = null;
    if (m.kind === 'chau') {
      r.state = 'OFFLINE';
      unschedule(r);
    } else {
      r.state = 'ONLINE';
      r.deadline = now + silence;
      deadlines.update(r);
    }
  }

  function ingestLegacy(m: LegacyIngest): IngestResult {
    if (closed) throw new RegistryClosedError();
    if (
      m === null ||
      typeof m !== 'object' ||
      typeof m.name !== 'string' ||
      !(m.publicKey instanceof Uint8Array) ||
      m.publicKey.length !== 32 ||
      typeof m.naraId !== 'string'
    ) {
      throw new TypeError('message must be a LegacyIngest');
    }
    const now = clock.now();
    const time = m.ts === undefined ? undefined : Number(m.ts / 1_000_000n);
    const r = peers.get(m.name);
    const late =
      time === undefined
        ? null
        : time - now > maxFutureMs
          ? reject(m.name, m.kind, 'from-future', `sender time ${time - now} ms ahead of ours`)
          : now - time > maxAgeMs
            ? reject(m.name, m.kind, 'too-old', `sender time ${now - time} ms behind ours`)
            : null;
    if (r === undefined) {
      const seeded = seeds.get(m.name);
      if (seeded !== undefined && !bytesEqual(seeded, m.publicKey))
        return reject(m.name, m.kind, 'key-mismatch', 'the key differs from the seeded pin for this name');
      if (m.kind === 'chau')
        return reject(m.name, m.kind, 'unknown-peer', 'a chau from a name this registry does not know');
      if (late !== null) return late;
      if (peers.size >= maxPeers && !evictOne())
        return reject(m.name, m.kind, 'capacity', `${maxPeers} peers kept and none may be evicted`);
      const k = m.publicKey;
      const fresh: PeerRecord = {
        name: m.name,
        publicKeyB64: toBase64(k),
        pin: seeded !== undefined ? 'seed' : 'first-use',
        naraId: m.naraId,
        wires: LEGACY,
        legacyTs: 0n,
        state: 'ONLINE',
        missingCause: null,
        status: null,
        meshIp: null,
        firstSeen: now,
        lastSeen: now,
        // No epoch on the Go wire: a plaza/1 message later starts the first one.
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
        commitment: seedCommitments.get(m.name) ?? null,
        chain: [],
        successions: 0,
        deadline: Number.POSITIVE_INFINITY,
        heapIndex: -1,
      };
      peers.set(fresh.name, fresh);
      hearLegacy(fresh, m, time, now);
      return settle(fresh, undefined, 'joined');
    }
    if (toBase64(m.publicKey) !== r.publicKeyB64)
      return reject(m.name, m.kind, 'key-mismatch', `the key differs from the ${r.pin} pin for this name`);
    if (m.naraId !== '' && r.naraId !== '' && m.naraId !== r.naraId)
      return reject(m.name, m.kind, 'id-mismatch', 'the nara ID differs from the one first heard');
    if (late !== null) return late;
    if (m.ts !== undefined && m.ts <= r.legacyTs)
      return reject(m.name, m.kind, 'replay', 'ts is not above the last one accepted from this peer');
    if (m.kind === 'newspaper' && r.state === 'OFFLINE')
      return reject(m.name, m.kind, 'replay', 'a newspaper does not bring back a peer that said chau');
    if (r.naraId === '') r.naraId = m.naraId;
    const previous = r.state;
    hearLegacy(r, m, time, now);
    return settle(r, previous, changeOf(previous, r, false, m.kind));
  }

  function tick(): number {
    if (closed || paused) return 0;
    const now = clock.now();
    let count = 0;
    for (let top = deadlines.peek(); top !== undefined && top.deadline <= now; top = deadlines.peek()) {
      unschedule(top);
      top.state = 'MISSING';
      top.missingCause = 'silence';
      track(top, 'ONLINE');
      count += 1;
      logger.debug('peer missing', { name: top.name, cause: 'silence' });
      emit({ type: 'missing', peer: view(top), cause: 'silence' });
    }
    arm();
    return count;
  }

  function stats(): RegistryStats {
    let online = 0;
    let offline = 0;
    let missing = 0;
    for (const r of peers.values()) {
      if (r.state === 'ONLINE') online += 1;
      else if (r.state === 'OFFLINE') offline += 1;
      else missing += 1;
    }
    return {
      peers: peers.size,
      online,
      offline,
      missing,
      seeded: seeds.size,
      accepted,
      rejected: { ...rejected },
      evicted,
    };
  }

  return {
    ingest,
    ingestLegacy,
    tick,
    stats,
    get(name) {
      const r = peers.get(name);
      return r === undefined ? undefined : view(r);
    },
    has(name) {
      return peers.has(name);
    },
    list() {
      return [...peers.values()].map(view);
    },
    snapshot() {
      return { at: clock.now(), peers: [...peers.values()].map(view), stats: stats() };
    },
    pin(name, publicKey, commitment) {
      if (closed) throw new RegistryClosedError();
      checkName(name, 'name');
      const key = checkPublicKey(publicKey, 'publicKey');
      const pinned = commitment === undefined ? undefined : checkCommitmentBytes(commitment, 'commitment');
      seeds.set(name, key);
      if (pinned !== undefined) seedCommitments.set(name, pinned);
      else seedCommitments.delete(name);
      const r = peers.get(name);
      if (r === undefined) return;
      if (toBase64(key) === r.publicKeyB64) {
        r.pin = 'seed';
        if (pinned !== undefined) r.commitment = pinned.slice();
        departed.delete(name);
        return;
      }
      logger.warn('a seeded pin replaced the first-use key of a peer', { name });
      drop(r);
      arm();
      evicted += 1;
      emit({ type: 'evicted', peer: view(r) });
    },
    delete(name) {
      const hadSeed = seeds.delete(name);
      seedCommitments.delete(name);
      const r = peers.get(name);
      if (r === undefined) return hadSeed;
      drop(r);
      arm();
      return true;
    },
    pause() {
      if (paused || closed) return;
      paused = true;
      arm();
      logger.debug('peer registry paused silence judgement');
    },
    resume() {
      if (!paused || closed) return;
      paused = false;
      const floor = clock.now() + maxSilenceMs;
      for (const r of peers.values()) {
        if (r.heapIndex >= 0 && r.deadline < floor) {
          r.deadline = floor;
          deadlines.update(r);
        }
      }
      logger.debug('peer registry resumed silence judgement');
      arm();
    },
    get paused() {
      return paused;
    },
    on(listener) {
      if (typeof listener !== 'function') throw new TypeError('listener must be a function');
      if (closed) return () => {};
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    close() {
      if (closed) return;
      closed = true;
      arm();
      listeners.clear();
    },
    get size() {
      return peers.size;
    },
  };
}
