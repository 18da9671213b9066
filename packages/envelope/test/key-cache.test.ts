import {
  createSigner,
  createVerifier,
  type Ed25519Backend,
  nobleBackend,
  REJECT_REASONS,
  type RejectReason,
  signEnvelope,
} from '@nara/envelope';
import { describe, expect, it } from 'vitest';

function countingBackend() {
  const calls = { importKey: 0, verify: 0 };
  const backend: Ed25519Backend = {
    name: 'counting',
    importKey(key) {
      calls.importKey++;
      return nobleBackend.importKey(key);
    },
    verify(key, message, signature) {
      calls.verify++;
      return nobleBackend.verify(key as Parameters<typeof nobleBackend.verify>[0], message, signature);
    },
    createSigner: (seed) => nobleBackend.createSigner(seed),
  };
  return { backend, calls };
}

const HEY = 'nara/plaza/hey-there';
function heyThere(seedByte: number, seq = 0) {
  return signEnvelope(createSigner(new Uint8Array(32).fill(seedByte)), HEY, {
    kind: 'hey-there',
    name: 'jojo',
    naraId: '2gdnSNmnqsnvDoTxnj5PVyupruDnVUCaMH6tdGcpUjqa',
    epoch: new Uint8Array(8),
    seq,
    time: 1,
    body: {},
  });
}

describe('the per-key cache', () => {
  it('checks and imports a key once, however many messages it signs', () => {
    const { backend, calls } = countingBackend();
    const verifier = createVerifier({ backend });
    for (let seq = 0; seq < 5; seq++) expect(verifier.verify(HEY, heyThere(1, seq)).ok).toBe(true);
    expect(calls).toEqual({ importKey: 1, verify: 5 });
  });

  it('stays bounded, evicting the least recently used key, and still verifies evicted keys', () => {
    const { backend, calls } = countingBackend();
    // The same bytes come twice here: without the duplicate cache, every one reaches the key cache.
    const verifier = createVerifier({ backend, keyCacheSize: 2, duplicateCacheSize: 0 });
    for (const seed of [1, 2, 1, 3, 1, 2]) expect(verifier.verify(HEY, heyThere(seed)).ok).toBe(true);
    // 1, 2 imported; 1 hit; 3 evicts 2; 1 hit; 2 imported again.
    expect(calls.importKey).toBe(4);
  });

  it('never asks the backend about a key the policy refuses', () => {
    const { backend, calls } = countingBackend();
    const verifier = createVerifier({ backend });
    const bytes = heyThere(1).slice();
    bytes.set(Uint8Array.of(1, ...new Uint8Array(31)), 10); // the identity as kid
    expect(verifier.verify(HEY, bytes)).toMatchObject({ ok: false, reason: 'key-small-order' });
    expect(calls).toEqual({ importKey: 0, verify: 0 });
  });
});

describe('REJECT_REASONS', () => {
  it('lists every reason of the RejectReason type exactly once', () => {
    const every: Record<RejectReason, true> = Object.fromEntries(
      REJECT_REASONS.map((r) => [r, true]),
    ) as Record<RejectReason, true>;
    const typed = {
      'bad-topic': true,
      empty: true,
      'too-large': true,
      'malformed-cbor': true,
      'indefinite-length': true,
      'non-canonical-cbor': true,
      'duplicate-key': true,
      'unexpected-tag': true,
      'trailing-bytes': true,
      'invalid-utf8': true,
      'not-cose-sign1': true,
      'detached-payload': true,
      'bad-protected-header': true,
      'unsupported-alg': true,
      'bad-kid': true,
      'unexpected-header-parameter': true,
      'unprotected-header-not-empty': true,
      'key-non-canonical': true,
      'key-not-on-curve': true,
      'key-small-order': true,
      'key-mixed-order': true,
      'bad-signature-length': true,
      'signature-s-out-of-range': true,
      'signature-small-order-r': true,
      'bad-signature': true,
      'unsupported-version': true,
      'unknown-kind': true,
      'missing-field': true,
      'unknown-field': true,
      'invalid-field': true,
      'invalid-name': true,
      'kind-mismatch': true,
      'name-mismatch': true,
      'subject-mismatch': true,
      'op-mismatch': true,
      'signed-by-previous': true,
    } satisfies Record<RejectReason, true>;
    expect(Object.keys(every).sort()).toEqual(Object.keys(typed).sort());
    expect(new Set(REJECT_REASONS).size).toBe(REJECT_REASONS.length);
  });
});
