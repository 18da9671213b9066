import { describe, expect, it } from 'vitest';
import { fuzzLegacy } from '../fuzz/legacy.js';
import { createLegacyTarget } from '../fuzz/legacy-target.js';
import { fuzz } from '../fuzz/plaza.js';
import { createPipelineTarget } from '../fuzz/target.js';

// The sampled run of `pnpm fuzz` (1,000,000 inputs there; docs/SECURITY.md has its result).
describe('the fuzzer, sampled', () => {
  it('feeds 20,000 generated inputs through the receive pipeline: no exception escapes, no forgery is accepted', () => {
    const target = createPipelineTarget();
    const report = fuzz(target, { count: 20_000, seed: 20_250_101 });
    expect(report.failures).toEqual([]);
    expect(report.exceptions).toBe(0);
    expect(report.forgeries).toBe(0);
    expect(report.inputs).toBeGreaterThanOrEqual(20_000);
    // The inputs reach every stage: bytes, signatures, schema and registry rules all reject some.
    for (const reason of ['malformed-cbor', 'bad-signature', 'invalid-field', 'key-mismatch', 'replay'])
      expect(report.rejected[reason] ?? 0, reason).toBeGreaterThan(0);
    // Honest naras move to their next souls: old souls' messages and replayed successions are refused.
    for (const reason of ['key-retired', 'succession-replay'])
      expect(report.rejected[reason] ?? 0, reason).toBeGreaterThan(0);
    // Honest traffic still gets through, and the attacker's own names are its own business.
    expect(report.acceptedHonest).toBeGreaterThan(100);
    expect(report.acceptedAttacker).toBeGreaterThan(0);
  });

  it('is deterministic for a seed', () => {
    const a = fuzz(createPipelineTarget(), { count: 2_000, seed: 7 });
    const b = fuzz(createPipelineTarget(), { count: 2_000, seed: 7 });
    expect({ ...a, elapsedMs: 0 }).toEqual({ ...b, elapsedMs: 0 });
  });
});

describe('the Go-wire fuzzer, sampled', () => {
  it('feeds 5,000 generated Go-wire inputs through the Go-wire receive path: no exception, no forgery', () => {
    const report = fuzzLegacy(createLegacyTarget(), { count: 5_000, seed: 20_250_101 });
    expect(report.failures).toEqual([]);
    expect(report.exceptions).toBe(0);
    expect(report.forgeries).toBe(0);
    for (const reason of [
      'malformed-json',
      'duplicate-key',
      'lone-surrogate',
      'bad-signature',
      'key-mismatch',
      'replay',
    ])
      expect(report.rejected[reason] ?? 0, reason).toBeGreaterThan(0);
    expect(report.acceptedHonest).toBeGreaterThan(50);
  }, 60_000);
});
