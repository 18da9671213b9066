import { createSigner, createVerifier, signEnvelope, type VerifiedEnvelope } from '@nara/envelope/node';
import { Decoder } from 'cbor-x';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StrictReader } from '../src/cbor-reader.js';
import { newLayout, readCose } from '../src/cose.js';
import { OBSERVATION, STATUS, type Table } from '../src/schema.js';
import { contentAndTopic, seed } from './arbitraries.js';
import { fromHex, validVectors } from './vectors.js';

/**
 * cbor-x as a second reader: plain CBOR into Maps (no records, no structured clone), which is as safe as it
 * gets on bytes our strict reader has accepted (nothing it would turn into live objects is left in them).
 */
const oracle = new Decoder({ mapsAsObjects: false, useRecords: false, structuredClone: false });

type WireMap = Map<number, unknown>;
const num = (v: unknown) => (typeof v === 'bigint' ? Number(v) : v);
const colour = (v: unknown) => `#${Number(v).toString(16).padStart(6, '0')}`;

/** The API shape of a map of `table`, from what cbor-x decoded: names for keys, as the schema says. */
function fromTable(map: WireMap, table: Table): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of map) {
    const field = table.fields[key]!;
    if (field.type === 'map') out[field.name] = fromTable(value as WireMap, field.table);
    else if (field.type === 'colours') {
      const aura = value as WireMap;
      out[field.name] = { primary: colour(aura.get(0)), secondary: colour(aura.get(1)) };
    } else out[field.name] = num(value);
  }
  return out;
}

const CHECKPOINT_NAMES = [
  'op',
  'subject',
  'subjectId',
  'observation',
  'asOfTime',
  'round',
  'lastSeenCheckpointId',
  'proposalTime',
  'approved',
  'previousCheckpointId',
  'votes',
];

function fromBody(kind: string, body: WireMap): unknown {
  switch (kind) {
    case 'hey-there':
      return body.has(0) ? { meshIp: body.get(0) } : {};
    case 'chau':
      return { reason: body.get(0) };
    case 'succession':
      return { previous: new Uint8Array(body.get(0) as Uint8Array) };
    case 'newspaper':
      return { status: fromTable(body.get(0) as WireMap, STATUS), next: num(body.get(1)) };
    case 'checkpoint': {
      const out: Record<string, unknown> = {};
      for (const [key, value] of body) {
        const name = CHECKPOINT_NAMES[key]!;
        if (name === 'observation') out[name] = fromTable(value as WireMap, OBSERVATION);
        else if (name === 'votes') out[name] = (value as Uint8Array[]).map((v) => new Uint8Array(v));
        else out[name] = num(value);
      }
      return out;
    }
    default:
      return Object.fromEntries(body);
  }
}

/** What cbor-x makes of an envelope's payload, in the shape of a verified envelope's content. */
function oracleContent(bytes: Uint8Array) {
  const parts = newLayout();
  readCose(bytes, parts, new StrictReader(bytes));
  const payload = oracle.decode(bytes.subarray(parts.payloadContentStart, parts.payloadEnd)) as WireMap;
  const kind = payload.get(1) as string;
  return {
    version: payload.get(0),
    kind,
    name: payload.get(2),
    naraId: payload.get(3),
    epoch: new Uint8Array(payload.get(4) as Uint8Array),
    seq: num(payload.get(5)),
    time: num(payload.get(6)),
    body: fromBody(kind, payload.get(7) as WireMap),
    ...(payload.has(8) ? { commitment: new Uint8Array(payload.get(8) as Uint8Array) } : {}),
  };
}

function ours(envelope: VerifiedEnvelope) {
  const { kind, name, naraId, epoch, seq, time, body, commitment } = envelope;
  return {
    version: 1,
    kind,
    name,
    naraId,
    epoch: new Uint8Array(epoch),
    seq,
    time,
    body,
    ...(commitment === undefined ? {} : { commitment: new Uint8Array(commitment) }),
  };
}

const verifier = createVerifier({ duplicateCacheSize: 0 });

describe('cbor-x as a differential oracle', () => {
  it('decodes every valid vector to what the strict reader accepted', () => {
    for (const vector of validVectors) {
      const bytes = fromHex(vector.envelope);
      const result = verifier.verify(vector.topic, bytes);
      if (!result.ok) throw new Error(`${vector.name}: ${result.reason}`);
      expect(oracleContent(bytes), vector.name).toEqual(ours(result.envelope));
    }
  });

  it('decodes every accepted payload of any content to what the strict reader made of it', () => {
    fc.assert(
      fc.property(seed, contentAndTopic, (key, { topic, content }) => {
        const bytes = signEnvelope(createSigner(key), topic, content);
        const result = verifier.verify(topic, bytes);
        if (!result.ok) throw new Error(`${result.reason}: ${result.detail}`);
        expect(oracleContent(bytes)).toEqual(ours(result.envelope));
      }),
      { numRuns: 300 },
    );
  });
});

describe('why received bytes are not read with cbor-x (HOSTILE-NOTES, each refused by the strict reader)', () => {
  const decode = (hex: string) => oracle.decode(fromHex(hex));

  it('takes the last of duplicate keys', () => {
    expect(decode('a200010002')).toEqual(new Map([[0, 2]]));
  });

  it('takes integers and lengths in longer forms than the shortest', () => {
    expect(decode('1a00000001')).toBe(1);
    expect(decode('780161')).toBe('a');
  });

  it('replaces invalid UTF-8 instead of refusing it', () => {
    expect(decode('62c328')).toBe('\ufffd(');
  });

  it('turns a typed-array tag around 64 signature bytes into a typed array', () => {
    expect(decode(`d84558400${'0'.repeat(127)}`)).toBeInstanceOf(Uint16Array);
  });
});
