import { createSigner, EPOCH_BYTES, signEnvelope } from '@nara/envelope';
import { createIdentity, randomSoul } from '@nara/identity';
import { type NaraNode, startNara } from '@nara/plaza';
import { HEY_THERE_TOPIC } from '@nara/topics';
import { createMemoryBus } from '@nara/transport';
import { afterEach, describe, expect, it, vi } from 'vitest';

const ana = createIdentity({ name: 'ana', soul: randomSoul('ana') });

describe('a nara with pinned keys', () => {
  let node: NaraNode | undefined;
  afterEach(async () => {
    await node?.close();
    vi.useRealTimers();
  });

  it('rejects an impostor whose word about a pinned name comes first, and accepts the real key', async () => {
    vi.useFakeTimers();
    const bus = createMemoryBus();
    node = await startNara(
      { pins: [{ name: 'ana', publicKey: ana.publicKey }] },
      { createTransport: (init) => bus.createTransport(init) },
    );
    const send = bus.createTransport();
    await send.connect();
    const impostor = createIdentity({ name: 'ana', soul: randomSoul('ana') });
    const heyThere = (who: typeof ana) =>
      signEnvelope(createSigner(who.soul.unsafeSeed()), HEY_THERE_TOPIC, {
        kind: 'hey-there',
        name: who.name,
        naraId: who.naraId,
        epoch: new Uint8Array(EPOCH_BYTES).fill(1),
        seq: 0,
        time: Date.now(),
        body: {},
      });

    await send.publish(HEY_THERE_TOPIC, heyThere(impostor));
    await vi.advanceTimersByTimeAsync(10);
    // A pin is not a presence: the name is unheard until its real key speaks.
    expect(node.registry.get('ana')).toBeUndefined();
    expect(node.metrics.collect().find((m) => m.name === 'nara_envelopes_rejected_total')?.samples).toEqual([
      { labels: { reason: 'key-mismatch' }, key: 'reason="key-mismatch"', value: 1 },
    ]);

    await send.publish(HEY_THERE_TOPIC, heyThere(ana));
    await vi.advanceTimersByTimeAsync(10);
    expect(node.registry.get('ana')).toMatchObject({ state: 'ONLINE', publicKey: ana.publicKeyBase64 });
    await send.close();
  });
});
