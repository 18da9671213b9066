import { availableParallelism, loadavg } from 'node:os';
import type { NewspaperStatus } from '@nara/envelope';

/** The host figures a newspaper carries (`hostStats` of the status). */
export type HostStats = NonNullable<NewspaperStatus['hostStats']>;

/**
 * This Node process's figures: uptime (given), the one-minute load in hundredths per CPU, heap and
 * resident memory in MiB. The default `hostStats` component.
 */
export function nodeHostStats(uptimeSeconds: number): HostStats {
  const mem = process.memoryUsage();
  const load = loadavg()[0] ?? 0;
  return {
    uptime: uptimeSeconds,
    loadCenti: Math.round((100 * load) / Math.max(1, availableParallelism())),
    memHeapMb: Math.round(mem.heapUsed / 1_048_576),
    memSysMb: Math.round(mem.rss / 1_048_576),
  };
}
