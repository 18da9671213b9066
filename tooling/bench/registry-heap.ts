/**
 * Heap per peer of a registry of PEERS peers with a typical status, measured in a process of its own (run
 * with --expose-gc): heap used, and ArrayBuffer memory, after a full collection, before and after the registry is filled. For
 * reference, the same statuses kept as parsed Go JSON newspapers in a Map, measured the same way.
 * Prints one JSON line: { peers, registryBytesPerPeer, goJsonBytesPerPeer }.
 */
import { createPeerRegistry } from '@nara/peers';
import { fixedClock, goNewspaperJson, ingest, nameOf, naraIdOf, receivedNewspaper } from './plaza.js';

const PEERS = Number(process.argv[2] ?? 100_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

/** The JS heap and the ArrayBuffers outside it (a verified status keeps a copy of its bytes in one). */
function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc!();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

const before = heapAfterGc();
const registry = createPeerRegistry({ maxPeers: PEERS }, { clock: fixedClock() });
for (let i = 0; i < PEERS; i++) {
  const r = ingest(registry, receivedNewspaper(i));
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
