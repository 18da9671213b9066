import type { EnvelopeKind, VerifiedEnvelope } from '@nara/envelope';
import { silentLogger, systemClock, type TimerHandle } from '@nara/interface';
import { DeadlineHeap } from './deadlines.js';
import { bytesEqual, high32, low32, toBase64, toHex } from './encoding.js';
import { RegistryClosedError } from './errors.js';
import { ingestLegacy as applyLegacy, type LegacyContext } from './legacy-ingest.js';
import * as check from './options.js';
import {
  addOffsetSample,
  alreadySeen,
  applyBody,
  changeEvent,
  changeOf,
  countStates,
  enterEpoch,
  newRecord,
  type PeerRecord,
  PLAZA,
  snapshotOf,
  startNewSoul,
} from './record.js';
import type { PeerRegistry, PeerRegistryComponents, PeerRegistryOptions } from './registry-api.js';
import { checkCommitment, isRetiredKey, judgeSuccession, sameCommitment } from './succession.js';
import {
  type IngestOptions,
  type IngestResult,
  PEER_REJECT_REASONS,
  type PeerChange,
  type PeerEvent,
  type PeerEventListener,
  type PeerRejectReason,
  type PeerSnapshot,
  type PeerState,
  type RegistryStats,
} from './types.js';

type Rejected = { readonly ok: false; readonly reason: PeerRejectReason; readonly detail: string };

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
  const maxPeers = check.checkCount(options.maxPeers, 'maxPeers', check.DEFAULTS.maxPeers, 1);
  const graceMs = check.checkCount(options.graceMs, 'graceMs', check.DEFAULTS.graceMs, 0);
  const maxSilenceMs = check.checkCount(options.maxSilenceMs, 'maxSilenceMs', check.DEFAULTS.maxSilenceMs, 1);
  const maxFutureMs = check.checkCount(options.maxFutureMs, 'maxFutureMs', check.DEFAULTS.maxFutureMs, 0);
  const maxAgeMs = check.checkCount(options.maxAgeMs, 'maxAgeMs', check.DEFAULTS.maxAgeMs, 0);
  const retiredEpochs = check.checkCount(
    options.retiredEpochs,
    'retiredEpochs',
    check.DEFAULTS.retiredEpochs,
    0,
  );
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
  const { seeds, seedCommitments } = check.readKnown(options.known);
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
    emit({ type: 'evicted', peer: snapshotOf(r) });
    return true;
  }

  /** The time window: sender time against ours. Wills skip the age check: they are signed at connect. */
  function checkTime(env: VerifiedEnvelope, now: number, isWill: boolean): Rejected | null {
    if (env.time - now > maxFutureMs) {
      return reject(env.name, env.kind, 'from-future', `sender time ${env.time - now} ms ahead of ours`);
    }
    // A retained copy is old by nature: it is judged by its promise instead (see hear).
    if (!isWill && !retained && now - env.time > maxAgeMs) {
      return reject(env.name, env.kind, 'too-old', `sender time ${now - env.time} ms behind ours`);
    }
    return null;
  }

  /** Applies a message that speaks for a live peer (anything but a will): floor, offset, body, deadline. */
  function hear(r: PeerRecord, env: VerifiedEnvelope, now: number): void {
    r.seq = env.seq;
    if (env.time > r.lastTime) r.lastTime = env.time;
    // A retained copy was said when it was sent, not now; its age is no sample of the clock offset.
    const heardAt = retained ? Math.min(now, env.time) : now;
    r.lastSeen = heardAt;
    if (!retained) addOffsetSample(r, now - env.time);
    applyBody(r, env, maxSilenceMs);
    if (env.kind === 'chau') {
      // A 'left' chau: wills never come through here.
      r.closed = true;
      r.state = 'OFFLINE';
      r.missingCause = null;
      unschedule(r);
    } else {
      r.state = 'ONLINE';
      r.missingCause = null;
      schedule(r, heardAt);
      // A retained newspaper whose promise ran out long ago: its nara is gone without a word.
      if (retained && r.deadline <= now) {
        unschedule(r);
        r.state = 'MISSING';
        r.missingCause = 'silence';
      }
    }
  }

  function applyWill(r: PeerRecord): void {
    r.closed = true;
    r.state = 'MISSING';
    r.missingCause = 'will';
    unschedule(r);
  }

  function announce(change: PeerChange, previous: PeerState | undefined, peer: PeerSnapshot): void {
    if (listeners.size === 0) return;
    const event = changeEvent(change, previous, peer);
    if (event !== null) emit(event);
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
    const seededNext = seedCommitments.get(env.name);
    if (seededNext !== undefined && !sameCommitment(env.commitment, seededNext))
      return reject(env.name, env.kind, 'commitment-mismatch', 'the commitment differs from the seeded pin');
    if (peers.size >= maxPeers && !evictOne()) {
      return reject(env.name, env.kind, 'capacity', `${maxPeers} peers kept and none may be evicted`);
    }
    const pin = seeded !== undefined ? 'seed' : 'first-use';
    const r = newRecord(env.name, toBase64(env.publicKey), pin, env.naraId, PLAZA, now, maxSilenceMs);
    enterEpoch(r, env, 0, maxSilenceMs);
    r.commitment = env.commitment?.slice() ?? null;
    peers.set(r.name, r);
    hear(r, env, now);
    return settle(r, undefined, r.state === 'MISSING' ? 'missing' : 'joined');
  }

  /** The end of every accepted message: bookkeeping, the timer, the snapshot, the line and the event. */
  function settle(r: PeerRecord, previous: PeerState | undefined, change: PeerChange): IngestResult {
    track(r, previous);
    accepted += 1;
    arm();
    const peer = snapshotOf(r);
    if (change !== 'refreshed' && !quiet) logger.debug(`peer ${change}`, { name: r.name });
    announce(change, previous, peer);
    return { ok: true, change, peer };
  }

  /** Whether the message being ingested is a retained copy (set for the span of one ingest). */
  let retained = false;

  function ingest(env: VerifiedEnvelope, options?: IngestOptions): IngestResult {
    retained = options?.retained === true;
    try {
      return ingestOne(env);
    } finally {
      retained = false;
    }
  }

  function ingestOne(env: VerifiedEnvelope): IngestResult {
    if (closed) throw new RegistryClosedError();
    check.checkEnvelope(env);
    const now = clock.now();
    const r = peers.get(env.name);
    if (r === undefined) return ingestNew(env, now);

    if (env.kind === 'succession') {
      const late = checkTime(env, now, false);
      if (late !== null) return late;
      const verdict = judgeSuccession(r, env, now);
      if (verdict === 'moved') return move(r, env, now);
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
        if (retained && (r.closed || env.seq <= r.seq)) return alreadySeen(r);
        if (r.closed) return reject(env.name, env.kind, 'stale-epoch', 'this epoch ended with a chau');
        if (env.seq <= r.seq) {
          return reject(env.name, env.kind, 'replay', `seq ${env.seq} is not above the floor ${r.seq}`);
        }
        hear(r, env, now);
      }
    } else {
      const stale = isWill ? 'stale-will' : 'stale-epoch';
      const epoch = toHex(env.epoch);
      if (retained && (r.retired.includes(epoch) || env.time <= r.lastTime)) return alreadySeen(r);
      if (r.retired.includes(epoch))
        return reject(env.name, env.kind, stale, 'an epoch this peer left behind');
      // "Newer" is judged in the sender's own time, so skew between us does not matter. A peer that is no
      // longer ONLINE may come back with its clock behind; wills skip the age check, so they never may.
      if (env.time <= r.lastTime && (previous === 'ONLINE' || isWill)) {
        return reject(env.name, env.kind, stale, 'an epoch not newer than the current one');
      }
      enterEpoch(r, env, retiredEpochs, maxSilenceMs);
      r.reconnects += 1;
      if (isWill) applyWill(r);
      else hear(r, env, now);
    }
    return settle(r, previous, changeOf(previous, r, newEpoch, env.kind));
  }

  /** A succession moved the pin (judgeSuccession did): the record follows the new soul, and says so. */
  function move(r: PeerRecord, env: VerifiedEnvelope, now: number): IngestResult {
    const previous = r.state;
    startNewSoul(r, env, { seeds, seedCommitments, retiredEpochs, maxSilenceMs });
    hear(r, env, now);
    const result = settle(r, previous, 'moved');
    if (result.ok) emit({ type: 'moved', peer: result.peer, from: r.chain.at(-1)!.publicKey });
    return result;
  }

  /** Applies a Go-wire message to a record: presence by Go's rule (no promise), its status or mesh address. */
  const legacy: LegacyContext = {
    peers,
    seeds,
    deadlines,
    clock,
    maxPeers,
    maxSilenceMs,
    maxFutureMs,
    maxAgeMs,
    reject,
    evictOne,
    unschedule,
    settle,
  };

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
      emit({ type: 'missing', peer: snapshotOf(top), cause: 'silence' });
    }
    arm();
    return count;
  }

  function stats(): RegistryStats {
    const { online, offline, missing } = countStates(peers.values());
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
    ingestLegacy(m) {
      if (closed) throw new RegistryClosedError();
      return applyLegacy(legacy, m);
    },
    tick,
    stats,
    get(name) {
      const r = peers.get(name);
      return r === undefined ? undefined : snapshotOf(r);
    },
    has(name) {
      return peers.has(name);
    },
    list() {
      return [...peers.values()].map(snapshotOf);
    },
    snapshot() {
      return { at: clock.now(), peers: [...peers.values()].map(snapshotOf), stats: stats() };
    },
    pin(name, publicKey, commitment) {
      if (closed) throw new RegistryClosedError();
      check.checkName(name, 'name');
      const key = check.checkPublicKey(publicKey, 'publicKey');
      const pinned = commitment === undefined ? undefined : check.checkCommitment(commitment, 'commitment');
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
      emit({ type: 'evicted', peer: snapshotOf(r) });
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
