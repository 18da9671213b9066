import { describe, expect, it } from 'vitest';
import { runDemo } from '../src/demo.js';
import { type Column, layout, renderTable } from '../src/view.js';
import { displayWidth, truncate } from '../src/width.js';
import { Terminal } from './terminal.js';

describe('display width', () => {
  it('counts emoji and CJK as two columns, combining marks and joiners as none', () => {
    expect(displayWidth('amber-fox')).toBe(9);
    expect(displayWidth('🌸')).toBe(2);
    expect(displayWidth('名前')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('👩‍👩‍👧')).toBe(2);
    expect(displayWidth('🇯🇵')).toBe(2);
    expect(displayWidth('\x1b[32mONLINE\x1b[0m')).toBe(6);
  });

  it('cuts with an ellipsis at a column, never inside a grapheme, and resets a cut colour', () => {
    expect(truncate('noisy-bear-189', 8)).toBe('noisy-b…');
    expect(truncate('🌸🌸🌸', 4)).toBe('🌸…');
    expect(displayWidth(truncate('名前名前名前', 5))).toBeLessThanOrEqual(5);
    expect(truncate('\x1b[32mONLINE-ONLINE\x1b[0m', 5)).toBe('\x1b[32mONLI…\x1b[0m');
    expect(truncate('short', 10)).toBe('short');
  });
});

type Row = { name: string; state: string };
const COLUMNS: readonly Column<Row>[] = [
  { title: 'NAME', value: (r) => r.name, shrinkTo: 12 },
  { title: 'STATE', value: (r) => r.state },
  { title: 'KEY', value: () => 'Udi9CiJC…' },
];

describe('tables', () => {
  it('align on display width whatever the names are made of', () => {
    const rows = ['ana', '🌸sakura🌸', '名前のナラ', 'cafe\u0301', '👩‍👩‍👧-family'].map((name) => ({
      name,
      state: 'ONLINE',
    }));
    const lines = renderTable(rows, COLUMNS, false);
    const stateAt = lines.map((l) =>
      displayWidth(l.slice(0, l.indexOf(l.includes('STATE') ? 'STATE' : 'ONLINE'))),
    );
    expect(new Set(stateAt).size).toBe(1);
    expect(new Set(lines.map(displayWidth)).size).toBe(1);
  });

  it('shrink a long name with an ellipsis to fit the width they are given', () => {
    const rows = [{ name: 'a-very-long-nara-name-that-goes-on-and-on-🌸', state: 'MISSING' }];
    for (const line of renderTable(rows, COLUMNS, true, 40))
      expect(displayWidth(line)).toBeLessThanOrEqual(40);
    expect(renderTable(rows, COLUMNS, false, 40)[1]).toContain('…');
  });
});

describe('frames', () => {
  const table = renderTable(
    Array.from({ length: 45 }, (_, i) => ({ name: `nara-${i}-🌸`, state: 'ONLINE' })),
    COLUMNS,
    false,
  );
  const events = Array.from({ length: 200 }, (_, i) => `[ ${i}s] event number ${i} ${'x'.repeat(i % 150)}`);

  for (const [columns, rows] of [
    [80, 24],
    [120, 40],
  ] as const) {
    it(`fit ${columns}x${rows}: never taller or wider than the screen, the newest events kept`, () => {
      const lines = layout(
        { header: ['title', ''], table, log: { title: 'what happened', lines: events }, footer: 'footer' },
        { columns, rows },
      );
      expect(lines.length).toBeLessThanOrEqual(rows);
      for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(columns);
      expect(lines.at(-1)).toBe('footer');
      expect(lines.some((l) => l.includes('event number 199'))).toBe(true);
      expect(lines.some((l) => /^… \d+ more$/.test(l))).toBe(true);
    });
  }
});

describe('the demo on a terminal', () => {
  for (const [columns, rows] of [
    [80, 24],
    [120, 40],
  ] as const) {
    it(`redraws in place at ${columns}x${rows} with no scrollback, and the plaza lives on after the story`, async () => {
      const terminal = new Terminal(columns, rows);
      const shutdown = new AbortController();
      const stderr: string[] = [];
      const done = runDemo(
        { fast: true, naras: '8' },
        {
          env: { NARA_BROKER_PORT: '0', NARA_LOG_FORMAT: 'json' },
          stdout: terminal.stdout,
          stderr: { write: (t: string) => stderr.push(t) },
          shutdown: shutdown.signal,
        },
      );
      // --fast: the story ends at about 5 s; then a crashed nara restarts and another steps out and back.
      const deadline = Date.now() + 25_000;
      while (Date.now() < deadline && !terminal.lines().some((l) => l.includes('comes back'))) {
        await new Promise((r) => setTimeout(r, 200));
      }
      const screen = terminal.lines();
      shutdown.abort('SIGINT');
      expect(await done).toBe(0);
      expect(screen.join('\n')).toContain('comes back');
      expect(screen.join('\n')).toContain('The story is over; the plaza keeps running');
      expect(screen.some((l) => l.startsWith('NARA'))).toBe(true);
      expect(terminal.frames).toBeGreaterThan(5);
      expect(terminal.scrolled).toBe(0);
      expect(terminal.wrapped).toBe(0);
      // Leaving restores the user's screen.
      expect(terminal.alternate).toBe(false);
      expect(stderr.join('')).not.toMatch(/"level":"error"/);
    }, 40_000);
  }
});
