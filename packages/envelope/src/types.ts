/**
 * The public shapes of plaza/1: kinds, bodies, the signed content, the verified envelope and the closed set
 * of rejection reasons. The wire encoding of every field is specified in docs/PROTOCOL.md.
 */

/** Every kind of plaza message, in the order of their wire codes. Each has its own topic (see `@nara/topics`) and body. */
export const ENVELOPE_KINDS = Object.freeze([
  'hey-there',
  'chau',
  'newspaper',
  'stash-refresh',
  'checkpoint',
  'succession',
] as const);

/** One of {@link ENVELOPE_KINDS}. */
export type EnvelopeKind = (typeof ENVELOPE_KINDS)[number];

/** Schema version carried in every payload (key 0). A receiver rejects any other value. */
export const SCHEMA_VERSION = 1;

/** Length of the connection epoch in bytes: random bytes chosen at each connect. */
export const EPOCH_BYTES = 8;

/** Ed25519 public key and signature lengths. */
export const PUBLIC_KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;

/** hey-there: "I am here". The sender's key, name and ID are in the header; only optional extras here. */
export interface HeyThereBody {
  /** The sender's mesh (VPN) address, IPv4 or IPv6 text, at most 45 bytes. */
  meshIp?: string;
}

/** Why a nara said chau. */
export type ChauReason = 'left' | 'lost';

/**
 * chau: "I am leaving". `left` is said on purpose; `lost` is the signed MQTT will registered at connect,
 * published by the broker when the connection drops.
 */
export interface ChauBody {
  reason: ChauReason;
}

/** Host statistics of a newspaper, in integer units (plaza/1 carries no floats). */
export interface HostStats {
  /** Seconds since the nara's process started. */
  uptime?: number;
  /** 1-minute load average divided by the number of CPUs, in hundredths (Go truncates to 2 dp: lossless). */
  loadCenti?: number;
  memAllocMb?: number;
  memSysMb?: number;
  memHeapMb?: number;
  memStackMb?: number;
  /** Concurrent tasks (goroutines in Go, active handles in Node). */
  tasks?: number;
  /** Garbage collections so far. */
  gcCount?: number;
  /** Process CPU use in hundredths of a percent (12.34 % is 1234). */
  cpuCenti?: number;
}

/** Personality traits, each 0 to 100. */
export interface Personality {
  agreeableness: number;
  sociability: number;
  chill: number;
}

/** A nara's aura: two colours as lowercase `#rrggbb` (carried as 24-bit integers on the wire). */
export interface Aura {
  primary: string;
  secondary: string;
}

/** How a nara reaches others. */
export type TransportMode = 'mqtt' | 'gossip' | 'hybrid';

/**
 * The status a newspaper carries: the fields of the Go NaraStatus (PROTOCOL-FACTS 2.5) that still mean
 * something on the plaza. The public key and nara ID are in the envelope header; Observations are not sent.
 * Only `chattiness` and `buzz` are required.
 */
export interface NewspaperStatus {
  licensePlate?: string;
  flair?: string;
  hostStats?: HostStats;
  /** 0 to 100: sets the newspaper cadence. */
  chattiness: number;
  /** 0 to 182. */
  buzz: number;
  trend?: string;
  trendEmoji?: string;
  personality?: Personality;
  aura?: Aura;
  /** Software version, e.g. `0.2.0`. */
  version?: string;
  publicUrl?: string;
  meshEnabled?: boolean;
  meshIp?: string;
  transportMode?: TransportMode;
  /** Events held for others (stash), and how many confidants hold ours. */
  stashStored?: number;
  stashConfidants?: number;
}

/** newspaper: the sender's status and the deadline by which it promises the next newspaper. */
export interface NewspaperBody {
  status: NewspaperStatus;
  /** Promised deadline (ms since the Unix epoch) of the next newspaper; after it, the sender is missing. */
  next: number;
}

/** stash-refresh: the sender asks its confidants for its stash back. The sender is the owner. */
export type StashRefreshBody = Record<string, never>;

/** The checkpoint operations, as in the topic `nara/checkpoint/{subject}/{op}`. */
export type CheckpointOp = 'propose' | 'vote' | 'final';

/** What a checkpoint attests about its subject (all in seconds or counts). */
export interface CheckpointObservation {
  restarts: number;
  totalUptime: number;
  /** First-seen time of the subject, seconds since the Unix epoch. */
  startTime: number;
}

interface CheckpointCommon {
  /** The nara the checkpoint is about; equals the topic's `{subject}`. */
  subject: string;
  /** The subject's nara ID. */
  subjectId: string;
  observation: CheckpointObservation;
  /** Seconds since the Unix epoch the observation is taken at. */
  asOfTime: number;
  /** Consensus round, 1 or 2. */
  round: 1 | 2;
}

/** The subject proposes a checkpoint about itself (the sender's name equals the subject). */
export interface CheckpointProposeBody extends CheckpointCommon {
  op: 'propose';
  lastSeenCheckpointId?: string;
}

/** A peer votes on a proposal. */
export interface CheckpointVoteBody extends CheckpointCommon {
  op: 'vote';
  /** The proposal's `asOfTime`, identifying which proposal this vote answers. */
  proposalTime: number;
  approved: boolean;
  lastSeenCheckpointId?: string;
}

/**
 * The subject publishes the agreed checkpoint with the vote envelopes it gathered, each as received,
 * so that any receiver can verify every vote on its own (at most {@link MAX_CHECKPOINT_VOTES}).
 */
export interface CheckpointFinalBody extends CheckpointCommon {
  op: 'final';
  previousCheckpointId?: string;
  votes: readonly Uint8Array[];
}

/** At most this many vote envelopes ride in a final checkpoint. */
export const MAX_CHECKPOINT_VOTES = 10;

export type CheckpointBody = CheckpointProposeBody | CheckpointVoteBody | CheckpointFinalBody;

/**
 * succession: the sender moved from the soul whose key is `previous` to the one that signs this envelope
 * (docs/PROTOCOL.md section 12). Signed by the new key; the content's `commitment` is required.
 */
export interface SuccessionBody {
  /** The sender's previous Ed25519 public key, 32 bytes: the key receivers have pinned for the name. */
  previous: Uint8Array;
}

/** Length of a commitment to the next key: SHA-256 of its 32 bytes. */
export const COMMITMENT_BYTES = 32;

/** The body type of each kind. */
export interface BodyByKind {
  'hey-there': HeyThereBody;
  chau: ChauBody;
  newspaper: NewspaperBody;
  'stash-refresh': StashRefreshBody;
  checkpoint: CheckpointBody;
  succession: SuccessionBody;
}

export type BodyOf<K extends EnvelopeKind> = BodyByKind[K];

/**
 * What a sender signs: the payload of a plaza/1 envelope. The public key travels in the COSE header (kid),
 * the topic as external AAD.
 */
export interface EnvelopeContent<K extends EnvelopeKind = EnvelopeKind> {
  kind: K;
  /** The sender's nara name (a valid name per `@nara/topics`). */
  name: string;
  /** The sender's nara ID (base58, 1 to 64 characters). */
  naraId: string;
  /** Random bytes chosen per connection, exactly {@link EPOCH_BYTES} long. */
  epoch: Uint8Array;
  /** Sequence number within the epoch, from 0, a safe integer. */
  seq: number;
  /** Sender time, ms since the Unix epoch, a safe integer. */
  time: number;
  body: BodyOf<K>;
  /**
   * The commitment to the sender's next key (payload key 8, docs/PROTOCOL.md section 12): SHA-256 of the
   * next Ed25519 public key (32 bytes), or 0 bytes when the sender will have no successor (retired). Absent
   * when the sender made no commitment; required in a succession.
   */
  commitment?: Uint8Array;
}

/** Content of any kind, discriminated by `kind` (so `switch (c.kind)` narrows `body`). */
export type AnyEnvelopeContent = { [K in EnvelopeKind]: EnvelopeContent<K> }[EnvelopeKind];

declare const verifiedBrand: unique symbol;

/**
 * An envelope whose signature, key, schema and topic binding have been checked. Only a verifier produces
 * one: the brand cannot be written in a literal, so code that accepts a `VerifiedEnvelope` (the registry,
 * the app) cannot be handed a merely decoded one.
 */
export type VerifiedEnvelope<K extends EnvelopeKind = EnvelopeKind> = K extends EnvelopeKind
  ? Readonly<EnvelopeContent<K>> & {
      /** The topic it was verified against (bound in as external AAD). */
      readonly topic: string;
      /** The sender's Ed25519 public key (the COSE kid), 32 bytes, policy-checked. */
      readonly publicKey: Uint8Array;
      /** The envelope exactly as received. */
      readonly bytes: Uint8Array;
      readonly [verifiedBrand]: true;
    }
  : never;

/**
 * An envelope taken apart without any check of signature, key or topic: for tooling and logs only. It lacks
 * the brand, so it cannot be passed where a {@link VerifiedEnvelope} is expected.
 */
export type DecodedEnvelope<K extends EnvelopeKind = EnvelopeKind> = K extends EnvelopeKind
  ? Readonly<EnvelopeContent<K>> & {
      readonly publicKey: Uint8Array;
      readonly signature: Uint8Array;
      readonly bytes: Uint8Array;
      readonly verified: false;
    }
  : never;

/**
 * What the plaza/1 Ed25519 policy refuses, in its order: the key, the signature's length and encoding, the
 * equation (docs/PROTOCOL.md). The Go wire (`@nara/legacy`) refuses its signatures with the same reasons.
 */
export const ED25519_POLICY_REASONS = Object.freeze([
  'key-non-canonical',
  'key-not-on-curve',
  'key-small-order',
  'key-mixed-order',
  'bad-signature-length',
  'signature-s-out-of-range',
  'signature-small-order-r',
  'bad-signature',
] as const);

/**
 * Why an envelope is rejected: a closed set, stable for metrics, logs and the vectors, in the order of the
 * receive pipeline's steps that find them (docs/PROTOCOL.md gives the order).
 */
export const REJECT_REASONS = Object.freeze([
  // 0. topic; 1. size
  'bad-topic',
  'empty',
  'too-large',
  // 2. CBOR shape (outer structure, and the payload when it is decoded)
  'malformed-cbor',
  'indefinite-length',
  'non-canonical-cbor',
  'duplicate-key',
  'unexpected-tag',
  'trailing-bytes',
  'invalid-utf8',
  'not-cose-sign1',
  'detached-payload',
  // 3. COSE header
  'bad-protected-header',
  'unsupported-alg',
  'bad-kid',
  'unexpected-header-parameter',
  'unprotected-header-not-empty',
  // 4, 5. key policy and signature
  ...ED25519_POLICY_REASONS,
  // 6. payload schema
  'unsupported-version',
  'unknown-kind',
  'missing-field',
  'unknown-field',
  'invalid-field',
  'invalid-name',
  // 7. meaning: kind and names against the topic
  'kind-mismatch',
  'name-mismatch',
  'subject-mismatch',
  'op-mismatch',
  'signed-by-previous',
] as const);

/** One of {@link REJECT_REASONS}. */
export type RejectReason = (typeof REJECT_REASONS)[number];

/** A rejection: a reason from the closed set and a short, bounded, human-readable detail. */
export interface Rejection {
  ok: false;
  reason: RejectReason;
  detail: string;
}

/** The result of verification. Never thrown: hostile bytes give `{ ok: false }`. */
export type VerifyResult = { ok: true; envelope: VerifiedEnvelope } | Rejection;

/** The result of decoding without verification. */
export type DecodeResult = { ok: true; envelope: DecodedEnvelope } | Rejection;

/**
 * Something that signs with an Ed25519 key: the public key and a synchronous sign. The private key never
 * shows in `toString`, `toJSON` or `util.inspect`.
 */
export interface Signer {
  /** The 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
  /** A 64-byte Ed25519 signature (RFC 8032, pure Ed25519) of `message`. */
  sign(message: Uint8Array): Uint8Array;
}
