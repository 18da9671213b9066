/**
 * Key succession through the receive pipeline a running nara uses (docs/PROTOCOL.md section 12): every
 * way of taking a name with a stolen soul, refused with its reason, counted once, and the peers unchanged.
 */
import { type AnyEnvelopeContent, commitmentTo } from '@nara/envelope/node';
import { testKey } from '@nara/tooling/forge';
import { successionTopic } from '@nara/topics';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  bob,
  createFixture,
  expectRejected,
  type Fixture,
  H,
  honest,
  mallory,
  NOW,
} from './hostile-fixture.js';

const carol = [0, 1, 2, 3].map((g) => testKey(`hostile carol ${g}`));
const CAROL_IDS = ['3sKzCar1111', '3sKzCar2222', '3sKzCar3333'];
const S = successionTopic('carol');
const epoch = (n: number) => Uint8Array.of(7, 7, 7, 7, 7, 7, 7, n);
const next = (g: number) => commitmentTo(carol[g + 1]!.publicKey);

function carolSays(
  g: number,
  kind: 'hey-there' | 'succession',
  options: {
    commitment?: Uint8Array | null;
    previous?: Uint8Array;
    by?: (typeof carol)[number];
    seq?: number;
    e?: number;
    name?: string;
  } = {},
): Uint8Array {
  const commitment = options.commitment === undefined ? next(g) : options.commitment;
  const content = {
    kind,
    name: options.name ?? 'carol',
    naraId: CAROL_IDS[g]!,
    epoch: epoch(options.e ?? g),
    seq: options.seq ?? 0,
    time: NOW - 500 + g,
    body: kind === 'succession' ? { previous: options.previous ?? carol[g - 1]!.publicKey } : {},
    ...(commitment === null ? {} : { commitment }),
  } as AnyEnvelopeContent;
  return honest(options.by ?? carol[g]!, kind === 'succession' ? successionTopic(content.name) : H, content);
}

let f: Fixture;
beforeEach(() => {
  f = createFixture();
  // carol arrives committed to her next soul.
  const outcome = f.pipeline.receive(H, carolSays(0, 'hey-there'));
  expect(outcome.type).toBe('accepted');
});

describe('succession, through the receive pipeline', () => {
  it('moves carol to her committed next soul and keeps her record; then refuses her old soul', () => {
    const first = f.registry.get('carol')!;
    const moved = f.pipeline.receive(S, carolSays(1, 'succession'));
    expect(moved.type === 'accepted' && moved.change).toBe('moved');
    expect(f.registry.get('carol')).toMatchObject({ firstSeen: first.firstSeen, successions: 1 });
    expect(f.pipeline.counters.accepted.get({ kind: 'succession' })).toBe(1);
    expectRejected(f, H, carolSays(0, 'hey-there', { seq: 5 }), 'key-retired');
  });

  it('a thief with her current soul cannot move the name to its own key', () => {
    expectRejected(f, S, carolSays(1, 'succession', { by: mallory }), 'succession-wrong-key');
  });

  it('a succession signed by the previous key itself is refused before the registry', () => {
    expectRejected(
      f,
      S,
      carolSays(1, 'succession', { by: carol[0]!, previous: carol[0]!.publicKey }),
      'signed-by-previous',
    );
  });

  it('the key after next cannot skip the committed one', () => {
    expectRejected(
      f,
      S,
      carolSays(2, 'succession', { previous: carol[0]!.publicKey }),
      'succession-wrong-key',
    );
  });

  it('the stolen soul cannot change or drop the commitment', () => {
    expectRejected(
      f,
      H,
      carolSays(0, 'hey-there', { commitment: commitmentTo(mallory.publicKey), seq: 3 }),
      'commitment-mismatch',
    );
    expectRejected(f, H, carolSays(0, 'hey-there', { commitment: null, seq: 4 }), 'commitment-mismatch');
  });

  it('a replayed succession is refused once the name moved on, and its exact bytes by the floor', () => {
    const toFirst = carolSays(1, 'succession');
    expect(f.pipeline.receive(S, toFirst).type).toBe('accepted');
    expectRejected(f, S, toFirst, 'replay');
    expect(f.pipeline.receive(S, carolSays(2, 'succession', { commitment: new Uint8Array(0) })).type).toBe(
      'accepted',
    );
    expectRejected(f, S, carolSays(1, 'succession', { seq: 9, e: 9 }), 'succession-replay');
  });

  it('a retired name cannot move, and names without a commitment cannot be moved', () => {
    expect(f.pipeline.receive(S, carolSays(1, 'succession', { commitment: new Uint8Array(0) })).type).toBe(
      'accepted',
    );
    expectRejected(
      f,
      S,
      carolSays(2, 'succession', { previous: carol[1]!.publicKey, e: 5 }),
      'succession-retired',
    );
    // A succession for another name: bob never committed, so nobody can move him.
    expectRejected(
      f,
      successionTopic('bob'),
      carolSays(1, 'succession', { name: 'bob', previous: bob.publicKey }),
      'succession-not-committed',
    );
  });
});
