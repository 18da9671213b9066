import { displayWidth } from '../src/width.js';

const ESC = '\x1b';
const CSI = new RegExp(`^${ESC}\\[([?0-9;]*)([@-~])`);
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * A small terminal for tests: a screen of `columns` x `rows` cells that understands what the views write
 * (cursor home, clear to end of line and of screen, the alternate screen, colours, CR and LF) and counts
 * what must never happen to a view that fits: a line scrolled off the top (the scrollback grows) and a
 * line wrapped at the right edge.
 */
export class Terminal {
  readonly grid: string[][];
  row = 0;
  col = 0;
  scrolled = 0;
  wrapped = 0;
  alternate = false;
  frames = 0;

  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    this.grid = Array.from({ length: rows }, () => Array<string>(columns).fill(' '));
  }

  /** What a program's stdout looks like to the program: a terminal of this size. */
  get stdout(): { isTTY: true; columns: number; rows: number; write: (text: string) => boolean } {
    return { isTTY: true, columns: this.columns, rows: this.rows, write: (t: string) => this.write(t) };
  }

  write(text: string): boolean {
    let i = 0;
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === '\x1b') {
        const csi = CSI.exec(text.slice(i, i + 32));
        if (!csi) throw new Error(`unexpected escape sequence ${JSON.stringify(text.slice(i, i + 8))}`);
        this.#csi(csi[1] ?? '', csi[2] ?? '');
        i += csi[0].length;
        continue;
      }
      if (ch === '\r') {
        this.col = 0;
        i += 1;
        continue;
      }
      if (ch === '\n') {
        this.#lineFeed();
        i += 1;
        continue;
      }
      // One grapheme at a time, measured as the views measure it.
      const rest = text.slice(i, text.indexOf('\x1b', i) === -1 ? undefined : text.indexOf('\x1b', i));
      const plain = rest.split(/[\r\n]/)[0] ?? '';
      for (const { segment } of segmenter.segment(plain)) {
        const w = displayWidth(segment);
        if (this.col + w > this.columns) {
          this.wrapped += 1;
          this.col = 0;
          this.#lineFeed();
        }
        const line = this.grid[this.row]!;
        line[this.col] = segment;
        for (let k = 1; k < w; k++) line[this.col + k] = '';
        this.col += w;
      }
      i += plain.length;
    }
    return true;
  }

  #lineFeed(): void {
    if (this.row === this.rows - 1) {
      this.scrolled += 1;
      this.grid.shift();
      this.grid.push(Array<string>(this.columns).fill(' '));
    } else this.row += 1;
  }

  #csi(params: string, final: string): void {
    switch (final) {
      case 'H':
        this.row = 0;
        this.col = 0;
        this.frames += 1;
        return;
      case 'K':
        for (let c = this.col; c < this.columns; c++) this.grid[this.row]![c] = ' ';
        return;
      case 'J':
        for (let c = this.col; c < this.columns; c++) this.grid[this.row]![c] = ' ';
        for (let r = this.row + 1; r < this.rows; r++) this.grid[r] = Array<string>(this.columns).fill(' ');
        return;
      case 'h':
      case 'l':
        if (params === '?1049') this.alternate = final === 'h';
        return;
      case 'm':
        return;
      default:
        throw new Error(`unexpected CSI ${params}${final}`);
    }
  }

  /** The screen as text, trailing spaces trimmed. */
  lines(): string[] {
    return this.grid.map((cells) => cells.join('').replace(/\s+$/, ''));
  }
}
