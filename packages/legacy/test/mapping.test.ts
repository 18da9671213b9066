import type { NewspaperStatus } from '@nara/envelope';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STATUS } from '../scripts/generate-vectors.js';
import { NOT_IN_PLAZA, toNaraStatus, toNewspaperStatus } from '../src/index.js';

const text = (max: number) =>
  fc.string({ unit: 'grapheme', maxLength: max }).filter((s) => new TextEncoder().encode(s).length <= max);
const colour = fc.integer({ min: 0, max: 0xffffff }).map((n) => `#${n.toString(16).padStart(6, '0')}`);
const uint = fc.nat({ max: 2 ** 40 });
const statusArb: fc.Arbitrary<NewspaperStatus> = fc.record(
  {
    licensePlate: text(64),
    flair: text(64),
    hostStats: fc.record(
      {
        uptime: uint,
        loadCenti: fc.nat({ max: 100_000 }),
        memAllocMb: uint,
        memSysMb: uint,
        memHeapMb: uint,
        memStackMb: uint,
        tasks: uint,
        gcCount: fc.nat({ max: 0xffffffff }),
        cpuCenti: fc.nat({ max: 1_000_000 }),
      },
      { requiredKeys: [] },
    ),
    chattiness: fc.integer({ min: 0, max: 100 }),
    buzz: fc.integer({ min: 0, max: 182 }),
    trend: text(64),
    trendEmoji: text(32),
    personality: fc.record({
      agreeableness: fc.integer({ min: 0, max: 100 }),
      sociability: fc.integer({ min: 0, max: 100 }),
      chill: fc.integer({ min: 0, max: 100 }),
    }),
    aura: fc.record({ primary: colour, secondary: colour }),
    version: text(32),
    publicUrl: text(256),
    meshEnabled: fc.boolean(),
    meshIp: text(45),
    transportMode: fc.constantFrom('mqtt' as const, 'gossip' as const, 'hybrid' as const),
    stashStored: uint,
    stashConfidants: uint,
  },
  { requiredKeys: ['chattiness', 'buzz'] },
);

/** A plaza/1 status with Go's zero values taken as absent: what the legacy wire can tell apart. */
function normalise(s: NewspaperStatus): NewspaperStatus {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) {
    if (v === '' || v === 0 || v === false) {
      if (k === 'chattiness' || k === 'buzz') out[k] = v;
      continue;
    }
    if (k === 'hostStats') {
      const h = Object.fromEntries(Object.entries(v as object).filter(([, x]) => x !== 0));
      if (Object.keys(h).length > 0) out[k] = h;
    } else if (k === 'personality') {
      const p = v as { agreeableness: number; sociability: number; chill: number };
      if (p.agreeableness || p.sociability || p.chill) out[k] = v;
    } else out[k] = v;
  }
  return out as unknown as NewspaperStatus;
}

describe('the NaraStatus <-> NewspaperStatus mapping', () => {
  it('is lossless for every plaza/1 field (absent and Go zero are one value on the legacy wire)', () => {
    fc.assert(
      fc.property(statusArb, (status) => {
        const go = toNaraStatus(status, { publicKey: 'k', naraId: 'i' });
        const back = toNewspaperStatus(go);
        expect(back.dropped).toEqual([]);
        expect(back.status).toEqual(normalise(status));
      }),
      { numRuns: 300 },
    );
  });

  it("reads Go's status: hundredths exact, colours lowercased, and names what plaza/1 leaves out", () => {
    const { status, dropped } = toNewspaperStatus(STATUS);
    expect(dropped).toEqual([]);
    expect(status).toMatchObject({
      chattiness: 75,
      buzz: 120,
      hostStats: { uptime: 86_400, loadCenti: 42, cpuCenti: 125, tasks: 57, gcCount: 311 },
      aura: { primary: '#a1b2c3', secondary: '#0f0e0d' },
      transportMode: 'hybrid',
      meshEnabled: true,
    });
    expect(Object.keys(status)).not.toContain('coordinates');
    expect(NOT_IN_PLAZA).toContain('Observations');
  });

  it('drops, and names, what plaza/1 cannot hold', () => {
    const { status, dropped } = toNewspaperStatus({
      ...STATUS,
      Flair: 'x'.repeat(65),
      Aura: { primary: 'red', secondary: '#000000' },
      transport_mode: 'carrier-pigeon',
      Personality: { Agreeableness: 101, Sociability: 0, Chill: 0 },
    });
    expect(dropped).toEqual(['Flair', 'Personality', 'Aura', 'transport_mode']);
    expect(status.flair).toBeUndefined();
  });
});
