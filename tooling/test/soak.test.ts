import { describe, expect, it } from 'vitest';
import { runSoak } from '../soak/soak.js';
import { useMosquitto } from '../src/brokers.js';

// The sampled run of `pnpm soak` (100 naras for 10 minutes there; docs/SECURITY.md has its result).
describe('the soak, sampled', () => {
  const broker = useMosquitto();

  it('runs 30 naras on mosquitto for 20 s at 10x cadence: no verification failure, nothing lost, no reconnect', async () => {
    const report = await runSoak({
      url: broker().url,
      naras: 30,
      durationMs: 20_000,
      speed: 10,
      sampleEveryMs: 5_000,
    });
    expect(report.verificationFailures).toBe(0);
    expect(report.lost).toBe(0);
    expect(report.registryRejections).toEqual({});
    expect(report.disconnects).toBe(0);
    expect(report.reconnects).toBe(0);
    expect(report.everyoneOnline).toBe(true);
    // Every nara published (about 6 each in 20 s; how many depends on the machine, so only "some" is
    // asserted), and each newspaper was heard by nearly all of the 29 others.
    expect(report.newspapersPublished).toBeGreaterThanOrEqual(30);
    expect(report.deliveries).toBeGreaterThan(report.newspapersPublished * 25);
    expect(report.samples.length).toBeGreaterThanOrEqual(4);
  }, 60_000);
});
