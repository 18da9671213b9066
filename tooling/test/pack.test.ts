import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAedes } from '@nara/tooling/brokers';
import { launchChromium } from '@nara/tooling/chromium';
import {
  fileBlocks,
  filesBelow,
  firstExample,
  importedPackages,
  installLine,
  installProject,
  type Packed,
  packAll,
  pnpmCommand,
  repoRoot,
  run,
} from '@nara/tooling/packed';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPOSITORY } from '../scripts/release-metadata.mjs';

// `pnpm verify:pack`: the packages as a user gets them from npm. pnpm packs them, npm installs the tarballs
// into an empty project in the system's temporary folder, and everything below runs there, not here.
const work = mkdtempSync(join(tmpdir(), 'nara-pack-'));
let packs: Packed[] = [];
let project = '';
const bin = (name: string) => join(project, 'node_modules', '.bin', name);
const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
const libraries = () => packs.filter((p) => p.dir.startsWith('packages/'));
const show = (r: { status: number | null; stdout: string; stderr: string }) =>
  `exit ${r.status}\n${r.stdout}\n${r.stderr}`;

/** The subpaths a manifest exports (the package.json and wildcard subpaths aside). */
function entryPoints(pack: Packed): string[] {
  return Object.keys(pack.manifest.exports ?? {})
    .filter((key) => key !== './package.json' && !key.includes('*'))
    .map((key) => (key === '.' ? pack.name : `${pack.name}/${key.slice(2)}`));
}

beforeAll(() => {
  packs = packAll(work);
  project = installProject(packs);
  const examples = join(project, 'examples');
  mkdirSync(examples);
  for (const pack of libraries()) {
    const code = firstExample(pack.readme);
    if (code !== undefined) writeFileSync(join(examples, `${pack.dir.split('/')[1]}.ts`), code);
  }
  const guide = fileBlocks(readFileSync(join(project, 'node_modules/@nara/transport/README.md'), 'utf8'));
  mkdirSync(join(project, 'guide'));
  for (const [name, code] of guide) writeFileSync(join(project, 'guide', name), code);
  for (const fixture of ['link-broker.ts', 'browser-entry.ts', 'bundled-workers.ts'])
    copyFileSync(join(repoRoot, 'tooling/pack', fixture), join(project, 'guide', fixture));
}, 600_000);

describe('the packed packages', () => {
  it('are every public package of the workspace, and @nara/tooling is not one of them', () => {
    expect(packs.map((p) => p.name)).toContain('@nara/cli');
    expect(packs.map((p) => p.name)).not.toContain('@nara/tooling');
    expect(libraries().length).toBeGreaterThanOrEqual(7);
  }, 10_000);

  it('carry no workspace: range, and a LICENSE, README and the metadata npm shows', () => {
    for (const pack of packs) {
      expect(JSON.stringify(pack.manifest), pack.name).not.toContain('workspace:');
      const files = filesBelow(pack.unpacked);
      expect(files, pack.name).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json']));
      expect(readFileSync(join(pack.unpacked, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
      expect(pack.manifest, pack.name).toMatchObject({
        license: 'MIT',
        repository: { type: 'git', url: `git+${REPOSITORY}.git`, directory: pack.dir },
        homepage: expect.stringContaining(REPOSITORY),
        bugs: { url: `${REPOSITORY}/issues` },
        publishConfig: { access: 'public', provenance: true },
      });
      expect(pack.manifest.private, pack.name).toBeUndefined();
    }
  }, 30_000);

  it('ship the vectors their READMEs promise, reachable through exports', () => {
    for (const pack of packs.filter((p) => /\]\([^)]*vectors\//.test(p.readme))) {
      const files = filesBelow(pack.unpacked);
      expect(files.filter((f) => f.startsWith('vectors/')).length, pack.name).toBeGreaterThan(1);
      const vectors = files.find((f) => f.startsWith('vectors/') && f.endsWith('.json'))!;
      const loaded = run(
        process.execPath,
        ['-e', `console.log(typeof require(${JSON.stringify(`${pack.name}/${vectors}`)}))`],
        project,
      );
      expect(loaded.stdout.trim(), show(loaded)).toBe('object');
    }
  }, 30_000);

  it('have READMEs whose links all work on npm: absolute, never into the repository by a relative path', () => {
    for (const pack of packs) {
      const relative = [...pack.readme.matchAll(/\]\((?!https?:|mailto:|#)([^)]+)\)/g)].map((m) => m[1]);
      expect(relative, pack.name).toEqual([]);
    }
  }, 10_000);

  it('have READMEs that start with an install line naming every package their example imports', () => {
    for (const pack of libraries()) {
      const line = installLine(pack.readme);
      expect(line, `${pack.name}: no install line`).toBeDefined();
      expect(pack.readme.indexOf('```sh'), pack.name).toBeLessThan(pack.readme.indexOf('```ts'));
      const example = firstExample(pack.readme) ?? '';
      for (const imported of importedPackages(example)) expect(line, pack.name).toContain(imported);
    }
  }, 10_000);

  it('pass publint --strict, as unpacked', () => {
    const publint = join(repoRoot, 'node_modules', '.bin', 'publint');
    for (const pack of packs) {
      const checked = run(publint, ['--strict', '--pack', 'false', pack.unpacked], work);
      expect(checked.status, `${pack.name}: ${show(checked)}`).toBe(0);
    }
  }, 120_000);

  it('pass @arethetypeswrong/cli on the ESM profile (require() is checked by running it, below)', () => {
    const attw = join(repoRoot, 'node_modules', '.bin', 'attw');
    for (const pack of packs) {
      const checked = run(attw, [pack.tarball, '--profile', 'esm-only', '--format', 'ascii'], work);
      expect(checked.status, `${pack.name}: ${show(checked)}`).toBe(0);
    }
  }, 180_000);

  it('publish in a dry run (pnpm -r publish --dry-run)', () => {
    const [pnpm, pre] = pnpmCommand();
    const published = run(pnpm, [...pre, '-r', 'publish', '--dry-run', '--no-git-checks'], repoRoot, 300_000);
    expect(published.status, show(published)).toBe(0);
    for (const pack of packs) expect(published.stdout + published.stderr).toContain(`${pack.name}@`);
  }, 300_000);
});

describe('in an empty project with the tarballs installed by npm', () => {
  it.each(['import', 'require'])(
    'every entry point of every package loads with %s()',
    (how) => {
      for (const pack of packs) {
        for (const entry of entryPoints(pack)) {
          const code =
            how === 'import'
              ? `const m = await import(${JSON.stringify(entry)}); console.log(Object.keys(m).length)`
              : `const m = require(${JSON.stringify(entry)}); console.log(Object.keys(m).length)`;
          const loaded = run(
            process.execPath,
            how === 'import' ? ['--input-type=module', '-e', code] : ['-e', code],
            project,
          );
          expect(loaded.status, `${entry}: ${show(loaded)}`).toBe(0);
          expect(Number(loaded.stdout.trim()), entry).toBeGreaterThan(0);
        }
      }
    },
    120_000,
  );

  it('runs the first example of every package README as written', () => {
    for (const pack of libraries()) {
      const example = join(project, 'examples', `${pack.dir.split('/')[1]}.ts`);
      expect(existsSync(example), `${pack.name} has a first example`).toBe(true);
      const ran = run(tsx, [example], project, 60_000);
      expect(ran.status, `${pack.name}: ${show(ran)}`).toBe(0);
      expect(ran.stdout.trim().length, pack.name).toBeGreaterThan(0);
    }
  }, 180_000);

  it.each([
    ['nodenext', { module: 'nodenext', moduleResolution: 'nodenext' }],
    ['bundler', { module: 'preserve', moduleResolution: 'bundler' }],
  ])(
    'type-checks the examples, the transport guide and CommonJS requires under %s with exactOptionalPropertyTypes',
    (name, resolution) => {
      const cjs = libraries()
        .flatMap((p) => entryPoints(p))
        .map((entry, i) => `const m${i} = require(${JSON.stringify(entry)});\nvoid m${i};\n`)
        .join('');
      mkdirSync(join(project, 'cjs'), { recursive: true });
      writeFileSync(join(project, 'cjs', 'requires.cts'), `${cjs}export {};\n`);
      const config = {
        compilerOptions: {
          ...resolution,
          target: 'es2022',
          lib: ['es2023', 'dom'],
          types: ['node'],
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          noEmit: true,
          skipLibCheck: false,
        },
        include: ['examples/*.ts', 'guide/*.ts', ...(name === 'nodenext' ? ['cjs/*.cts'] : [])],
      };
      writeFileSync(join(project, `tsconfig.${name}.json`), JSON.stringify(config, null, 2));
      const checked = run(bin('tsc'), ['-p', `tsconfig.${name}.json`], project, 180_000);
      expect(checked.status, show(checked)).toBe(0);
    },
    240_000,
  );

  it("runs the transport guide's compliance harness against a transport and broker written outside the repository", () => {
    writeFileSync(
      join(project, 'vitest.config.mjs'),
      "export default { test: { include: ['guide/*.test.ts'], testTimeout: 20000, hookTimeout: 30000 } };\n",
    );
    const ran = run(bin('vitest'), ['run', '--reporter=dot'], project, 300_000);
    expect(ran.status, show(ran)).toBe(0);
    expect(ran.stdout).toMatch(/Tests\s+\d+ passed/);
  }, 300_000);

  it('finds the worker verifier after bundling for Node, or says what to copy where', async () => {
    const out = join(project, 'bundled');
    await build({
      entryPoints: [join(project, 'guide/bundled-workers.ts')],
      absWorkingDir: project,
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: join(out, 'app.mjs'),
      external: ['sodium-native'],
      logLevel: 'silent',
      // What bundlers do for ESM output on Node: a require for the CommonJS dependencies inside.
      banner: {
        js: "import { createRequire as nodeRequire } from 'node:module'; const require = nodeRequire(import.meta.url);",
      },
    });
    const missing = run(process.execPath, [join(out, 'app.mjs')], project);
    expect(missing.stdout).toMatch(
      /WorkerVerifierError: the verify worker is not at .*bundled\/verify-worker\.js \(was @nara\/envelope-workers bundled\?\): copy node_modules\/@nara\/envelope-workers\/dist\/verify-worker\.js to that place/,
    );
    copyFileSync(
      join(project, 'node_modules/@nara/envelope-workers/dist/verify-worker.js'),
      join(out, 'verify-worker.js'),
    );
    const found = run(process.execPath, [join(out, 'app.mjs')], project);
    expect(found.stdout.trim(), show(found)).toBe('verified by workers');
  }, 60_000);
});

describe('the nara program installed from its tarball', () => {
  it('prints its help and makes a soul', () => {
    const help = run(bin('nara'), ['--help'], project);
    expect(help.status, show(help)).toBe(0);
    expect(help.stdout + help.stderr).toMatch(/demo/);
    const soul = run(bin('nara'), ['soul', '--name', 'ana', '--json'], project);
    expect(soul.status, show(soul)).toBe(0);
    expect(JSON.parse(soul.stdout)).toMatchObject({ name: 'ana', id: expect.any(String) });
  }, 60_000);

  it('runs the demo on its embedded broker to the end of the story', async () => {
    const child = spawn(bin('nara'), ['demo', '--fast', '--plain'], {
      cwd: project,
      env: { ...process.env, NARA_BROKER_PORT: '0' },
    });
    let output = '';
    const done = new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        output += d.toString();
        if (output.includes('story complete')) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    await Promise.race([done, exited]);
    child.kill('SIGINT');
    const code = await exited;
    clearTimeout(timer);
    expect(output).toMatch(/story complete: \d+ ONLINE, 1 OFFLINE, 1 MISSING/);
    expect(code, output).toBe(0);
  }, 120_000);
  it('joins a plaza on its embedded broker, and a watcher started from the same binary verifies it', async () => {
    const env = { ...process.env, NARA_BROKER_PORT: '0', NARA_NAME: 'ana', NARA_LOG_FORMAT: 'json' };
    const join = spawn(bin('nara'), [], { cwd: project, env });
    const children = [join];
    try {
      let joinLog = '';
      const url = await new Promise<string>((resolve, reject) => {
        join.stderr.on('data', (d: Buffer) => {
          joinLog += d.toString();
          const m = /MQTT_URL=(mqtt:\/\/127\.0\.0\.1:\d+)/.exec(joinLog);
          if (m) resolve(m[1]!);
        });
        join.on('close', () => reject(new Error(`nara exited: ${joinLog}`)));
      });
      const watch = spawn(bin('nara'), ['watch', '--json'], { cwd: project, env: { ...env, MQTT_URL: url } });
      children.push(watch);
      let lines = '';
      await new Promise<void>((resolve, reject) => {
        watch.stdout.on('data', (d: Buffer) => {
          lines += d.toString();
          if (/"type":"verified"[^\n]*"name":"ana"/.test(lines)) resolve();
        });
        watch.on('close', () => reject(new Error(`nara watch exited: ${lines}`)));
      });
      expect(lines).toMatch(/"type":"verified"/);
    } finally {
      for (const child of children) child.kill('SIGINT');
      await Promise.all(
        children.map((c) => new Promise((r) => (c.exitCode === null ? c.on('close', r) : r(null)))),
      );
    }
  }, 120_000);
});

describe('in Chromium', () => {
  let server: Server | undefined;
  const broker = { stop: async () => {} };
  afterAll(async () => {
    server?.close();
    await broker.stop();
  });

  it('a bundle of topics, identity, envelope, peers and transport-mqtt speaks to a broker over WebSockets', async () => {
    const aedes = await startAedes({ websockets: true });
    broker.stop = () => aedes.stop();
    const bundle = await build({
      entryPoints: [join(project, 'guide/browser-entry.ts')],
      absWorkingDir: project,
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    const js = bundle.outputFiles[0]!.text;
    const page = `<!doctype html><script>globalThis.brokerUrl = ${JSON.stringify(aedes.wsUrl)};</script><script type="module" src="/bundle.js"></script>`;
    server = createServer((request, response) => {
      const isBundle = request.url === '/bundle.js';
      response.writeHead(200, { 'content-type': isBundle ? 'text/javascript' : 'text/html' });
      response.end(isBundle ? js : page);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const browser = await launchChromium();
    try {
      const tab = await browser.newPage();
      const errors: string[] = [];
      tab.on('pageerror', (e) => errors.push(e.message));
      await tab.goto(`http://127.0.0.1:${port}/`);
      await tab.waitForFunction(
        () => {
          const g = globalThis as { naraResult?: unknown; naraError?: unknown };
          return g.naraResult !== undefined || g.naraError !== undefined;
        },
        undefined,
        { timeout: 30_000 },
      );
      const outcome = await tab.evaluate(() => {
        const g = globalThis as { naraResult?: unknown; naraError?: unknown };
        return { result: g.naraResult, error: g.naraError };
      });
      expect(errors).toEqual([]);
      expect(outcome.error).toBeUndefined();
      expect(outcome.result).toMatchObject({
        kind: 'hey-there',
        backend: 'noble',
        peers: [{ name: 'browser-nara', state: 'ONLINE' }],
      });
    } finally {
      await browser.close();
    }
  }, 120_000);
});

afterAll(() => {
  if (process.env.NARA_KEEP_PACK !== undefined) return;
  for (const dir of [work, project])
    if (dir !== '') rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
});
