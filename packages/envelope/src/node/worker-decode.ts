/**
 * The main thread's half of worker verification: the cheap steps before the signature (topic, size, COSE
 * structure) and after it (payload schema, topic binding, the frozen VerifiedEnvelope), in the same order and
 * with the same reasons and details as `EnvelopeVerifier.verify`. The vectors test holds the two to agreement.
 */
import { bindVerified } from '../binding.js';
import type { StrictReader } from '../cbor-reader.js';
import type { CoseLayout } from '../cose.js';
import { fromFailure } from '../rejections.js';
import type { TopicEntry } from '../topic-cache.js';
import type { Rejection, VerifiedEnvelope } from '../types.js';

/**
 * The steps after a good signature: payload schema and topic binding, then the branded envelope. Only the
 * verifier module calls this, and only for bytes whose signature a worker accepted.
 */
export function finish(
  topic: string,
  entry: TopicEntry,
  bytes: Uint8Array,
  copy: Uint8Array,
  parts: CoseLayout,
  reader: StrictReader,
): { ok: true; envelope: VerifiedEnvelope } | Rejection {
  try {
    // From `copy` (taken when the message was queued): the bytes the worker checked, whatever the caller
    // has done with its array since.
    const envelope = bindVerified(bytes, copy, parts, entry, topic, reader);
    if ('ok' in envelope) return envelope;
    return { ok: true, envelope };
  } catch (error) {
    return fromFailure(error);
  }
}
