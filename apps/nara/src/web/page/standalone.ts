/**
 * Standalone mode, a script of its own (loaded only with `?mqtt=`): the page joins the plaza itself over
 * MQTT/WebSockets and runs the receive pipeline of a nara in the browser: every envelope verified here by
 * @nara/envelope (WebCrypto Ed25519 where the browser has it, noble otherwise), then @nara/peers' registry,
 * with the same reasons as on Node. It trusts neither a nara nor the broker: only signatures.
 */
import { createAsyncVerifier } from '@nara/envelope';
import { createPeerRegistry } from '@nara/peers';
import mqtt from 'mqtt';
import { claimedName, FeedBuilder, type FeedEvent } from '../events.js';

export interface StandaloneHandle {
  /** The Ed25519 backend verifying in this page: `webcrypto` or `noble`. */
  readonly backend: string;
  close(): void;
}

const FLUSH_MS = 250;

async function start(
  url: string,
  emit: (event: FeedEvent) => void,
  stream: (state: 'live' | 'lost') => void,
): Promise<StandaloneHandle> {
  const verifier = await createAsyncVerifier();
  const registry = createPeerRegistry();
  const feed = new FeedBuilder(emit, registry);
  registry.on((event) => feed.peerEvent(event));
  const counters = { received: 0, accepted: 0, rejected: {} as Record<string, number> };
  const refuse = (reason: string) => {
    counters.rejected[reason] = (counters.rejected[reason] ?? 0) + 1;
  };

  // Verifications run side by side; their outcomes reach the registry in arrival order, as on a nara.
  let tail: Promise<void> = Promise.resolve();
  function receive(topic: string, payload: Uint8Array): void {
    counters.received++;
    const verdict = verifier.verify(topic, payload);
    tail = tail.then(async () => {
      const result = await verdict;
      if (!result.ok) {
        refuse(result.reason);
        const name = claimedName(topic);
        feed.outcome({
          type: 'rejected',
          reason: result.reason,
          detail: result.detail,
          topic,
          ...(name ? { name } : {}),
        });
        return;
      }
      const envelope = result.envelope;
      const ingested = registry.ingest(envelope);
      if (!ingested.ok) {
        refuse(ingested.reason);
        feed.outcome({
          type: 'rejected',
          reason: ingested.reason,
          detail: ingested.detail,
          topic,
          name: envelope.name,
        });
        return;
      }
      counters.accepted++;
      feed.outcome({ type: 'accepted', kind: envelope.kind, name: envelope.name, envelope });
    });
  }

  emit({ type: 'snapshot', at: Date.now(), source: 'standalone', self: null, connected: false, peers: [] });
  const client = mqtt.connect(url, {
    clientId: `nara-page-${Math.random().toString(16).slice(2, 10)}`,
    clean: true,
    reconnectPeriod: 2000,
    connectTimeout: 10_000,
    keepalive: 30,
  });
  client.on('connect', () => {
    client.subscribe('nara/#', { qos: 0 });
    stream('live');
    emit({ type: 'link', at: Date.now(), connected: true });
  });
  const lost = () => {
    stream('lost');
    emit({ type: 'link', at: Date.now(), connected: false });
  };
  client.on('offline', lost);
  client.on('close', lost);
  client.on('message', (topic, payload) =>
    receive(topic, new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength)),
  );
  const timer = setInterval(() => {
    feed.flush();
    emit({ type: 'counters', at: Date.now(), counters: { ...counters, rejected: { ...counters.rejected } } });
  }, FLUSH_MS);
  return {
    backend: verifier.backend,
    close() {
      clearInterval(timer);
      client.end(true);
      registry.close();
    },
  };
}

Object.assign(globalThis, { naraStandalone: { start } });
