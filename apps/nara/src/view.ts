/**
 * Terminal rendering shared by `watch`, `demo` and `members`: tables aligned by display width, ages,
 * colours, and a screen redrawn in place that always fits the terminal.
 */
import { displayWidth, padTo, truncate } from './width.js';

export interface Column<Row> {
  readonly title: string;
  readonly value: (row: Row) => string;
  readonly align?: 'left' | 'right';
  /** Colour code for a cell, e.g. from the state. */
  readonly color?: (row: Row) => string | undefined;
  /** May be cut (with an ellipsis) down to this width when the table is wider than the screen. */
  readonly shrinkTo?: number;
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

const GAP = 2;

/**
 * A table as lines, columns aligned by display width (emoji, CJK, combining marks). With `maxWidth`,
 * columns that may shrink are cut with an ellipsis, widest first, until the table fits.
 */
export function renderTable<Row>(
  rows: readonly Row[],
  columns: readonly Column<Row>[],
  color: boolean,
  maxWidth = Number.POSITIVE_INFINITY,
): string[] {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const widths = columns.map((c, i) =>
    Math.max(displayWidth(c.title), ...cells.map((r) => displayWidth(r[i] ?? ''))),
  );
  const total = () => widths.reduce((a, b) => a + b, 0) + GAP * (columns.length - 1);
  while (total() > maxWidth) {
    let widest = -1;
    columns.forEach((c, i) => {
      const floor = Math.max(c.shrinkTo ?? Number.POSITIVE_INFINITY, displayWidth(c.title));
      if ((widths[i] ?? 0) > floor && (widest < 0 || (widths[i] ?? 0) > (widths[widest] ?? 0))) widest = i;
    });
    if (widest < 0) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
  }
  const pad = (text: string, i: number) =>
    padTo(truncate(text, widths[i] ?? 0), widths[i] ?? 0, columns[i]?.align);
  const header = columns.map((c, i) => pad(c.title, i)).join(' '.repeat(GAP));
  const lines = [color ? `\x1b[1m${header}${RESET}` : header];
  rows.forEach((row, r) => {
    lines.push(
      columns
        .map((c, i) => {
          const text = pad(cells[r]?.[i] ?? '', i);
          const code = color ? c.color?.(row) : undefined;
          return code ? `${code}${text}${RESET}` : text;
        })
        .join(' '.repeat(GAP)),
    );
  });
  return lines;
}

/** A terminal's size in character cells. */
export interface ScreenSize {
  readonly columns: number;
  readonly rows: number;
}

/** The size of `output` when it is a terminal that says, else the classic 80x24. */
export function sizeOf(output: { columns?: number; rows?: number }): ScreenSize {
  const columns = output.columns !== undefined && output.columns > 0 ? output.columns : 80;
  const rows = output.rows !== undefined && output.rows > 0 ? output.rows : 24;
  return { columns, rows };
}

/** What a view shows; {@link layout} makes it fit. */
export interface Frame {
  /** Always shown, at the top. */
  readonly header: readonly string[];
  /** The table: its first line (the column titles) stays; rows beyond the room become "… N more". */
  readonly table: readonly string[];
  /** Shown under the table, newest last: only the newest that fit. */
  readonly log?: { readonly title: string; readonly lines: readonly string[] };
  /** The bottom line. */
  readonly footer?: string;
}

/**
 * The frame as at most `size.rows` lines of at most `size.columns` columns each: the header, as much of
 * the table as fits (the rest counted), then the newest log lines in the room left, then the footer.
 */
export function layout(frame: Frame, size: ScreenSize): string[] {
  const rows = Math.max(1, size.rows);
  const footer = frame.footer !== undefined ? [frame.footer] : [];
  const header = frame.header.slice(0, Math.max(0, rows - footer.length));
  let room = rows - header.length - footer.length;
  let table = [...frame.table];
  // Keep room for the log's title and at least three of its lines when there is a log to show.
  const logWanted = frame.log && frame.log.lines.length > 0 ? Math.min(frame.log.lines.length, 3) + 2 : 0;
  const tableRoom = Math.max(0, room - Math.min(logWanted, Math.max(0, room - 4)));
  if (table.length > tableRoom) {
    const keep = Math.max(0, tableRoom - 1);
    const hidden = table.length - keep;
    table = [...table.slice(0, keep), `… ${hidden} more`].slice(0, tableRoom);
  }
  room -= table.length;
  const log: string[] = [];
  if (frame.log && frame.log.lines.length > 0 && room >= 3) {
    const fit = room - 2;
    log.push('', frame.log.title, ...frame.log.lines.slice(-fit));
  }
  return [...header, ...table, ...log, ...footer].slice(0, rows).map((l) => truncate(l, size.columns));
}

/**
 * A view redrawn in place on the terminal's alternate screen: every frame starts at the top-left corner,
 * each line clears what was left of the last frame, nothing is written past the last line of the screen,
 * so the scrollback never grows; leaving restores the screen the user had.
 */
export class Screen {
  #entered = false;

  constructor(private readonly output: { write(text: string): unknown; columns?: number; rows?: number }) {}

  get size(): ScreenSize {
    return sizeOf(this.output);
  }

  enter(): void {
    if (this.#entered) return;
    this.#entered = true;
    this.output.write('\x1b[?1049h\x1b[?25l');
  }

  draw(frame: Frame): void {
    this.enter();
    const lines = layout(frame, this.size);
    this.output.write(`\x1b[H${lines.map((l) => `${l}\x1b[K`).join('\r\n')}\x1b[J`);
  }

  leave(): void {
    if (!this.#entered) return;
    this.#entered = false;
    this.output.write('\x1b[?25h\x1b[?1049l');
  }
}
