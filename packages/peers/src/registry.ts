import type { EnvelopeKind, VerifiedEnvelope } from '@nara/envelope';
import { silentLogger, type TimerHandle } from '@nara/interface';
import { DeadlineHeap } from './deadlines.js';
import { bytesEqual, high32, low32, toBase64, toHex } from './encoding.js';
import { RegistryClosedError } from './errors.js';
import { ingestLegacy as applyLegacy, type LegacyContext } from './legacy-ingest.js';
import { checkName, checkPublicKey, resolveOptions } from './options.js';
import {
  addOffsetSample,
  changeOf,
  eventOf,
  newRecord,
  type PeerRecord,
  PLAZA,
  snapshotOf,
} from './record.js';
import type { PeerRegistry, PeerRegistryComponents, PeerRegistryOptions } from './registry-api.js';
import {
  type IngestOptions,
  type IngestResult,
  type KnownPeer,
  PEER_REJECT_REASONS,
  type PeerChange,
  type PeerEvent,
  type PeerEventListener,
  type PeerRejectReason,
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
  const settings = resolveOptions(options, components);
  const { maxPeers, graceMs, maxSilenceMs, maxFutureMs, maxAgeMs, retiredEpochs, clock, logger } = settings;
  // With the silent logger, the per-message debug lines are not even built (a string and an object each).
  const quiet = logger === silentLogger;

  const peers = new Map<string, PeerRecord>();
  const seeds = new Map<string, Uint8Array>();
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
      seeds.set(
        checkName(known?.name, 'options.known[].name'),
        checkPublicKey(known.publicKey, 'options.known[].publicKey'),
      );
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
    if (peers.size >= maxPeers && !evictOne()) {
      return reject(env.name, env.kind, 'capacity', `${maxPeers} peers kept and none may be evicted`);
    }
    const pin = seeded !== undefined ? 'seed' : 'first-use';
    const r = newRecord(env.name, toBase64(env.publicKey), pin, env.naraId, PLAZA, now, maxSilenceMs);
    r.epoch = toHex(env.epoch);
    r.epochHigh = high32(env.epoch);
    r.epochLow = low32(env.epoch);
    r.seq = env.seq;
    r.lastTime = env.time;
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
    if (listeners.size > 0) {
      const event = eventOf(change, previous, peer);
      if (event !== null) emit(event);
    }
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

  // A retained copy of what is already here (floor or epoch passed) is old news: a no-op, not a replay.
  function alreadySeen(r: PeerRecord): IngestResult {
    return { ok: true, change: 'refreshed', peer: snapshotOf(r) };
  }

  function ingestOne(env: VerifiedEnvelope): IngestResult {
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

    if (toBase64(env.publicKey) !== r.publicKeyB64) {
      return reject(
        env.name,
        env.kind,
        'key-mismatch',
        `the key differs from the ${r.pin} pin for this name`,
      );
    }
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

  /** Applies a Go-wire message to a record: presence by Go's rule (no promise), its status or mesh address. */
  const legacy: LegacyContext = {
    ...settings,
    peers,
    seeds,
    deadlines,
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
    pin(name, publicKey) {
      if (closed) throw new RegistryClosedError();
      checkName(name, 'name');
      const key = checkPublicKey(publicKey, 'publicKey');
      seeds.set(name, key);
      const r = peers.get(name);
      if (r === undefined) return;
      if (toBase64(key) === r.publicKeyB64) {
        r.pin = 'seed';
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
