/**
 * Issue 8, benchmark 5: using both cores. The same 10,000 newspapers from 1,000 senders as benchmark 1,
 * verified on worker threads (the signature and key policy there, the decoding and the registry update on
 * this thread), against the single-thread pipeline in the same run. Wall clock on both sides: the point is
 * how much sooner the work is done with both cores, not how much CPU it takes.
 */
import type { VerifyResult } from '@nara/envelope/node';
import { createWorkerVerifier, type WorkerVerifier } from '@nara/envelope-workers';
import type { Figure, Workload } from '../measure.js';
import { type Message, PipelineRegistry, pipelineMessages, SENDERS } from '../plaza.js';
import { pipeline } from './1-pipeline.js';

/** Messages per verifyBatch call, and how many calls may be in flight while this thread ingests. */
const CHUNK = 512;
const DEPTH = 4;

/** Worker verification + registry update here, pipelined: this thread ingests one chunk while workers verify the next. */
export function workerPipeline(threads: number): Workload {
  let verifier: WorkerVerifier | undefined;
  let registry: PipelineRegistry;
  let messages: Message[] = [];
  let sendAt = 0;
  return {
    label: `worker pipeline (${threads} worker threads, default backend)`,
    async setup() {
      messages = pipelineMessages();
      await verifier?.close();
      verifier = createWorkerVerifier({ threads });
      // Each sender's key is judged by the policy once, in its worker: not part of the steady state.
      const first = await verifier.verifyBatch(messages.slice(0, SENDERS));
      if (!first.every((r) => r.ok)) throw new Error('worker verifier rejected a fixture');
      registry = new PipelineRegistry();
      sendAt = 0;
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
        for (const result of results) registry.apply(result);
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
