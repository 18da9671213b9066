/**
 * Signed envelopes of the nara plaza (plaza/1): COSE_Sign1 over deterministic CBOR, Ed25519 with one
 * written policy that every backend enforces, strict decoding that never throws on hostile bytes.
 *
 * @packageDocumentation
 */
export {
  type AnyEnvelopeContent,
  type Aura,
  type BodyByKind,
  type BodyOf,
  type ChauBody,
  type ChauReason,
  type CheckpointBody,
  type CheckpointFinalBody,
  type CheckpointObservation,
  type CheckpointOp,
  type CheckpointProposeBody,
  type CheckpointVoteBody,
  type DecodedEnvelope,
  type DecodeResult,
  ENVELOPE_KINDS,
  type EnvelopeContent,
  type EnvelopeKind,
  EPOCH_BYTES,
  type HeyThereBody,
  type HostStats,
  MAX_CHECKPOINT_VOTES,
  type NewspaperBody,
  type NewspaperStatus,
  type Personality,
  PUBLIC_KEY_BYTES,
  REJECT_REASONS,
  type RejectReason,
  type Rejection,
  SCHEMA_VERSION,
  SIGNATURE_BYTES,
  type Signer,
  type StashRefreshBody,
  type TransportMode,
  type VerifiedEnvelope,
  type VerifyResult,
} from './types.js';
