/** Terminal rendering shared by `watch` and `demo`: aligned tables, ages, colours, in-place redraw. */

export interface Column<Row> {
  readonly title: string;
  readonly value: (row: Row) => string;
  readonly align?: 'left' | 'right';
  /** Colour code for a cell, e.g. from the state. */
  readonly color?: (row: Row) => string | undefined;
}

const RESET = '\x1b[0m';

export const STATE_COLOR: Record<string, string> = {
  ONLINE: '\x1b[32m',
  OFFLINE: '\x1b[90m',
  MISSING: '\x1b[31m',
};

/** `3s`, `2m05s`, `1h02m`; `-` for no time. */
export function formatAge(ms: number | undefined | null): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms)) return '-';
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** The first characters of a base64 key: enough to tell keys apart at a glance. */
export function shortKey(base64: string | undefined): string {
  return base64 ? `${base64.slice(0, 8)}…` : '-';
}

function visibleLength(text: string): number {
  return [...text].length;
}

export function renderTable<Row>(
  rows: readonly Row[],
  columns: readonly Column<Row>[],
  color: boolean,
): string[] {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const widths = columns.map((c, i) =>
    Math.max(visibleLength(c.title), ...cells.map((r) => visibleLength(r[i] ?? ''))),
  );
  const pad = (text: string, i: number) => {
    const w = widths[i] ?? 0;
    const fill = ' '.repeat(Math.max(0, w - visibleLength(text)));
    return columns[i]?.align === 'right' ? fill + text : text + fill;
  };
  const header = columns.map((c, i) => pad(c.title, i)).join('  ');
  const lines = [color ? `\x1b[1m${header}${RESET}` : header];
  rows.forEach((row, r) => {
    lines.push(
      columns
        .map((c, i) => {
          const text = pad(cells[r]?.[i] ?? '', i);
          const code = color ? c.color?.(row) : undefined;
          return code ? `${code}${text}${RESET}` : text;
        })
        .join('  '),
    );
  });
  return lines;
}

/** Redraws a block of lines in place on a terminal (home, clear to end of screen). */
export function redraw(write: (text: string) => void, lines: readonly string[]): void {
  write(`\x1b[H\x1b[2J${lines.join('\n')}\n`);
}

export const HIDE_CURSOR = '\x1b[?25l';
export const SHOW_CURSOR = '\x1b[?25h';
