/**
 * Whether `bytes[start, end)` is exactly the UTF-8 encoding of `text`. The stored strings come from the
 * strict (fatal) decoder, so they hold no lone surrogates and have exactly one encoding: equal bytes here
 * means that decoding the received bytes would give this very string.
 */
export function isUtf8Of(text: string, bytes: Uint8Array, start: number, end: number): boolean {
  let p = start;
  const n = text.length;
  // As many bytes as UTF-16 units: equal only if every unit is ASCII and equals its byte (the common case,
  // names and IDs, in one tight loop).
  if (n === end - start) {
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c !== bytes[start + i] || c >= 0x80) return false;
    }
    return true;
  }
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if (p >= end || bytes[p] !== c) return false;
      p += 1;
    } else if (c < 0x800) {
      if (p + 2 > end || bytes[p] !== (0xc0 | (c >> 6)) || bytes[p + 1] !== (0x80 | (c & 0x3f))) return false;
      p += 2;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      // A surrogate pair (a lone one cannot be in a stored string, see above): four bytes.
      const cp = 0x10000 + ((c - 0xd800) << 10) + (text.charCodeAt(i + 1) - 0xdc00);
      i += 1;
      if (
        p + 4 > end ||
        bytes[p] !== (0xf0 | (cp >> 18)) ||
        bytes[p + 1] !== (0x80 | ((cp >> 12) & 0x3f)) ||
        bytes[p + 2] !== (0x80 | ((cp >> 6) & 0x3f)) ||
        bytes[p + 3] !== (0x80 | (cp & 0x3f))
      )
        return false;
      p += 4;
    } else {
      if (
        p + 3 > end ||
        bytes[p] !== (0xe0 | (c >> 12)) ||
        bytes[p + 1] !== (0x80 | ((c >> 6) & 0x3f)) ||
        bytes[p + 2] !== (0x80 | (c & 0x3f))
      )
        return false;
      p += 3;
    }
  }
  return p === end;
}
