/**
 * A value as one POSIX shell word, for commands the program prints for a person to paste: bare when it is
 * plain, single-quoted otherwise (a nara name may hold `$`, quotes, emoji).
 *
 * @example
 * ```ts
 * shellWord('ana');       // ana
 * shellWord("it's $me");  // 'it'\''s $me'
 * ```
 */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9._@%+=:,/-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
