/**
 * Heap per peer of a registry of PEERS peers with a typical status, measured in a process of its own (run
 * with --expose-gc): heap used after a full collection, before and after the registry is filled. For
 * reference, the same statuses kept as parsed Go JSON newspapers in a Map, measured the same way.
 * Prints one JSON line: { peers, registryBytesPerPeer, goJsonBytesPerPeer }.
 */
import { wrapSigner } from '../../packages/envelope/src/backend.js';
import { decodeEnvelope, signEnvelope, type VerifiedEnvelope } from '../../packages/envelope/src/node.js';
import { createPeerRegistry } from '../../packages/peers/src/index.js';
import { fixedClock, goNewspaperJson, ingest, nameOf, naraIdOf, newspaperContent } from './plaza.js';

const PEERS = Number(process.argv[2] ?? 100_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc!();
  return process.memoryUsage().heapUsed;
}

/**
 * A received newspaper of peer i, as the verifier hands it over. The signature is not checked here (that
 * is the pipeline's figure), so a signer that writes zeros spares 100,000 signatures; the decoded content
 * is exactly what verification produces.
 */
function received(i: number): VerifiedEnvelope {
  const key = new Uint8Array(32);
  key[0] = i & 0xff;
  key[1] = (i >> 8) & 0xff;
  key[2] = (i >> 16) & 0xff;
  key[31] = 0x42;
  const signer = wrapSigner('zeros', key, () => new Uint8Array(64));
  const topic = `nara/plaza/newspaper/${nameOf(i)}`;
  const decoded = decodeEnvelope(signEnvelope(signer, topic, newspaperContent(i, 1)).slice());
  if (!decoded.ok) throw new Error(decoded.reason);
  const { signature: _s, verified: _v, ...content } = decoded.envelope;
  return { ...content, topic } as unknown as VerifiedEnvelope;
}

const before = heapAfterGc();
const registry = createPeerRegistry({ maxPeers: PEERS }, { clock: fixedClock() });
for (let i = 0; i < PEERS; i++) {
  const r = ingest(registry, received(i));
  if (!r.ok) throw new Error(r.reason);
}
const registryBytes = heapAfterGc() - before;
if (registry.size !== PEERS) throw new Error('peers missing');

const beforeGo = heapAfterGc();
const go = new Map<string, unknown>();
for (let i = 0; i < PEERS; i++) go.set(nameOf(i), JSON.parse(goNewspaperJson(nameOf(i), naraIdOf(i))));
const goBytes = heapAfterGc() - beforeGo;

process.stdout.write(
  `${JSON.stringify({ peers: PEERS, registryBytesPerPeer: registryBytes / PEERS, goJsonBytesPerPeer: goBytes / go.size, kept: registry.size })}\n`,
);
