import { writeFileSync } from 'node:fs';
import {
  type AnyEnvelopeContent,
  createSigner,
  createVerifier,
  decodeEnvelope,
  type Signer,
  signEnvelope,
  type VerifiedEnvelope,
  type VerifyResult,
} from '@nara/envelope/node';
import { createNewspaperScheduler, type NewspaperRun, type NewspaperScheduler } from '@nara/newspaper';
import {
  createPeerRegistry,
  PEER_REJECT_REASONS,
  type PeerRegistry,
  type PeerRejectReason,
} from '@nara/peers';
import { CHAU_TOPIC, HEY_THERE_TOPIC, newspaperTopic, PLAZA_FILTER } from '@nara/topics';
import { createMemoryBus, type MemoryTransport, type TransportMessage } from '@nara/transport';
import { describe, expect, it } from 'vitest';
import { testNaraId, testSeed } from './helpers.js';
import { SimClock, seededRandom } from './sim-clock.js';

/*
 * 200 honest naras and one attacker on the memory bus for one simulated hour, each honest nara with the
 * real newspaper scheduler, real Ed25519 signing, real envelope verification and its own peer registry.
 *
 * - 170 naras start at once; 30 join late. Of the first 170, 20 leave with chau, 20 crash (the bus
 *   publishes their signed will, and they stay dead), 15 lose their connection and come back in a new
 *   epoch after the transport's 5-35 s backoff, and 5 restart (chau, then a new process a minute later).
 * - The attacker, from minute 2, records everything and every 10 s replays old and fresh messages and
 *   wills, re-signs captured content with its own key, and publishes newspapers, hey-theres, chaus and
 *   wills under other naras' names with its own key.
 *
 * Cost: every message reaches 200 registries. Verifying 200 times per message would take minutes here, so
 * verification is memoised across the simulated naras by (topic, bytes): it is a pure function of them, and
 * each distinct message is still verified, for real, once. Every registry ingests only what the verifier
 * returned. vitest's fake timers yield to the real event loop after every timer; SimClock does not.
 *
 * Trust: with pure trust on first use, a nara is fooled about any name whose first message it hears from
 * the attacker: a newcomer, or a nara whose connection was down when another joined (the attacker replays
 * nothing here, it re-signs what it captured, so it is always "first" for someone who missed the original;
 * the README says so). So at every (re)connect, before hearing anything, a nara pins what a nara it trusts
 * has learned first-hand (its `list()`), which is what `pin()` and `known` are for. The 110 naras that
 * never lose their connection only ever rely on first use: they pinned everyone before the attacker came,
 * and pinned every newcomer on its own first message.
 */

const START = Date.UTC(2025, 5, 1);
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const END = START + 60 * MINUTE;

type Fate = 'running' | 'left' | 'crashed';

interface OracleEntry {
  epoch: string;
  seq: number;
  retired: Set<string>;
  wills: Set<string>;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

function runSimulation(seed: number) {
  const rand = seededRandom(seed);
  const clock = new SimClock(START);
  const bus = createMemoryBus();
  const verifier = createVerifier();
  const verdicts = new Map<string, VerifyResult>();
  const keys = new Map<string, Uint8Array>();
  const world = {
    verifications: 0,
    deliveries: 0,
    ingests: 0,
    accepted: 0,
    forgeries: [] as string[],
    silenceMissing: [] as string[],
    errors: [] as unknown[],
    verifyRejected: {} as Record<string, number>,
    attackSent: { replay: 0, 'replay-will': 0, resign: 0, impersonate: 0 },
  };

  function verify(topic: string, payload: Uint8Array): VerifyResult {
    const key = `${topic}\u0000${Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('latin1')}`;
    let verdict = verdicts.get(key);
    if (verdict === undefined) {
      verdict = verifier.verify(topic, payload);
      world.verifications += 1;
      if (verdicts.size > 20_000) verdicts.clear();
      verdicts.set(key, verdict);
    }
    return verdict;
  }

  class SimNara {
    readonly signer: Signer;
    readonly naraId: string;
    readonly chattiness = Math.floor(rand() * 101);
    fate: Fate = 'running';
    joinedAt = 0;
    departedAt = 0;
    /** Times this nara's own connection was down: it could hear nothing then. */
    outages: [number, number][] = [];
    registry!: PeerRegistry;
    transport: MemoryTransport | undefined;
    scheduler: NewspaperScheduler | undefined;
    private epoch = new Uint8Array(8);
    private seq = 0;
    private oracle = new Map<string, OracleEntry>();

    constructor(
      readonly name: string,
      readonly index: number,
    ) {
      this.signer = createSigner(testSeed(index));
      this.naraId = testNaraId(index);
      keys.set(name, this.signer.publicKey);
    }

    /** Connects a new process: fresh registry, transport and scheduler. */
    async start(): Promise<void> {
      this.fate = 'running';
      this.joinedAt = clock.now();
      this.oracle = new Map();
      this.registry = createPeerRegistry({}, { clock });
      this.registry.on((event) => {
        // Silence is a false alarm when the peer is in fact running: it keeps its promises.
        if (
          event.type === 'missing' &&
          event.cause === 'silence' &&
          byName.get(event.peer.name)?.fate === 'running'
        ) {
          world.silenceMissing.push(
            `${this.name} saw ${event.peer.name} go silent at ${clock.now() - START}`,
          );
        }
      });
      const transport = bus.createTransport({
        clock,
        random: rand,
        clientId: this.name,
        will: () => this.newEpochWill(),
      });
      const scheduler = createNewspaperScheduler(
        {
          chattiness: () => this.chattiness,
          publish: (run) => this.publishNewspaper(run),
          onError: (error) => world.errors.push(error),
        },
        { clock, random: rand },
      );
      this.transport = transport;
      this.scheduler = scheduler;
      let generation = 0;
      transport.on((event) => {
        if (event.type === 'connected') {
          const outage = this.outages.at(-1);
          if (outage !== undefined && outage[1] === Number.POSITIVE_INFINITY) outage[1] = clock.now();
          if (clock.now() > START) {
            for (const pin of trustedFriend(this).pins())
              if (pin.name !== this.name) this.registry.pin(pin.name, pin.publicKey);
          }
          this.registry.resume();
          const g = ++generation;
          // The seed: hey-there after a random 0-5 s, then the first newspaper right away.
          clock.setTimeout(() => {
            if (g !== generation) return;
            this.publish(HEY_THERE_TOPIC, 'hey-there', {}).then(
              () => scheduler.start(),
              (error) => world.errors.push(error),
            );
          }, rand() * 5000);
        } else if (event.type === 'disconnected') {
          generation += 1;
          this.outages.push([clock.now(), Number.POSITIVE_INFINITY]);
          // Deaf until reconnected: silence means nothing meanwhile.
          this.registry.pause();
          void scheduler.stop();
        }
      });
      await transport.subscribe(PLAZA_FILTER, (m) => this.receive(m));
      await transport.connect();
    }

    private newEpochWill() {
      for (let i = 0; i < 8; i++) this.epoch[i] = Math.floor(rand() * 256);
      this.epoch = this.epoch.slice();
      this.seq = 0;
      return { topic: CHAU_TOPIC, payload: this.sign(CHAU_TOPIC, 'chau', { reason: 'lost' }) };
    }

    private sign(topic: string, kind: AnyEnvelopeContent['kind'], body: unknown): Uint8Array {
      const content = {
        kind,
        name: this.name,
        naraId: this.naraId,
        epoch: this.epoch,
        seq: this.seq++,
        time: clock.now(),
        body,
      } as AnyEnvelopeContent;
      return signEnvelope(this.signer, topic, content);
    }

    private publish(topic: string, kind: AnyEnvelopeContent['kind'], body: unknown, signal?: AbortSignal) {
      return this.transport!.publish(topic, this.sign(topic, kind, body), { signal });
    }

    private publishNewspaper(run: NewspaperRun): Promise<void> {
      const status = { chattiness: this.chattiness, buzz: Math.floor(rand() * 183), flair: '🌱' };
      return this.publish(newspaperTopic(this.name), 'newspaper', { status, next: run.next }, run.signal);
    }

    private receive(m: TransportMessage): void {
      world.deliveries += 1;
      const verdict = verify(m.topic, m.payload);
      if (!verdict.ok) {
        world.verifyRejected[verdict.reason] = (world.verifyRejected[verdict.reason] ?? 0) + 1;
        return;
      }
      const envelope = verdict.envelope;
      if (envelope.name === this.name) return; // the broker echoes our own messages
      world.ingests += 1;
      if (this.registry.ingest(envelope).ok) {
        world.accepted += 1;
        const forged = this.audit(envelope);
        if (forged !== null) {
          world.forgeries.push(`${this.name} accepted ${envelope.kind} as ${envelope.name}: ${forged}`);
        }
      }
    }

    /**
     * An independent check of every acceptance: the owner's key, and no message, epoch or will accepted
     * twice. Returns why an acceptance was a forgery, or null.
     */
    private audit(envelope: VerifiedEnvelope): string | null {
      const key = keys.get(envelope.name);
      if (key === undefined || !bytesEqual(key, envelope.publicKey)) return 'not the owner key';
      const epoch = hex(envelope.epoch);
      const isWill = envelope.kind === 'chau' && envelope.body.reason === 'lost';
      let o = this.oracle.get(envelope.name);
      if (o === undefined) {
        o = { epoch, seq: envelope.seq, retired: new Set(), wills: new Set() };
        this.oracle.set(envelope.name, o);
      } else if (epoch !== o.epoch) {
        if (o.retired.has(epoch)) return 'an epoch it had left behind';
        o.retired.add(o.epoch);
        o.epoch = epoch;
        o.seq = isWill ? -1 : envelope.seq;
      } else if (!isWill) {
        if (envelope.seq <= o.seq) return `seq ${envelope.seq} after ${o.seq}`;
        o.seq = envelope.seq;
      }
      if (isWill) {
        if (o.wills.has(epoch)) return 'a will twice';
        o.wills.add(epoch);
      }
      return null;
    }

    async leave(): Promise<void> {
      await this.scheduler!.stop();
      await this.publish(CHAU_TOPIC, 'chau', { reason: 'left' });
      await this.transport!.close();
      this.fate = 'left';
      this.departedAt = clock.now();
    }

    crash(): void {
      this.transport!.simulateCrash(); // the bus publishes the will; the scheduler stops on 'disconnected'
      void this.transport!.close(); // and the process is gone: no reconnect
      this.fate = 'crashed';
      this.departedAt = clock.now();
    }

    blip(): void {
      this.transport!.simulateCrash(); // the transport reconnects in a new epoch after its backoff
    }

    /** Pins to hand to another nara: its own key and what it learned first-hand. */
    pins(): { name: string; publicKey: Uint8Array }[] {
      return [
        { name: this.name, publicKey: this.signer.publicKey },
        ...this.registry
          .list()
          .map((p) => ({ name: p.name, publicKey: new Uint8Array(Buffer.from(p.publicKey, 'base64')) })),
      ];
    }

    /** Whether this nara's connection was down at `time`. */
    wasDeafAt(time: number): boolean {
      return this.outages.some(([from, to]) => time >= from && time <= to);
    }
  }

  const naras = Array.from({ length: 200 }, (_, i) => new SimNara(`nara-${i}`, i));
  const byName = new Map(naras.map((n) => [n.name, n]));
  const initial = naras.slice(0, 170);
  const late = naras.slice(170);
  const leavers = initial.slice(0, 20);
  const crashers = initial.slice(20, 40);
  const blippers = initial.slice(40, 55);
  const restarters = initial.slice(55, 60);
  const steady = initial.slice(60);
  const at = (from: number, to: number) => START + from + Math.floor(rand() * (to - from));
  function trustedFriend(self: SimNara): SimNara {
    for (;;) {
      const friend = steady[Math.floor(rand() * steady.length)]!;
      if (friend !== self) return friend;
    }
  }

  for (const n of initial) clock.setTimeout(() => void n.start(), 0);
  for (const n of late) clock.setTimeout(() => void n.start(), at(5 * MINUTE, 45 * MINUTE) - START);
  for (const n of leavers) clock.setTimeout(() => void n.leave(), at(10 * MINUTE, 50 * MINUTE) - START);
  for (const n of crashers) clock.setTimeout(() => n.crash(), at(10 * MINUTE, 50 * MINUTE) - START);
  for (const n of blippers) clock.setTimeout(() => n.blip(), at(10 * MINUTE, 50 * MINUTE) - START);
  for (const n of restarters) {
    const t = at(10 * MINUTE, 48 * MINUTE) - START;
    clock.setTimeout(() => void n.leave(), t);
    clock.setTimeout(() => void n.start(), t + MINUTE + Math.floor(rand() * MINUTE));
  }

  // The attacker: its own key, no registry, and everything it hears.
  const mallory = createSigner(testSeed(9999));
  const attacker = bus.createTransport({ clock, random: rand, clientId: 'mallory' });
  const captured: { topic: string; payload: Uint8Array }[] = [];
  const wills: { topic: string; payload: Uint8Array }[] = [];
  let malloryEpoch = 0;
  const pick = <T>(list: readonly T[]): T | undefined => list[Math.floor(rand() * list.length)];
  function attack(): void {
    const send = (topic: string, payload: Uint8Array) => {
      attacker.publish(topic, payload).catch((error) => world.errors.push(error));
    };
    // 1. Replays: recent and old captures alike, on their own topics.
    for (let i = 0; i < 2; i++) {
      const recent = pick(captured.slice(-400));
      const any = pick(captured);
      for (const m of [recent, any]) {
        if (m === undefined) continue;
        send(m.topic, m.payload);
        world.attackSent.replay += 1;
      }
    }
    // 2. Wills again, long after their connection (and perhaps their nara) moved on.
    const will = pick(wills);
    if (will !== undefined) {
      send(will.topic, will.payload);
      world.attackSent['replay-will'] += 1;
    }
    // 3. Captured content re-signed with the attacker's key (the kid says so; the name is the victim's).
    const victim = pick(captured.slice(-400));
    if (victim !== undefined) {
      const decoded = decodeEnvelope(victim.payload);
      if (decoded.ok) {
        const { kind, name, naraId, epoch, seq, body } = decoded.envelope;
        const content = {
          kind,
          name,
          naraId,
          epoch,
          seq: seq + 1,
          time: clock.now(),
          body,
        } as AnyEnvelopeContent;
        send(victim.topic, signEnvelope(mallory, victim.topic, content));
        world.attackSent.resign += 1;
        // 4. Fresh messages under the victim's name, in a brand-new epoch, with the attacker's key.
        const epochBytes = new Uint8Array(8);
        new DataView(epochBytes.buffer).setUint32(4, ++malloryEpoch);
        const forge = (topic: string, kind: AnyEnvelopeContent['kind'], forgedBody: unknown) => {
          const c = { kind, name, naraId, epoch: epochBytes, seq: 1, time: clock.now(), body: forgedBody };
          send(topic, signEnvelope(mallory, topic, c as AnyEnvelopeContent));
          world.attackSent.impersonate += 1;
        };
        forge(newspaperTopic(name), 'newspaper', {
          status: { chattiness: 0, buzz: 0, flair: '😈' },
          next: clock.now() + 30_000,
        });
        forge(CHAU_TOPIC, 'chau', { reason: rand() < 0.5 ? 'left' : 'lost' });
        forge(HEY_THERE_TOPIC, 'hey-there', {});
      }
    }
    clock.setTimeout(attack, 10 * SECOND);
  }
  clock.setTimeout(() => {
    void (async () => {
      await attacker.subscribe(PLAZA_FILTER, (m) => {
        captured.push(m);
        if (captured.length > 4000) captured.splice(0, 1000);
        if (m.topic === CHAU_TOPIC) wills.push(m);
      });
      await attacker.connect();
      attack();
    })();
  }, 2 * MINUTE);

  return {
    clock,
    world,
    naras,
    groups: { leavers, crashers, blippers, restarters, late, steady },
    async run() {
      for (let t = START; t < END; t += MINUTE) await clock.advanceTo(t + MINUTE);
    },
  };
}

describe('a plaza of 200 naras and one attacker, for one simulated hour', () => {
  it('converges every honest view to the truth and accepts zero forgeries', async () => {
    const sim = runSimulation(Number(process.env.NARA_SIM_SEED ?? 20_250_601));
    await sim.run();
    const { world, naras, groups } = sim;

    const running = naras.filter((n) => n.fate === 'running');
    expect(running).toHaveLength(200 - groups.leavers.length - groups.crashers.length);
    const wrong: string[] = [];
    for (const observer of running) {
      for (const peer of naras) {
        if (peer === observer) continue;
        const view = observer.registry.get(peer.name);
        if (peer.fate === 'running') {
          if (view?.state !== 'ONLINE') wrong.push(`${observer.name} sees ${peer.name} as ${view?.state}`);
          continue;
        }
        // A nara that was gone before the observer arrived may be unknown to it; otherwise it must be
        // known, and in the state its departure implies.
        const knewIt = observer.joinedAt + 5 * MINUTE < peer.departedAt;
        if (view === undefined) {
          if (knewIt) wrong.push(`${observer.name} never heard of ${peer.name}`);
          continue;
        }
        // An observer whose own connection was down when the peer left missed its chau or will: all it can
        // know is that the peer went quiet, so MISSING through silence is the truth for it.
        if (observer.wasDeafAt(peer.departedAt)) {
          if (view.state === 'ONLINE') wrong.push(`${observer.name} still sees ${peer.name} ONLINE`);
          continue;
        }
        const expected = peer.fate === 'left' ? 'OFFLINE' : 'MISSING';
        if (view.state !== expected) wrong.push(`${observer.name} sees ${peer.name} as ${view.state}`);
        if (peer.fate === 'crashed' && knewIt && view.missingCause !== 'will') {
          wrong.push(`${observer.name} learned of ${peer.name}'s crash from silence, not from its will`);
        }
      }
    }

    const rejected = Object.fromEntries(PEER_REJECT_REASONS.map((r) => [r, 0])) as Record<
      PeerRejectReason,
      number
    >;
    for (const n of naras) for (const r of PEER_REJECT_REASONS) rejected[r] += n.registry.stats().rejected[r];
    const summary = {
      simulatedMinutes: 60,
      naras: naras.length,
      timersFired: sim.clock.fired,
      deliveries: world.deliveries,
      verifications: world.verifications,
      verifyRejected: world.verifyRejected,
      ingests: world.ingests,
      accepted: world.accepted,
      rejected,
      attackSent: world.attackSent,
      forgeries: world.forgeries.length,
      silenceMissing: world.silenceMissing.length,
      wrongViews: wrong.length,
      samples: [...world.forgeries.slice(0, 5), ...world.silenceMissing.slice(0, 10), ...wrong.slice(0, 5)],
      errors: world.errors.length,
    };
    if (process.env.NARA_SIM_REPORT)
      writeFileSync(process.env.NARA_SIM_REPORT, JSON.stringify(summary, null, 2));

    expect(world.forgeries).toEqual([]);
    expect(wrong).toEqual([]);
    // Naras keep their promises, so nobody honest goes MISSING through silence.
    expect(world.silenceMissing).toEqual([]);
    expect(world.errors).toEqual([]);
    // The attack happened and was refused for the right reasons.
    expect(world.attackSent.impersonate).toBeGreaterThan(500);
    expect(rejected['key-mismatch']).toBeGreaterThan(0);
    expect(rejected.replay + rejected['too-old']).toBeGreaterThan(0);
    expect(rejected['stale-will']).toBeGreaterThan(0);
    // Wills replayed for the reconnected naras did not knock them over: they are ONLINE above.
    const witness = groups.steady[0]!;
    for (const n of groups.blippers)
      expect(witness.registry.get(n.name)!.reconnects).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
