/**
 * The invalid vectors that pin down the order of checks of docs/PROTOCOL.md (section 3.3, section 4,
 * section 5.5, section 7): one case per rule where two readings of the spec could give two reasons for the
 * same bytes. Called by scripts/generate-vectors.ts, which writes them after its own cases.
 */
import type { InvalidContext } from './vector-fixtures.js';
import { bindings, keys, strings, values } from './vectors-spec-fields.js';
import { outerStructure, protectedHeader } from './vectors-spec-framing.js';
import { counts, payloadShape } from './vectors-spec-payload.js';

export function specVectors(set: InvalidContext): void {
  protectedHeader(set);
  outerStructure(set);
  counts(set);
  payloadShape(set);
  strings(set);
  values(set);
  keys(set);
  bindings(set);
}
