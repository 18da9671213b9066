/**
 * The fuzzer for the Go wire: generated inputs through a nara's Go-wire receive path, with the same two
 * properties as the plaza/1 fuzzer (engine.ts):
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
import type { FuzzFailure, FuzzReport, FuzzTarget } from './engine.js';
import { MUTATORS } from './mutators.js';
import { Rng } from './random.js';

/** What the legacy fuzzer needs from an outcome: for an accepted message, its name, key and bytes. */
export type LegacyFuzzOutcome =
  | {
      readonly type: 'accepted';
      readonly name: string;
      readonly publicKey: Uint8Array;
      readonly bytes: Uint8Array;
      readonly kind: string;
    }
  | { readonly type: 'rejected'; readonly reason: string; readonly detail?: string }
  | { readonly type: 'own' };

export interface LegacyFuzzTarget extends Omit<FuzzTarget, 'receive'> {
  receive(topic: string, bytes: Uint8Array): LegacyFuzzOutcome;
}

const START = 1_760_000_000_000;
const HONEST = ['ana', 'bob', 'carl'] as const;
const NARA_ID = '2gdnSNmnqsnvDoTxnj5PVyupruDnVUCaMH6tdGcpUjqa';
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

interface Seed {
  readonly topic: string;
  readonly bytes: Uint8Array;
}

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
    { publicKey: Buffer.from(signer.publicKey).toString('base64'), naraId: NARA_ID },
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
export function fuzzLegacy(target: LegacyFuzzTarget, options: { count: number; seed: number }): FuzzReport {
  const rng = new Rng(options.seed ^ 0x60d0);
  const started = performance.now();
  const report: FuzzReport = {
    seed: options.seed,
    inputs: 0,
    strategies: {},
    accepted: 0,
    acceptedHonest: 0,
    acceptedAttacker: 0,
    rejected: {},
    exceptions: 0,
    forgeries: 0,
    failures: [],
    elapsedMs: 0,
  };
  const speakers = HONEST.map((name) => ({
    name,
    signer: createSigner(testKey(`legacy fuzz ${name}`).seed),
    uptime: 1000,
  }));
  const honestKeys = new Map(speakers.map((s) => [s.name as string, toHex(s.signer.publicKey)]));
  const honestSignatures = new Set<string>();
  const mallory = createSigner(testKey('legacy fuzz mallory').seed);
  let now = START;
  let last = now;
  target.setTime(now);
  const seeds: Seed[] = [];
  const remember = (seed: Seed) => {
    if (seeds.length < 64) seeds.push(seed);
    else seeds[rng.int(seeds.length)] = seed;
  };

  function honest(s: (typeof speakers)[number]): Seed {
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
          naraId: NARA_ID,
          meshIp: rng.int(2) ? '100.64.0.7' : '',
        }),
      };
    else if (roll === 3)
      seed = {
        topic: LEGACY_CHAU_TOPIC,
        bytes: buildSyncEvent('chau', { signer: s.signer, name: s.name, ts, naraId: NARA_ID }),
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
  function attacker(name: string): Seed {
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

  function check(strategy: string, topic: string, bytes: Uint8Array): void {
    report.inputs += 1;
    report.strategies[strategy] = (report.strategies[strategy] ?? 0) + 1;
    let outcome: LegacyFuzzOutcome;
    try {
      outcome = target.receive(topic, bytes);
    } catch (error) {
      fail(
        'exception',
        strategy,
        topic,
        bytes,
        error instanceof Error ? (error.stack ?? error.message) : String(error),
      );
      return;
    }
    if (outcome.type === 'own') return;
    if (outcome.type === 'rejected') {
      report.rejected[outcome.reason] = (report.rejected[outcome.reason] ?? 0) + 1;
      if (outcome.reason === 'internal-error')
        fail('exception', strategy, topic, bytes, outcome.detail ?? '');
      return;
    }
    report.accepted += 1;
    const honestKey = honestKeys.get(outcome.name);
    const keyIsHonest = [...honestKeys.values()].includes(toHex(outcome.publicKey));
    if (honestKey === undefined && !keyIsHonest) {
      report.acceptedAttacker += 1;
      return;
    }
    const signature = signatureOf(bytes);
    // A howdy only gives hints; its signed words (From:To:Seq) must still be an honest signer's.
    if (
      honestKey === toHex(outcome.publicKey) &&
      signature !== undefined &&
      honestSignatures.has(signature)
    ) {
      report.acceptedHonest += 1;
      return;
    }
    fail(
      'forgery',
      strategy,
      topic,
      bytes,
      `accepted ${outcome.kind} as ${outcome.name} with a signature no honest signer made`,
    );
  }

  function fail(
    kind: FuzzFailure['kind'],
    strategy: string,
    topic: string,
    bytes: Uint8Array,
    detail: string,
  ): void {
    if (kind === 'exception') report.exceptions += 1;
    else report.forgeries += 1;
    if (report.failures.length < 20)
      report.failures.push({
        input: report.inputs,
        kind,
        strategy,
        topic,
        hex: toHex(bytes.subarray(0, 4096)),
        detail,
      });
  }

  for (const s of speakers) {
    const seed = {
      topic: LEGACY_HEY_THERE_TOPIC,
      bytes: buildSyncEvent('hey-there', {
        signer: s.signer,
        name: s.name,
        ts: BigInt(now) * 1_000_000n,
        naraId: NARA_ID,
      }),
    };
    honestSignatures.add(signatureOf(seed.bytes)!);
    remember(seed);
    check('honest', seed.topic, seed.bytes);
  }

  for (let i = 0; i < options.count; i++) {
    now += 3;
    if (i % 8 === 0) target.setTime(now);
    if (i % 40 === 0) {
      const seed =
        rng.int(5) === 0 ? attacker(rng.pick(['mallory', 'mallory-2'])) : honest(rng.pick(speakers));
      remember(seed);
      check('honest', seed.topic, seed.bytes);
      continue;
    }
    const roll = rng.int(100);
    const seed = rng.pick(seeds);
    const topic = rng.int(20) === 0 ? rng.pick(TOPICS) : seed.topic;
    if (roll < 4) check('random', topic, rng.bytes(rng.int(rng.int(10) === 0 ? 70_000 : 400)));
    else if (roll < 8) check('replay', topic, seed.bytes);
    else if (roll < 20) {
      const seedAttack = attacker(rng.pick(HONEST));
      check('resign', seedAttack.topic, seedAttack.bytes);
    } else if (roll < 60) {
      const [name, mutate] = rng.pick(JSON_MUTATORS);
      let t = mutate(text.decode(seed.bytes), rng, text.decode(rng.pick(seeds).bytes));
      if (rng.int(3) === 0) t = rng.pick(JSON_MUTATORS)[1](t, rng, text.decode(seed.bytes));
      check(name, topic, utf8.encode(t));
    } else {
      const [name, mutate] = rng.pick(MUTATORS);
      check(name, topic, mutate(seed.bytes, rng, rng.pick(seeds).bytes));
    }
  }
  report.elapsedMs = Math.round(performance.now() - started);
  return report;
}
