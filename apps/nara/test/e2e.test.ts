import { spawn } from 'node:child_process';
import { createVerifier, type VerifiedEnvelope } from '@nara/envelope';
import { createIdentity, formatSoul, randomSoul } from '@nara/identity';
import { freePort, useMosquitto } from '@nara/tooling/brokers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, eventually, nara, Proc, peerState, peers } from './helpers.js';

function newSoul(name: string): { name: string; soul: string; publicKey: string } {
  const soul = randomSoul(name);
  return { name, soul: formatSoul(soul), publicKey: createIdentity({ name, soul }).publicKeyBase64 };
}

/** Captures every message on nara/# as `topic hex`, the way an outside observer sees the plaza. */
async function startCapture(port: number): Promise<{ lines: () => string[]; stop: () => Promise<void> }> {
  const sub = new Proc(
    'mosquitto_sub',
    ['-h', '127.0.0.1', '-p', String(port), '-t', 'nara/#', '-t', 'probe/#', '-F', '%t %x'],
    {
      PATH: process.env.PATH,
    },
  );
  // Ready once it hears its own probe: mosquitto_sub has no other "subscribed" signal.
  await eventually('mosquitto_sub to subscribe', async () => {
    spawn('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-t', 'probe/x', '-m', 'x']);
    await new Promise((r) => setTimeout(r, 100));
    return sub.stdout.some((l) => l.startsWith('probe/x ')) ? true : undefined;
  });
  return {
    lines: () => sub.stdout.filter((l) => l.startsWith('nara/')),
    stop: async () => {
      sub.kill('SIGTERM');
      await sub.exited;
    },
  };
}

describe('two naras on a real mosquitto', () => {
  const broker = useMosquitto();
  const ana = newSoul('ana');
  const bob = newSoul('bob');
  const carl = newSoul('carl');
  const running: Proc[] = [];
  let capture: Awaited<ReturnType<typeof startCapture>>;
  let anaHttp: number;
  let bobHttp: number;
  let anaProc: Proc;
  let watcher: Proc;

  function start(who: { name: string; soul: string }, httpPort: number): Proc {
    const p = nara([], {
      MQTT_HOST: '127.0.0.1',
      MQTT_PORT: String(broker().port),
      MQTT_KEEPALIVE: '2',
      NARA_NAME: who.name,
      NARA_SOUL: who.soul,
      NARA_HTTP: `127.0.0.1:${httpPort}`,
    });
    running.push(p);
    return p;
  }

  beforeAll(async () => {
    assertBuilt();
    capture = await startCapture(broker().port);
    anaHttp = await freePort();
    bobHttp = await freePort();
    watcher = nara(['watch', '--json'], { MQTT_HOST: '127.0.0.1', MQTT_PORT: String(broker().port) });
    await watcher.waitForLog('connected');
  });

  afterAll(async () => {
    for (const p of running) p.kill('SIGKILL');
    watcher?.kill('SIGKILL');
    await capture?.stop();
  });

  it('discover each other and serve what they know on /peers', async () => {
    anaProc = start(ana, anaHttp);
    start(bob, bobHttp);
    await eventually('ana to see bob', async () =>
      (await peerState(anaHttp, 'bob')) === 'ONLINE' ? true : undefined,
    );
    await eventually('bob to see ana', async () =>
      (await peerState(bobHttp, 'ana')) === 'ONLINE' ? true : undefined,
    );
    const seen = (await peers(anaHttp)).find((p) => p.name === 'bob');
    expect(seen).toMatchObject({ name: 'bob', state: 'ONLINE', publicKey: bob.publicKey });
    expect(typeof seen?.id).toBe('string');
    // One id field: the nara ID as `id`, not repeated as `naraId`.
    expect(Object.keys(seen ?? {}).filter((k) => /id$/i.test(k))).toEqual(['id']);
    expect(seen?.lastSeen).toBeGreaterThan(0);
    // The status of bob's newspaper, verified and decoded only when /peers is read, is served like any field.
    const status = await eventually("bob's newspaper on /peers", async () => {
      const bobSeen = (await peers(anaHttp)).find((p) => p.name === 'bob');
      return bobSeen?.status ?? undefined;
    });
    expect(typeof status.chattiness).toBe('number');
    expect(typeof status.buzz).toBe('number');
    const health = await fetch(`http://127.0.0.1:${anaHttp}/healthz`);
    expect(health.status).toBe(200);
  });

  it('can be watched: nara watch --json prints verified events and rejections with reasons, announcing nothing', async () => {
    // Garbage on a plaza topic: the watcher must reject it with a reason, and nobody may crash.
    spawn('mosquitto_pub', [
      '-h',
      '127.0.0.1',
      '-p',
      String(broker().port),
      '-t',
      'nara/plaza/hey-there',
      '-m',
      'hi',
    ]);
    const events = () =>
      watcher.stdout.flatMap((l) => {
        try {
          return [JSON.parse(l) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
    const rejection = await watcher.waitFor('a rejection', () => events().find((e) => e.type === 'rejected'));
    expect(rejection).toMatchObject({ type: 'rejected', stage: 'envelope', topic: 'nara/plaza/hey-there' });
    expect(typeof rejection.reason).toBe('string');
    const verified = await watcher.waitFor('a verified newspaper', () =>
      events().find((e) => e.type === 'verified' && e.kind === 'newspaper'),
    );
    expect(['ana', 'bob']).toContain(verified.name);
    expect(events().find((e) => e.type === 'presence' && e.change === 'joined')).toBeDefined();
    watcher.kill('SIGINT');
    expect((await watcher.exited).code).toBe(0);
    // A watcher announces nothing: the capture test below finds only ana, bob and carl on the wire.
  });

  it('says chau on SIGTERM, exits 0, and the other nara marks it OFFLINE', async () => {
    const bobProc = running[1]!;
    bobProc.kill('SIGTERM');
    // No stopwatch here (tests assert behaviour, not speed): a nara that hung would fail by the test's timeout.
    const exit = await bobProc.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    await eventually('ana to mark bob OFFLINE', async () =>
      (await peerState(anaHttp, 'bob')) === 'OFFLINE' ? true : undefined,
    );
  });

  it('is announced by its will after SIGKILL, and the other nara marks it MISSING', async () => {
    const carlHttp = await freePort();
    const carlProc = start(carl, carlHttp);
    await eventually('ana to see carl', async () =>
      (await peerState(anaHttp, 'carl')) === 'ONLINE' ? true : undefined,
    );
    carlProc.kill('SIGKILL');
    await carlProc.exited;
    // The keepalive is 2 s; mosquitto sends the will as soon as it sees the socket close.
    await eventually(
      'ana to mark carl MISSING',
      async () => ((await peerState(anaHttp, 'carl')) === 'MISSING' ? true : undefined),
      6000,
    );
  });

  it('reports all of it on /metrics', async () => {
    const text = await (await fetch(`http://127.0.0.1:${anaHttp}/metrics`)).text();
    const value = (re: RegExp) => Number(re.exec(text)?.[1] ?? Number.NaN);
    expect(value(/^nara_peers\{state="OFFLINE"\} (\d+)$/m)).toBe(1);
    expect(value(/^nara_peers\{state="MISSING"\} (\d+)$/m)).toBe(1);
    expect(value(/^nara_peers\{state="ONLINE"\} (\d+)$/m)).toBeGreaterThanOrEqual(1);
    expect(value(/^nara_envelopes_accepted_total\{kind="hey-there"\} (\d+)$/m)).toBeGreaterThanOrEqual(3);
    expect(value(/^nara_envelopes_accepted_total\{kind="chau"\} (\d+)$/m)).toBe(2);
    expect(text).toMatch(/^# TYPE nara_envelopes_rejected_total counter$/m);
    expect(value(/^nara_transport_reconnects_total (\d+)$/m)).toBe(0);
    expect(value(/^nara_transport_connects_total (\d+)$/m)).toBe(1);
  });

  it('publishes only envelopes that verify: every payload captured by mosquitto_sub checks out', async () => {
    const verifier = createVerifier();
    const lines = capture.lines();
    const verified: VerifiedEnvelope[] = [];
    const cleared: string[] = [];
    for (const line of lines) {
      const [topic, hex] = line.split(' ');
      // The one message the test itself injected (the watcher test); everything else came from naras.
      if (hex === Buffer.from('hi').toString('hex')) continue;
      // The one thing a nara sends that is no envelope: its retained newspaper cleared, before its chau.
      if (!hex) {
        cleared.push(topic!);
        continue;
      }
      const result = verifier.verify(topic!, new Uint8Array(Buffer.from(hex ?? '', 'hex')));
      expect(result.ok ? 'ok' : `${topic}: ${result.reason} ${result.detail}`).toBe('ok');
      if (result.ok) verified.push(result.envelope);
    }
    const kinds = new Set(verified.map((e) => (e.kind === 'chau' ? `chau:${e.body.reason}` : e.kind)));
    expect([...kinds].sort()).toEqual(['chau:left', 'chau:lost', 'hey-there', 'newspaper']);
    expect(new Set(verified.map((e) => e.name))).toEqual(new Set(['ana', 'bob', 'carl']));
    // bob said chau (SIGTERM), carl was killed: only bob's newspaper was cleared, just before his chau.
    expect(cleared).toEqual(['nara/plaza/newspaper/bob']);
    const bobChau = lines.findIndex((l) => {
      const [topic, hex] = l.split(' ');
      if (topic !== 'nara/plaza/chau' || !hex) return false;
      const r = verifier.verify(topic, new Uint8Array(Buffer.from(hex, 'hex')));
      return r.ok && r.envelope.name === 'bob';
    });
    const bobCleared = lines.findIndex((l) => l.trim() === 'nara/plaza/newspaper/bob');
    expect(bobCleared).toBeGreaterThanOrEqual(0);
    expect(bobCleared).toBeLessThan(bobChau);
  });

  it('never prints its soul', () => {
    for (const p of running) {
      expect(p.output).not.toContain(ana.soul);
      expect(p.output).not.toContain(bob.soul);
      expect(p.output).not.toContain(carl.soul);
    }
    expect(anaProc.logs().length).toBeGreaterThan(3);
  });
});

describe('a private plaza: mosquitto with TLS and a password', () => {
  const broker = useMosquitto({ tls: true, password: true });
  const dan = newSoul('dan');

  beforeAll(() => assertBuilt());

  function env(extra: Record<string, string> = {}): Record<string, string> {
    const b = broker();
    return {
      MQTT_HOST: '127.0.0.1',
      MQTT_PORT: String(b.port),
      MQTT_TLS: '1',
      MQTT_CA: b.tls!.caPath,
      MQTT_USERNAME: b.credentials!.username,
      MQTT_PASSWORD: b.credentials!.password,
      NARA_NAME: dan.name,
      NARA_SOUL: dan.soul,
      ...extra,
    };
  }

  it('joins with MQTT_TLS, MQTT_CA, MQTT_USERNAME and MQTT_PASSWORD, and never prints the password or the soul', async () => {
    const http = await freePort();
    const p = nara(['--log-level', 'debug'], env({ NARA_HTTP: `127.0.0.1:${http}` }));
    try {
      await p.waitForLog('connected');
      await eventually('dan to hear itself', async () =>
        (await peerState(http, 'dan')) === 'ONLINE' ? true : undefined,
      );
      const bodies = await Promise.all(
        ['/peers', '/metrics', '/healthz'].map(async (path) =>
          (await fetch(`http://127.0.0.1:${http}${path}`)).text(),
        ),
      );
      p.kill('SIGTERM');
      expect((await p.exited).code).toBe(0);
      const everything = [p.output, ...bodies].join('\n');
      expect(everything).not.toContain(broker().credentials!.password);
      expect(everything).not.toContain(dan.soul);
      expect(everything).toContain('dan');
    } finally {
      p.kill('SIGKILL');
    }
  });

  it('refuses a wrong password with one line and a non-zero exit', async () => {
    const p = nara([], env({ MQTT_PASSWORD: 'wrong-password-1' }));
    const { code } = await p.exited;
    expect(code).not.toBe(0);
    expect(p.stdout).toEqual([]);
    const errors = p.errors();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/not authori[sz]ed|password/i);
    expect(p.output).not.toMatch(/\n\s+at /);
    expect(p.output).not.toContain('wrong-password-1');
  });
});

describe('bad configuration', () => {
  beforeAll(() => assertBuilt());

  const good = newSoul('eve');
  const other = newSoul('frank');
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    [
      'a soul that is not a soul',
      { NARA_NAME: 'eve', NARA_SOUL: 'not-a-soul!' },
      /^nara: NARA_SOUL is not a valid soul/,
    ],
    [
      'a soul bonded to another name',
      { NARA_NAME: 'eve', NARA_SOUL: other.soul },
      /^nara: NARA_SOUL is not bonded/,
    ],
    ['a bad port', { MQTT_HOST: '127.0.0.1', MQTT_PORT: '70000' }, /^nara: MQTT_PORT must be a port number/],
    [
      'a missing CA file',
      { MQTT_HOST: '127.0.0.1', MQTT_TLS: '1', MQTT_CA: '/nonexistent/ca.pem' },
      /^nara: MQTT_CA: cannot read the CA file \/nonexistent\/ca.pem \(no such file\)$/,
    ],
  ];

  for (const [what, env, expected] of cases) {
    it(`gives one clear line and a non-zero exit for ${what}`, async () => {
      const p = nara([], { NARA_NAME: good.name, NARA_SOUL: good.soul, ...env });
      const { code } = await p.exited;
      expect(code).toBe(2);
      expect(p.stderr.filter((l) => l !== '')).toHaveLength(1);
      expect(JSON.parse(p.stderr[0]!)).toMatchObject({ level: 'error', exitCode: 2 });
      expect(p.errors()[0]).toMatch(expected);
      expect(p.output).not.toContain(good.soul);
      expect(p.output).not.toContain(other.soul);
    });
  }

  it('gives one clear line and a non-zero exit for an unreachable host', async () => {
    const port = await freePort();
    const p = nara(['--connect-timeout', '1'], {
      NARA_NAME: good.name,
      NARA_SOUL: good.soul,
      MQTT_HOST: '127.0.0.1',
      MQTT_PORT: String(port),
      NARA_LOG_LEVEL: 'error',
    });
    const { code } = await p.exited;
    expect(code).toBe(1);
    const lines = p.errors();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^nara: could not connect to mqtt://127.0.0.1:${port}`));
    expect(p.output).not.toMatch(/\n\s+at /);
  });

  it('refuses a soul or a password passed as a flag', async () => {
    const p = nara(['--soul', good.soul]);
    expect((await p.exited).code).toBe(2);
    expect(p.errors()[0]).toMatch(/^nara: pass the soul in the NARA_SOUL environment variable/);
    expect(p.output).not.toContain(good.soul);
  });
});

describe('the little commands', () => {
  beforeAll(() => assertBuilt());

  it('prints the version and help for every command', async () => {
    const v = nara(['--version']);
    expect((await v.exited).code).toBe(0);
    expect(v.stdout[0]).toMatch(/^\d+\.\d+\.\d+$/);
    for (const command of ['join', 'demo', 'watch', 'soul']) {
      const h = nara([command, '--help']);
      expect((await h.exited).code).toBe(0);
      expect(h.stdout.join('\n')).toContain(`Usage: nara ${command === 'join' ? '[join]' : command}`);
    }
  });

  it('makes a soul that a nara can join with', async () => {
    const s = nara(['soul', '--name', 'gina', '--json']);
    expect((await s.exited).code).toBe(0);
    const made = JSON.parse(s.stdout[0]!) as { name: string; soul: string; id: string; publicKey: string };
    expect(made.name).toBe('gina');
    const identity = createIdentity({ name: 'gina', soul: made.soul });
    expect(identity.naraId).toBe(made.id);
    expect(identity.publicKeyBase64).toBe(made.publicKey);
  });
});
