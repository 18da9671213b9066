/**
 * `pnpm soak [--naras N] [--minutes M] [--speed X] [--sample-seconds S] [--json]`
 *
 * Starts a mosquitto on a free loopback port (never 1883), runs N naras (default 100) on it for M minutes
 * (default 10) at an accelerated newspaper cadence, and prints memory over time, verification failures,
 * messages lost and reconnects. Exits 1 when a goal is missed (failures, loss or reconnects above 0).
 */
import { startMosquitto } from '../src/brokers.js';
import { runSoak } from './soak.js';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isFinite(value) || value <= 0) {
    process.stderr.write(`--${name} must be a positive number\n`);
    process.exit(2);
  }
  return value;
}

const naras = Math.round(option('naras', 100));
const minutes = option('minutes', 10);
const speed = option('speed', 10);
const sampleSeconds = option('sample-seconds', Math.max(2, Math.round((minutes * 60) / 20)));
const json = process.argv.includes('--json');
const log = (line: string) => process.stderr.write(`${line}\n`);

const broker = await startMosquitto();
log(`soak: mosquitto on ${broker.url}`);
let report: Awaited<ReturnType<typeof runSoak>>;
try {
  report = await runSoak({
    url: broker.url,
    naras,
    durationMs: minutes * 60_000,
    speed,
    sampleEveryMs: sampleSeconds * 1000,
    log,
    onSample: (s) =>
      log(
        `  t=${String(s.t).padStart(4)} s  rss ${String(s.rssMb).padStart(4)} MB  heap ${String(s.heapMb).padStart(4)} MB  peers ${s.peers}  accepted ${s.accepted}`,
      ),
  });
} finally {
  await broker.stop();
}

if (json) process.stdout.write(`${JSON.stringify(report)}\n`);
else {
  console.log(`naras                 ${report.naras}, ${minutes} min, newspaper cadence x${report.speed}`);
  console.log(`startup               ${(report.startupMs / 1000).toFixed(1)} s until all connected`);
  console.log(`newspapers published  ${report.newspapersPublished.toLocaleString('en')}`);
  console.log(`messages delivered    ${report.deliveries.toLocaleString('en')} (accepted by other naras)`);
  console.log(`messages lost         ${report.lost}`);
  console.log(`verification failures ${report.verificationFailures}`);
  console.log(`registry rejections   ${JSON.stringify(report.registryRejections)}`);
  console.log(`disconnects           ${report.disconnects}, reconnects ${report.reconnects}`);
  console.log(`everyone ONLINE       ${report.everyoneOnline ? 'yes' : 'no'}`);
  console.log(
    `heap                  ${report.heapStartMb} MB after startup, ${report.heapEndMb} MB at the end`,
  );
  console.log('\n   t (s)   rss MB  heap MB    peers   accepted');
  for (const s of report.samples)
    console.log(
      `${String(s.t).padStart(8)} ${String(s.rssMb).padStart(8)} ${String(s.heapMb).padStart(8)} ${String(s.peers).padStart(8)} ${String(s.accepted).padStart(10)}`,
    );
}
const ok =
  report.verificationFailures === 0 && report.lost === 0 && report.reconnects === 0 && report.everyoneOnline;
process.exit(ok ? 0 : 1);
