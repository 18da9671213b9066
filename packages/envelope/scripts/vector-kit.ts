/**
 * What the vector generators share (scripts/generate-vectors.ts and scripts/generate-vectors-*.ts): the
 * test identities, the honest payload every invalid case starts from, and the ways to sign a changed one.
 */
import type { RejectReason } from '../src/types.js';
import {
  type Cbor,
  enc,
  hexToBytes,
  type Parts,
  assemble as rawAssemble,
  sign,
  signedParts,
  sigStructure,
  type TestKey,
  testKey,
  toHex,
} from './forge.js';

export const L = 2n ** 252n + 27742317777372353535851937790883648493n;

export const alice = testKey(1);
export const bob = testKey(2);
export const ALICE = 'noisy-bear-189';
export const ALICE_ID = 'BJaCQEz3nSxx6JJ5AYw9UgTwhHHr3EQNVrxLameiVY4J';
export const BOB = 'jojo';
export const BOB_ID = '2gdnSNmnqsnvDoTxnj5PVyupruDnVUCaMH6tdGcpUjqa';
export const EPOCH = hexToBytes('a1b2c3d4e5f60718');
export const TIME = 1_767_225_600_000; // 2026-01-01T00:00:00Z
export const HEY = 'nara/plaza/hey-there';
export const CHAU = 'nara/plaza/chau';
export const STASH = 'nara/plaza/stash_refresh';
export const paper = (name: string) => `nara/plaza/newspaper/${name}`;
export const checkpoint = (subject: string, op: string) => `nara/checkpoint/${subject}/${op}`;

/** A vector's content with byte strings as lowercase hex, so that it is plain JSON. */
export function project(value: unknown): unknown {
  if (value instanceof Uint8Array) return toHex(value);
  if (Array.isArray(value)) return value.map(project);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, project(v)]));
  return value;
}

export interface ValidVector {
  name: string;
  description: string;
  topic: string;
  envelope: string;
  publicKey: string;
  content: unknown;
}

export interface InvalidVector {
  name: string;
  description: string;
  topic: string;
  envelope: string;
  expect: RejectReason;
  concerns: 'topic' | 'size' | 'cbor' | 'header' | 'key-policy' | 'signature' | 'schema' | 'binding';
}

/** The payload of an honest hey-there by alice, as pairs, to be changed by the invalid cases. */
export function payloadPairs(
  overrides: Record<number, Cbor> = {},
  kind = 'hey-there',
  body: Cbor = { map: [] },
): [Cbor, Cbor][] {
  const base: [Cbor, Cbor][] = [
    [0, 1],
    [1, kind],
    [2, ALICE],
    [3, ALICE_ID],
    [4, EPOCH],
    [5, 7],
    [6, TIME],
    [7, body],
  ];
  return base.map(([k, v]) => [k, (k as number) in overrides ? overrides[k as number]! : v]);
}

export const payloadOf = (pairs: [Cbor, Cbor][]) => enc({ map: pairs });

/** A checkpoint body about `subject` with the fields every op has, then `extra`. */
export function checkpointBody(op: string, subject: string, extra: [Cbor, Cbor][]): Cbor {
  const pairs: [Cbor, Cbor][] = [
    [0, op],
    [1, subject],
    [2, subject === ALICE ? ALICE_ID : BOB_ID],
    [
      3,
      {
        map: [
          [0, 1],
          [1, 2],
          [2, 3],
        ],
      },
    ],
    [4, 1_767_225_600],
    [5, 1],
    ...extra,
  ];
  return { map: pairs };
}

/** A list of invalid vectors being built, with the ways to sign changed envelopes. */
export class InvalidSet {
  readonly out: InvalidVector[] = [];
  /** alice's honest hey-there payload, its signed parts and its bytes. */
  readonly honestPayload = payloadOf(payloadPairs());
  readonly honest = signedParts(alice, HEY, this.honestPayload);
  readonly honestBytes = rawAssemble(this.honest);

  add(
    name: string,
    expect: RejectReason,
    concerns: InvalidVector['concerns'],
    description: string,
    topic: string,
    envelope: Uint8Array,
  ): void {
    this.out.push({ name, description, topic, envelope: toHex(envelope), expect, concerns });
  }

  /** A validly signed envelope over arbitrary payload bytes. */
  signedPayload(payload: Uint8Array, topic = HEY, key: TestKey = alice): Uint8Array {
    return rawAssemble(signedParts(key, topic, payload));
  }

  /** The honest envelope with some of its parts (already-encoded items) replaced, signature unchanged. */
  withParts(changes: Partial<Parts>): Uint8Array {
    return rawAssemble({ ...this.honest, ...changes });
  }

  /** The honest payload signed by alice under another protected header item. */
  withProtected(prot: Uint8Array): Uint8Array {
    const payload = enc(this.honestPayload);
    return rawAssemble({
      protected: prot,
      payload,
      signature: enc(sign(alice, sigStructure(prot, HEY, payload))),
    });
  }

  /** A validly signed payload that only the schema (section 5) can reject. */
  schema(name: string, expect: RejectReason, description: string, payload: Uint8Array, topic = HEY): void {
    this.add(name, expect, 'schema', description, topic, this.signedPayload(payload, topic));
  }

  /** A validly signed, well-formed payload that only its binding to the topic (section 6) can reject. */
  binding(name: string, expect: RejectReason, description: string, payload: Uint8Array, topic: string): void {
    this.add(name, expect, 'binding', description, topic, this.signedPayload(payload, topic));
  }
}
