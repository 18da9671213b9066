/**
 * The host stats of a typical running nara: one sample shared by the newspaper-full vector
 * (generate-vectors.ts) and the benchmarks' typical status (tooling/bench/plaza.ts).
 */
export const SAMPLE_HOST_STATS = {
  uptime: 86_400,
  loadCenti: 37,
  memAllocMb: 12,
  memSysMb: 30,
  memHeapMb: 20,
  memStackMb: 1,
  tasks: 41,
  gcCount: 1234,
  cpuCenti: 250,
};
