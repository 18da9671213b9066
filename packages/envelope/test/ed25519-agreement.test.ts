import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { createRequire } from 'node:module';
import { createSignatureChecker, loadSodiumBackend, type SignatureCheck } from '@nara/envelope/node';
import { SPECCHECK_POLICY_REASONS } from '@nara/tooling/speccheck';
import { ed25519 } from '@noble/curves/ed25519.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { edgeCases, hex, speccheck } from './agreement-corpus.js';

const SPKI = hex('302a300506032b6570032100');

function rawNode(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): string {
  try {
    const key = createPublicKey({ key: Buffer.concat([SPKI, publicKey]), format: 'der', type: 'spki' });
    return nodeVerify(null, message, key, signature) ? 'accept' : 'reject';
  } catch {
    return 'throw';
  }
}

function rawNoble(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
  zip215?: boolean,
): string {
  try {
    const opts = zip215 === undefined ? undefined : { zip215 };
    return ed25519.verify(signature, message, publicKey, opts) ? 'accept' : 'reject';
  } catch {
    return 'throw';
  }
}

// sodium-native is a dependency of this workspace: if it does not load, these tests fail rather than skip.
const sodium = createRequire(import.meta.url)('sodium-native') as {
  crypto_sign_verify_detached(sig: Uint8Array, message: Uint8Array, key: Uint8Array): boolean;
};

function rawSodium(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): string {
  try {
    return sodium.crypto_sign_verify_detached(signature, message, publicKey) ? 'accept' : 'reject';
  } catch {
    return 'throw';
  }
}

const show = (r: SignatureCheck) => (r.ok ? 'accept' : r.reason);
const policyNode = createSignatureChecker({ backend: 'node' });
const policyNoble = createSignatureChecker({ backend: 'noble' });
const policySodium = createSignatureChecker({ backend: 'sodium' });

it('has the sodium backend available (sodium-native is installed in this workspace)', () => {
  expect(loadSodiumBackend()?.name).toBe('sodium');
  expect(policySodium.backend).toBe('sodium');
});

describe('the speccheck cases (Chalkias, Garillot, Nikolaenko 2020)', () => {
  const rows = speccheck.map((c, i) => {
    const [m, k, s] = [hex(c.message), hex(c.pub_key), hex(c.signature)];
    return {
      case: i,
      'raw node:crypto': rawNode(k, m, s),
      'raw noble (default)': rawNoble(k, m, s),
      'raw noble zip215:false': rawNoble(k, m, s, false),
      'raw libsodium': rawSodium(k, m, s),
      'policy, node backend': show(policyNode.verify(k, m, s)),
      'policy, noble backend': show(policyNoble.verify(k, m, s)),
      'policy, sodium backend': show(policySodium.verify(k, m, s)),
    };
  });

  it('shows the table: raw verifiers disagree, the three policy backends agree on every case', () => {
    const columns = Object.keys(rows[0]!) as (keyof (typeof rows)[number])[];
    const table = [
      columns.join(' | '),
      ...rows.map((r) => columns.map((c) => String(r[c])).join(' | ')),
    ].join('\n');
    process.stdout.write(`\nEd25519 speccheck cases\n${table}\n\n`);

    const rawDisagreements = rows
      .filter((r) => r['raw node:crypto'] !== r['raw noble (default)'])
      .map((r) => r.case);
    expect(rawDisagreements).toEqual([4, 5, 9]);
    for (const r of rows) {
      expect(r['policy, node backend'], `case ${r.case}`).toBe(r['policy, noble backend']);
      expect(r['policy, sodium backend'], `case ${r.case}`).toBe(r['policy, noble backend']);
    }
    expect(rows.map((r) => r['policy, node backend'])).toEqual(SPECCHECK_POLICY_REASONS);
  });
});

describe('the three backends under the policy', () => {
  it('give identical decisions on a corpus of edge cases around random keys', () => {
    let compared = 0;
    const tally = new Map<string, number>();
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 64 }),
        (seed, message) => {
          for (const [name, key, sig] of edgeCases(seed, message)) {
            const a = show(createSignatureChecker({ backend: 'node' }).verify(key, message, sig));
            const b = show(createSignatureChecker({ backend: 'noble' }).verify(key, message, sig));
            const c = show(createSignatureChecker({ backend: 'sodium' }).verify(key, message, sig));
            if (a !== b || a !== c) throw new Error(`${name}: node ${a}, noble ${b}, sodium ${c}`);
            tally.set(a, (tally.get(a) ?? 0) + 1);
            compared++;
          }
        },
      ),
      { numRuns: 6 },
    );
    process.stdout.write(
      `\nedge-case corpus, ${compared} cases: ${JSON.stringify(Object.fromEntries(tally))}\n`,
    );
    // 61 edge cases around each of 6 random keys: the 366 of docs/PROTOCOL.md §8.4, every one compared.
    expect(compared).toBe(366);
    expect(tally.get('accept')).toBeGreaterThan(0);
    expect(tally.get('key-mixed-order')).toBeGreaterThan(0);
    expect(tally.get('signature-small-order-r')).toBeGreaterThan(0);
  });

  it('give identical decisions on random bytes as key and signature', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 16 }),
        fc.uint8Array({ minLength: 64, maxLength: 64 }),
        (key, message, sig) => {
          const noble = show(policyNoble.verify(key, message, sig));
          expect(show(policyNode.verify(key, message, sig))).toBe(noble);
          expect(show(policySodium.verify(key, message, sig))).toBe(noble);
        },
      ),
      { numRuns: 40 },
    );
  });
});
