import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  commitmentTo,
  createSigner,
  createVerifier,
  signEnvelope,
  type VerifiedEnvelope,
} from '@nara/envelope/node';
import { createPeerRegistry, type PeerEvent } from '@nara/peers';
import { HEY_THERE_TOPIC, successionTopic } from '@nara/topics';
import { describe, expect, it } from 'vitest';
import { SimClock } from './sim-clock.js';

interface SuccessionCase {
  name: string;
  description: string;
  pinned: { name: string; naraId: string; publicKey: string; commitment: string | null; chain: string[] };
  topic: string;
  envelope: string;
  expect: string;
}

const file = JSON.parse(
  readFileSync(new URL('../../envelope/vectors/succession.json', import.meta.url), 'utf8'),
) as { vectors: SuccessionCase[] };

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));
// The vectors' keys: seed(i) = SHA-256("nara plaza/1 vector key " + i), alice 1 and her next souls 3 and 4,
// bob 2 and his next 5, a thief's key 6.
const signers = new Map(
  [1, 2, 3, 4, 5, 6].map((i) => {
    const seed = new Uint8Array(createHash('sha256').update(`nara plaza/1 vector key ${i}`).digest());
    const signer = createSigner(seed);
    return [hex(signer.publicKey), signer] as const;
  }),
);
const verifier = createVerifier();
const TIME = 1_767_225_600_000;

function verified(topic: string, bytes: Uint8Array): VerifiedEnvelope {
  const result = verifier.verify(topic, bytes);
  if (!result.ok) throw new Error(`${result.reason}: ${result.detail}`);
  return result.envelope;
}

/**
 * A registry brought, by real messages, to the state a case pinned: the first key of the chain says
 * hey-there with its commitment, then each later key announces its succession.
 */
function registryPinnedAs(pinned: SuccessionCase['pinned']) {
  const clock = new SimClock(TIME + 100_000);
  const registry = createPeerRegistry({}, { clock });
  const keys = [...pinned.chain, pinned.publicKey];
  const commitmentAfter = (i: number): Uint8Array | undefined =>
    i + 1 < keys.length
      ? commitmentTo(fromHex(keys[i + 1]!))
      : pinned.commitment === null
        ? undefined
        : fromHex(pinned.commitment);
  keys.forEach((key, i) => {
    const signer = signers.get(key)!;
    const common = {
      name: pinned.name,
      naraId: pinned.naraId,
      epoch: Uint8Array.of(9, 9, 9, 9, 9, 9, 9, i),
      seq: 0,
      time: TIME + 40_000 + i * 5000,
      ...(commitmentAfter(i) === undefined ? {} : { commitment: commitmentAfter(i) }),
    };
    const bytes =
      i === 0
        ? signEnvelope(signer, HEY_THERE_TOPIC, { ...common, kind: 'hey-there', body: {} })
        : signEnvelope(signer, successionTopic(pinned.name), {
            ...common,
            kind: 'succession',
            body: { previous: fromHex(keys[i - 1]!) },
          });
    const result = registry.ingest(verified(i === 0 ? HEY_THERE_TOPIC : successionTopic(pinned.name), bytes));
    if (!result.ok) throw new Error(`priming ${pinned.name} failed: ${result.reason}`);
  });
  return registry;
}

describe('the succession vectors (packages/envelope/vectors/succession.json)', () => {
  it('have a case for every refusal the spec names', () => {
    const expected = new Set(file.vectors.map((v) => v.expect));
    for (const reason of [
      'moved',
      'accepted',
      'key-retired',
      'commitment-mismatch',
      'succession-wrong-previous',
      'succession-replay',
      'succession-not-committed',
      'succession-retired',
      'succession-wrong-key',
    ])
      expect(expected, reason).toContain(reason);
  });

  it.each(file.vectors.map((v) => [v.name, v.expect, v] as const))('%s: %s', (_, expected, v) => {
    const registry = registryPinnedAs(v.pinned);
    const before = registry.get(v.pinned.name)!;
    expect(before.publicKey).toBe(Buffer.from(fromHex(v.pinned.publicKey)).toString('base64'));
    expect(before.commitment).toBe(v.pinned.commitment);
    const result = registry.ingest(verified(v.topic, fromHex(v.envelope)));
    const outcome = result.ok ? (result.change === 'moved' ? 'moved' : 'accepted') : result.reason;
    expect(outcome).toBe(expected);
    const after = registry.get(v.pinned.name)!;
    if (expected === 'moved') {
      expect(after.successions).toBe(before.successions + 1);
      expect(after.chain.at(-1)!.publicKey).toBe(before.publicKey);
    } else {
      // A refusal changes nothing of the pin.
      expect(after.publicKey).toBe(before.publicKey);
      expect(after.successions).toBe(before.successions);
      if (!result.ok) expect(after.commitment).toBe(before.commitment);
    }
    registry.close();
  });
});

describe('a peer that moves to its next soul', () => {
  const first = createSigner(new Uint8Array(32).fill(1));
  const second = createSigner(new Uint8Array(32).fill(2));
  const third = createSigner(new Uint8Array(32).fill(3));
  const sign = (
    signer: typeof first,
    topic: string,
    kind: 'hey-there' | 'succession' | 'newspaper',
    body: object,
    time: number,
    commitment: Uint8Array,
    epoch = 1,
  ) =>
    verified(
      topic,
      signEnvelope(signer, topic, {
        kind,
        name: 'mover',
        naraId: `id${epoch}`,
        epoch: Uint8Array.of(0, 0, 0, 0, 0, 0, 0, epoch),
        seq: 0,
        time,
        body,
        commitment,
      } as never),
    );

  it('keeps its record (first seen, reconnects) and shows the chain; every move is an event', async () => {
    const clock = new SimClock(TIME);
    const registry = createPeerRegistry({}, { clock });
    const events: PeerEvent[] = [];
    registry.on((e) => events.push(e));
    registry.ingest(sign(first, HEY_THERE_TOPIC, 'hey-there', {}, TIME, commitmentTo(second.publicKey)));
    const joined = registry.get('mover')!;
    await clock.advanceTo(TIME + 10_000);
    const moved = registry.ingest(
      sign(
        second,
        successionTopic('mover'),
        'succession',
        { previous: first.publicKey },
        TIME + 10_000,
        commitmentTo(third.publicKey),
        2,
      ),
    );
    expect(moved).toMatchObject({ ok: true, change: 'moved' });
    const peer = registry.get('mover')!;
    expect(peer).toMatchObject({
      firstSeen: joined.firstSeen,
      successions: 1,
      naraId: 'id2',
      state: 'ONLINE',
      publicKey: Buffer.from(second.publicKey).toString('base64'),
      commitment: hex(commitmentTo(third.publicKey)),
      chain: [{ publicKey: Buffer.from(first.publicKey).toString('base64'), until: TIME + 10_000 }],
    });
    expect(events.at(-1)).toMatchObject({ type: 'moved', from: joined.publicKey });
    // The old soul is refused with its own reason, and counted.
    const thief = registry.ingest(
      sign(first, HEY_THERE_TOPIC, 'hey-there', {}, TIME + 11_000, commitmentTo(second.publicKey), 3),
    );
    expect(thief).toMatchObject({ ok: false, reason: 'key-retired' });
    expect(registry.stats().rejected['key-retired']).toBe(1);
    registry.close();
  });

  it('moves a seeded pin too, when the operator pinned the commitment with the key', () => {
    const clock = new SimClock(TIME);
    const registry = createPeerRegistry(
      { known: [{ name: 'mover', publicKey: first.publicKey, commitment: commitmentTo(second.publicKey) }] },
      { clock },
    );
    // The seeded commitment is required from the first message on.
    expect(
      registry.ingest(sign(first, HEY_THERE_TOPIC, 'hey-there', {}, TIME, commitmentTo(third.publicKey))),
    ).toMatchObject({ ok: false, reason: 'commitment-mismatch' });
    expect(
      registry.ingest(sign(first, HEY_THERE_TOPIC, 'hey-there', {}, TIME, commitmentTo(second.publicKey))),
    ).toMatchObject({ ok: true, change: 'joined', peer: { pin: 'seed' } });
    const move = sign(
      second,
      successionTopic('mover'),
      'succession',
      { previous: first.publicKey },
      TIME + 1000,
      commitmentTo(third.publicKey),
      2,
    );
    expect(registry.ingest(move)).toMatchObject({ ok: true, change: 'moved' });
    // Forgotten and heard again: the seed moved with the pin.
    registry.delete('mover');
    registry.pin('mover', second.publicKey, commitmentTo(third.publicKey));
    expect(
      registry.ingest(
        sign(second, HEY_THERE_TOPIC, 'hey-there', {}, TIME + 2000, commitmentTo(third.publicKey), 3),
      ),
    ).toMatchObject({ ok: true, peer: { commitment: hex(commitmentTo(third.publicKey)) } });
    registry.close();
  });
});
