import type { EnvelopeKind, EnvelopeVerifier, RejectReason, VerifiedEnvelope } from '@nara/envelope';
import type { Logger } from '@nara/interface';
import type { PeerChange, PeerRegistry, PeerRejectReason } from '@nara/peers';
import { unescapeNameLevel } from '@nara/topics';
import type { Counter, MetricsRegistry } from './metrics.js';

/**
 * Why a received message was refused: the envelope's reasons (size, CBOR, header, key policy, signature,
 * schema, topic binding), the registry's (pin, replay, epoch, time, capacity), and `internal-error` for a
 * bug in our own code that a message tripped over. The last one must never happen; the fuzzer counts it.
 */
export type ReceiveRejectReason = RejectReason | PeerRejectReason | 'internal-error';

/** A message that was verified and changed (or refreshed) the registry. */
export interface ReceiveAccepted {
  readonly type: 'accepted';
  readonly kind: EnvelopeKind;
  readonly name: string;
  readonly topic: string;
  readonly change: PeerChange;
  readonly envelope: VerifiedEnvelope;
}

/** A message that failed verification or the registry's rules; nothing it said was kept. */
export interface ReceiveRejected {
  readonly type: 'rejected';
  /** The step that refused it: `envelope` (bytes, signature, topic), `registry` (pin, replay, time), or `internal`. */
  readonly stage: 'envelope' | 'registry' | 'internal';
  readonly reason: ReceiveRejectReason;
  readonly detail?: string;
  readonly topic: string;
  /** The name the message claims, when it could be read (verified, or from a newspaper topic). */
  readonly name?: string;
  /**
   * The verified envelope the registry refused (stage `registry` only): its signature held, so what it
   * says was said by the key's holder, only not taken (a second process with one soul shows so).
   */
  readonly envelope?: VerifiedEnvelope;
}

/**
 * An empty payload on a newspaper topic: a retained newspaper cleared (a nara about to say chau, or
 * anyone the broker lets write there). No message, no news, nothing refused: counted apart.
 */
export interface ReceiveCleared {
  readonly type: 'cleared';
  readonly topic: string;
}

export type ReceiveOutcome = ReceiveAccepted | ReceiveRejected | ReceiveCleared;

/** How a message came. */
export interface ReceiveOptions {
  /** A broker's retained copy, delivered on subscribe: old news, judged by its own time (see peers). */
  readonly retained?: boolean;
}

/** What the pipeline is wired to: the same verifier, registry and metrics a running nara uses. */
export interface ReceivePipelineInit {
  readonly verifier: EnvelopeVerifier;
  readonly registry: PeerRegistry;
  readonly metrics: MetricsRegistry;
  readonly logger?: Logger;
}

/** The receive path of a nara, from the bytes of one MQTT message to registry state and metrics. */
export interface ReceivePipeline {
  /**
   * Verifies `payload` received on `topic`, then applies it to the registry, and counts the outcome. Never
   * throws, whatever the bytes: hostile input is a rejection with a reason.
   */
  receive(topic: string, payload: Uint8Array, options?: ReceiveOptions): ReceiveOutcome;
  /**
   * `nara_envelopes_received_total`, `..._accepted_total{kind}`, `..._rejected_total{reason}`, and
   * `nara_newspapers_cleared_total` for the empty payloads that clear a retained newspaper (not received
   * envelopes: none of the others counts them).
   */
  readonly counters: {
    readonly received: Counter;
    readonly accepted: Counter;
    readonly rejected: Counter;
    readonly cleared: Counter;
  };
  /** Counts of what was received from `name` (bounded: see {@link MAX_SENDERS}). */
  sender(name: string): { verified: number; rejected: number };
  /** How many sender names are counted. */
  readonly senders: number;
}

/** Senders whose per-name counts are kept; more names than this are not counted. */
const MAX_SENDERS = 10_000;

const NEWSPAPER_NAME = /^nara\/plaza\/newspaper\/([^/]+)$/;

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : typeof error;
}

/**
 * Builds the receive pipeline, in the order of DESIGN section 3: the envelope verifier (size, CBOR, header,
 * key policy, signature, schema, topic binding), then the registry (key pin, nara ID, epoch and sequence
 * floors, time window, capacity), then the metrics. `startNara` uses it for every message on `nara/#`;
 * the hostile-input tests, the fuzzer and the soak drive this very function.
 *
 * @example
 * ```ts
 * const metrics = new MetricsRegistry();
 * const pipeline = createReceivePipeline({ verifier: createVerifier(), registry: createPeerRegistry(), metrics });
 * const outcome = pipeline.receive('nara/plaza/hey-there', new Uint8Array([0xa0]));
 * console.log(outcome.type, outcome.type === 'rejected' ? outcome.reason : outcome.change);
 * ```
 */
export function createReceivePipeline(init: ReceivePipelineInit): ReceivePipeline {
  const { verifier, registry, metrics, logger } = init;
  if (typeof verifier?.verify !== 'function')
    throw new TypeError('init.verifier must be an EnvelopeVerifier');
  if (typeof registry?.ingest !== 'function') throw new TypeError('init.registry must be a PeerRegistry');
  if (typeof metrics?.counter !== 'function') throw new TypeError('init.metrics must be a MetricsRegistry');

  const received = metrics.counter('nara_envelopes_received_total', 'Messages received on nara/#.');
  const accepted = metrics.counter('nara_envelopes_accepted_total', 'Envelopes verified and accepted.');
  const rejected = metrics.counter(
    'nara_envelopes_rejected_total',
    'Messages rejected, by reason (envelope verification or registry rule).',
  );

  const cleared = metrics.counter(
    'nara_newspapers_cleared_total',
    'Empty payloads on newspaper topics: retained newspapers cleared (not envelopes, not rejections).',
  );

  const perSender = new Map<string, { verified: number; rejected: number }>();
  function countFor(name: string | undefined, field: 'verified' | 'rejected'): void {
    if (name === undefined) return;
    let entry = perSender.get(name);
    if (!entry) {
      // Bounded: a flood of fake names must not grow this without limit.
      if (perSender.size >= MAX_SENDERS) return;
      entry = { verified: 0, rejected: 0 };
      perSender.set(name, entry);
    }
    entry[field] += 1;
  }

  function refuse(outcome: ReceiveRejected): ReceiveRejected {
    rejected.inc({ reason: outcome.reason });
    countFor(outcome.name, 'rejected');
    return outcome;
  }

  function run(topic: string, payload: Uint8Array, retained: boolean): ReceiveOutcome {
    const result = verifier.verify(topic, payload);
    if (!result.ok) {
      // A topic can say anything: only a name that fits one topic level is worth counting under.
      const level = NEWSPAPER_NAME.exec(topic)?.[1];
      const claimed = level === undefined ? undefined : unescapeNameLevel(level);
      logger?.debug('rejected a message', { topic, reason: result.reason, detail: result.detail });
      return refuse({
        type: 'rejected',
        stage: 'envelope',
        reason: result.reason,
        detail: result.detail,
        topic,
        ...(claimed !== undefined && claimed.length <= 64 ? { name: claimed } : {}),
      });
    }
    const envelope = result.envelope;
    const outcome = registry.ingest(envelope, retained ? { retained } : undefined);
    if (!outcome.ok) {
      // The registry has logged it (at debug, with name, kind and reason); counted here by reason.
      return refuse({
        type: 'rejected',
        stage: 'registry',
        reason: outcome.reason,
        detail: outcome.detail,
        topic,
        name: envelope.name,
        envelope,
      });
    }
    accepted.inc({ kind: envelope.kind });
    countFor(envelope.name, 'verified');
    return {
      type: 'accepted',
      kind: envelope.kind,
      name: envelope.name,
      topic,
      change: outcome.change,
      envelope,
    };
  }

  return {
    receive(topic, payload, options) {
      // The clearing of a retained newspaper, on its own topic only: elsewhere no bytes is hostile input.
      if (payload?.length === 0 && NEWSPAPER_NAME.test(topic)) {
        cleared.inc();
        return { type: 'cleared', topic };
      }
      received.inc();
      try {
        return run(topic, payload, options?.retained === true);
      } catch (error) {
        // Only our own bug gets here (hostile bytes are rejections): count it, never crash the nara on it.
        logger?.error('the receive pipeline threw', { topic, error: describe(error) });
        return refuse({
          type: 'rejected',
          stage: 'internal',
          reason: 'internal-error',
          detail: describe(error),
          topic,
        });
      }
    },
    counters: { received, accepted, rejected, cleared },
    sender: (name) => ({ ...(perSender.get(name) ?? { verified: 0, rejected: 0 }) }),
    get senders() {
      return perSender.size;
    },
  };
}
