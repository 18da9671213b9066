/**
 * Issue 8, benchmark 4: building and signing a newspaper envelope against a bare node:crypto sign of the
 * same number of bytes.
 */
import { createPrivateKey, type KeyObject, sign } from 'node:crypto';
import {
  type AnyEnvelopeContent,
  type BackendName,
  createSigner,
  type Signer,
  signEnvelope,
} from '@nara/envelope/node';
import type { Figure, Workload } from '../measure.js';
import { consume, type Message, makeMessages, nameOf, newspaperContent, seedOf } from '../plaza.js';

const TOPIC = `nara/plaza/newspaper/${nameOf(7)}`;
/** Ten newspapers of one sender (seq 1..10): the content changes from one to the next as in a real nara. */
const contents: AnyEnvelopeContent[] = Array.from({ length: 10 }, (_, k) => newspaperContent(7, k + 1));

function ours(backend: BackendName): Workload {
  let signer: Signer;
  let at = 0;
  return {
    label: `signEnvelope (${backend === 'auto' ? 'default' : backend} signer): validate, encode, sign`,
    setup() {
      signer = createSigner(seedOf(7), { backend });
    },
    run(n) {
      for (let k = 0; k < n; k++) {
        consume(signEnvelope(signer, TOPIC, contents[at]!));
        if (++at === contents.length) at = 0;
      }
    },
  };
}

let privateKey: KeyObject;
let toBeSigned: Message['toBeSigned'];
const rawSign: Workload = {
  label: 'raw node:crypto sign of the Sig_structure (private KeyObject)',
  setup() {
    const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seedOf(7)]);
    privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    toBeSigned = makeMessages(1000, 10).messages[7]!.toBeSigned;
  },
  run(n) {
    for (let k = 0; k < n; k++) consume(sign(null, toBeSigned, privateKey));
  },
};

export const figures: Figure[] = [
  {
    kind: 'speed',
    name: 'sign.newspaper',
    description:
      'building and signing a newspaper envelope with the default signer (libsodium when present), against a bare node:crypto sign of the same bytes',
    goal: 0.85,
    subject: ours('auto'),
    baseline: rawSign,
  },
  {
    kind: 'speed',
    name: 'sign.newspaper.node',
    description:
      'the same with the node:crypto signer (where sodium-native is absent), against the same bare node:crypto sign',
    goal: 0.85,
    subject: ours('node'),
    baseline: rawSign,
  },
];
