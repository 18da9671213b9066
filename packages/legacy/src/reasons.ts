import { ED25519_POLICY_REASONS } from '@nara/envelope';

/**
 * Why a legacy (Go wire) message was refused. A closed set: stable strings, safe as metric labels. Grouped by
 * the step that finds them; docs/PROTOCOL.md ("The legacy wire") gives the order.
 */
export const LEGACY_REJECT_REASONS = Object.freeze([
  // 0. topic
  'bad-topic',
  // 1. size, before any parsing
  'empty',
  'too-large',
  // 2. JSON text
  'invalid-utf8',
  'malformed-json',
  'lone-surrogate',
  'too-deep',
  'duplicate-key',
  // 3. shape, as Go's decoder reads it (and stricter where said)
  'not-an-object',
  'unknown-field',
  'missing-field',
  'invalid-field',
  'invalid-ts',
  'invalid-name',
  'wrong-service',
  // 4. meaning
  'unsigned',
  'emitter-mismatch',
  'name-mismatch',
  'id-mismatch',
  'from-future',
  'too-old',
  // 5. key and signature (the plaza/1 Ed25519 policy, docs/PROTOCOL.md)
  'bad-base64',
  'missing-key',
  ...ED25519_POLICY_REASONS,
] as const);

/** One of {@link LEGACY_REJECT_REASONS}. */
export type LegacyRejectReason = (typeof LEGACY_REJECT_REASONS)[number];

/** A refusal: a reason from the closed set and a short, bounded, human-readable detail. Never thrown. */
export interface LegacyRejection {
  readonly ok: false;
  readonly reason: LegacyRejectReason;
  readonly detail: string;
}

/** The internal signal of a refusal; caught at every public entry and turned into a {@link LegacyRejection}. */
export class Refusal {
  constructor(
    readonly reason: LegacyRejectReason,
    readonly detail: string,
  ) {}
}

/** Throws the internal refusal (never escapes a public function). */
export function refuse(reason: LegacyRejectReason, detail: string): never {
  throw new Refusal(reason, detail.length > 200 ? `${detail.slice(0, 197)}...` : detail);
}

/**
 * Runs `body`, turning a {@link Refusal} into a rejection. Anything else thrown is a bug in this package, not
 * in the input, so it is thrown on (the fuzzer counts those as exceptions).
 */
export function guarded<T>(body: () => T): T | LegacyRejection {
  try {
    return body();
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, reason: error.reason, detail: error.detail };
    throw error;
  }
}
