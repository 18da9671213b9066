/**
 * The vectors of key succession (docs/PROTOCOL.md section 12): valid envelopes carrying a commitment and a
 * succession, invalid ones the envelope layer refuses, and vectors/succession.json, the cases a receiver
 * judges against what it pinned (the commitment checked, the chain moved). Called by generate-vectors.ts.
 */
import { commitmentTo, createSigner, signEnvelope } from '../src/index.js';
import type { AnyEnvelopeContent } from '../src/types.js';
import { type Cbor, testKey, toHex } from './forge.js';
import {
  ALICE,
  ALICE_ID,
  alice,
  BOB,
  BOB_ID,
  bob,
  EPOCH,
  HEY,
  type InvalidContext,
  paper,
  payloadOf,
  payloadPairs,
  TIME,
  type ValidVector,
  validVector,
} from './vector-fixtures.js';

/** alice's next two souls, bob's next, and a key a thief made. */
export const aliceNext = testKey(3);
export const aliceAfter = testKey(4);
const bobNext = testKey(5);
const thief = testKey(6);
/** The nara ID of alice's next soul (IDs derive from the soul). */
const ALICE_NEXT_ID = '9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin';
const succession = (name: string) => `nara/plaza/succession/${name}`;
const signer = (key: { seed: Uint8Array }) => createSigner(key.seed, { backend: 'noble' });

/** A succession by `by` (a test key) for `name`, leaving `previous`, committing to `commitment`. */
function successionEnvelope(
  by: { seed: Uint8Array },
  name: string,
  previous: Uint8Array,
  commitment: Uint8Array,
  topic = succession(name),
  seq = 0,
): Uint8Array {
  return signEnvelope(signer(by), topic, {
    kind: 'succession',
    name,
    naraId: ALICE_NEXT_ID,
    epoch: EPOCH,
    seq,
    time: TIME + 60_000,
    body: { previous },
    commitment,
  });
}

export function successionValidVectors(): ValidVector[] {
  const out: ValidVector[] = [];
  const add = (
    name: string,
    description: string,
    key: { seed: Uint8Array },
    topic: string,
    content: AnyEnvelopeContent,
  ) => out.push(validVector(name, description, signer(key), topic, content));
  const common = { name: ALICE, naraId: ALICE_ID, epoch: EPOCH, time: TIME };
  add(
    'newspaper-with-commitment',
    "a newspaper carrying the commitment to alice's next key (payload key 8)",
    alice,
    paper(ALICE),
    {
      ...common,
      kind: 'newspaper',
      seq: 10,
      body: { status: { chattiness: 10, buzz: 1 }, next: TIME + 300_000 },
      commitment: commitmentTo(aliceNext.publicKey),
    },
  );
  add(
    'hey-there-retired',
    'a hey-there committing to no successor (an empty commitment): the name is retired',
    alice,
    HEY,
    {
      ...common,
      kind: 'hey-there',
      seq: 11,
      body: {},
      commitment: new Uint8Array(0),
    },
  );
  add(
    'succession',
    "alice's next soul announces the move from her first key, committing to the one after",
    aliceNext,
    succession(ALICE),
    {
      kind: 'succession',
      name: ALICE,
      naraId: ALICE_NEXT_ID,
      epoch: EPOCH,
      seq: 0,
      time: TIME + 60_000,
      body: { previous: alice.publicKey },
      commitment: commitmentTo(aliceAfter.publicKey),
    },
  );
  return out;
}

export function successionInvalidVectors(set: InvalidContext): void {
  const topic = succession(ALICE);
  const c1 = commitmentTo(aliceNext.publicKey);
  const c2 = commitmentTo(aliceAfter.publicKey);
  /** A succession payload by alice's next soul; `commitment` `'none'` leaves key 8 out. */
  const payload = (body: Cbor, commitment: Cbor | 'none' = c2) => {
    const pairs = payloadPairs({ 3: ALICE_NEXT_ID }, 'succession', body);
    return payloadOf(commitment === 'none' ? pairs : [...pairs, [8, commitment]]);
  };
  const signed = (
    name: string,
    expect: Parameters<InvalidContext['add']>[1],
    concerns: 'schema' | 'binding',
    what: string,
    bytes: Uint8Array,
    on = topic,
  ) => set.add(name, expect, concerns, what, on, set.signedPayload(bytes, on, aliceNext));
  set.add(
    'succession-signed-by-previous',
    'signed-by-previous',
    'binding',
    'a succession signed by the key it names as previous (a thief holding the current soul)',
    topic,
    successionEnvelope(alice, ALICE, alice.publicKey, c1),
  );
  signed(
    'succession-missing-commitment',
    'missing-field',
    'schema',
    'a succession without a commitment (key 8)',
    payload({ map: [[0, alice.publicKey]] }, 'none'),
  );
  signed(
    'succession-missing-previous',
    'missing-field',
    'schema',
    'a succession body without previous',
    payload({ map: [] }),
  );
  signed(
    'succession-previous-31-bytes',
    'invalid-field',
    'schema',
    'a previous key of 31 bytes',
    payload({ map: [[0, alice.publicKey.subarray(0, 31)]] }),
  );
  signed(
    'succession-previous-text',
    'invalid-field',
    'schema',
    'the previous key as text',
    payload({ map: [[0, 'a'.repeat(32)]] }),
  );
  signed(
    'succession-body-extra-key',
    'unknown-field',
    'schema',
    'a succession body with key 1',
    payload({
      map: [
        [0, alice.publicKey],
        [1, 0],
      ],
    }),
  );
  signed(
    'commitment-31-bytes',
    'invalid-field',
    'schema',
    'a commitment of 31 bytes',
    payload({ map: [[0, alice.publicKey]] }, c2.subarray(0, 31)),
  );
  signed(
    'commitment-text',
    'invalid-field',
    'schema',
    'a commitment as text',
    payload({ map: [[0, alice.publicKey]] }, 'a'.repeat(32)),
  );
  signed(
    'commitment-null',
    'invalid-field',
    'schema',
    'a commitment of null',
    payload({ map: [[0, alice.publicKey]] }, null),
  );
  signed(
    'commitment-before-body',
    'non-canonical-cbor',
    'schema',
    'key 8 before key 7',
    payloadOf([
      ...payloadPairs({ 3: ALICE_NEXT_ID }, 'succession').slice(0, 7),
      [8, c2],
      [7, { map: [[0, alice.publicKey]] }],
    ]),
  );
  set.binding(
    'succession-for-another-name',
    'name-mismatch',
    "alice's succession published on jojo's succession topic",
    payload({ map: [[0, alice.publicKey]] }),
    succession(BOB),
  );
  set.binding(
    'succession-on-hey-there-topic',
    'kind-mismatch',
    'a succession signed for and published on the hey-there topic',
    payload({ map: [[0, alice.publicKey]] }),
    HEY,
  );
  set.add(
    'topic-succession-bad-name',
    'bad-topic',
    'topic',
    'a succession topic whose name is "a#b"',
    succession('a#b'),
    set.honestBytes,
  );
  set.add(
    'topic-succession-no-name',
    'bad-topic',
    'topic',
    'the succession topic without a name',
    'nara/plaza/succession/',
    set.honestBytes,
  );
}

/** One case of succession.json: what the receiver pinned, the envelope it receives, and what it must do. */
export interface SuccessionCase {
  name: string;
  description: string;
  pinned: {
    name: string;
    /** The nara ID pinned with the name (an ID derives from the soul, so a move changes it). */
    naraId: string;
    publicKey: string;
    /** The pinned commitment, hex; `''` for no successor; null for none made. */
    commitment: string | null;
    /** Keys the name already moved away from, oldest first, hex. */
    chain: string[];
  };
  topic: string;
  envelope: string;
  /** `moved` (the pin moves to the envelope's key), `accepted` (an ordinary message) or a refusal reason. */
  expect: string;
}

export function successionCases(): SuccessionCase[] {
  const hex = toHex;
  const c1 = commitmentTo(aliceNext.publicKey);
  const c2 = commitmentTo(aliceAfter.publicKey);
  const pinnedAlice = {
    name: ALICE,
    naraId: ALICE_ID,
    publicKey: hex(alice.publicKey),
    commitment: hex(c1),
    chain: [] as string[],
  };
  const movedAlice = {
    name: ALICE,
    naraId: ALICE_NEXT_ID,
    publicKey: hex(aliceNext.publicKey),
    commitment: hex(c2),
    chain: [hex(alice.publicKey)],
  };
  const heyThere = (key: { seed: Uint8Array }, commitment?: Uint8Array, naraId = ALICE_ID) =>
    signEnvelope(signer(key), HEY, {
      kind: 'hey-there',
      name: ALICE,
      naraId,
      epoch: EPOCH,
      seq: 1,
      time: TIME + 120_000,
      body: {},
      ...(commitment === undefined ? {} : { commitment }),
    });
  const out: SuccessionCase[] = [];
  const add = (
    name: string,
    description: string,
    pinned: SuccessionCase['pinned'],
    topic: string,
    envelope: Uint8Array,
    expect: string,
  ) => out.push({ name, description, pinned, topic, envelope: hex(envelope), expect });
  add(
    'moves',
    'the committed next key, naming the pinned key, committing to the one after',
    pinnedAlice,
    succession(ALICE),
    successionEnvelope(aliceNext, ALICE, alice.publicKey, c2),
    'moved',
  );
  add(
    'moves-to-retirement',
    'the committed next key, committing to no successor',
    pinnedAlice,
    succession(ALICE),
    successionEnvelope(aliceNext, ALICE, alice.publicKey, new Uint8Array(0)),
    'moved',
  );
  add(
    'wrong-commitment',
    'a key the pinned commitment does not name (a thief who stole the current soul made it)',
    pinnedAlice,
    succession(ALICE),
    successionEnvelope(thief, ALICE, alice.publicKey, c2),
    'succession-wrong-key',
  );
  add(
    'skips-a-key',
    "alice's key after next, before the move to the next one",
    pinnedAlice,
    succession(ALICE),
    successionEnvelope(aliceAfter, ALICE, alice.publicKey, c2),
    'succession-wrong-key',
  );
  add(
    'wrong-previous',
    'the committed next key naming another key than the pinned one as previous',
    pinnedAlice,
    succession(ALICE),
    successionEnvelope(aliceNext, ALICE, bob.publicKey, c2),
    'succession-wrong-previous',
  );
  add(
    'not-committed',
    'a succession for a key that made no commitment',
    { ...pinnedAlice, commitment: null },
    succession(ALICE),
    successionEnvelope(aliceNext, ALICE, alice.publicKey, c2),
    'succession-not-committed',
  );
  add(
    'retired',
    'a succession for a key that committed to no successor',
    { ...pinnedAlice, commitment: '' },
    succession(ALICE),
    successionEnvelope(aliceNext, ALICE, alice.publicKey, c2),
    'succession-retired',
  );
  add(
    'replayed',
    'the move to the next key, received again after the name moved on to the key after',
    {
      ...movedAlice,
      publicKey: hex(aliceAfter.publicKey),
      commitment: hex(commitmentTo(thief.publicKey)),
      chain: [hex(alice.publicKey), hex(aliceNext.publicKey)],
    },
    succession(ALICE),
    successionEnvelope(aliceNext, ALICE, alice.publicKey, c2),
    'succession-replay',
  );
  add(
    'for-another-name',
    "alice's committed next key claiming jojo's name (jojo committed to another key)",
    {
      name: BOB,
      naraId: BOB_ID,
      publicKey: hex(bob.publicKey),
      commitment: hex(commitmentTo(bobNext.publicKey)),
      chain: [],
    },
    succession(BOB),
    signEnvelope(signer(aliceNext), succession(BOB), {
      kind: 'succession',
      name: BOB,
      naraId: BOB_ID,
      epoch: EPOCH,
      seq: 0,
      time: TIME + 60_000,
      body: { previous: bob.publicKey },
      commitment: c2,
    }),
    'succession-wrong-key',
  );
  add(
    'announced-again',
    'the move already made, announced again by the new key (at a later connect)',
    movedAlice,
    succession(ALICE),
    successionEnvelope(aliceNext, ALICE, alice.publicKey, c2, succession(ALICE), 1),
    'accepted',
  );
  add(
    'old-key-after-move',
    'a hey-there by the key the name moved away from (a thief holding the old soul)',
    movedAlice,
    HEY,
    heyThere(alice, c1),
    'key-retired',
  );
  add(
    'commitment-changed',
    'a hey-there by the pinned key carrying another commitment',
    pinnedAlice,
    HEY,
    heyThere(alice, c2),
    'commitment-mismatch',
  );
  add(
    'commitment-dropped',
    'a hey-there by the pinned key without its commitment',
    pinnedAlice,
    HEY,
    heyThere(alice),
    'commitment-mismatch',
  );
  add(
    'commitment-kept',
    'a hey-there by the pinned key with its commitment',
    pinnedAlice,
    HEY,
    heyThere(alice, c1),
    'accepted',
  );
  add(
    'first-commitment',
    'a key that made no commitment sends its first: it is pinned',
    { ...pinnedAlice, commitment: null },
    HEY,
    heyThere(alice, c1),
    'accepted',
  );
  return out;
}
