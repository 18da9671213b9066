/**
 * Generates vectors/valid.json and vectors/invalid.json from fixed seeds (deterministic: running it twice
 * gives the same bytes; a test checks the committed files are what it produces).
 *
 *   cd packages/envelope && npx tsx scripts/generate-vectors.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { toHex } from './forge.js';
import { specVectors } from './generate-vectors-spec.js';
import {
  aliceAfter,
  aliceNext,
  successionCases,
  successionInvalidVectors,
  successionValidVectors,
} from './generate-vectors-succession.js';
import { framingVectors } from './invalid-framing.js';
import { payloadVectors } from './invalid-payload.js';
import { signingVectors } from './invalid-signing.js';
import { validVectors } from './valid-vectors.js';
import { alice, bob, type InvalidVector, invalidContext } from './vector-fixtures.js';

export type { InvalidVector, ValidVector } from './vector-fixtures.js';

function invalidVectors(): InvalidVector[] {
  const out: InvalidVector[] = [];
  const context = invalidContext(out);
  framingVectors(context);
  signingVectors(context);
  payloadVectors(context);
  specVectors(context);
  successionInvalidVectors(context);
  return out;
}

export function buildVectors() {
  const header = {
    about: 'plaza/1 envelope vectors; schema in README.md beside this file',
    generatedBy: 'packages/envelope/scripts/generate-vectors.ts (deterministic, fixed seeds)',
    keys: {
      seeds: 'seed(i) = SHA-256(UTF-8 "nara plaza/1 vector key " + i); alice = 1, bob = 2',
      alice: toHex(alice.publicKey),
      bob: toHex(bob.publicKey),
    },
    maxBytes: 16_384,
  };
  return {
    valid: { ...header, vectors: [...validVectors(), ...successionValidVectors()] },
    invalid: { ...header, vectors: invalidVectors() },
    succession: {
      ...header,
      about:
        'plaza/1 key succession cases (docs/PROTOCOL.md section 12); schema in README.md beside this file',
      keys: {
        ...header.keys,
        aliceNext: toHex(aliceNext.publicKey),
        aliceAfter: toHex(aliceAfter.publicKey),
        more: "seed(3) and seed(4) are alice's next souls, seed(5) bob's next, seed(6) a thief's key",
      },
      vectors: successionCases(),
    },
  };
}

export const VECTOR_FILES = {
  valid: fileURLToPath(new URL('../vectors/valid.json', import.meta.url)),
  invalid: fileURLToPath(new URL('../vectors/invalid.json', import.meta.url)),
  succession: fileURLToPath(new URL('../vectors/succession.json', import.meta.url)),
};

export function serialize(value: unknown): string {
  return `${JSON.stringify(value, null, 1)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { valid, invalid, succession } = buildVectors();
  writeFileSync(VECTOR_FILES.valid, serialize(valid));
  writeFileSync(VECTOR_FILES.invalid, serialize(invalid));
  writeFileSync(VECTOR_FILES.succession, serialize(succession));
  console.log(
    `wrote ${valid.vectors.length} valid, ${invalid.vectors.length} invalid and ${succession.vectors.length} succession vectors`,
  );
}
