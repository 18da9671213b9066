/**
 * The fuzz target: the nara's own receive pipeline (`createReceivePipeline` of @nara/plaza), wired as startNara wires
 * it (node:crypto verifier, default registry, metrics), with a clock the fuzzer moves.
 */
import { createVerifier } from '@nara/envelope/node';
import { createPeerRegistry } from '@nara/peers';
import { createReceivePipeline, MetricsRegistry, type ReceivePipeline } from '@nara/plaza';
import type { FuzzTarget } from './plaza.js';

export interface PipelineTarget extends FuzzTarget {
  readonly pipeline: ReceivePipeline;
  readonly peers: () => number;
}

export function createPipelineTarget(): PipelineTarget {
  let now = 0;
  const registry = createPeerRegistry(
    {},
    {
      clock: {
        now: () => now,
        // Silence deadlines are not what the fuzzer looks at; no timers, so nothing outlives the run.
        setTimeout: () => 0,
        clearTimeout: () => {},
      },
    },
  );
  const pipeline = createReceivePipeline({
    verifier: createVerifier(),
    registry,
    metrics: new MetricsRegistry(),
  });
  return {
    pipeline,
    receive: (topic, bytes) => pipeline.receive(topic, bytes),
    setTime(ms) {
      now = ms;
    },
    peers: () => registry.size,
  };
}
