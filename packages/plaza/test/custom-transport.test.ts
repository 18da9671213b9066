import { createIdentity, randomSoul } from '@nara/identity';
import { type NaraEvent, type NaraNode, startNara } from '@nara/plaza';
import {
  assertPayload,
  assertTopicName,
  ConnectionSupervisor,
  compileValidFilter,
  createMemoryBus,
  SubscriptionTable,
  type Transport,
  TransportError,
  throwIfAborted,
} from '@nara/transport';
import { afterEach, describe, expect, it } from 'vitest';

const MAX_PAYLOAD = 65_536;

// The README's transport of your own, as written there.
function createChannelTransport(channelName: string): Transport {
  const subscriptions = new SubscriptionTable();
  let channel: BroadcastChannel | undefined;
  const close = () => {
    channel?.close();
    channel = undefined;
  };
  const supervisor = new ConnectionSupervisor(
    {
      dial() {
        channel = new BroadcastChannel(channelName);
        channel.onmessage = (event: MessageEvent<{ topic: string; payload: Uint8Array }>) =>
          subscriptions.dispatch(event.data.topic, event.data.payload, (error, filter) =>
            supervisor.reportHandlerError(error, filter),
          );
        supervisor.connected();
      },
      hangUp: close,
      disconnect: close,
    },
    { maxPayloadBytes: MAX_PAYLOAD },
  );
  return {
    capabilities: { will: false, retain: false, maxPayloadBytes: MAX_PAYLOAD },
    connect: (options) => supervisor.connect(options),
    close: (options) => supervisor.close(options),
    on: (listener) => supervisor.on(listener),
    async publish(topic, payload, options = {}) {
      throwIfAborted(options.signal);
      assertTopicName(topic);
      assertPayload(payload, MAX_PAYLOAD);
      if (supervisor.state !== 'connected' || channel === undefined)
        throw new TransportError('not-connected', 'not connected');
      channel.postMessage({ topic, payload });
    },
    async subscribe(filter, handler, options = {}) {
      throwIfAborted(options.signal);
      const { entry } = subscriptions.add(filter, compileValidFilter(filter), handler);
      return async () => void subscriptions.remove(entry);
    },
  };
}

function newspaperFrom(node: NaraNode, name: string): Promise<Extract<NaraEvent, { type: 'accepted' }>> {
  return new Promise((resolve) =>
    node.on((event) => {
      if (event.type === 'accepted' && event.kind === 'newspaper' && event.name === name) resolve(event);
    }),
  );
}

describe('a nara on a transport of its own', () => {
  const nodes: NaraNode[] = [];
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((n) => n.close()));
  });

  async function start(name: string, createTransport: () => Transport): Promise<NaraNode> {
    const identity = createIdentity({ name, soul: randomSoul(name) });
    const node = await startNara({ identity, heyThereMaxDelayMs: 0 }, { createTransport });
    nodes.push(node);
    return node;
  }

  it('meets another nara over a BroadcastChannel, and announces no transport mode it was not given', async () => {
    const channel = `plaza-${Math.random()}`;
    const ana = await start('ana', () => createChannelTransport(channel));
    const heard = newspaperFrom(ana, 'bob');
    await start('bob', () => createChannelTransport(channel));
    const newspaper = await heard;
    expect(ana.registry.get('bob')?.state).toBe('ONLINE');
    const status = (newspaper.envelope.body as { status: { transportMode?: string } }).status;
    expect(status.transportMode).toBeUndefined();
  });

  it('announces the mode its transport declares', async () => {
    const bus = createMemoryBus();
    const ana = await start('ana', () => bus.createTransport());
    const heard = newspaperFrom(ana, 'bob');
    const bob = await start('bob', () => bus.createTransport());
    expect(bob.connected).toBe(true);
    const status = ((await heard).envelope.body as { status: { transportMode?: string } }).status;
    expect(status.transportMode).toBe('mqtt');
  });
});
