import {
  createSigner,
  createVerifier,
  decodeEnvelope,
  type NewspaperBody,
  signEnvelope,
} from '@nara/envelope/node';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWellFormedUtf8 } from '../src/cbor.js';
import { assemble, parseCose, protectedHeaderItem } from '../src/cose.js';
import { status } from './arbitraries.js';

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
function decodes(bytes: Uint8Array): boolean {
  try {
    strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Bytes that make UTF-8's edge cases likely: lead bytes of every length, continuations, the limits. */
const utf8ish = fc
  .uint8Array({ maxLength: 12 })
  .chain((noise) =>
    fc
      .array(
        fc.constantFrom(
          0x00,
          0x41,
          0x7f,
          0x80,
          0x8f,
          0x90,
          0x9f,
          0xa0,
          0xbf,
          0xc0,
          0xc1,
          0xc2,
          0xdf,
          0xe0,
          0xe1,
          0xec,
          0xed,
          0xee,
          0xef,
          0xf0,
          0xf1,
          0xf3,
          0xf4,
          0xf5,
          0xf7,
          0xf8,
          0xff,
        ),
        { maxLength: 12 },
      )
      .map((picked) => Uint8Array.from([...picked, ...noise.subarray(0, noise.length % 3)])),
  );

describe('UTF-8 validation without decoding', () => {
  it('accepts exactly the byte strings the strict TextDecoder accepts', () => {
    fc.assert(
      fc.property(fc.oneof(utf8ish, fc.uint8Array({ maxLength: 40 })), (bytes) => {
        expect(isWellFormedUtf8(bytes, 0, bytes.length)).toBe(decodes(bytes));
      }),
      { numRuns: 20_000 },
    );
  });

  it('accepts every code point (the limits of each length included) and refuses every surrogate', () => {
    const encoder = new TextEncoder();
    for (const cp of [0, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xfeff, 0xffff, 0x10000, 0x10ffff]) {
      const bytes = encoder.encode(String.fromCodePoint(cp));
      expect(isWellFormedUtf8(bytes, 0, bytes.length)).toBe(true);
    }
    // U+D800 and U+DFFF as three bytes, an overlong "/", a code point above U+10FFFF, a truncated euro sign.
    for (const bad of [
      [0xed, 0xa0, 0x80],
      [0xed, 0xbf, 0xbf],
      [0xc0, 0xaf],
      [0xf4, 0x90, 0x80, 0x80],
      [0xe2, 0x82],
    ])
      expect(isWellFormedUtf8(Uint8Array.from(bad), 0, bad.length)).toBe(false);
  });
});

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

describe('checking a status without decoding it', () => {
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
  const parts = parseCose(ok);
  const payload = ok.slice(parts.payloadContentStart, parts.payloadEnd);
  const aad = new TextEncoder().encode(topic);
  const header = protectedHeaderItem(signer.publicKey);

  it('rejects with the reason and detail the eager decoder gives, and accepts what it accepts', () => {
    // Signed payloads with bytes changed anywhere: the verifier (which checks the status without decoding
    // it) and decodeEnvelope (which decodes it) must agree on every one.
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
  it('are indexed by key, nested tables too (the decoder and the checker look fields up by key)', async () => {
    const { STATUS_FIELDS } = await import('../src/payload.js');
    const tables = [STATUS_FIELDS, ...STATUS_FIELDS.flatMap((f) => (f.type === 'map' ? [f.fields] : []))];
    expect(tables).toHaveLength(3);
    for (const table of tables) for (const [index, field] of table.entries()) expect(field.key).toBe(index);
  });
});

describe('the fast path for canonically framed envelopes', () => {
  it('accepts only what the full parser accepts, with the same layout', async () => {
    const { newLayout, readAny, readCanonical } = await import('../src/cose.js');
    const { StrictReader } = await import('../src/cbor.js');
    const base = signEnvelope(signer, topic, {
      ...sample,
      body: { status: { chattiness: 1, buzz: 2 }, next: 9 },
    });
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(base.length + 2), fc.nat(255)), { maxLength: 3 }),
        fc.integer({ min: -3, max: 3 }),
        (edits, resize) => {
          const bytes = new Uint8Array(Math.max(0, base.length + resize));
          bytes.set(base.subarray(0, bytes.length));
          for (const [at, value] of edits) if (at < bytes.length) bytes[at] = value;
          const fast = newLayout();
          if (!readCanonical(bytes, fast)) return;
          accepted++;
          const full = newLayout();
          readAny(bytes, full, new StrictReader(bytes));
          expect(fast).toEqual(full);
        },
      ),
      { numRuns: 3_000 },
    );
    expect(accepted).toBeGreaterThan(100);
  });
});
