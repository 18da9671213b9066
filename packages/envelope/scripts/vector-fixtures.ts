import { signEnvelope } from '../src/index.js';
import type { AnyEnvelopeContent, RejectReason, Signer } from '../src/types.js';
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
export const utf8 = new TextEncoder();

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

export function order(key: Cbor): number {
  // Puts key 2 after key 3: the only disorder in the unsorted-keys case.
  return key === 2 ? 3.5 : (key as number);
}

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

/** A valid vector: `content` signed by `signer` for `topic`, listed with its content as JSON. */
export function validVector(
  name: string,
  description: string,
  signer: Signer,
  topic: string,
  content: AnyEnvelopeContent,
): ValidVector {
  return {
    name,
    description,
    topic,
    envelope: toHex(signEnvelope(signer, topic, content)),
    publicKey: toHex(signer.publicKey),
    content: project(content),
  };
}

/** What the invalid vectors are built with: `add` in the order they are listed, and an honest envelope to change. */
export function invalidContext(out: InvalidVector[]) {
  const add = (
    name: string,
    expect: RejectReason,
    concerns: InvalidVector['concerns'],
    description: string,
    topic: string,
    envelope: Uint8Array,
  ) => out.push({ name, description, topic, envelope: toHex(envelope), expect, concerns });

  const honestPayload = payloadOf(payloadPairs());
  const honest = signedParts(alice, HEY, honestPayload);
  const honestBytes = rawAssemble(honest);
  /** A validly signed envelope over arbitrary payload bytes. */
  const signedPayload = (payload: Uint8Array, topic = HEY, key: TestKey = alice) =>
    rawAssemble(signedParts(key, topic, payload));
  const withParts = (changes: Partial<Parts>) => rawAssemble({ ...honest, ...changes });
  /** Signs with honest parts but a custom protected header item. */
  const withProtected = (prot: Uint8Array) => {
    const payload = enc(honestPayload);
    return rawAssemble({
      protected: prot,
      payload,
      signature: enc(sign(alice, sigStructure(prot, HEY, payload))),
    });
  };

  /** A validly signed payload that only the schema (docs/PROTOCOL.md section 5) can reject. */
  const schema = (
    name: string,
    expect: RejectReason,
    description: string,
    payload: Uint8Array,
    topic = HEY,
  ) => add(name, expect, 'schema', description, topic, signedPayload(payload, topic));
  /** A validly signed, well-formed payload that only its binding to the topic (section 6) can reject. */
  const binding = (
    name: string,
    expect: RejectReason,
    description: string,
    payload: Uint8Array,
    topic: string,
  ) => add(name, expect, 'binding', description, topic, signedPayload(payload, topic));

  return {
    add,
    honestPayload,
    honest,
    honestBytes,
    signedPayload,
    withParts,
    withProtected,
    schema,
    binding,
  };
}

export type InvalidContext = ReturnType<typeof invalidContext>;
