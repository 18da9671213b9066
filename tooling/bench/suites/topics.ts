import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { compileFilter, PLAZA_FILTER, parseTopic } from '@nara/topics';
import type { Figure, Workload } from '../measure.js';

const topics = Array.from({ length: 1024 }, (_, i) =>
  i % 4 === 0 ? 'nara/plaza/hey-there' : `nara/plaza/newspaper/nara-${i.toString(36)}-${(i * 7919) % 1000}`,
);
let sink = 0;

// Every received message is verified (about 12,700 Ed25519 verifies/s here), so what topic handling costs is
// best told against one verify: a ratio of 20 means parsing adds at most 5 percent to the receive path.
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const message = new Uint8Array(200).fill(7);
const signature = sign(null, message, privateKey);
const rawVerify: Workload = {
  label: 'node:crypto Ed25519 verify (cached key)',
  run(n) {
    for (let i = 0; i < n; i++) if (verify(null, message, publicKey, signature)) sink++;
  },
};

export const figures: Figure[] = [
  {
    kind: 'speed',
    name: 'topics.parse',
    description:
      'parseTopic, with full name validation, per raw Ed25519 verify (goal: parsing costs at most 5% of a verify)',
    goal: 20,
    subject: {
      label: 'parseTopic',
      run(n) {
        for (let i = 0; i < n; i++) {
          const r = parseTopic(topics[i & 1023] as string);
          if (r.ok) sink++;
        }
      },
    },
    baseline: rawVerify,
  },
  {
    kind: 'speed',
    name: 'topics.match',
    description: 'a compiled MQTT filter (nara/#) per raw Ed25519 verify (goal: at most 1% of a verify)',
    goal: 100,
    subject: {
      label: 'compileFilter("nara/#")',
      setup() {
        matcher = compileFilter(PLAZA_FILTER);
      },
      run(n) {
        for (let i = 0; i < n; i++) if (matcher(topics[i & 1023] as string)) sink++;
      },
    },
    baseline: rawVerify,
  },
];

let matcher: (topic: string) => boolean = () => false;
export const _sink = () => sink;
