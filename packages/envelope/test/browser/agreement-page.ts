/**
 * Runs in Chromium (webcrypto-chromium.test.ts): the async verifier and checker of the portable entry, with
 * whatever backend the page chooses by itself, over inputs handed in as hex.
 */
import { createAsyncSignatureChecker, createAsyncVerifier } from '@nara/envelope';

interface Input {
  key: string;
  message: string;
  signature: string;
}

const fromHex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (b) => Number.parseInt(b, 16));

async function signatures(inputs: Input[]): Promise<{ backend: string; decisions: string[] }> {
  const checker = await createAsyncSignatureChecker();
  const decisions: string[] = [];
  for (const c of inputs) {
    const r = await checker.verify(fromHex(c.key), fromHex(c.message), fromHex(c.signature));
    decisions.push(r.ok ? 'accept' : r.reason);
  }
  return { backend: checker.backend, decisions };
}

async function envelopes(inputs: { topic: string; envelope: string }[]) {
  const verifier = await createAsyncVerifier();
  const decisions: string[] = [];
  for (const v of inputs) {
    const r = await verifier.verify(v.topic, fromHex(v.envelope));
    decisions.push(r.ok ? 'accept' : r.reason);
  }
  return { backend: verifier.backend, decisions };
}

Object.assign(globalThis, { agreement: { signatures, envelopes } });
