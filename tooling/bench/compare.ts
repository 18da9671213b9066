/**
 * `tsx tooling/bench/compare.ts <rev-a> <rev-b> [--suite pipeline|decode|sign] [--backend node,sodium]
 *   [--read-status a|b|ab] [--quick]`
 *
 * The receive pipeline of benchmark 1 (or `decode`: decodeEnvelope alone over the same messages, no
 * signature, where a difference in the reading code is most of the time measured; or `sign`: signEnvelope
 * of benchmark 4's newspapers) at two revisions, in one process, in interleaved windows: how a
 * piece of speed machinery is judged (issue 13: what buys less than 2% goes). Each revision's packages and
 * bench fixtures are exported from git into a directory of their own and imported from there, so the two
 * pipelines are separate code (no shared caches, no shared JIT feedback) over the very same messages.
 * `--read-status` reads every newspaper's status (one field of it) after the verify, on side a, b or both.
 * Prints one line per backend: b against a (above 1: b is faster), with the min and max of the windows.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultMeasureOptions, measure, type Workload } from './measure.js';

const root = new URL('../..', import.meta.url).pathname;
const args = process.argv.slice(2);
const flag = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const [revA, revB] = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (revA === undefined || revB === undefined) throw new Error('usage: compare.ts <rev-a> <rev-b>');
const backends = (flag('--backend') ?? 'node,sodium').split(',');
const readStatus = flag('--read-status') ?? '';
const suite = flag('--suite') ?? 'pipeline';
const options = args.includes('--quick')
  ? { ...defaultMeasureOptions, windows: 5, warmupMs: 500 }
  : defaultMeasureOptions;

/** The revision's packages and tooling in a directory of their own, with this checkout's installed modules. */
function exportRevision(rev: string): string {
  const dir = mkdtempSync(join(tmpdir(), `compare-${rev.replace(/\W/g, '')}-`));
  const archive = execFileSync('git', ['-C', root, 'archive', rev, 'packages', 'tooling'], {
    maxBuffer: 1 << 28,
  });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  for (const parent of ['packages', '.']) {
    const names = parent === '.' ? ['tooling'] : readdirSync(join(dir, parent));
    for (const name of names) {
      const modules = join(root, parent, name, 'node_modules');
      if (existsSync(modules)) symlinkSync(modules, join(dir, parent, name, 'node_modules'));
    }
  }
  return dir;
}

interface Side {
  createVerifier(o: { backend: string }): { verify(t: string, b: Uint8Array): unknown };
  decodeEnvelope(b: Uint8Array): { ok: boolean };
  createSigner(seed: Uint8Array, o: { backend: string }): unknown;
  signEnvelope(signer: unknown, topic: string, content: unknown): Uint8Array;
  newspaperContent(i: number, seq: number): unknown;
  nameOf(i: number): string;
  seedOf(i: number): Uint8Array;
  PipelineRegistry: new () => { apply(r: unknown): void };
  pipelineMessages(): { topic: string; bytes: Uint8Array }[];
  SENDERS: number;
}

async function load(dir: string): Promise<Side> {
  const envelope = await import(pathToFileURL(join(dir, 'packages/envelope/src/node.ts')).href);
  const plaza = await import(pathToFileURL(join(dir, 'tooling/bench/plaza.ts')).href);
  return { ...plaza, ...envelope };
}

function pipeline(side: Side, backend: string, label: string, read: boolean): Workload {
  const all = side.pipelineMessages();
  let verifier: ReturnType<Side['createVerifier']>;
  let registry: InstanceType<Side['PipelineRegistry']>;
  let at = 0;
  let sink = 0;
  return {
    label,
    setup() {
      verifier = side.createVerifier({ backend });
      for (let i = 0; i < side.SENDERS; i++) verifier.verify(all[i]!.topic, all[i]!.bytes);
      registry = new side.PipelineRegistry();
      at = 0;
    },
    run(n) {
      for (let k = 0; k < n; k++) {
        const m = all[at]!;
        const result = verifier.verify(m.topic, m.bytes) as {
          envelope: { body: { status: { chattiness: number } } };
        };
        if (read) sink += result.envelope.body.status.chattiness;
        registry.apply(result);
        if (++at === all.length) at = 0;
      }
      if (sink === -1) console.log(sink);
    },
  };
}

function decode(side: Side, label: string): Workload {
  const all = side.pipelineMessages();
  let at = 0;
  return {
    label,
    run(n) {
      for (let k = 0; k < n; k++) {
        if (!side.decodeEnvelope(all[at]!.bytes).ok) throw new Error('decode failed');
        if (++at === all.length) at = 0;
      }
    },
  };
}

function sign(side: Side, backend: string, label: string): Workload {
  const contents = Array.from({ length: 10 }, (_, k) => side.newspaperContent(7, k + 1));
  const topic = `nara/plaza/newspaper/${side.nameOf(7)}`;
  let signer: unknown;
  let at = 0;
  let sink = 0;
  return {
    label,
    setup() {
      signer = side.createSigner(side.seedOf(7), { backend });
    },
    run(n) {
      for (let k = 0; k < n; k++) {
        sink += side.signEnvelope(signer, topic, contents[at]!).length;
        if (++at === contents.length) at = 0;
      }
      if (sink === -1) console.log(sink);
    },
  };
}

function workload(side: Side, backend: string, rev: string, read: boolean): Workload {
  if (suite === 'decode') return decode(side, rev);
  if (suite === 'sign') return sign(side, backend, rev);
  return pipeline(side, backend, `${rev}${read ? ' (status read)' : ''}`, read);
}

const dirs = [exportRevision(revA), exportRevision(revB)];
try {
  const [a, b] = [await load(dirs[0]!), await load(dirs[1]!)];
  for (const backend of suite === 'decode' ? ['-'] : backends) {
    const result = await measure(
      {
        kind: 'speed',
        name: `compare.${backend}`,
        description: `${revB} against ${revA}`,
        goal: 0,
        subject: workload(b!, backend, revB, readStatus.includes('b')),
        baseline: workload(a!, backend, revA, readStatus.includes('a')),
      },
      options,
    );
    const us = (opsPerS: number) => (1e6 / opsPerS).toFixed(2);
    console.log(
      `${suite} ${backend}: ${result.subject.label} ${us(result.subject.median)} us/msg, ${result.baseline.label} ${us(result.baseline.median)} us/msg: b/a ${result.ratio.toFixed(3)} (${result.ratioMin.toFixed(3)}-${result.ratioMax.toFixed(3)})`,
    );
  }
} finally {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
