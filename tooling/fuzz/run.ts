/**
 * `pnpm fuzz [--count N] [--legacy-count M] [--seed S] [--json]`
 *
 * Feeds N generated inputs (default 1,000,000; seed default 1) through the nara receive pipeline, then M
 * (default 250,000) through its Go-wire receive path, and prints what happened: inputs by strategy,
 * outcomes by reason, escaped exceptions and accepted forgeries. Exits 1 when either is not zero, printing
 * the failing inputs (hex) to reproduce them.
 */
import type { FuzzReport } from './engine.js';
import { fuzzLegacy } from './legacy.js';
import { createLegacyTarget } from './legacy-target.js';
import { fuzz } from './plaza.js';
import { createPipelineTarget } from './target.js';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isSafeInteger(value) || value < 0) {
    process.stderr.write(`--${name} must be a non-negative integer\n`);
    process.exit(2);
  }
  return value;
}

const count = option('count', 1_000_000);
const legacyCount = option('legacy-count', 250_000);
const seed = option('seed', 1);
const json = process.argv.includes('--json');
const log = (line: string) => process.stderr.write(`${line}\n`);

const target = createPipelineTarget();
log(`fuzz: ${count.toLocaleString('en')} inputs, seed ${seed}, through createReceivePipeline (node:crypto)`);
const report = fuzz(target, {
  count,
  seed,
  progressEvery: Math.max(10_000, Math.floor(count / 10)),
  onProgress: (done, r) =>
    log(
      `  ${done.toLocaleString('en')} inputs, ${Math.round(done / (r.elapsedMs / 1000)).toLocaleString('en')}/s, ${r.accepted} accepted, ${r.exceptions} exceptions, ${r.forgeries} forgeries`,
    ),
});
const legacyTarget = createLegacyTarget();
log(
  `fuzz: ${legacyCount.toLocaleString('en')} inputs on the Go wire, seed ${seed}, through the Go-wire receive path`,
);
const legacy = fuzzLegacy(legacyTarget, { count: legacyCount, seed });
const memory = Math.round(process.memoryUsage().heapUsed / 1_048_576);

if (json) {
  process.stdout.write(
    `${JSON.stringify({ ...report, peers: target.peers(), heapMb: memory, legacy: { ...legacy, peers: legacyTarget.peers() } })}\n`,
  );
} else {
  const rows = (record: Record<string, number>) =>
    Object.entries(record)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `  ${k.padEnd(28)} ${v.toLocaleString('en').padStart(10)}`)
      .join('\n');
  console.log(
    `inputs        ${report.inputs.toLocaleString('en')} (seed ${seed}) in ${(report.elapsedMs / 1000).toFixed(1)} s`,
  );
  console.log(
    `accepted      ${report.accepted.toLocaleString('en')} (honest bytes ${report.acceptedHonest}, attacker's own ${report.acceptedAttacker})`,
  );
  console.log(`exceptions    ${report.exceptions}`);
  console.log(`forgeries     ${report.forgeries}`);
  console.log(`peers kept    ${target.peers()}, heap ${memory} MB`);
  console.log(`\nby strategy\n${rows(report.strategies)}`);
  console.log(`\nrejected, by reason\n${rows(report.rejected)}`);
  console.log(
    `\nGo wire       ${legacy.inputs.toLocaleString('en')} inputs in ${(legacy.elapsedMs / 1000).toFixed(1)} s: ${legacy.accepted} accepted (honest ${legacy.acceptedHonest}, attacker's own ${legacy.acceptedAttacker}), ${legacy.exceptions} exceptions, ${legacy.forgeries} forgeries`,
  );
  console.log(`\nGo wire, by strategy\n${rows(legacy.strategies)}`);
  console.log(`\nGo wire, rejected, by reason\n${rows(legacy.rejected)}`);
}
const clean = (r: FuzzReport) => r.exceptions === 0 && r.forgeries === 0;
for (const failure of [...report.failures, ...legacy.failures]) log(`FAIL ${JSON.stringify(failure)}`);
process.exit(clean(report) && clean(legacy) ? 0 : 1);
