/**
 * The Go nara's plaza wire as a strict codec: hey_there and chau SyncEvents, newspapers with Go's
 * NaraStatus, and howdy; signed exactly as Go signs them, verified harder than Go verifies them (every
 * message signed, `emitter` equal to `From`, `id` recomputed, `ts` in a window, the plaza/1 Ed25519
 * policy), and written as Go's `encoding/json` writes. Hostile bytes never throw: they get a reason from a
 * closed set. Runs in browsers and Node.
 *
 * @packageDocumentation
 */

export {
  type BuildHowdyOptions,
  buildHowdy,
  DEFAULT_HOWDY_MAX_BYTES,
  type HowdyOptions,
  type HowdyResult,
  howdyMessage,
  verifyHowdy,
} from './howdy.js';
export {
  type GoStatusExtras,
  type MappedStatus,
  NOT_IN_PLAZA,
  toNaraStatus,
  toNewspaperStatus,
} from './mapping.js';
export {
  type BuildNewspaperOptions,
  buildNewspaper,
  DEFAULT_NEWSPAPER_MAX_BYTES,
  encodeNaraStatus,
  type LegacyNewspaper,
  type NewspaperOptions,
  type NewspaperResult,
  verifyNewspaper,
} from './newspaper.js';
export { LEGACY_REJECT_REASONS, type LegacyRejection, type LegacyRejectReason } from './reasons.js';
export { NewspaperReplayGuard, type ReplayGuardOptions, type ReplayVerdict } from './replay.js';
export type { LegacyChecker } from './signature.js';
export {
  type BuildSyncEventOptions,
  buildSyncEvent,
  computeEventId,
  contentString,
  DEFAULT_SYNC_EVENT_MAX_BYTES,
  type LegacyService,
  type LegacySyncEvent,
  nowNanoseconds,
  type SyncEventOptions,
  type SyncEventResult,
  signableDigest,
  type VerifiedSyncEvent,
  verifySyncEvent,
} from './sync-event.js';
export {
  isJsonPayload,
  LEGACY_CHAU_TOPIC,
  LEGACY_HEY_THERE_TOPIC,
  LEGACY_HOWDY_TOPIC,
  LEGACY_NEWSPAPER_FILTER,
  type LegacyTopic,
  legacyNewspaperTopic,
  parseLegacyTopic,
} from './topics.js';
export type {
  GoAura,
  GoCoordinates,
  GoHostStats,
  GoPersonality,
  HowdyEvent,
  NaraObservation,
  NaraStatus,
  NeighborInfo,
} from './types.js';
