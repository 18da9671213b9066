/**
 * A browser page's nara, bundled by pack.test.ts with esbuild from the installed tarballs and run in
 * Chromium: a soul and its identity, a signed hey-there, published over MQTT on WebSockets to a broker on
 * loopback, received back, verified and ingested into a peer registry. The outcome goes to
 * `globalThis.naraResult` (or `naraError`), which the test reads.
 */
import { createSigner, createVerifier, signEnvelope } from '@nara/envelope';
import { createIdentity, randomSoul } from '@nara/identity';
import { createPeerRegistry } from '@nara/peers';
import { CHAU_TOPIC, HEY_THERE_TOPIC, PLAZA_FILTER } from '@nara/topics';
import { createMqttTransport } from '@nara/transport-mqtt';

const state = globalThis as unknown as { naraResult?: unknown; naraError?: string; brokerUrl: string };

async function run(): Promise<unknown> {
  const identity = createIdentity({ name: 'browser-nara', soul: randomSoul('browser-nara') });
  const signer = createSigner(identity.soul.unsafeSeed());
  const verifier = createVerifier();
  const registry = createPeerRegistry();
  const epoch = crypto.getRandomValues(new Uint8Array(8));
  let seq = 0;
  const content = { name: identity.name, naraId: identity.naraId, epoch, time: Date.now() };
  // A will rides on every CONNECT: its bytes go through the same path as a publish.
  const will = () => ({
    topic: CHAU_TOPIC,
    payload: signEnvelope(signer, CHAU_TOPIC, {
      ...content,
      kind: 'chau',
      seq: seq++,
      body: { reason: 'lost' },
    }),
  });
  const transport = createMqttTransport({ url: state.brokerUrl, will, backoff: { minMs: 50, maxMs: 200 } });
  const received = new Promise<string>((resolve) => {
    void transport.subscribe(PLAZA_FILTER, (message) => {
      const verified = verifier.verify(message.topic, message.payload);
      if (!verified.ok) return resolve(`rejected: ${verified.reason}`);
      registry.ingest(verified.envelope);
      resolve(verified.envelope.kind);
    });
  });
  await transport.connect({ signal: AbortSignal.timeout(10_000) });
  const bytes = signEnvelope(signer, HEY_THERE_TOPIC, {
    ...content,
    kind: 'hey-there',
    seq: seq++,
    body: {},
  });
  await transport.publish(HEY_THERE_TOPIC, bytes);
  const kind = await received;
  await transport.close();
  return {
    kind,
    backend: verifier.backend,
    url: transport.url,
    peers: registry.snapshot().peers.map((p) => ({ name: p.name, state: p.state, id: p.naraId })),
    naraId: identity.naraId,
  };
}

run().then(
  (result) => {
    state.naraResult = result;
  },
  (error: unknown) => {
    state.naraError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  },
);
