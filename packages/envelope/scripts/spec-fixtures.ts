/**
 * Byte pieces and payload builders shared by the order-of-checks vectors (generate-vectors-spec.ts and
 * the vectors-spec-*.ts files it calls).
 */
import { type Cbor, concat, hexToBytes } from './forge.js';
import { alice, payloadOf, payloadPairs, TIME } from './vector-fixtures.js';

export const ALG = Uint8Array.of(0x01, 0x27);
export const KID = concat(Uint8Array.of(0x04, 0x58, 0x20), alice.publicKey);
export const b = (...bytes: number[]) => Uint8Array.of(...bytes);
export const identity = hexToBytes('0100000000000000000000000000000000000000000000000000000000000000');

/** A newspaper body by alice with these status pairs (chattiness and buzz included by the caller). */
export const newspaper = (status: [Cbor, Cbor][], next: Cbor = TIME) =>
  payloadOf(
    payloadPairs({}, 'newspaper', {
      map: [
        [0, { map: status }],
        [1, next],
      ],
    }),
  );
export const MINIMAL_STATUS: [Cbor, Cbor][] = [
  [3, 1],
  [4, 0],
];
/** The minimal status with one more field at `key` (above 4). */
export const statusWith = (key: number, value: Cbor): [Cbor, Cbor][] => [...MINIMAL_STATUS, [key, value]];
export const checkpointPayload = (body: Cbor) => payloadOf(payloadPairs({}, 'checkpoint', body));
export const without = (key: number, pairs = payloadPairs()) => pairs.filter(([k]) => k !== key);
export const VOTE_FIELDS: [Cbor, Cbor][] = [
  [7, 1_767_225_600],
  [8, true],
];
