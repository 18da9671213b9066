/**
 * The main thread's half of worker verification: the cheap steps before the signature (topic, size, COSE
 * structure) and after it (payload schema, topic binding, the frozen VerifiedEnvelope), in the same order and
 * with the same reasons and details as `EnvelopeVerifier.verify`. The vectors test holds the two to agreement.
 */
import { bindVerified, fromFailure, reject, signatureDetail, type TopicEntry } from '../binding.js';
import { BytePool, type StrictReader } from '../cbor.js';
import type { CoseLayout } from '../cose.js';
import { copyOut } from '../duplicates.js';
import { PRIVATE_BLOCK_BYTES } from '../envelope.js';
import type { Rejection, VerifiedEnvelope } from '../types.js';
import { PUBLIC_KEY_BYTES } from '../types.js';

export { fromFailure, reject, signatureDetail, type TopicEntry };

/** Private copies of envelopes being verified: never handed out, so nobody can change one. */
const copies = new BytePool(PRIVATE_BLOCK_BYTES);

/**
 * A private copy of `bytes`, taken when a message is queued: the signature is checked over it and the
 * payload read from it, so a caller that changes or reuses its array while the answer is pending cannot
 * get a verified envelope for bytes no worker checked.
 */
export function privateCopy(bytes: Uint8Array): Uint8Array {
  const copy = copies.take(bytes.length);
  copy.set(bytes);
  return copy;
}

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
    // Everything from `copy` (see privateCopy): the bytes the worker checked, whatever the caller has done
    // with its array since.
    const publicKey = copyOut(copy, parts.kidAt, PUBLIC_KEY_BYTES);
    const envelope = bindVerified(bytes, copy, parts, entry, topic, publicKey, reader);
    if ('ok' in envelope) return envelope;
    return { ok: true, envelope };
  } catch (error) {
    return fromFailure(error);
  }
}
