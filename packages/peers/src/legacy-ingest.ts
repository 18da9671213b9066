/** The Go nara's wire into the registry: the same pins and presence as plaza/1, by Go's rules of time. */
import type { EnvelopeKind } from '@nara/envelope';
import type { Clock } from '@nara/interface';
import type { DeadlineHeap } from './deadlines.js';
import { bytesEqual, toBase64 } from './encoding.js';
import { addOffsetSample, changeOf, LEGACY, newRecord, type PeerRecord } from './record.js';
import type { IngestResult, LegacyIngest, PeerChange, PeerRejectReason, PeerState } from './types.js';

type Rejected = { readonly ok: false; readonly reason: PeerRejectReason; readonly detail: string };

/** What of the registry the Go wire's messages use. */
export interface LegacyContext {
  readonly peers: Map<string, PeerRecord>;
  readonly seeds: Map<string, Uint8Array>;
  readonly deadlines: DeadlineHeap<PeerRecord>;
  readonly clock: Clock;
  readonly maxPeers: number;
  readonly maxSilenceMs: number;
  readonly maxFutureMs: number;
  readonly maxAgeMs: number;
  reject(name: string, kind: EnvelopeKind, reason: PeerRejectReason, detail: string): Rejected;
  evictOne(): boolean;
  unschedule(r: PeerRecord): void;
  settle(r: PeerRecord, previous: PeerState | undefined, change: PeerChange): IngestResult;
}

function hearLegacy(
  c: LegacyContext,
  r: PeerRecord,
  m: LegacyIngest,
  time: number | undefined,
  now: number,
): void {
  r.wires |= LEGACY;
  r.lastSeen = now;
  if (m.ts !== undefined) r.legacyTs = m.ts;
  // lastTime stays plaza/1's (its epochs are judged by it); a Go time only feeds the clock offset.
  if (time !== undefined) addOffsetSample(r, now - time);
  const silence = m.silenceMs ?? c.maxSilenceMs;
  if (m.kind === 'newspaper' && m.status !== undefined) r.status = m.status;
  if (m.kind === 'hey-there') r.meshIp = m.meshIp ? m.meshIp : null;
  r.missingCause = null;
  if (m.kind === 'chau') {
    r.state = 'OFFLINE';
    c.unschedule(r);
  } else {
    r.state = 'ONLINE';
    r.deadline = now + silence;
    c.deadlines.update(r);
  }
}

/** Applies one verified message of the Go nara's wire (see `PeerRegistry.ingestLegacy`). */
export function ingestLegacy(c: LegacyContext, m: LegacyIngest): IngestResult {
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
  const now = c.clock.now();
  const time = m.ts === undefined ? undefined : Number(m.ts / 1_000_000n);
  const r = c.peers.get(m.name);
  const late =
    time === undefined
      ? null
      : time - now > c.maxFutureMs
        ? c.reject(m.name, m.kind, 'from-future', `sender time ${time - now} ms ahead of ours`)
        : now - time > c.maxAgeMs
          ? c.reject(m.name, m.kind, 'too-old', `sender time ${now - time} ms behind ours`)
          : null;
  if (r === undefined) {
    const seeded = c.seeds.get(m.name);
    if (seeded !== undefined && !bytesEqual(seeded, m.publicKey))
      return c.reject(m.name, m.kind, 'key-mismatch', 'the key differs from the seeded pin for this name');
    if (m.kind === 'chau')
      return c.reject(m.name, m.kind, 'unknown-peer', 'a chau from a name this registry does not know');
    if (late !== null) return late;
    if (c.peers.size >= c.maxPeers && !c.evictOne())
      return c.reject(m.name, m.kind, 'capacity', `${c.maxPeers} peers kept and none may be evicted`);
    const pin = seeded !== undefined ? 'seed' : 'first-use';
    const fresh = newRecord(m.name, toBase64(m.publicKey), pin, m.naraId, LEGACY, now, c.maxSilenceMs);
    c.peers.set(fresh.name, fresh);
    hearLegacy(c, fresh, m, time, now);
    return c.settle(fresh, undefined, 'joined');
  }
  if (toBase64(m.publicKey) !== r.publicKeyB64)
    return c.reject(m.name, m.kind, 'key-mismatch', `the key differs from the ${r.pin} pin for this name`);
  if (m.naraId !== '' && r.naraId !== '' && m.naraId !== r.naraId)
    return c.reject(m.name, m.kind, 'id-mismatch', 'the nara ID differs from the one first heard');
  if (late !== null) return late;
  if (m.ts !== undefined && m.ts <= r.legacyTs)
    return c.reject(m.name, m.kind, 'replay', 'ts is not above the last one accepted from this peer');
  if (m.kind === 'newspaper' && r.state === 'OFFLINE')
    return c.reject(m.name, m.kind, 'replay', 'a newspaper does not bring back a peer that said chau');
  if (r.naraId === '') r.naraId = m.naraId;
  const previous = r.state;
  hearLegacy(c, r, m, time, now);
  return c.settle(r, previous, changeOf(previous, r, false, m.kind));
}
