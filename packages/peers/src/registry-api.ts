/** The public shape of the peer registry: its options, components and methods. */
import type { VerifiedEnvelope } from '@nara/envelope';
import type { Clock, Logger } from '@nara/interface';
import type {
  IngestOptions,
  IngestResult,
  KnownPeer,
  LegacyIngest,
  PeerEventListener,
  PeerSnapshot,
  RegistrySnapshot,
  RegistryStats,
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
  ingest(envelope: VerifiedEnvelope, options?: IngestOptions): IngestResult;
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
   * is dropped with its peer record (an `evicted` event): the operator's word beats first use.
   * With `commitment` (32 bytes, or empty for no successor), the key's commitment to its next key is
   * pinned too (docs/PROTOCOL.md section 12).
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
