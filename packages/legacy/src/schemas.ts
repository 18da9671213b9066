/**
 * The Go types of the legacy wire as tables (PROTOCOL-FACTS §2; Go source nara.go, sensors.go, aura.go,
 * vivaldi.go, neighbourhood_observations.go, presence_howdy.go). Field order is Go's declaration order,
 * which is the order Go writes.
 */
import { field, goStruct, t } from './go-struct.js';

const UINT32 = 0xffffffff;
/** Go's howdy Seq is 1 to 10; anything far outside is not a howdy. */
const MAX_SEQ = 1000;

export const HOST_STATS = goStruct(
  'HostStats',
  [
    field('Uptime', t.uint()),
    field('LoadAvg', t.float),
    field('MemAllocMB', t.uint()),
    field('MemSysMB', t.uint()),
    field('MemHeapMB', t.uint()),
    field('MemStackMB', t.uint()),
    field('NumGoroutines', t.int()),
    field('NumGC', t.uint(UINT32)),
    field('ProcCPUPercent', t.float),
  ],
  false,
);

export const PERSONALITY = goStruct(
  'NaraPersonality',
  [field('Agreeableness', t.int()), field('Sociability', t.int()), field('Chill', t.int())],
  false,
);

export const AURA = goStruct(
  'Aura',
  [field('primary', t.string(16)), field('secondary', t.string(16))],
  false,
);

export const COORDINATES = goStruct(
  'NetworkCoordinate',
  [field('x', t.float), field('y', t.float), field('height', t.float), field('error', t.float)],
  false,
);

export const OBSERVATION = goStruct(
  'NaraObservation',
  [
    field('restarts', t.int(), true),
    field('total_uptime', t.int(), true),
    field('start_time', t.int(), true),
    field('online', t.string(16), true),
    field('last_seen', t.int(), true),
    field('last_restart', t.int(), true),
    field('cluster_name', t.string(), true),
    field('cluster_emoji', t.string(64), true),
    field('last_ping_rtt', t.float, true),
    field('avg_ping_rtt', t.float, true),
    field('last_ping_time', t.int(), true),
  ],
  false,
);

/** NaraStatus: unknown keys are skipped as Go skips them (the signature covers the status bytes anyway). */
export const NARA_STATUS = goStruct(
  'NaraStatus',
  [
    field('LicensePlate', t.string()),
    field('Flair', t.string()),
    field('HostStats', t.struct(HOST_STATS)),
    field('Chattiness', t.int()),
    field('Buzz', t.int()),
    field('Observations', t.map(t.struct(OBSERVATION))),
    field('Trend', t.string()),
    field('TrendEmoji', t.string(64)),
    field('Personality', t.struct(PERSONALITY)),
    field('Aura', t.struct(AURA)),
    field('Version', t.string(64)),
    field('PublicUrl', t.string(1024)),
    field('PublicKey', t.string(64)),
    field('ID', t.string(64)),
    field('MeshEnabled', t.bool),
    field('MeshIP', t.string(64)),
    field('coordinates', t.struct(COORDINATES, true), true),
    field('transport_mode', t.string(16), true),
    field('event_store_total', t.int(), true),
    field('event_store_by_service', t.map(t.int(), 64), true),
    field('event_store_critical', t.int(), true),
    field('memory_mode', t.string(16), true),
    field('memory_budget_mb', t.int(), true),
    field('memory_max_events', t.int(), true),
    field('stash_stored', t.int(), true),
    field('stash_bytes', t.int(), true),
    field('stash_confidants', t.int(), true),
  ],
  false,
);

/** HeyThereEvent: Go writes all five keys; only these five are accepted. */
export const HEY_THERE = goStruct(
  'HeyThereEvent',
  [
    field('From', t.string()),
    field('PublicKey', t.string(64)),
    field('MeshIP', t.string(64)),
    field('ID', t.string(64)),
    field('Signature', t.string(128)),
  ],
  true,
);

/** ChauEvent. */
export const CHAU = goStruct(
  'ChauEvent',
  [
    field('From', t.string()),
    field('PublicKey', t.string(64)),
    field('ID', t.string(64)),
    field('Signature', t.string(128)),
  ],
  true,
);

/** The SyncEvent keys of the two services read here, and the payload keys of the others (refused). */
export const SYNC_EVENT = goStruct(
  'SyncEvent',
  [
    field('id', t.string(64)),
    field('ts', t.int()),
    field('svc', t.string(32)),
    field('emitter', t.string(), true),
    field('emitter_id', t.string(64), true),
    field('sig', t.string(128), true),
    field('social', t.bool, true),
    field('ping', t.bool, true),
    field('observation', t.bool, true),
    field('hey_there', t.struct(HEY_THERE, true), true),
    field('chau', t.struct(CHAU, true), true),
    field('seen', t.bool, true),
    field('checkpoint', t.bool, true),
  ],
  true,
);

export const NEIGHBOR = goStruct(
  'NeighborInfo',
  [
    field('Name', t.string()),
    field('PublicKey', t.string(64)),
    field('MeshIP', t.string(64)),
    field('ID', t.string(64)),
    field('Observation', t.struct(OBSERVATION)),
  ],
  false,
);

export const HOWDY = goStruct(
  'HowdyEvent',
  [
    field('From', t.string()),
    field('To', t.string()),
    field('Seq', t.int(-MAX_SEQ, MAX_SEQ)),
    field('You', t.struct(OBSERVATION)),
    field('Neighbors', t.slice(t.struct(NEIGHBOR), 64)),
    field('Me', t.struct(NARA_STATUS)),
    field('Signature', t.string(128)),
  ],
  false,
);

export const NEWSPAPER = goStruct(
  'NewspaperEvent',
  [field('From', t.string()), field('Status', t.struct(NARA_STATUS)), field('Signature', t.string(128))],
  true,
);
