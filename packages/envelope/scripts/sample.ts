/**
 * The host stats and traits of a typical running nara: one sample shared by the newspaper-full vector
 * (valid-vectors.ts) and the benchmarks' typical status (tooling/bench/plaza.ts).
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

export const SAMPLE_TRAITS = {
  trend: 'vaporwave',
  trendEmoji: '🌴',
  personality: { agreeableness: 60, sociability: 80, chill: 40 },
  aura: { primary: '#ff8800', secondary: '#0044ff' },
  version: '0.2.0',
};
