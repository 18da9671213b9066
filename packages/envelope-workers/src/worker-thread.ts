/**
 * The worker side of `createWorkerVerifier`: applies the Ed25519 policy (key, signature encoding) and checks
 * the signature of each Sig_structure the main thread sends, and answers with one verdict byte per message.
 * It sees no topics and no payload meaning: only (key, message, signature) triples, so that the main thread
 * trusts it for exactly one thing, the signature over exactly the bytes it sent.
 *
 * Built by tsup as its own entry (`dist/verify-worker.js`); the main thread finds it next to its own module.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type BackendName, resolveBackend, SignatureChecker } from '@nara/envelope/node';
import { type BatchRequest, type BatchVerdicts, VERDICT_CODES, type WorkerInit } from './worker-protocol.js';

const port = parentPort;
if (port === null) throw new Error('worker-thread.ts must run in a worker thread');
const init = workerData as WorkerInit;
const checker = new SignatureChecker({
  backend: resolveBackend(init.backend as BackendName),
  ...(init.keyCacheSize === undefined ? {} : { keyCacheSize: init.keyCacheSize }),
});
const codeOf = new Map(VERDICT_CODES.map((reason, i) => [reason, i + 1]));

port.on('message', (request: BatchRequest) => {
  const bytes = new Uint8Array(request.buffer);
  const view = new DataView(request.buffer);
  const verdicts = new Uint8Array(request.count);
  let p = 0;
  for (let i = 0; i < request.count; i++) {
    const length = view.getUint32(p, true);
    const key = bytes.subarray(p + 4, p + 36);
    const signature = bytes.subarray(p + 36, p + 100);
    const message = bytes.subarray(p + 100, p + 100 + length);
    p += 100 + length;
    const check = checker.verify(key, message, signature);
    verdicts[i] = check.ok ? 0 : (codeOf.get(check.reason) ?? 255);
  }
  const reply: BatchVerdicts = { id: request.id, verdicts: verdicts.buffer };
  port.postMessage(reply, [verdicts.buffer]);
});
