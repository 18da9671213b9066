import {
  createSigner,
  createVerifier,
  decodeEnvelope,
  type NewspaperBody,
  signEnvelope,
} from '@nara/envelope/node';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StrictReader } from '../src/cbor-reader.js';
import { assemble, newLayout, protectedHeaderItem, readCose } from '../src/cose.js';
import { status } from './arbitraries.js';

const signer = createSigner(new Uint8Array(32).fill(7));
const verifier = createVerifier({ duplicateCacheSize: 0 });
const topic = 'nara/plaza/newspaper/jojo';
const sample = {
  kind: 'newspaper' as const,
  name: 'jojo',
  naraId: '2gdnSNmnqsnvDoTxnj5PVyupruDnVUCaMH6tdGcpUjqa',
  epoch: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8),
  seq: 3,
  time: 1_767_225_600_000,
};

function verifiedNewspaper(
  s: NewspaperBody['status'],
  bytes = signEnvelope(signer, topic, { ...sample, body: { status: s, next: sample.time + 60_000 } }),
) {
  const result = verifier.verify(topic, bytes);
  if (!result.ok) throw new Error(`${result.reason}: ${result.detail}`);
  if (result.envelope.kind !== 'newspaper') throw new Error('not a newspaper');
  return { bytes, envelope: result.envelope };
}

describe('a verified newspaper status', () => {
  it('equals what the eager decoder makes of the same bytes, for any status', () => {
    fc.assert(
      fc.property(status, (s) => {
        const { bytes, envelope } = verifiedNewspaper(s);
        const eager = decodeEnvelope(bytes);
        if (!eager.ok || eager.envelope.kind !== 'newspaper') throw new Error('eager decoding failed');
        expect(envelope.body.status).toStrictEqual(eager.envelope.body.status);
        expect(JSON.stringify(envelope.body)).toBe(JSON.stringify(eager.envelope.body));
      }),
      { numRuns: 300 },
    );
  });

  it('comes from a private copy: changing the received bytes after verifying changes nothing', () => {
    const { bytes, envelope } = verifiedNewspaper({ chattiness: 10, buzz: 20, trend: 'aaaa' });
    // Rewrite "aaaa" in the received array to "bbbb" before anybody reads the status.
    const at = Buffer.from(bytes).indexOf('aaaa');
    expect(at).toBeGreaterThan(0);
    bytes.fill(0x62, at, at + 4);
    expect(envelope.body.status.trend).toBe('aaaa');
  });

  it('is an own enumerable property: spread, JSON and structured clone show { status, next }', () => {
    const { envelope } = verifiedNewspaper({ chattiness: 10, buzz: 20, flair: '🌟' });
    const body = envelope.body;
    expect(Object.keys(body)).toEqual(['status', 'next']);
    expect({ ...body }).toEqual({
      status: { chattiness: 10, buzz: 20, flair: '🌟' },
      next: sample.time + 60_000,
    });
    expect(JSON.parse(JSON.stringify(body)).status.flair).toBe('🌟');
    expect(structuredClone(body)).toEqual({ status: body.status, next: body.next });
  });

  it('is frozen all the way down, and the same object on every read', () => {
    const { envelope } = verifiedNewspaper({
      chattiness: 1,
      buzz: 2,
      hostStats: { uptime: 5 },
      personality: { agreeableness: 1, sociability: 2, chill: 3 },
      aura: { primary: '#000000', secondary: '#ffffff' },
    });
    const body = envelope.body;
    expect(Object.isFrozen(body)).toBe(true);
    const first = body.status;
    expect(body.status).toBe(first);
    for (const value of [first, first.hostStats, first.personality, first.aura])
      expect(Object.isFrozen(value)).toBe(true);
    expect(() => {
      (body as { status: unknown }).status = {};
    }).toThrow(TypeError);
  });
});

describe('the verifier and the decoder on changed statuses', () => {
  const ok = signEnvelope(signer, topic, {
    ...sample,
    body: {
      status: {
        licensePlate: 'ABC',
        flair: '🌟',
        hostStats: { uptime: 1, loadCenti: 2, memAllocMb: 300, cpuCenti: 4 },
        chattiness: 50,
        buzz: 100,
        trend: 'x',
        trendEmoji: '🌴',
        personality: { agreeableness: 1, sociability: 2, chill: 3 },
        aura: { primary: '#ff8800', secondary: '#0044ff' },
        version: '0.2.0',
        meshEnabled: true,
        meshIp: '100.64.0.1',
        transportMode: 'hybrid',
        stashStored: 3,
        stashConfidants: 2,
      },
      next: sample.time + 60_000,
    },
  });
  const parts = newLayout();
  readCose(ok, parts, new StrictReader(ok));
  const payload = ok.slice(parts.payloadContentStart, parts.payloadEnd);
  const aad = new TextEncoder().encode(topic);
  const header = protectedHeaderItem(signer.publicKey);

  it('rejects with the reason and detail the eager decoder gives, and accepts what it accepts', () => {
    // Signed payloads with bytes changed anywhere: the verifier and decodeEnvelope must agree on every one.
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(payload.length - 1), fc.nat(255)), { minLength: 1, maxLength: 3 }),
        (edits) => {
          const changed = payload.slice();
          for (const [at, value] of edits) changed[at] = value;
          const bytes = assemble(header, changed, aad, (m) => signer.sign(m));
          const lazy = verifier.verify(topic, bytes);
          const eager = decodeEnvelope(bytes);
          if (!eager.ok) {
            expect(lazy).toEqual(eager);
            return;
          }
          if (!lazy.ok) {
            // Accepted by the decoder, refused after it: only the topic binding may refuse it.
            expect(lazy.reason).toMatch(/mismatch/);
            return;
          }
          expect(JSON.stringify(lazy.envelope.body)).toBe(JSON.stringify(eager.envelope.body));
        },
      ),
      { numRuns: 3_000 },
    );
  });
});

describe('the status field tables', () => {
  it('are indexed by key, nested tables too (the reader looks fields up by key)', async () => {
    const { STATUS, OBSERVATION } = await import('../src/schema.js');
    const tables = [
      STATUS,
      OBSERVATION,
      ...STATUS.fields.flatMap((f) => (f.type === 'map' ? [f.table] : [])),
    ];
    expect(tables).toHaveLength(4);
    for (const table of tables)
      for (const [index, field] of table.fields.entries()) expect(field.key).toBe(index);
  });
});
