import { readFileSync } from 'node:fs';
import { hexToBytes } from '@noble/hashes/utils.js';
import { base64 } from '@scure/base';
import type { InvalidVector, ValidVector } from '../scripts/generate-vectors.js';
import {
  type HowdyResult,
  type LegacyRejection,
  type NewspaperResult,
  type SyncEventResult,
  verifyHowdy,
  verifyNewspaper,
  verifySyncEvent,
} from '../src/index.js';

/** The vectors file (see vectors/README.md). */
export const vectors: { valid: ValidVector[]; invalid: InvalidVector[] } = JSON.parse(
  readFileSync(new URL('../vectors/legacy.json', import.meta.url), 'utf8'),
);

export type AnyResult = SyncEventResult | NewspaperResult | HowdyResult | LegacyRejection;

/** Verifies a vector's payload the way a receiver on its topic does. */
export function verifyVector(v: ValidVector | InvalidVector): AnyResult {
  const bytes = hexToBytes(v.payloadHex);
  const known = 'knownKey' in v && v.knownKey !== undefined ? base64.decode(v.knownKey) : undefined;
  switch (v.kind) {
    case 'hey-there':
    case 'chau':
      return verifySyncEvent(bytes, v.kind, { now: v.now, publicKey: known });
    case 'newspaper':
      return verifyNewspaper(bytes, v.topic.slice('nara/newspaper/'.length), { publicKey: known });
    case 'howdy':
      return verifyHowdy(bytes);
  }
}
