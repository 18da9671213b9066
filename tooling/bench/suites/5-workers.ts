/**
 * Issue 8, benchmark 5: using both cores. The same 10,000 newspapers from 1,000 senders as benchmark 1,
 * verified on worker threads (the signature and key policy there, the decoding and the registry update on
 * this thread), against the single-thread pipeline in the same run. Wall clock on both sides: the point is
 * how much sooner the work is done with both cores, not how much CPU it takes.
 */
import {
  createWorkerVerifier,
  type VerifyResult,
  type WorkerVerifier,
} from '../../../packages/envelope/src/node.js';
import { createPeerRegistry, type PeerRegistry } from '../../../packages/peers/src/index.js';
import type { Figure, Workload } from '../measure.js';
import { fixedClock, ingest, type Message, makeMessages } from '../plaza.js';
import { pipeline } from './1-pipeline.js';

const SENDERS = 1000;
const PER_SENDER = 10;
/** Messages per verifyBatch call, and how many calls may be in flight while this thread ingests. */
const CHUNK = 512;
const DEPTH = 4;

const newRegistry = () => createPeerRegistry({ maxPeers: 2 * SENDERS }, { clock: fixedClock() });

/** Worker verification + registry update here, pipelined: this thread ingests one chunk while workers verify the next. */
export function workerPipeline(threads: number): Workload {
  let verifier: WorkerVerifier | undefined;
  let registry: PeerRegistry;
  let messages: Message[] = [];
  let sendAt = 0;
  let ingestAt = 0;
  return {
    label: `worker pipeline (${threads} worker threads, default backend)`,
    async setup() {
      messages = makeMessages(SENDERS, PER_SENDER).messages;
      await verifier?.close();
      verifier = createWorkerVerifier({ threads });
      // Each sender's key is judged by the policy once, in its worker: not part of the steady state.
      const first = await verifier.verifyBatch(messages.slice(0, SENDERS));
      if (!first.every((r) => r.ok)) throw new Error('worker verifier rejected a fixture');
      registry = newRegistry();
      sendAt = 0;
      ingestAt = 0;
    },
    async run(n) {
      const w = verifier as WorkerVerifier;
      const all = messages;
      const inflight: Promise<VerifyResult[]>[] = [];
      let submitted = 0;
      while (submitted < n || inflight.length > 0) {
        while (submitted < n && inflight.length < DEPTH) {
          const k = Math.min(CHUNK, n - submitted);
          const batch: Message[] = new Array(k);
          for (let i = 0; i < k; i++) {
            batch[i] = all[sendAt] as Message;
            if (++sendAt === all.length) sendAt = 0;
          }
          inflight.push(w.verifyBatch(batch));
          submitted += k;
        }
        const results = await (inflight.shift() as Promise<VerifyResult[]>);
        for (const result of results) {
          if (!result.ok) throw new Error(`rejected: ${result.reason}`);
          const applied = ingest(registry, result.envelope);
          if (!applied.ok) throw new Error(`registry refused: ${applied.reason}`);
          if (++ingestAt === all.length) {
            ingestAt = 0;
            registry.close();
            registry = newRegistry();
          }
        }
      }
    },
  };
}

export const figures: Figure[] = [
  {
    kind: 'speed',
    name: 'workers.pipeline',
    description:
      'receive pipeline of benchmark 1 (10,000 newspapers, 1,000 senders) with verification on 2 worker threads, sharded by sender, and the registry update on the main thread, against the single-thread pipeline (wall clock, both)',
    goal: 1.6,
    clock: 'wall',
    subject: workerPipeline(2),
    baseline: pipeline('auto', 'single-thread pipeline (default backend)'),
  },
];
