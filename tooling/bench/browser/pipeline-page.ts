/**
 * Runs in Chromium for `pnpm bench` (suites/9-browser.ts): the standalone page's receive pipeline
 * (@nara/envelope's async verifier with WebCrypto, then @nara/peers' registry) against a bare WebCrypto
 * Ed25519 verify of the same signatures, in interleaved windows, timed in the page.
 */
import { createAsyncVerifier } from '@nara/envelope';
import { createPeerRegistry, type PeerRegistry } from '@nara/peers';

interface Message {
  topic: string;
  bytes: Uint8Array<ArrayBuffer>;
  toBeSigned: Uint8Array<ArrayBuffer>;
  signature: Uint8Array<ArrayBuffer>;
  sender: number;
}

const fromBase64 = (b: string) => Uint8Array.from(atob(b), (c) => c.charCodeAt(0));
const BATCH = 64;
const subtle = crypto.subtle;

async function run(
  input: {
    topic: string;
    bytes: string;
    toBeSigned: string;
    signature: string;
    publicKey: string;
    sender: number;
  }[],
  windows: number,
  windowMs: number,
  now: number,
): Promise<{ backend: string; pipeline: number[]; baseline: number[] }> {
  const messages: Message[] = input.map((m) => ({
    topic: m.topic,
    bytes: fromBase64(m.bytes),
    toBeSigned: fromBase64(m.toBeSigned),
    signature: fromBase64(m.signature),
    sender: m.sender,
  }));
  const keys = new Map<number, CryptoKey>();
  for (const m of input)
    if (!keys.has(m.sender))
      keys.set(
        m.sender,
        await subtle.importKey('raw', fromBase64(m.publicKey), { name: 'Ed25519' }, false, ['verify']),
      );
  const verifier = await createAsyncVerifier();
  const clock = { now: () => now, setTimeout: () => 0, clearTimeout: () => {} };
  const fresh = () => createPeerRegistry({ maxPeers: 2 * keys.size }, { clock });
  let registry: PeerRegistry = fresh();
  let p = 0;
  let b = 0;

  async function pipelineBatch(): Promise<number> {
    const batch = messages.slice(p, p + BATCH);
    p += batch.length;
    // As the standalone page does: verifications side by side, outcomes to the registry in order.
    const verdicts = batch.map((m) => verifier.verify(m.topic, m.bytes));
    for (const verdict of verdicts) {
      const result = await verdict;
      if (!result.ok) throw new Error(`rejected: ${result.reason}`);
      const outcome = registry.ingest(result.envelope);
      if (!outcome.ok) throw new Error(`registry refused: ${outcome.reason}`);
    }
    if (p >= messages.length) {
      p = 0;
      registry.close();
      registry = fresh();
    }
    return batch.length;
  }
  async function baselineBatch(): Promise<number> {
    const batch = messages.slice(b, b + BATCH);
    b = (b + batch.length) % messages.length;
    const ok = await Promise.all(
      batch.map((m) => subtle.verify({ name: 'Ed25519' }, keys.get(m.sender)!, m.signature, m.toBeSigned)),
    );
    if (ok.includes(false)) throw new Error('a bare verify failed');
    return batch.length;
  }
  async function rate(step: () => Promise<number>, ms: number): Promise<number> {
    const start = performance.now();
    let done = 0;
    while (performance.now() - start < ms) done += await step();
    return (done * 1000) / (performance.now() - start);
  }
  // Warm-up: one whole pass each, so that every sender's key is judged by the policy and imported (once per
  // key, as on a running page) before any window is timed.
  for (let done = 0; done < messages.length; ) done += await pipelineBatch();
  for (let done = 0; done < messages.length; ) done += await baselineBatch();
  const pipeline: number[] = [];
  const baseline: number[] = [];
  for (let w = 0; w < windows; w++) {
    pipeline.push(await rate(pipelineBatch, windowMs));
    baseline.push(await rate(baselineBatch, windowMs));
  }
  return { backend: verifier.backend, pipeline, baseline };
}

Object.assign(globalThis, { benchPipeline: run });
