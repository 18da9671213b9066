/**
 * The ten Ed25519 speccheck cases of Chalkias, Garillot and Nikolaenko (2020), as @nara/envelope ships them
 * in its vectors, and what the plaza/1 key and signature policy says about each: one list for the backends'
 * agreement test (envelope) and the hostile receive-pipeline suite (plaza).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface SpeccheckCase {
  message: string;
  pub_key: string;
  signature: string;
}

/** The cases, in the file's order (hex strings). */
export const SPECCHECK_CASES: readonly SpeccheckCase[] = JSON.parse(
  readFileSync(
    createRequire(import.meta.url).resolve('@nara/envelope/vectors/ed25519-speccheck-cases.json'),
    'utf8',
  ),
) as SpeccheckCase[];

/** The policy's reason for each case, in the same order: every backend refuses all ten with these. */
export const SPECCHECK_POLICY_REASONS: readonly string[] = [
  'key-small-order',
  'key-small-order',
  'key-mixed-order',
  'key-mixed-order',
  'key-mixed-order',
  'key-mixed-order',
  'signature-s-out-of-range',
  'signature-s-out-of-range',
  'key-mixed-order',
  'key-mixed-order',
];
