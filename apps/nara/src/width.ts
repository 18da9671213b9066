/**
 * Display width on a terminal: what a cell of the table takes on screen, not how many UTF-16 units or code
 * points it has. Emoji and East Asian wide characters take two columns, combining marks and zero-width
 * characters none, and a grapheme cluster (a flag, a family emoji, e + combining accent) is measured once.
 */

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

// SGR and other CSI sequences, and OSC sequences: they take no room.
const ESC = '\x1b';
const BEL = '\x07';
const ANSI = new RegExp(`${ESC}\\[[0-?]*[ -/]*[@-~]|${ESC}\\][^${BEL}${ESC}]*(?:${BEL}|${ESC}\\\\)`, 'g');
const ZERO_WIDTH = /^(?:\p{Mn}|\p{Me}|\p{Cf}|\p{Cc})+$/u;
const EMOJI_PRESENTATION = /\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F|\p{Regional_Indicator}/u;

// East Asian Wide (W) and Fullwidth (F) ranges of Unicode 15, merged where adjacent.
const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f],
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x16fe0, 0x16fe4],
  [0x17000, 0x18cff],
  [0x1b000, 0x1b2ff],
  [0x1f200, 0x1f2ff],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];

function isWide(codePoint: number): boolean {
  let lo = 0;
  let hi = WIDE.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [from, to] = WIDE[mid]!;
    if (codePoint < from) hi = mid - 1;
    else if (codePoint > to) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Width of one grapheme cluster: 0, 1 or 2 columns. */
function graphemeWidth(grapheme: string): number {
  const cp = grapheme.codePointAt(0) ?? 0;
  // Plain ASCII: the common case, answered at once.
  if (grapheme.length === 1 && cp >= 0x20 && cp < 0x7f) return 1;
  if (ZERO_WIDTH.test(grapheme)) return 0;
  if (EMOJI_PRESENTATION.test(grapheme)) return 2;
  return isWide(cp) ? 2 : 1;
}

/** Removes terminal escape sequences (colours, cursor moves). */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/**
 * The number of terminal columns `text` takes, escape sequences ignored.
 *
 * @example
 * ```ts
 * displayWidth('ana');     // 3
 * displayWidth('🌸ana');   // 5
 * displayWidth('名前');    // 4
 * displayWidth('e\u0301'); // 1
 * ```
 */
export function displayWidth(text: string): number {
  const plain = text.includes('\x1b') ? stripAnsi(text) : text;
  // Printable ASCII only: one column per character.
  if (/^[\x20-\x7e]*$/.test(plain)) return plain.length;
  let width = 0;
  for (const { segment } of segmenter.segment(plain)) width += graphemeWidth(segment);
  return width;
}

/**
 * `text` cut to at most `width` columns, with `…` where it was cut; escape sequences are kept (they take
 * no room), and a cut line ends with a colour reset so a cut colour does not bleed into the next line.
 *
 * @example
 * ```ts
 * truncate('noisy-bear-189', 8); // 'noisy-b…'
 * truncate('🌸🌸🌸', 4);          // '🌸…'
 * ```
 */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  const room = width - 1;
  let used = 0;
  let out = '';
  let sawEscape = false;
  // Walk escape sequences and graphemes in order.
  const parts = text.split(new RegExp(`(${ANSI.source})`, 'g'));
  outer: for (const part of parts) {
    if (part === '') continue;
    if (part.startsWith('\x1b')) {
      out += part;
      sawEscape = true;
      continue;
    }
    for (const { segment } of segmenter.segment(part)) {
      const w = graphemeWidth(segment);
      if (used + w > room) break outer;
      out += segment;
      used += w;
    }
  }
  return `${out}…${sawEscape ? '\x1b[0m' : ''}`;
}

/** `text` padded with spaces to `width` columns (left-aligned, or right-aligned). */
export function padTo(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}
