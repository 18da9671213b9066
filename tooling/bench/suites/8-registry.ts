/**
 * Issue 8, benchmark 8: registry scale. 100,000 peers with a typical status: heap per peer (measured in a
 * process of its own, with --expose-gc) and newspaper updates per second into a registry of that size.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { VerifiedEnvelope } from '@nara/envelope/node';
import { createPeerRegistry, type PeerRegistry } from '@nara/peers';
import { type CustomMeasurement, type Figure, stats } from '../measure.js';
import { fixedClock, ingest, pipelineMessages, rawSodiumVerify, receivedNewspaper, T0 } from '../plaza.js';

const PEERS = 100_000;
const BUDGET = 2048;

async function heapPerPeer(): Promise<CustomMeasurement> {
  const script = fileURLToPath(new URL('../registry-heap.ts', import.meta.url));
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  const runs: { registryBytesPerPeer: number; goJsonBytesPerPeer: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', script, String(PEERS)],
      { cwd: root, maxBuffer: 1 << 20 },
    );
    runs.push(JSON.parse(stdout.trim().split('\n').at(-1) as string));
  }
  const ours = runs.map((r) => r.registryBytesPerPeer);
  const go = runs.map((r) => r.goJsonBytesPerPeer);
  return {
    subject: {
      label: `@nara/peers registry, ${PEERS.toLocaleString('en-US')} peers`,
      ...stats(ours, 'bytes/peer'),
    },
    baseline: {
      label: 'budget (issue 8): 2 KiB per peer',
      median: BUDGET,
      min: BUDGET,
      max: BUDGET,
      unit: 'bytes/peer',
    },
    ratios: ours.map((b) => b / BUDGET),
    extra: {
      runs: runs.length,
      registryBytesPerPeer: stats(ours, 'bytes/peer'),
      goJsonMapBytesPerPeer: stats(go, 'bytes/peer'),
      note: 'goJsonMap: the same statuses kept as parsed Go JSON newspapers in a Map, for reference',
    },
  };
}

let registry: PeerRegistry;
let firsts: VerifiedEnvelope[] = [];
let peer = 0;
let seq = 2;

export const figures: Figure[] = [
  {
    kind: 'custom',
    name: 'registry.heap-per-peer',
    description: `heap per peer (JS heap and ArrayBuffers) of a registry of ${PEERS.toLocaleString('en-US')} peers with a typical status, after a full GC (3 runs, each in a process of its own), against the 2 KiB budget of issue 8`,
    direction: 'at-most',
    goal: 1,
    measure: heapPerPeer,
  },
  {
    kind: 'speed',
    name: 'registry.updates',
    description: `newspaper updates applied to a registry of ${PEERS.toLocaleString('en-US')} peers (each a new sequence number of a known peer), against one bare libsodium verify: goal 10 = an update costs at most a tenth of the verify it follows`,
    goal: 10,
    subject: {
      label: `registry.ingest, ${PEERS.toLocaleString('en-US')} peers`,
      setup() {
        registry = createPeerRegistry({ maxPeers: PEERS }, { clock: fixedClock() });
        firsts = Array.from({ length: PEERS }, (_, i) => receivedNewspaper(i));
        for (const env of firsts) if (!ingest(registry, env).ok) throw new Error('join refused');
      },
      run(n) {
        for (let k = 0; k < n; k++) {
          const f = firsts[peer]!;
          // The next newspaper of this peer: a new sequence number, the same status.
          const update = {
            kind: f.kind,
            name: f.name,
            naraId: f.naraId,
            epoch: f.epoch,
            seq,
            time: T0 + 4000,
            body: f.body,
            topic: f.topic,
            publicKey: f.publicKey,
            bytes: f.bytes,
          } as unknown as VerifiedEnvelope;
          const r = ingest(registry, update);
          if (!r.ok) throw new Error(`update refused: ${r.reason}`);
          if (++peer === PEERS) {
            peer = 0;
            seq++;
          }
        }
      },
    },
    baseline: rawSodiumVerify('raw libsodium verify', pipelineMessages),
  },
];
