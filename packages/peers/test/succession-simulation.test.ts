/**
 * 200 naras, each with its own registry, hearing one another; a thief steals souls. Half the naras commit
 * to a next soul, some move (once or twice), some retire their name, some never commit. The thief holds
 * the current soul of 80 of them and tries every way to take a name. At the end every registry must pin,
 * for every name, the key and commitment its honest owner holds: zero names taken.
 */
import {
  type AnyEnvelopeContent,
  commitmentTo,
  createSigner,
  createVerifier,
  type Signer,
  signEnvelope,
} from '@nara/envelope/node';
import {
  createPeerRegistry,
  PEER_REJECT_REASONS,
  type PeerRegistry,
  type PeerRejectReason,
} from '@nara/peers';
import { HEY_THERE_TOPIC, newspaperTopic, successionTopic } from '@nara/topics';
import { describe, expect, it } from 'vitest';
import { testNaraId, testSeed } from './helpers.js';
import { SimClock, seededRandom } from './sim-clock.js';

const START = 1_767_225_600_000;
const NARAS = 200;

interface Nara {
  readonly name: string;
  readonly souls: Signer[];
  /** Which soul it runs now. */
  generation: number;
  /** `next` commits to the next soul, `none` makes no commitment, `retired` commits to no successor. */
  plan: 'next' | 'none' | 'retired';
  epoch: number;
  seq: number;
  registry: PeerRegistry;
}

function commitmentOf(n: Nara): Uint8Array | undefined {
  if (n.plan === 'none') return undefined;
  if (n.plan === 'retired') return new Uint8Array(0);
  return commitmentTo(n.souls[n.generation + 1]!.publicKey);
}

describe('a plaza of 200 naras whose souls a thief steals', () => {
  it('loses zero names: every registry follows every honest move and refuses every theft', async () => {
    const rand = seededRandom(19);
    const clock = new SimClock(START);
    const verifier = createVerifier();
    const naras: Nara[] = Array.from({ length: NARAS }, (_, i) => ({
      name: `nara-${i}`,
      souls: [0, 1, 2].map((g) => createSigner(testSeed(1000 + i * 3 + g))),
      generation: 0,
      plan: i % 10 < 6 ? 'next' : i % 10 < 8 ? 'none' : 'retired',
      epoch: 0,
      seq: 0,
      registry: createPeerRegistry({}, { clock }),
    }));
    const thief = createSigner(testSeed(99_999));
    const refused: Record<string, number> = {};
    let verifyRefused = 0;

    /** One message to every registry but its sender's (each verifies it once: the result is the same). */
    function broadcast(topic: string, bytes: Uint8Array, from?: Nara): number {
      const result = verifier.verify(topic, bytes);
      if (!result.ok) {
        verifyRefused += 1;
        refused[result.reason] = (refused[result.reason] ?? 0) + 1;
        return 0;
      }
      let accepted = 0;
      for (const n of naras) {
        if (n === from) continue;
        const outcome = n.registry.ingest(result.envelope);
        if (outcome.ok) accepted += 1;
        else refused[outcome.reason] = (refused[outcome.reason] ?? 0) + 1;
      }
      return accepted;
    }

    const content = (
      n: Nara,
      kind: AnyEnvelopeContent['kind'],
      body: unknown,
      /** The commitment carried; null for none, the owner's own by default. */
      commitment: Uint8Array | null | undefined = commitmentOf(n),
    ): AnyEnvelopeContent =>
      ({
        kind,
        name: n.name,
        naraId: testNaraId(n.generation * NARAS + naras.indexOf(n)),
        epoch: Uint8Array.of(0, 0, 0, n.generation, 0, 0, n.epoch >> 8, n.epoch & 0xff),
        seq: n.seq++,
        time: clock.now(),
        body,
        ...(commitment === undefined || commitment === null ? {} : { commitment }),
      }) as AnyEnvelopeContent;
    const heyThere = (n: Nara) => {
      n.epoch += 1;
      n.seq = 0;
      broadcast(
        HEY_THERE_TOPIC,
        signEnvelope(n.souls[n.generation]!, HEY_THERE_TOPIC, content(n, 'hey-there', {})),
        n,
      );
    };
    const newspaper = (n: Nara) => {
      const topic = newspaperTopic(n.name);
      const body = { status: { chattiness: 50, buzz: 1 }, next: clock.now() + 60_000 };
      broadcast(topic, signEnvelope(n.souls[n.generation]!, topic, content(n, 'newspaper', body)), n);
    };
    const captured: { topic: string; bytes: Uint8Array; owner: Nara }[] = [];
    /** The owner starts its next soul and announces the move, then says hey-there with it. */
    const move = (n: Nara) => {
      n.generation += 1;
      n.epoch += 1;
      n.seq = 0;
      if (n.generation === 2) n.plan = 'retired';
      const topic = successionTopic(n.name);
      const previous = n.souls[n.generation - 1]!.publicKey;
      const bytes = signEnvelope(n.souls[n.generation]!, topic, content(n, 'succession', { previous }));
      captured.push({ topic, bytes, owner: n });
      const accepted = broadcast(topic, bytes, n);
      expect(accepted, `${n.name} moved`).toBe(NARAS - 1);
      n.seq = 1;
    };
    const advance = (ms: number) => clock.advanceTo(clock.now() + ms);

    // Everyone arrives and pins everyone, commitment included.
    for (const n of naras) heyThere(n);
    await advance(10_000);

    // The thief steals the current soul of 80 naras and tries to take their names.
    const victims = naras.filter((_, i) => i % 5 < 2);
    const attempt = (
      victim: Nara,
      stolen: Signer,
      kind: 'succession' | 'hey-there',
      body: object,
      commitment: Uint8Array | null,
    ) => {
      const topic = kind === 'succession' ? successionTopic(victim.name) : HEY_THERE_TOPIC;
      const c = { ...content(victim, kind, body, commitment), seq: 1_000_000 + Math.floor(rand() * 1000) };
      // Not to the victim itself: a nara knows its own name and never takes messages in it.
      return broadcast(topic, signEnvelope(stolen, topic, c), victim);
    };
    let thiefAccepted = 0;
    const steal = () => {
      for (const v of victims) {
        const stolen = v.souls[v.generation]!;
        // Moving the name to the thief's own key, with the stolen soul's blessing or the thief's own.
        thiefAccepted += attempt(
          v,
          thief,
          'succession',
          { previous: stolen.publicKey },
          commitmentTo(thief.publicKey),
        );
        thiefAccepted += attempt(
          v,
          stolen,
          'succession',
          { previous: stolen.publicKey },
          commitmentTo(thief.publicKey),
        );
        // Changing or dropping the commitment with the stolen soul (a name without one has nothing to lose).
        if (v.plan !== 'none') {
          thiefAccepted += attempt(v, stolen, 'hey-there', {}, commitmentTo(thief.publicKey));
          thiefAccepted += attempt(v, stolen, 'hey-there', {}, null);
        }
      }
    };
    steal();
    await advance(10_000);

    // Half of the committed victims and a few others move to their next soul; the thief tries again with
    // the souls it stole (now retired), replays what it captured, and claims other names with it.
    const movers = naras.filter((n, i) => n.plan === 'next' && i % 3 === 0);
    for (const n of movers) move(n);
    await advance(10_000);
    for (const v of victims) {
      if (v.generation === 0) continue;
      thiefAccepted += attempt(v, v.souls[0]!, 'hey-there', {}, commitmentTo(v.souls[1]!.publicKey));
    }
    for (const c of captured) thiefAccepted += broadcast(c.topic, c.bytes, c.owner);
    for (const c of captured.slice(0, 20)) {
      const other = naras[(naras.indexOf(c.owner) + 7) % NARAS]!;
      thiefAccepted += broadcast(successionTopic(other.name), c.bytes, other);
    }
    steal();

    // Some movers move again (to a retired name); the first moves are replayed after it.
    const again = movers.filter((_, i) => i % 2 === 0);
    for (const n of again) move(n);
    await advance(10_000);
    for (const c of captured.slice(0, movers.length)) thiefAccepted += broadcast(c.topic, c.bytes, c.owner);
    steal();

    // Life goes on: everyone speaks with the soul it holds now.
    for (const n of naras) newspaper(n);

    const taken: string[] = [];
    for (const observer of naras) {
      for (const n of naras) {
        if (n === observer) continue;
        const view = observer.registry.get(n.name);
        const key = Buffer.from(n.souls[n.generation]!.publicKey).toString('base64');
        const commitment = commitmentOf(n);
        const expected = commitment === undefined ? null : Buffer.from(commitment).toString('hex');
        if (view?.publicKey !== key || view.commitment !== expected || view.successions !== n.generation)
          taken.push(`${observer.name} sees ${n.name} as ${view?.publicKey} (${view?.successions} moves)`);
        if (view?.state !== 'ONLINE') taken.push(`${observer.name} sees ${n.name} ${view?.state}`);
      }
    }
    const registryRefused = Object.fromEntries(PEER_REJECT_REASONS.map((r) => [r, 0])) as Record<
      PeerRejectReason,
      number
    >;
    for (const n of naras)
      for (const r of PEER_REJECT_REASONS) registryRefused[r] += n.registry.stats().rejected[r];

    expect(taken.slice(0, 5)).toEqual([]);
    expect(taken).toHaveLength(0);
    // The thief spoke as its victims while their stolen soul was current and kept its commitment (what a
    // stolen current soul can do), and never in a way that changed a pin.
    expect(thiefAccepted).toBe(0);
    expect(movers.length).toBeGreaterThan(30);
    expect(again.length).toBeGreaterThan(10);
    for (const reason of [
      'succession-wrong-key',
      'succession-not-committed',
      'succession-retired',
      'succession-replay',
      'commitment-mismatch',
      'key-retired',
      'replay',
    ] as const)
      expect(registryRefused[reason], reason).toBeGreaterThan(0);
    expect(refused['signed-by-previous']).toBeGreaterThan(0);
    // A captured succession republished for another name fails its signature: the topic is the AAD.
    expect(refused['bad-signature']).toBeGreaterThan(0);
    expect(verifyRefused).toBeGreaterThan(0);
    for (const n of naras) n.registry.close();
  }, 120_000);
});
