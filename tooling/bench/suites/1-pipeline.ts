/**
 * Issue 8, benchmarks 1 and 2: the receive pipeline (size check, decode, key policy, verify, schema, topic
 * binding, registry update) over 10,000 distinct newspapers from 1,000 senders, against a bare verify of
 * the same signatures by the library underneath (the limit), and against the peers' verifiers.
 */
import { createPublicKey, type KeyObject, verify as nodeVerify } from 'node:crypto';
import { publicKeyFromRaw } from '@libp2p/crypto/keys';
import { type BackendName, createVerifier, type EnvelopeVerifier } from '@nara/envelope/node';
import { ed25519 } from '@noble/curves/ed25519.js';
import { finalizeEvent, type NostrEvent, verifyEvent } from 'nostr-tools/pure';
import type { Figure, Workload } from '../measure.js';
import {
  cycle,
  goNewspaperJson,
  type Message,
  nameOf,
  naraIdOf,
  PipelineRegistry,
  pipelineMessages,
  rawSodiumVerify,
  SENDERS,
  seedOf,
} from '../plaza.js';

let messages: Message[] = [];
function fixtures(): Message[] {
  if (messages.length === 0) messages = pipelineMessages();
  return messages;
}

/** The whole receive path of one nara: verify, then apply to the registry. */
export function pipeline(backend: BackendName, label = `our pipeline (${backend} backend)`): Workload {
  let verifier: EnvelopeVerifier;
  let registry: PipelineRegistry;
  let at = 0;
  return {
    label,
    setup() {
      const all = fixtures();
      verifier = createVerifier({ backend });
      // Each sender's key is judged by the policy once (about 1.4 ms): not part of the steady state.
      for (let i = 0; i < SENDERS; i++) verifier.verify(all[i]!.topic, all[i]!.bytes);
      registry = new PipelineRegistry();
      at = 0;
    },
    run(n) {
      const all = messages;
      for (let k = 0; k < n; k++) {
        const m = all[at]!;
        registry.apply(verifier.verify(m.topic, m.bytes));
        if (++at === all.length) at = 0;
      }
    },
  };
}

/** A bare verify of the same 10,000 signatures over the same bytes, keys prepared once per sender. */
function rawLoop(label: string, setup: () => void, verifyOne: (m: Message) => boolean): Workload {
  return cycle(
    label,
    fixtures,
    (m) => {
      if (!verifyOne(m)) throw new Error('raw verify failed');
    },
    () => {
      fixtures();
      setup();
    },
  );
}

let keyObjects: KeyObject[] = [];
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const rawNode = rawLoop(
  'raw node:crypto verify (KeyObject per sender)',
  () => {
    keyObjects = Array.from({ length: SENDERS }, (_, i) =>
      createPublicKey({
        key: Buffer.concat([SPKI_PREFIX, messages[i]!.publicKey]),
        format: 'der',
        type: 'spki',
      }),
    );
  },
  (m) => nodeVerify(null, m.toBeSigned, keyObjects[m.sender]!, m.signature),
);

const rawSodium = rawSodiumVerify('raw libsodium crypto_sign_verify_detached', fixtures);

const rawNoble = rawLoop(
  'raw @noble/curves ed25519.verify',
  () => {},
  (m) => ed25519.verify(m.signature, m.toBeSigned, m.publicKey),
);

type Verifiable = { verify(data: Uint8Array, sig: Uint8Array): boolean | Promise<boolean> };
let libp2pKeys: Verifiable[] = [];
const libp2p = rawLoop(
  '@libp2p/crypto Ed25519PublicKey.verify',
  () => {
    libp2pKeys = Array.from({ length: SENDERS }, (_, i) => publicKeyFromRaw(messages[i]!.publicKey));
  },
  (m) => libp2pKeys[m.sender]!.verify(m.toBeSigned, m.signature) === true,
);

/** One nostr event per sender carrying the same status as Go JSON: what a nostr-based plaza would send. */
let nostrEvents: NostrEvent[] = [];
const nostr = cycle(
  'nostr-tools verifyEvent',
  () => nostrEvents,
  (e) => {
    // A fresh object each time: verifyEvent caches its verdict on the event object it is given.
    const copy = {
      id: e.id,
      pubkey: e.pubkey,
      created_at: e.created_at,
      kind: e.kind,
      tags: e.tags,
      content: e.content,
      sig: e.sig,
    };
    if (!verifyEvent(copy)) throw new Error('nostr verify failed');
  },
  () => {
    nostrEvents = Array.from({ length: SENDERS }, (_, i) =>
      finalizeEvent(
        {
          kind: 30_078,
          created_at: 1_767_225_600 + i,
          tags: [['d', nameOf(i)]],
          content: goNewspaperJson(nameOf(i), naraIdOf(i)),
        },
        seedOf(i),
      ),
    );
  },
);

const description = (what: string) =>
  `receive pipeline: 10,000 newspapers from 1,000 senders through size check, decode, key policy, verify, schema, topic binding and registry update, ${what}`;

export const figures: Figure[] = [
  {
    kind: 'speed',
    name: 'pipeline.node',
    description: description('against a bare node:crypto verify of the same signatures'),
    goal: 0.9,
    subject: pipeline('node'),
    baseline: rawNode,
  },
  {
    kind: 'speed',
    name: 'pipeline.noble',
    description: description('on the portable backend, against a bare @noble/curves verify'),
    goal: 0.9,
    subject: pipeline('noble'),
    baseline: rawNoble,
  },
  {
    kind: 'speed',
    name: 'pipeline.sodium',
    description: description('on the libsodium backend, against a bare libsodium verify (the limit here)'),
    goal: 0.9,
    subject: pipeline('sodium'),
    baseline: rawSodium,
  },
  {
    kind: 'speed',
    name: 'peers.nostr-tools',
    description:
      'our pipeline (default backend) against nostr-tools verifyEvent on the same status as a nostr event (goal: above it)',
    goal: 1,
    subject: pipeline('auto', 'our pipeline (default backend)'),
    baseline: nostr,
  },
  {
    kind: 'speed',
    name: 'peers.libp2p',
    description:
      'our pipeline (default backend) against @libp2p/crypto Ed25519 verify of the same bytes (goal: above it)',
    goal: 1,
    subject: pipeline('auto', 'our pipeline (default backend)'),
    baseline: libp2p,
  },
];
