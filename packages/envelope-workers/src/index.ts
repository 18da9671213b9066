/**
 * Verification of plaza/1 envelopes on worker threads, for observers of large plazas: the signature checks
 * (the Ed25519 policy and the equation, nearly all of the cost) run in workers, the cheap decoding on the
 * calling thread, which alone creates each VerifiedEnvelope.
 *
 * @packageDocumentation
 */

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type ResourceLimits, Worker } from 'node:worker_threads';
import {
  bindVerified,
  type CoseLayout,
  DEFAULT_KEY_CACHE_SIZE,
  fromFailure,
  integerOption,
  newLayout,
  readCose,
  reject,
  Scratch,
  StrictReader,
  signatureDetail,
  sigStructure,
  TopicCache,
  type TopicEntry,
} from '@nara/envelope/internal';
import {
  type BackendName,
  DEFAULT_MAX_BYTES,
  type Rejection,
  resolveBackend,
  type VerifyResult,
} from '@nara/envelope/node';
import {
  type BatchRequest,
  type BatchVerdicts,
  RECORD_HEAD,
  VERDICT_CODES,
  type WorkerInit,
} from './worker-protocol.js';

/** Options of {@link createWorkerVerifier}. */
export interface WorkerVerifierOptions {
  /** Worker threads; a sender (its key) always goes to the same one. Default: the available parallelism. */
  threads?: number;
  /** A backend by name (an object cannot cross threads). Default `auto`. */
  backend?: BackendName;
  /** Envelopes longer than this are rejected before decoding. Default 16 KiB. */
  maxBytes?: number;
  /** Public keys whose policy verdict and imported form each worker keeps. Default 4096. */
  keyCacheSize?: number;
  /** Messages sent to a worker in one postMessage, at most. Default 256. */
  batchSize?: number;
  /** Memory limits of each worker (as `new Worker` takes them); a worker that exceeds them fails. */
  resourceLimits?: ResourceLimits;
  /** Told once when a worker fails (the pending and later calls reject with the same error). */
  onError?: (error: WorkerVerifierError) => void;
  /**
   * Where `verify-worker.js` is. Default: next to this module, as published. A bundle moves this module
   * away from it: copy `node_modules/@nara/envelope-workers/dist/verify-worker.js` (one self-contained file) next
   * to the bundle, or pass its location here.
   */
  workerUrl?: URL | string;
}

/**
 * A worker failed or the verifier was closed: an infrastructure failure, not a verdict on any message (hostile
 * bytes give `{ ok: false }`, never this). `cause` holds the worker's own error. Match by `.name`.
 */
export class WorkerVerifierError extends Error {
  override readonly name = 'WorkerVerifierError';
}

/** One message to verify. */
export interface VerifyRequest {
  topic: string;
  bytes: Uint8Array;
}

/** Verifies plaza/1 envelopes on worker threads; see {@link createWorkerVerifier}. */
export interface WorkerVerifier {
  /** The backend the workers use (`sodium`, `node`, `noble`). */
  readonly backend: string;
  readonly threads: number;
  /**
   * Verifies `bytes` received on `topic`: the same result as `EnvelopeVerifier.verify`. Results of one
   * sender (one key) come back in the order they were asked for.
   *
   * @throws {TypeError} when `topic` is not a string or `bytes` not a Uint8Array.
   */
  verify(topic: string, bytes: Uint8Array): Promise<VerifyResult>;
  /** Verifies many at once; the results are in the order of `messages`. */
  verifyBatch(messages: readonly VerifyRequest[]): Promise<VerifyResult[]>;
  /** Terminates the workers; calls still pending reject with a {@link WorkerVerifierError}. */
  close(): Promise<void>;
}

interface Sink {
  settle(index: number, result: VerifyResult): void;
  fail(error: Error): void;
}

class OneSink implements Sink {
  constructor(
    readonly resolve: (r: VerifyResult) => void,
    readonly reject: (e: Error) => void,
  ) {}
  settle(_index: number, result: VerifyResult): void {
    this.resolve(result);
  }
  fail(error: Error): void {
    this.reject(error);
  }
}

class ManySink implements Sink {
  private left: number;
  private failed = false;
  constructor(
    readonly results: VerifyResult[],
    readonly resolve: (r: VerifyResult[]) => void,
    readonly reject: (e: Error) => void,
  ) {
    this.left = results.length;
    if (this.left === 0) resolve(results);
  }
  settle(index: number, result: VerifyResult): void {
    this.results[index] = result;
    if (--this.left === 0 && !this.failed) this.resolve(this.results);
  }
  fail(error: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.reject(error);
  }
}

interface Pending {
  topic: string;
  entry: TopicEntry;
  /** The caller's array, handed back in the envelope. */
  bytes: Uint8Array;
  /** A private copy of it, taken when queued: what the worker checks and the payload is read from. */
  copy: Uint8Array;
  parts: CoseLayout;
  sink: Sink;
  index: number;
}

interface Lane {
  worker: Worker;
  queue: Pending[];
  inflight: { id: number; items: Pending[] }[];
}

/**
 * Where the worker's code is: as given, or next to this module, built (`.js`) or, in this repository, as
 * source. A missing file is an error that says what to copy where, not a worker failing later.
 */
function workerLocation(given: URL | string | undefined): { script: URL | string; eval: boolean } {
  const here = import.meta.url;
  if (given !== undefined || !here.endsWith('.ts')) {
    const script = given === undefined ? new URL('./verify-worker.js', here) : new URL(given, here);
    if (script.protocol === 'file:' && !existsSync(script))
      throw new WorkerVerifierError(
        `the verify worker is not at ${fileURLToPath(script)}` +
          (given === undefined
            ? ' (was @nara/envelope-workers bundled?): copy node_modules/@nara/envelope-workers/dist/verify-worker.js to that' +
              ' place, or pass createWorkerVerifier({ workerUrl }) with where you put it'
            : ': workerUrl must name a copy of @nara/envelope-workers/dist/verify-worker.js'),
      );
    return { script, eval: false };
  }
  // Running from the sources (tests, benchmarks): the worker needs a TypeScript loader, and on Node 20 a
  // worker does not get the hooks its parent's `--import tsx` registered, so a bootstrap loads it by tsx's API.
  const source = new URL('./worker-thread.ts', here);
  const api = pathToFileURL(
    createRequire(here)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const target = JSON.stringify(source.href);
  return {
    script: `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${target}, ${target}));`,
    eval: true,
  };
}

class Verifier implements WorkerVerifier {
  readonly backend: string;
  readonly threads: number;
  private readonly lanes: Lane[];
  private readonly maxBytes: number;
  private readonly batchSize: number;
  private readonly topics = new TopicCache();
  private readonly scratch = new Scratch();
  /** Reads the COSE structure of each message, and each verified payload: one for the whole verifier. */
  private readonly reader = new StrictReader(new Uint8Array(0));
  private staging = new Uint8Array(64 * 1024);
  private nextId = 1;
  private flushScheduled = false;
  private failure: WorkerVerifierError | null = null;
  private closed = false;
  private readonly onError: ((error: WorkerVerifierError) => void) | undefined;

  constructor(options: WorkerVerifierOptions, backendName: string) {
    this.backend = backendName;
    this.threads = integerOption(options.threads, 'threads', Math.max(1, availableParallelism()));
    this.maxBytes = integerOption(options.maxBytes, 'maxBytes', DEFAULT_MAX_BYTES);
    this.batchSize = integerOption(options.batchSize, 'batchSize', 256);
    const keyCacheSize = integerOption(options.keyCacheSize, 'keyCacheSize', DEFAULT_KEY_CACHE_SIZE);
    this.onError = options.onError;
    const init: WorkerInit = { backend: options.backend ?? 'auto', keyCacheSize };
    const where = workerLocation(options.workerUrl);
    this.lanes = Array.from({ length: this.threads }, () => {
      const worker = new Worker(where.script, {
        workerData: init,
        eval: where.eval,
        ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
      });
      const lane: Lane = { worker, queue: [], inflight: [] };
      worker.unref();
      worker.on('message', (reply: BatchVerdicts) => this.answer(lane, reply));
      worker.on('error', (error) =>
        this.fail(new WorkerVerifierError('a verify worker failed', { cause: error })),
      );
      worker.on('messageerror', (error) =>
        this.fail(new WorkerVerifierError('a verify worker sent an unreadable message', { cause: error })),
      );
      worker.on('exit', (code) => {
        if (!this.closed)
          this.fail(new WorkerVerifierError(`a verify worker exited unexpectedly (code ${code})`));
      });
      return lane;
    });
  }

  verify(topic: string, bytes: Uint8Array): Promise<VerifyResult> {
    this.checkArguments(topic, bytes);
    return new Promise((resolve, rejectPromise) =>
      this.enqueue(topic, bytes, new OneSink(resolve, rejectPromise), 0),
    );
  }

  verifyBatch(messages: readonly VerifyRequest[]): Promise<VerifyResult[]> {
    if (!Array.isArray(messages)) throw new TypeError('messages must be an array');
    for (const m of messages) this.checkArguments(m?.topic, m?.bytes);
    return new Promise((resolve, rejectPromise) => {
      const sink = new ManySink(new Array<VerifyResult>(messages.length), resolve, rejectPromise);
      for (let i = 0; i < messages.length; i++) {
        const m = messages[i] as VerifyRequest;
        this.enqueue(m.topic, m.bytes, sink, i);
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.failAll(new WorkerVerifierError('the worker verifier was closed'));
    await Promise.all(this.lanes.map((lane) => lane.worker.terminate()));
  }

  private checkArguments(topic: unknown, bytes: unknown): void {
    if (typeof topic !== 'string') throw new TypeError('topic must be a string');
    if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
  }

  /** The steps before the signature, here; then the message waits for its sender's worker. */
  private enqueue(topic: string, bytes: Uint8Array, sink: Sink, index: number): void {
    if (this.failure !== null) {
      sink.fail(this.failure);
      return;
    }
    const entry = this.topics.get(topic);
    const parts = entry.rejection ?? this.structure(bytes);
    if ('ok' in parts) {
      sink.settle(index, parts);
      return;
    }
    const kidAt = parts.kidAt;
    // By key, so that one sender's messages are checked by one worker and answered in order.
    const lane = this.lanes[
      ((bytes[kidAt] as number) | ((bytes[kidAt + 1] as number) << 8)) % this.threads
    ] as Lane;
    lane.queue.push({ topic, entry, bytes, copy: bytes.slice(), parts, sink, index });
    if (lane.queue.length >= this.batchSize) this.send(lane);
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** Size and COSE structure: the parts, or the rejection the single-thread verifier would give. */
  private structure(bytes: Uint8Array): CoseLayout | Rejection {
    if (bytes.length === 0) return reject('empty', 'no bytes');
    if (bytes.length > this.maxBytes) return reject('too-large', `more than ${this.maxBytes} bytes`);
    try {
      // A layout per message (it waits for the worker's answer); the reader is shared.
      const layout = newLayout();
      readCose(bytes, layout, this.reader);
      return layout;
    } catch (error) {
      return fromFailure(error);
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    for (const lane of this.lanes) if (lane.queue.length > 0) this.send(lane);
  }

  /** Packs the lane's queue into one buffer and transfers it to the lane's worker. */
  private send(lane: Lane): void {
    const items = lane.queue;
    lane.queue = [];
    if (this.failure !== null) {
      for (const item of items) item.sink.fail(this.failure);
      return;
    }
    let p = 0;
    for (const item of items) {
      const tbs = sigStructure(item.copy, item.parts, item.entry.aad, this.scratch);
      const need = p + RECORD_HEAD + tbs.length;
      if (need > this.staging.length) {
        const bigger = new Uint8Array(Math.max(need, this.staging.length * 2));
        bigger.set(this.staging.subarray(0, p));
        this.staging = bigger;
      }
      const s = this.staging;
      const n = tbs.length;
      s[p] = n & 0xff;
      s[p + 1] = (n >>> 8) & 0xff;
      s[p + 2] = (n >>> 16) & 0xff;
      s[p + 3] = (n >>> 24) & 0xff;
      const b = item.copy;
      const kidAt = item.parts.kidAt;
      const signatureAt = item.parts.signatureAt;
      for (let i = 0; i < 32; i++) s[p + 4 + i] = b[kidAt + i]!;
      for (let i = 0; i < 64; i++) s[p + 36 + i] = b[signatureAt + i]!;
      s.set(tbs, p + RECORD_HEAD);
      p = need;
    }
    const buffer = this.staging.slice(0, p).buffer;
    const request: BatchRequest = { id: this.nextId++, count: items.length, buffer };
    if (lane.inflight.length === 0) lane.worker.ref();
    lane.inflight.push({ id: request.id, items });
    lane.worker.postMessage(request, [buffer]);
  }

  /** A worker's verdicts, in the order it was sent them: the steps after the signature, here. */
  private answer(lane: Lane, reply: BatchVerdicts): void {
    const batch = lane.inflight[0];
    if (batch === undefined || batch.id !== reply.id) {
      this.fail(new WorkerVerifierError('a verify worker answered out of order'));
      return;
    }
    lane.inflight.shift();
    if (lane.inflight.length === 0) lane.worker.unref();
    const verdicts = new Uint8Array(reply.verdicts);
    const items = batch.items;
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as Pending;
      const code = verdicts[i] as number;
      if (code === 0) {
        item.sink.settle(item.index, this.finish(item));
        continue;
      }
      const reason = VERDICT_CODES[code - 1];
      if (reason === undefined) {
        item.sink.fail(new WorkerVerifierError(`a verify worker answered with an unknown code ${code}`));
        continue;
      }
      item.sink.settle(item.index, reject(reason, signatureDetail(reason)));
    }
  }

  /**
   * The steps after a good signature, as `EnvelopeVerifier.verify` takes them: payload schema and topic
   * binding, read from the private copy (the bytes the worker checked, whatever the caller did since).
   */
  private finish(item: Pending): VerifyResult {
    try {
      const envelope = bindVerified(item.bytes, item.copy, item.parts, item.entry, item.topic, this.reader);
      return 'ok' in envelope ? envelope : { ok: true, envelope };
    } catch (error) {
      return fromFailure(error);
    }
  }

  private fail(error: WorkerVerifierError): void {
    if (this.failure !== null || this.closed) return;
    this.failAll(error);
    this.onError?.(error);
    for (const lane of this.lanes) void lane.worker.terminate();
  }

  private failAll(error: WorkerVerifierError): void {
    this.failure = error;
    for (const lane of this.lanes) {
      for (const batch of lane.inflight) for (const item of batch.items) item.sink.fail(error);
      for (const item of lane.queue) item.sink.fail(error);
      lane.inflight = [];
      lane.queue = [];
      lane.worker.unref();
    }
  }
}

/**
 * Creates a verifier whose signature checks run on worker threads (the Ed25519 policy of each key and the
 * equation), sharded by sender key; topic, size and structure are checked before, the payload schema and
 * topic binding after, on the calling thread, which alone creates each VerifiedEnvelope. Its results equal
 * those of `createVerifier()` (there is no verify-once cache here). Call `close()` when done.
 *
 * @throws {BackendUnavailableError} when the backend cannot be loaded here.
 * @example
 * ```ts
 * import { createWorkerVerifier } from '@nara/envelope-workers';
 * const verifier = createWorkerVerifier({ threads: 2 });
 * const result = await verifier.verify(topic, bytes);
 * if (result.ok) console.log(result.envelope.name);
 * await verifier.close();
 * ```
 */
export function createWorkerVerifier(options: WorkerVerifierOptions = {}): WorkerVerifier {
  if (options.backend !== undefined && typeof options.backend !== 'string')
    throw new TypeError('backend must be a backend name (an object cannot cross threads)');
  // Resolved here too, so that an unavailable backend throws now rather than in every worker.
  const name = resolveBackend(options.backend ?? 'auto').name;
  return new Verifier({ ...options, backend: name as BackendName }, name);
}
