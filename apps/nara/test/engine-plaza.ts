import { createIdentity, randomSoul } from '@nara/identity';
import { createNara, type NaraNode } from '@nara/plaza';
import type { Transport, TransportEvent, TransportEventListener } from '@nara/transport';
import { createMqttTransport } from '@nara/transport-mqtt';

/**
 * A plaza of `count` naras run by the engine itself (`createNara` of @nara/plaza: its identity, signing,
 * newspaper and `retain` flag) in this process, over one real MQTT connection they share: a thousand
 * sockets would measure the machine's limits, not discovery. Each nara gets a view of that connection
 * that publishes as its own and hears nothing (a thousand naras hearing each other would be a million
 * verifications for a test about a newcomer). Each says hey-there at once and publishes its first
 * newspaper, retained, as every nara does; `stop()` closes them without chau, as if they were still there
 * (their retained newspapers stay on the broker).
 */
export async function engineMadePlaza(
  url: string,
  names: readonly string[],
): Promise<{ naras: NaraNode[]; stop: () => Promise<void> }> {
  const shared = createMqttTransport({ url });
  await shared.connect();
  const naras: NaraNode[] = [];
  let papers = 0;
  for (const name of names) {
    const identity = createIdentity({ name, soul: randomSoul(name) });
    const node = createNara(
      // Chattiness 0: the next newspaper is minutes away, so what a newcomer gets is the retained one.
      { identity, heyThereMaxDelayMs: 0, chattiness: 0 },
      { createTransport: () => viewOf(shared) },
    );
    node.on((e) => {
      if (e.type === 'published' && e.kind === 'newspaper') papers++;
    });
    await node.start();
    naras.push(node);
  }
  await until(() => papers >= names.length);
  // One publisher's messages reach the broker in order: once a marker sent after them comes back, the
  // broker holds every newspaper.
  let back = false;
  const marker = `probe/engine-plaza-${Math.random().toString(36).slice(2)}`;
  await shared.subscribe(marker, () => {
    back = true;
  });
  await shared.publish(marker, new Uint8Array([1]));
  await until(() => back);
  return {
    naras,
    stop: async () => {
      await Promise.all(naras.map((n) => n.close()));
      await shared.close();
    },
  };
}

/** `shared` as one nara's transport: its publishes, its own 'connected', nothing heard. */
function viewOf(shared: Transport): Transport {
  const listeners = new Set<TransportEventListener>();
  const emit = (event: TransportEvent) => {
    for (const l of listeners) l(event);
  };
  let open = false;
  return {
    capabilities: shared.capabilities,
    async connect() {
      open = true;
      queueMicrotask(() => emit({ type: 'connected' }));
    },
    publish: (topic, payload, options) => shared.publish(topic, payload, options),
    async subscribe() {
      return async () => {};
    },
    async close() {
      if (open) emit({ type: 'disconnected' });
      open = false;
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 20));
}
