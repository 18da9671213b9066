/**
 * Issue 8, benchmark 3: the same envelope delivered twice (bridged brokers, redelivery) costs at most 5% of
 * a verify the second time, through the verifier's bounded verify-once cache.
 */
import { createVerifier, type EnvelopeVerifier } from '@nara/envelope/node';
import { createPeerRegistry, type PeerRegistry } from '@nara/peers';
import type { Figure } from '../measure.js';
import { fixedClock, ingest, type Message, makeMessages, rawSodiumVerify } from '../plaza.js';

// 1,000 senders, one newspaper each: within the default cache size of 1,024 envelopes.
let messages: Message[] = [];
let copies: Uint8Array[] = [];
let verifier: EnvelopeVerifier;
let registry: PeerRegistry;
let at = 0;

export const figures: Figure[] = [
  {
    kind: 'speed',
    name: 'duplicates.second-delivery',
    description:
      'an envelope delivered a second time (in a buffer of its own) through the verifier and the registry, which rejects it as a replay, against one bare libsodium verify (the fastest verify here); goal 20 = the second delivery costs at most 5% of a verify',
    goal: 20,
    subject: {
      label: 'second delivery: verify-once cache hit + registry replay check',
      setup() {
        messages = makeMessages(1000, 10).messages.slice(0, 1000);
        copies = messages.map((m) => m.bytes.slice());
        verifier = createVerifier();
        registry = createPeerRegistry({ maxPeers: 2000 }, { clock: fixedClock() });
        for (const m of messages) {
          const first = verifier.verify(m.topic, m.bytes);
          if (!first.ok || !ingest(registry, first.envelope).ok) throw new Error('first delivery refused');
        }
      },
      run(n) {
        for (let k = 0; k < n; k++) {
          const m = messages[at]!;
          const result = verifier.verify(m.topic, copies[at]!);
          if (!result.ok) throw new Error(`rejected: ${result.reason}`);
          const applied = ingest(registry, result.envelope);
          if (applied.ok || applied.reason !== 'replay') throw new Error('a duplicate was applied');
          if (++at === messages.length) at = 0;
        }
      },
    },
    baseline: rawSodiumVerify('raw libsodium verify', () => messages),
  },
];
