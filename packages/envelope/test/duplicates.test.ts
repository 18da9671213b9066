import {
  createSigner,
  createVerifier,
  DEFAULT_DUPLICATE_CACHE_SIZE,
  type Ed25519Backend,
  nobleBackend,
  signEnvelope,
  type VerifiedEnvelope,
} from '@nara/envelope';
import { describe, expect, it } from 'vitest';
import { fromHex, validVectors } from './vectors.js';

function countingBackend() {
  const calls = { verify: 0 };
  const backend: Ed25519Backend = {
    name: 'counting',
    importKey: (key) => nobleBackend.importKey(key),
    verify(key, message, signature) {
      calls.verify++;
      return nobleBackend.verify(key as Parameters<typeof nobleBackend.verify>[0], message, signature);
    },
    createSigner: (seed) => nobleBackend.createSigner(seed),
  };
  return { backend, calls };
}

const signer = createSigner(new Uint8Array(32).fill(3));
const TOPIC = 'nara/plaza/newspaper/jojo';
function newspaper(seq: number, flair = '🌟') {
  return signEnvelope(signer, TOPIC, {
    kind: 'newspaper',
    name: 'jojo',
    naraId: '2gdnSNmnqsnvDoTxnj5PVyupruDnVUCaMH6tdGcpUjqa',
    epoch: new Uint8Array(8).fill(1),
    seq,
    time: 1_767_225_600_000 + seq,
    body: {
      status: {
        chattiness: 50,
        buzz: 10,
        flair,
        hostStats: { uptime: 5 },
        aura: { primary: '#000000', secondary: '#ffffff' },
      },
      next: 1_767_225_700_000,
    },
  });
}

function verified(result: ReturnType<ReturnType<typeof createVerifier>['verify']>): VerifiedEnvelope {
  if (!result.ok) throw new Error(`rejected: ${result.reason}`);
  return result.envelope;
}

describe('the verify-once cache', () => {
  it('verifies an envelope delivered twice only once, and gives the same content both times', () => {
    const { backend, calls } = countingBackend();
    const verifier = createVerifier({ backend });
    const bytes = newspaper(1);
    const first = verified(verifier.verify(TOPIC, bytes));
    const again = bytes.slice(); // a second delivery arrives in a buffer of its own
    const second = verified(verifier.verify(TOPIC, again));
    expect(calls.verify).toBe(1);
    expect(verifier.duplicates).toBe(1);
    const { bytes: b1, ...c1 } = first;
    const { bytes: b2, ...c2 } = second;
    expect(c2).toEqual(c1);
    expect(b2).toBe(again);
    expect(b1).toBe(bytes);
  });

  it('gives each delivery byte arrays of its own and a body frozen all the way down', () => {
    const verifier = createVerifier();
    const bytes = newspaper(2);
    const first = verified(verifier.verify(TOPIC, bytes));
    const second = verified(verifier.verify(TOPIC, bytes.slice()));
    expect(second.publicKey).not.toBe(first.publicKey);
    expect(second.epoch).not.toBe(first.epoch);
    first.publicKey.fill(0);
    first.epoch.fill(0);
    const third = verified(verifier.verify(TOPIC, bytes.slice()));
    expect(third.publicKey).toEqual(signer.publicKey);
    expect(third.epoch).toEqual(new Uint8Array(8).fill(1));
    if (first.kind !== 'newspaper') throw new Error('not a newspaper');
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.body)).toBe(true);
    expect(Object.isFrozen(first.body.status)).toBe(true);
    expect(Object.isFrozen(first.body.status.hostStats)).toBe(true);
    expect(Object.isFrozen(first.body.status.aura)).toBe(true);
  });

  it('never serves a forged copy: the same payload with another signature is verified, and rejected', () => {
    const { backend, calls } = countingBackend();
    const verifier = createVerifier({ backend });
    const bytes = newspaper(3);
    verified(verifier.verify(TOPIC, bytes));
    for (const at of [bytes.length - 1, bytes.length - 40, bytes.length - 64]) {
      const forged = bytes.slice();
      forged[at]! ^= 0x01;
      const result = verifier.verify(TOPIC, forged);
      expect(result.ok ? 'accepted' : result.reason).toBe('bad-signature');
    }
    expect(calls.verify).toBe(4);
    // And the genuine one is still answered from the cache.
    verified(verifier.verify(TOPIC, bytes.slice()));
    expect(calls.verify).toBe(4);
  });

  it('never serves the same signature over other bytes, or the same bytes on another topic', () => {
    const verifier = createVerifier();
    const bytes = newspaper(4);
    verified(verifier.verify(TOPIC, bytes));
    const changedPayload = bytes.slice();
    changedPayload[60]! ^= 0x01; // inside the payload, the signature (the cache id) untouched
    expect(verifier.verify(TOPIC, changedPayload).ok).toBe(false);
    const other = verifier.verify('nara/plaza/newspaper/other', bytes);
    expect(other.ok ? 'accepted' : other.reason).toBe('bad-signature');
    expect(verifier.duplicates).toBe(0);
  });

  it('cannot be poisoned by a caller that reuses the array it verified', () => {
    const verifier = createVerifier();
    const bytes = newspaper(5);
    verified(verifier.verify(TOPIC, bytes));
    bytes[60]! ^= 0x01; // the caller writes something else into the same array
    expect(verifier.verify(TOPIC, bytes).ok).toBe(false);
  });

  it('cannot be poisoned through the buffer of an array it handed out', () => {
    const verifier = createVerifier();
    const signed = newspaper(6);
    const bytes = signed.slice(); // a buffer of its own, outside the shared pool
    signed.fill(0); // and no copy left in the pool (signEnvelope's output is carved from it)
    const first = verified(verifier.verify(TOPIC, bytes));
    const forged = bytes.slice();
    forged[60]! ^= 0x01;
    // The envelope's key is carved from a shared pool: write the forged bytes over every copy of the genuine
    // ones that its buffer holds. The cache's private copy must not be among them.
    const pool = new Uint8Array(first.publicKey.buffer);
    let overwritten = 0;
    outer: for (let i = 0; i + bytes.length <= pool.length; i++) {
      for (let j = 0; j < bytes.length; j++) if (pool[i + j] !== bytes[j]) continue outer;
      pool.set(forged, i);
      overwritten++;
    }
    expect(overwritten).toBe(0);
    const result = verifier.verify(TOPIC, forged);
    expect(result.ok ? 'accepted' : result.reason).toBe('bad-signature');
  });

  it('stays bounded, dropping the oldest envelope first, and can be turned off', () => {
    const { backend, calls } = countingBackend();
    const verifier = createVerifier({ backend, duplicateCacheSize: 2 });
    const [a, b, c] = [newspaper(10), newspaper(11), newspaper(12)];
    for (const bytes of [a, b, c, c, b, a]) verified(verifier.verify(TOPIC, bytes));
    // a, b, c verified; c and b hits; a was dropped when c came, so verified again.
    expect(calls.verify).toBe(4);

    const off = countingBackend();
    const uncached = createVerifier({ backend: off.backend, duplicateCacheSize: 0 });
    for (const bytes of [a, a, a]) verified(uncached.verify(TOPIC, bytes));
    expect(off.calls.verify).toBe(3);
    expect(uncached.duplicates).toBe(0);
    expect(DEFAULT_DUPLICATE_CACHE_SIZE).toBeGreaterThan(0);
    expect(() => createVerifier({ duplicateCacheSize: -1 })).toThrow(/duplicateCacheSize/);
    expect(() => createVerifier({ duplicateCacheSize: 1.5 })).toThrow(TypeError);
  });

  it('verifies every vector kind through the cache with the same verdict twice (checkpoints are not kept)', () => {
    const { backend, calls } = countingBackend();
    const verifier = createVerifier({ backend });
    for (const v of validVectors) {
      const a = verifier.verify(v.topic, fromHex(v.envelope));
      const b = verifier.verify(v.topic, fromHex(v.envelope));
      expect(a.ok && b.ok, v.name).toBe(true);
    }
    const checkpoints = validVectors.filter((v) => v.topic.startsWith('nara/checkpoint/')).length;
    expect(checkpoints).toBeGreaterThan(0);
    expect(calls.verify).toBe(validVectors.length + checkpoints);
  });
});
