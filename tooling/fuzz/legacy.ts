/**
 * The fuzzer's Go wire: generated inputs through a nara's Go-wire receive path (legacy-target.ts), with
 * the engine's two properties (engine.ts):
 *
 * - no exception escapes (`receive` returns, never with `internal-error`);
 * - no forgery is accepted: an accepted message under an honest name carries a signature its honest signer
 *   made (Ed25519 is deterministic, so one signature is one signed content), and was verified with that
 *   signer's key. The attacker's own names are its business.
 *
 * Inputs: byte-level mutations (mutators.ts) and JSON-aware ones (key case and duplicates under Go's fold,
 * numbers, escapes and lone surrogates, nesting, swapped signatures), messages re-signed by the attacker
 * under honest names, the attacker's own messages, replays, random bytes and random JSON, with honest Go
 * traffic interleaved. Deterministic for a seed.
 */

import { createSigner, type Signer } from '@nara/envelope/node';
import {
  buildHowdy,
  buildNewspaper,
  buildSyncEvent,
  LEGACY_CHAU_TOPIC,
  LEGACY_HEY_THERE_TOPIC,
  LEGACY_HOWDY_TOPIC,
  legacyNewspaperTopic,
  type NaraStatus,
  toNaraStatus,
} from '@nara/legacy';
import { testKey, toHex } from '../src/forge.js';
import {
  type AcceptedMessage,
  FUZZ_NARA_ID,
  type FuzzOptions,
  type FuzzRejected,
  type FuzzReport,
  type FuzzTarget,
  type FuzzWire,
  HONEST_NAMES,
  runFuzz,
  type Seed,
} from './engine.js';
import { MUTATORS } from './mutators.js';
import { Rng } from './random.js';

/** What the legacy fuzzer needs from an outcome: for an accepted message, its name, key and bytes. */
export type LegacyFuzzOutcome =
  | (AcceptedMessage & { readonly type: 'accepted'; readonly kind: string })
  | FuzzRejected
  | { readonly type: 'own' };

export type LegacyFuzzTarget = FuzzTarget<LegacyFuzzOutcome>;

const TOPICS = [
  LEGACY_HEY_THERE_TOPIC,
  LEGACY_CHAU_TOPIC,
  LEGACY_HOWDY_TOPIC,
  legacyNewspaperTopic('ana'),
  legacyNewspaperTopic('mallory'),
  'nara/newspaper/ana/x',
  'nara/newspaper/',
];
const utf8 = new TextEncoder();
const text = new TextDecoder();

/** Go statuses with enough in them (floats, unicode, maps) for the mutators to chew on. */
function goStatus(signer: Signer, rng: Rng, uptime: number): NaraStatus {
  const status = toNaraStatus(
    {
      chattiness: rng.int(101),
      buzz: rng.int(183),
      flair: rng.int(2) ? '🌱<&>' : 'ok',
      hostStats: { uptime, loadCenti: rng.int(300), cpuCenti: rng.int(10_000) },
      personality: { agreeableness: rng.int(101), sociability: rng.int(101), chill: rng.int(101) },
      aura: { primary: '#aabbcc', secondary: '#010203' },
      transportMode: rng.int(4) === 0 ? 'gossip' : 'mqtt',
    },
    { publicKey: Buffer.from(signer.publicKey).toString('base64'), naraId: FUZZ_NARA_ID },
  );
  return rng.int(3) === 0 ? { ...status, event_store_by_service: { social: rng.int(999), chau: 1 } } : status;
}

/** JSON-aware mutations: what a strict reader must judge exactly as Go would, or refuse. */
const JSON_MUTATORS: ReadonlyArray<readonly [string, (t: string, rng: Rng, other: string) => string]> = [
  [
    'json-key-case',
    (t, rng) =>
      t.replace(/"([A-Za-z_]+)":/g, (m, k: string) =>
        rng.int(6) ? m : `"${rng.int(2) ? k.toLowerCase() : k.toUpperCase()}":`,
      ),
  ],
  [
    'json-key-fold',
    (t, rng) =>
      t
        .replace(/"([a-z]*)s([a-z]*)":/, (m, a, b) => (rng.int(2) ? `"${a}\u017f${b}":` : m))
        .replace(/"([a-z]*)k/, '"$1\u212a'),
  ],
  [
    'json-dup-key',
    (t, rng) => {
      const keys = [...t.matchAll(/"([A-Za-z_]+)":("[^"]*"|\d+)/g)];
      const k = keys[rng.int(Math.max(1, keys.length))];
      return k === undefined
        ? t
        : t.replace(k[0], `${k[0]},"${rng.int(2) ? k[1] : k[1]!.toLowerCase()}":${k[2]}`);
    },
  ],
  [
    'json-number',
    (t, rng) =>
      t.replace(/(\d{3,})/, (d) =>
        rng.pick([`${d}.0`, `${d}e0`, `-${d}`, `${d}1`, `"${d}"`, '9223372036854775808', '1e400', '0']),
      ),
  ],
  [
    'json-escape',
    (t, rng) =>
      t.replace(/"([A-Za-z])/, (_, c: string) =>
        rng.pick([
          `"\\u00${c.charCodeAt(0).toString(16)}`,
          '"\\ud800',
          '"\\udc00x',
          '"\\u0000',
          `"\\u2028${c}`,
        ]),
      ),
  ],
  ['json-nest', (t, rng) => `${'['.repeat(rng.int(40))}${t}${']'.repeat(rng.int(40))}`],
  ['json-null', (t, rng) => t.replace(/:("[^"]*"|\{)/, rng.int(2) ? ':null' : ':{}')],
  [
    'json-swap-sig',
    (t, _rng, other) => {
      const sig = /"(?:sig|Signature)":"([^"]+)"/.exec(other)?.[1];
      return sig === undefined ? t : t.replace(/("(?:sig|Signature)":")[^"]+"/, `$1${sig}"`);
    },
  ],
  [
    'json-space',
    (t, rng) => {
      const at = rng.int(t.length + 1);
      return t.slice(0, at) + rng.pick([' ', '\n', '\t', '\ufeff', ',', '}']) + t.slice(at);
    },
  ],
  ['json-extra', (t) => t.replace(/^\{/, '{"extra":{"a":[1,2,{"b":null}]},')],
];

/** The signature an accepted message carries, wherever Go's case folding let it sit. */
function signatureOf(bytes: Uint8Array): string | undefined {
  try {
    const value = JSON.parse(text.decode(bytes)) as Record<string, unknown>;
    for (const [k, v] of Object.entries(value))
      if (['SIG', 'SIGNATURE'].includes(k.toUpperCase().replace(/\u017f/g, 'S')) && typeof v === 'string')
        return v;
  } catch {}
  return undefined;
}

/** Runs the Go-wire fuzzer. */
export function fuzzLegacy(target: LegacyFuzzTarget, options: FuzzOptions): FuzzReport {
  const rng = new Rng(options.seed ^ 0x60d0);
  return runFuzz(target, options, rng, legacyWire(rng));
}

function legacyWire(rng: Rng): FuzzWire<Extract<LegacyFuzzOutcome, { type: 'accepted' }>> {
  const speakers = HONEST_NAMES.map((name) => ({
    name,
    signer: createSigner(testKey(`legacy fuzz ${name}`).seed),
    uptime: 1000,
  }));
  const honestKeys = new Map(speakers.map((s) => [s.name as string, toHex(s.signer.publicKey)]));
  const honestSignatures = new Set<string>();
  const mallory = createSigner(testKey('legacy fuzz mallory').seed);
  let last = 0;

  function honest(s: (typeof speakers)[number], now: number): Seed {
    const roll = rng.int(10);
    const ts = BigInt(Math.max(now, last + 1)) * 1_000_000n + BigInt(rng.int(1_000_000));
    last = Math.max(now, last + 1);
    let seed: Seed;
    if (roll < 3)
      seed = {
        topic: LEGACY_HEY_THERE_TOPIC,
        bytes: buildSyncEvent('hey-there', {
          signer: s.signer,
          name: s.name,
          ts,
          naraId: FUZZ_NARA_ID,
          meshIp: rng.int(2) ? '100.64.0.7' : '',
        }),
      };
    else if (roll === 3)
      seed = {
        topic: LEGACY_CHAU_TOPIC,
        bytes: buildSyncEvent('chau', { signer: s.signer, name: s.name, ts, naraId: FUZZ_NARA_ID }),
      };
    else if (roll === 4) {
      const other = rng.pick(speakers);
      const me = goStatus(s.signer, rng, s.uptime);
      seed = {
        topic: LEGACY_HOWDY_TOPIC,
        bytes: buildHowdy({
          signer: s.signer,
          from: s.name,
          to: other.name,
          seq: 1 + rng.int(10),
          me,
          you: { online: 'ONLINE', start_time: 1_700_000_000 },
          neighbors: [{ Name: 'carl', PublicKey: '', MeshIP: '', ID: '', Observation: { online: 'ONLINE' } }],
        }),
      };
    } else {
      s.uptime += 1;
      seed = {
        topic: legacyNewspaperTopic(s.name),
        bytes: buildNewspaper({ signer: s.signer, name: s.name, status: goStatus(s.signer, rng, s.uptime) }),
      };
    }
    const sig = signatureOf(seed.bytes);
    if (sig !== undefined) honestSignatures.add(sig);
    return seed;
  }

  /** The attacker under its own name, or re-signing a message for an honest name with its own key. */
  function attacker(name: string, now: number): Seed {
    const ts = BigInt(now) * 1_000_000n + BigInt(rng.int(1_000_000));
    const roll = rng.int(3);
    if (roll === 0)
      return {
        topic: LEGACY_HEY_THERE_TOPIC,
        bytes: buildSyncEvent('hey-there', { signer: mallory, name, ts }),
      };
    if (roll === 1)
      return { topic: LEGACY_CHAU_TOPIC, bytes: buildSyncEvent('chau', { signer: mallory, name, ts }) };
    const status = goStatus(mallory, rng, 1);
    if (rng.int(2)) status.PublicKey = Buffer.from(speakers[0]!.signer.publicKey).toString('base64');
    return { topic: legacyNewspaperTopic(name), bytes: buildNewspaper({ signer: mallory, name, status }) };
  }

  return {
    topics: TOPICS,
    trafficEvery: 40,
    randomBelow: 4,
    longestRandom: 70_000,
    introductions(now) {
      last = now;
      return speakers.map((s) => {
        const seed = {
          topic: LEGACY_HEY_THERE_TOPIC,
          bytes: buildSyncEvent('hey-there', {
            signer: s.signer,
            name: s.name,
            ts: BigInt(now) * 1_000_000n,
            naraId: FUZZ_NARA_ID,
          }),
        };
        honestSignatures.add(signatureOf(seed.bytes)!);
        return seed;
      });
    },
    honest: (now) => honest(rng.pick(speakers), now),
    attacker: (now) => attacker(rng.pick(['mallory', 'mallory-2']), now),
    mutate(roll, seed, topic, seeds, now) {
      if (roll < 20) return { strategy: 'resign', ...attacker(rng.pick(HONEST_NAMES), now) };
      if (roll < 60) {
        const [name, mutate] = rng.pick(JSON_MUTATORS);
        let t = mutate(text.decode(seed.bytes), rng, text.decode(rng.pick(seeds).bytes));
        if (rng.int(3) === 0) t = rng.pick(JSON_MUTATORS)[1](t, rng, text.decode(seed.bytes));
        return { strategy: name, topic, bytes: utf8.encode(t) };
      }
      const [name, mutate] = rng.pick(MUTATORS);
      return { strategy: name, topic, bytes: mutate(seed.bytes, rng, rng.pick(seeds).bytes) };
    },
    judge(outcome, bytes) {
      const honestKey = honestKeys.get(outcome.name);
      const keyIsHonest = [...honestKeys.values()].includes(toHex(outcome.publicKey));
      if (honestKey === undefined && !keyIsHonest) return 'attacker';
      const signature = signatureOf(bytes);
      // A howdy only gives hints; its signed words (From:To:Seq) must still be an honest signer's.
      if (
        honestKey === toHex(outcome.publicKey) &&
        signature !== undefined &&
        honestSignatures.has(signature)
      )
        return 'honest';
      return {
        forgery: `accepted ${outcome.kind} as ${outcome.name} with a signature no honest signer made`,
      };
    },
  };
}
