/**
 * The main thread's half of worker verification: the cheap steps before the signature (topic, size, COSE
 * structure) and after it (payload schema, topic binding, the frozen VerifiedEnvelope), in the same order and
 * with the same reasons and details as `EnvelopeVerifier.verify`. The vectors test holds the two to agreement.
 */
import type { PlazaTopic } from '@nara/topics';
import { bindVerified, fromFailure, reject, signatureDetail, type TopicEntry } from '../binding.js';
import type { CoseParts } from '../cose.js';
import type { Rejection, VerifiedEnvelope } from '../types.js';

export { fromFailure, reject, signatureDetail, type TopicEntry };

/**
 * The steps after a good signature: payload schema and topic binding, then the branded envelope. Only the
 * verifier module calls this, and only for bytes whose signature a worker accepted.
 */
export function finish(
  topic: string,
  entry: TopicEntry,
  bytes: Uint8Array,
  parts: CoseParts,
): { ok: true; envelope: VerifiedEnvelope } | Rejection {
  try {
    const bound = bindVerified(bytes, parts, entry.topic as PlazaTopic, topic, parts.kid.slice());
    if (!('envelope' in bound)) return bound;
    const { envelope } = bound;
    return { ok: true, envelope };
  } catch (error) {
    return fromFailure(error);
  }
}
