/**
 * Issue 8, benchmark 6: bytes of a typical newspaper envelope against the Go newspaper JSON for the same
 * status (PROTOCOL-FACTS 2.4 and 2.5).
 */
import { createSigner, signEnvelope } from '@nara/envelope/node';
import type { Figure } from '../measure.js';
import { goNewspaperJson, nameOf, naraIdOf, newspaperContent, seedOf } from '../plaza.js';

const i = 7;
const envelope = signEnvelope(
  createSigner(seedOf(i)),
  `nara/plaza/newspaper/${nameOf(i)}`,
  newspaperContent(i, 1234),
);
const go = Buffer.byteLength(goNewspaperJson(nameOf(i), naraIdOf(i)));

export const figures: Figure[] = [
  {
    kind: 'size',
    name: 'size.newspaper',
    description:
      'bytes of a typical newspaper envelope (plaza/1, signed) against the Go newspaper JSON for the same status ({From, Status, Signature}, NaraStatus keys in Go order, base64 key and signature)',
    goal: 0.5,
    subject: { label: 'plaza/1 newspaper envelope', value: envelope.length, unit: 'bytes' },
    baseline: { label: 'Go JSON newspaper', value: go, unit: 'bytes' },
  },
];
