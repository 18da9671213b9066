import { createRequire } from 'node:module';
import { createSigner, createVerifier, signEnvelope, type VerifyResult } from '@nara/envelope/node';
import { createWorkerVerifier, WorkerVerifierError } from '@nara/envelope-workers';
import { afterAll, describe, expect, it } from 'vitest';

interface Vector {
  name: string;
  topic: string;
  envelope: string;
}
const load = (file: string): Vector[] =>
  createRequire(import.meta.url)(`@nara/envelope/vectors/${file}`).vectors;
const validVectors = load('valid.json');
const invalidVectors = load('invalid.json');
const fromHex = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'));

/** Byte strings as hex, so that results compare as plain data. */
function project(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (Array.isArray(value)) return value.map(project);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, project(v)]));
  return value;
}

/** What a result says, comparable across verifiers: the reason and detail, or the whole envelope. */
function summary(result: VerifyResult): unknown {
  if (!result.ok) return { ok: false, reason: result.reason, detail: result.detail };
  return { ok: true, envelope: project({ ...result.envelope }) };
}

const vectors = [...validVectors, ...invalidVectors].map((v) => ({
  name: v.name,
  topic: v.topic,
  bytes: fromHex(v.envelope),
}));

describe('a worker verifier', () => {
  const workers = createWorkerVerifier({ threads: 2, backend: 'node' });
  afterAll(() => workers.close());

  it('gives the same result as the single-thread verifier on every valid and invalid vector', async () => {
    const single = createVerifier({ backend: 'node', duplicateCacheSize: 0 });
    const batch = await workers.verifyBatch(vectors);
    const one = await Promise.all(vectors.map((v) => workers.verify(v.topic, v.bytes)));
    for (const [i, v] of vectors.entries()) {
      const expected = summary(single.verify(v.topic, v.bytes));
      expect({ name: v.name, result: summary(batch[i] as VerifyResult) }).toEqual({
        name: v.name,
        result: expected,
      });
      expect({ name: v.name, result: summary(one[i] as VerifyResult) }).toEqual({
        name: v.name,
        result: expected,
      });
    }
    expect(batch.filter((r) => r.ok)).toHaveLength(validVectors.length);
  });

  it('answers the messages of each sender in the order they were given, across batches and threads', async () => {
    const senders = Array.from({ length: 6 }, (_, i) => createSigner(new Uint8Array(32).fill(i + 1)));
    const order = new Map<string, number[]>();
    const calls: Promise<void>[] = [];
    for (let seq = 0; seq < 200; seq++) {
      for (const [i, signer] of senders.entries()) {
        const name = `order-${i}`;
        const topic = `nara/plaza/newspaper/${name}`;
        const bytes = signEnvelope(signer, topic, {
          kind: 'newspaper',
          name,
          naraId: 'BJaCQEz3nSxx6JJ5AYw9UgTwhHHr3EQNVrxLameiVxyz',
          epoch: new Uint8Array(8),
          seq,
          time: 1_767_225_600_000 + seq,
          body: { status: { chattiness: 50, buzz: 0 }, next: 1_767_225_700_000 },
        });
        // Every tenth message of a sender is corrupted: a rejection keeps its place in the order too.
        if (seq % 10 === 9) bytes[bytes.length - 1] = (bytes.at(-1) as number) ^ 1;
        calls.push(
          workers.verify(topic, bytes).then((result) => {
            const seen = order.get(name) ?? [];
            seen.push(result.ok ? result.envelope.seq : -seq);
            order.set(name, seen);
          }),
        );
      }
    }
    await Promise.all(calls);
    for (let i = 0; i < senders.length; i++) {
      const expected = Array.from({ length: 200 }, (_, seq) => (seq % 10 === 9 ? -seq : seq));
      expect(order.get(`order-${i}`)).toEqual(expected);
    }
  });

  it('checks and reads the bytes as they were given: changing the array while the answer is pending changes nothing', async () => {
    const signer = createSigner(new Uint8Array(32).fill(9));
    const topic = 'nara/plaza/newspaper/jojo';
    const bytes = signEnvelope(signer, topic, {
      kind: 'newspaper',
      name: 'jojo',
      naraId: '2gdnSNmnqsnvDoTxnj5PVyupruDnVUCaMH6tdGcpUjqa',
      epoch: new Uint8Array(8),
      seq: 1,
      time: 1_767_225_600_000,
      body: { status: { chattiness: 1, buzz: 2, trend: 'aaaa' }, next: 1_767_225_660_000 },
    }).slice();
    const pending = workers.verify(topic, bytes);
    // Rewrite "aaaa" to "bbbb" in the caller's array before the worker answers.
    const at = Buffer.from(bytes).indexOf('aaaa');
    bytes.fill(0x62, at, at + 4);
    const result = await pending;
    if (!result.ok) throw new Error(`${result.reason}: ${result.detail}`);
    if (result.envelope.kind !== 'newspaper') throw new Error('not a newspaper');
    expect(result.envelope.body.status.trend).toBe('aaaa');
  });

  it('throws a TypeError naming the argument for a topic that is not a string or bytes that are not bytes', () => {
    expect(() => workers.verify(7 as unknown as string, new Uint8Array(1))).toThrow(/topic/);
    expect(() => workers.verify('nara/plaza/hey-there', 'x' as unknown as Uint8Array)).toThrow(/bytes/);
    expect(() => createWorkerVerifier({ threads: 0 })).toThrow(/threads/);
  });
});

describe('closing a worker verifier', () => {
  it('terminates the workers and rejects calls made after it with a WorkerVerifierError', async () => {
    const workers = createWorkerVerifier({ threads: 1, backend: 'noble' });
    const v = validVectors[0]!;
    const before = await workers.verify(v.topic, fromHex(v.envelope));
    expect(before.ok).toBe(true);
    const pending = workers.verify(v.topic, fromHex(v.envelope)).then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await workers.close();
    expect(await pending).toBeInstanceOf(WorkerVerifierError);
    await expect(workers.verify(v.topic, fromHex(v.envelope))).rejects.toThrow(/closed/);
  });
});

describe('a worker that fails', () => {
  it('is reported to onError and rejects the pending calls, not swallowed', async () => {
    const errors: WorkerVerifierError[] = [];
    // A heap far too small to load the backend: the worker dies of it while the call waits.
    const workers = createWorkerVerifier({
      threads: 1,
      backend: 'noble',
      resourceLimits: { maxOldGenerationSizeMb: 1, maxYoungGenerationSizeMb: 1 },
      onError: (error) => errors.push(error),
    });
    const v = validVectors[0]!;
    const call = workers.verify(v.topic, fromHex(v.envelope));
    await expect(call).rejects.toBeInstanceOf(WorkerVerifierError);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/worker/);
    await expect(workers.verify(v.topic, fromHex(v.envelope))).rejects.toBe(errors[0]);
    await workers.close();
  });
});

describe('a worker file that is not where it should be', () => {
  it('is an error naming the place and what to copy there, before any worker starts', () => {
    const missing = new URL('file:///nowhere/bundle/verify-worker.js');
    expect(() => createWorkerVerifier({ threads: 1, workerUrl: missing })).toThrow(WorkerVerifierError);
    expect(() => createWorkerVerifier({ threads: 1, workerUrl: missing })).toThrow(
      /not at \/nowhere\/bundle\/verify-worker\.js: workerUrl must name a copy of @nara\/envelope-workers\/dist\/verify-worker\.js/,
    );
  });
});
