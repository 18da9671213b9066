/**
 * What a stranger on the broker can make without anyone's soul: a well-formed newspaper under another
 * nara's name, on that nara's topic, signed with the stranger's own key. Tests of retained messages
 * publish it (retained) to show who refuses it and who cannot be reached by it.
 *
 * @example
 * ```ts
 * const forged = strangerNewspaper(newspaperTopic('ana'), 'ana');
 * await stranger.publish(newspaperTopic('ana'), forged, { retain: true });
 * ```
 */
import { createSigner, EPOCH_BYTES, signEnvelope } from '@nara/envelope';
import { createIdentity, randomSoul } from '@nara/identity';

export function strangerNewspaper(topic: string, name: string, now = Date.now()): Uint8Array {
  const stranger = createIdentity({ name: 'mallory', soul: randomSoul('mallory') });
  return signEnvelope(createSigner(stranger.soul.unsafeSeed()), topic, {
    kind: 'newspaper',
    name,
    naraId: stranger.naraId,
    epoch: new Uint8Array(EPOCH_BYTES).fill(7),
    seq: 1,
    time: now,
    body: { status: { chattiness: 50, buzz: 0 }, next: now + 60_000 },
  });
}
