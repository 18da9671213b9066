/**
 * A Node application bundled by pack.test.ts (esbuild, one file): it verifies one envelope on a worker
 * thread. Bundled, `@nara/envelope-workers` no longer sits next to its `verify-worker.js`: the verifier must either
 * find the copy placed beside the bundle or say what to copy where.
 */
import { createSigner, signEnvelope } from '@nara/envelope';
import { createWorkerVerifier } from '@nara/envelope-workers';

const topic = 'nara/plaza/hey-there';
const bytes = signEnvelope(createSigner(new Uint8Array(32).fill(3)), topic, {
  kind: 'hey-there',
  name: 'bundled',
  naraId: 'BJaCQEz3nSxx6JJ5AYw9UgTwhHHr3EQNVrxLameiVY4J',
  epoch: new Uint8Array(8).fill(1),
  seq: 0,
  time: Date.now(),
  body: {},
});
try {
  const verifier = createWorkerVerifier({ threads: 1 });
  const result = await verifier.verify(topic, bytes);
  console.log(result.ok ? 'verified by workers' : `rejected: ${result.reason}`);
  await verifier.close();
} catch (error) {
  console.log(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  process.exitCode = 3;
}
