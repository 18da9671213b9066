import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, nara } from './helpers.js';

describe('nara demo', () => {
  beforeAll(() => assertBuilt());

  it('tells the whole story in its plain (non-terminal) mode and stops cleanly on Ctrl-C', async () => {
    // NARA_BROKER_PORT=0: never touch 1883 in tests; the demo then picks a free port.
    const p = nara(['demo', '--fast', '--plain'], { NARA_BROKER_PORT: '0' });
    try {
      await p.waitFor(
        'the end of the story',
        () => p.stdout.find((l) => l.includes('story complete')),
        30_000,
      );
      const out = p.stdout.join('\n');
      expect(out).toMatch(/embedded broker on mqtt:\/\/127\.0\.0\.1:\d+/);
      for (const name of ['amber-fox', 'basil-owl', 'cedar-hare', 'dusky-wren']) {
        expect(out).toMatch(new RegExp(`${name} joined: ONLINE`));
      }
      // The impostor: the same name, another key; rejected and never adopted.
      expect(out).toMatch(/REJECTED a message claiming to be amber-fox .*: key-mismatch/);
      expect(out).toMatch(/basil-owl said chau: OFFLINE/);
      expect(out).toMatch(/cedar-hare is MISSING \(its signed will/);
      // The late joiner comes after the crash.
      const late = out.indexOf('ember-lynx joined: ONLINE');
      expect(late).toBeGreaterThan(out.indexOf('cedar-hare is MISSING'));
      expect(out).toMatch(/story complete: 3 ONLINE, 1 OFFLINE, 1 MISSING/);
      p.kill('SIGINT');
      expect(await p.exited).toEqual({ code: 0, signal: null });
      expect(p.stdout.at(-1)).toBe('demo stopped: every nara said chau');
    } finally {
      p.kill('SIGKILL');
    }
  });
});
