import { createIdentity } from '@nara/identity';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, CLI, nara, Proc } from './helpers.js';

// Every nara here hosts its own embedded broker on a free port: nothing touches the machine's 1883.
const EMBEDDED = { NARA_BROKER_PORT: '0' };

const running: Proc[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) {
    // The whole group: the pasted command runs the nara under a shell.
    try {
      process.kill(-(p.child.pid ?? 0), 'SIGKILL');
    } catch {}
    p.kill('SIGKILL');
    await p.exited;
  }
});

function start(args: readonly string[], env: Record<string, string>): Proc {
  const p = nara(args, { ...EMBEDDED, ...env });
  running.push(p);
  return p;
}

function made(name: string): Promise<{ name: string; soul: string; text: string[] }> {
  const human = nara(['soul', '--name', name]);
  return human.exited.then(() => {
    const soul = human.stdout.find((l) => l.startsWith('soul:'))?.split(/\s+/)[1];
    if (!soul) throw new Error(`no soul in ${human.output}`);
    return { name, soul, text: human.stdout };
  });
}

describe('a name someone typed', () => {
  beforeAll(() => assertBuilt());

  it('is replaced by the generic-name rule only with one line saying which rule, with what, and how to keep it', async () => {
    const p = start(['--name', 'my-nara'], {});
    const started = await p.waitForLog('nara');
    const generated = String(started.name);
    expect(generated).not.toBe('my-nara');
    const notice = p.logs().find((l) => String(l.msg).includes('generic-name rule'));
    expect(notice).toMatchObject({ level: 'warn' });
    expect(String(notice?.msg)).toContain('"my-nara" contains "nara"');
    expect(String(notice?.msg)).toContain(`"${generated}"`);
    expect(String(notice?.msg)).toContain('nara soul --name my-nara');
  });

  it('is kept, generic or not, when the soul is bonded to it', async () => {
    const soul = await made('my-nara');
    const p = start([], { NARA_NAME: 'my-nara', NARA_SOUL: soul.soul });
    const started = await p.waitForLog('nara');
    expect(started.name).toBe('my-nara');
    expect(started.publicKey).toBe(createIdentity({ name: 'my-nara', soul: soul.soul }).publicKeyBase64);
    expect(p.logs().some((l) => String(l.msg).includes('generic-name rule'))).toBe(false);
  });

  for (const name of ['my-nara', 'ubuntu-3068841f6679', "o'brien$HOME🌸"]) {
    it(`gets instructions from nara soul --name that work as printed, pasted into a shell: ${name}`, async () => {
      const soul = await made(name);
      const command = soul.text.find((l) => l.trim().startsWith('NARA_NAME='))?.trim();
      expect(command).toMatch(/ nara$/);
      const pasted = `${command!.replace('<the soul above>', soul.soul).replace(/ nara$/, '')} "$NODE" "$CLI"`;
      const p = new Proc(
        'sh',
        ['-c', pasted],
        {
          PATH: process.env.PATH,
          HOME: '/nonexistent-home',
          NODE: process.execPath,
          CLI,
          NARA_LOG_FORMAT: 'json',
          ...EMBEDDED,
        },
        { detached: true },
      );
      running.push(p);
      const started = await p.waitForLog('nara');
      expect(started.name).toBe(name);
    });
  }
});

describe('the small things a newcomer hits first', () => {
  beforeAll(() => assertBuilt());

  it('refuses an empty NARA_SOUL instead of quietly using the machine soul', async () => {
    for (const empty of ['', '  ']) {
      const p = nara([], { ...EMBEDDED, NARA_NAME: 'ana', NARA_SOUL: empty });
      expect((await p.exited).code).toBe(2);
      expect(p.errors()).toEqual([expect.stringMatching(/^nara: NARA_SOUL is set but empty/)]);
    }
  });

  it('states the name rules, the 64-byte limit included, in the error and in --help', async () => {
    const long = nara(['--name', 'x'.repeat(65)], EMBEDDED);
    expect((await long.exited).code).toBe(2);
    expect(long.errors()[0]).toMatch(/at most 64 UTF-8 bytes, got 65.*a name is 1 to 64 bytes of UTF-8/);
    for (const command of ['join', 'soul']) {
      const help = nara([command, '--help']);
      await help.exited;
      expect(help.stdout.join('\n')).toContain('A name is 1 to 64 bytes of UTF-8');
    }
    const join = nara(['join', '--help']);
    await join.exited;
    expect(join.stdout.join('\n')).toMatch(/replaced by a name\s+generated from the soul/);
  });

  it('ends with a JSON error line when its logs are JSON, and a plain line when they are pretty', async () => {
    const json = nara(['--name', 'a/b'], { ...EMBEDDED, NARA_LOG_FORMAT: 'json' });
    await json.exited;
    expect(JSON.parse(json.stderr[0]!)).toMatchObject({
      level: 'error',
      exitCode: 2,
      msg: expect.stringMatching(/^nara: --name is not a valid nara name \(topic-separator/),
    });
    const pretty = nara(['--name', 'a/b'], { ...EMBEDDED, NARA_LOG_FORMAT: 'pretty' });
    await pretty.exited;
    expect(pretty.stderr[0]).toMatch(/^nara: --name is not a valid nara name/);
  });
});
