import type { EnvelopeKind, EnvelopeVerifier } from '@nara/envelope';
import type { Identity } from '@nara/identity';
import type { Logger, RandomSource } from '@nara/interface';
import type { PeerEvent, PeerRegistry } from '@nara/peers';
import type { Transport, WillProvider } from '@nara/transport';
import type { HostStats } from './host.js';
import type { LegacyAccepted, LegacyRejected, Wire } from './legacy-wire.js';
import type { MetricsRegistry } from './metrics.js';
import type { ReceiveAccepted, ReceiveRejected } from './receive.js';

/**
 * What a transport factory is given: the will to register at each connection (absent for a listen-only
 * nara) and a client id. A factory must pass `will` on to its transport, which calls it before every
 * connection attempt: that is how each connection gets its own epoch and its own signed chau.
 */
export interface TransportInit {
  /** Absent for a listen-only nara. */
  readonly will?: WillProvider;
  readonly clientId: string;
}

/**
 * Makes the nara's transport: any implementation of the `@nara/transport` contract. The mode it announces
 * in newspapers is `transport.capabilities.mode` (none when the transport declares none).
 */
export type TransportFactory = (init: TransportInit) => Transport;

/** How a nara takes part. */
export interface NaraOptions {
  /** The nara's identity; absent for a listen-only watcher. */
  readonly identity?: Identity;
  /** Longest random wait before hey-there after each connect (the seed's 0-5 s). */
  readonly heyThereMaxDelayMs?: number;
  /**
   * Longest random pause before answering another nara's hey-there with a newspaper (default 2,000 ms).
   * A burst of hey-theres gets one answer; answers are at least the scheduler's spacing (5 s) apart.
   */
  readonly answerMaxDelayMs?: number;
  /** A fixed chattiness; otherwise 100 while booting (first 2 minutes), then 50. */
  readonly chattiness?: number;
  /** Give up on the first connection after this long (a clear error, not an endless retry). */
  readonly connectTimeoutMs?: number;
  /** A label for the broker in logs and /healthz; never carries credentials. */
  readonly brokerLabel?: string;
  /** Keys trusted for their names before anything is heard: an impostor's first word cannot win them. */
  readonly pins?: ReadonlyArray<{
    readonly name: string;
    readonly publicKey: Uint8Array;
    /** The key's commitment to its next key, when the operator knows it (docs/PROTOCOL.md section 12). */
    readonly commitment?: Uint8Array;
  }>;
  /**
   * Key succession (docs/PROTOCOL.md section 12): the commitment carried in every message this nara signs,
   * SHA-256 of its next soul's public key, or empty for no successor. Without it, no commitment is made.
   */
  readonly commitment?: Uint8Array;
  /** The public key of the soul this nara moved from: a succession is announced at every connect. */
  readonly previousKey?: Uint8Array;
  /**
   * Runs the newspaper cadence this many times faster than the chattiness says (and promises the next
   * newspaper accordingly). For soaks and fault tests that need hours of plaza in minutes. Default 1.
   */
  readonly newspaperSpeed?: number;
  /**
   * The wires spoken and heard: `plaza` (plaza/1, the default), `legacy` (the Go nara's JSON wire, see
   * @nara/legacy), or `both`. The MQTT will is plaza/1's chau whatever the wire.
   */
  readonly wire?: Wire;
}

/** What the program injects: the transport (any), logging, time, randomness and the host's figures. */
export interface NaraComponents {
  readonly createTransport: TransportFactory;
  /** Default: silent. A logger with `child()` gets one per component (`peers`, `newspaper`). */
  readonly logger?: Logger;
  /** Shared by the naras of one process (the demo) to share its key cache. */
  readonly verifier?: EnvelopeVerifier;
  readonly now?: () => number;
  /** The hey-there jitter. Default `Math.random`. */
  readonly random?: RandomSource;
  /** The `hostStats` of each newspaper. Default: this Node process (uptime, load, memory). */
  readonly hostStats?: (uptimeSeconds: number) => HostStats;
}

/** A message that failed verification or the registry's rules (see {@link ReceiveRejected}). */
export type Rejected = ReceiveRejected;

/** A message that was verified and accepted (see {@link ReceiveAccepted}). */
export type Accepted = ReceiveAccepted;

/** Everything a nara reports to the app: messages, registry events, and connection state. */
export type NaraEvent =
  | Accepted
  | Rejected
  | { readonly type: 'peer'; readonly event: Exclude<PeerEvent, { type: 'rejected' }> }
  | { readonly type: 'connected' }
  | { readonly type: 'disconnected'; readonly error?: Error }
  /** The next connection attempt starts in `delayMs`; `cause` is why one is needed. */
  | {
      readonly type: 'reconnecting';
      readonly attempt: number;
      readonly delayMs: number;
      readonly cause?: Error;
    }
  | { readonly type: 'published'; readonly kind: EnvelopeKind; readonly topic: string }
  /** A message of the Go wire: verified and applied (or only a hint, for a howdy), or refused with a reason. */
  | { readonly type: 'legacy'; readonly outcome: LegacyAccepted | LegacyRejected };

export type NaraListener = (event: NaraEvent) => void;

/** A running nara. */
export interface NaraNode {
  readonly name: string | undefined;
  readonly naraId: string | undefined;
  readonly publicKeyBase64: string | undefined;
  readonly clientId: string;
  readonly registry: PeerRegistry;
  readonly metrics: MetricsRegistry;
  /** When the nara was created (the `now` component's clock). */
  readonly startedAt: number;
  readonly connected: boolean;
  /**
   * The broker in use: the one the transport names at its last connection (several brokers), else the
   * `brokerLabel` option. Never carries credentials.
   */
  readonly broker: string | undefined;
  /**
   * Subscribes to `nara/#` and connects; resolves once connected. Rejects with a {@link StartError} (one
   * clear line) when the first connection fails for good or takes longer than `connectTimeoutMs`, and
   * then has closed everything. Call it once.
   */
  start(): Promise<void>;
  on(listener: NaraListener): () => void;
  /** Counts of what this nara received, by sender name. */
  received(name: string): { verified: number; rejected: number };
  /**
   * Leaves: stops the newspapers, says chau (reason left) when connected, closes the connection cleanly
   * (so the broker drops the will), all within `timeoutMs`. Idempotent.
   */
  leave(timeoutMs?: number): Promise<void>;
  /**
   * Stops without a word, as a crash would look from inside: no chau, no more newspapers. The caller makes
   * the connection die uncleanly (the demo drops it at the broker) so that the broker sends the will,
   * then calls `close()`.
   */
  halt(): Promise<void>;
  /** Closes the transport without publishing anything. */
  close(): Promise<void>;
}
