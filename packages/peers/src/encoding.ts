const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Base64, standard alphabet with padding (RFC 4648 section 4), as Go's `base64.StdEncoding`. */
export function toBase64(bytes: Uint8Array): string {
  // The built-in where there is one (Node 16+, browsers): one native call, where the loop below builds the
  // string four characters at a time. Same alphabet and padding.
  // `apply` with the array itself: spreading it walks an iterator, an object per byte.
  if (typeof btoa === 'function' && bytes.length <= 1024)
    return btoa(String.fromCharCode.apply(null, bytes as unknown as number[]));
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += `${B64[n >> 18]!}${B64[(n >> 12) & 63]!}==`;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += `${B64[n >> 18]!}${B64[(n >> 12) & 63]!}${B64[(n >> 6) & 63]!}=`;
  }
  return out;
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** Lowercase hex. By table: it runs on every ingest (the epoch), where toString and padStart per byte cost. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!]!;
  return out;
}

/** Whether two byte arrays are equal. Public keys only: no need for constant time. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The first and the last four bytes of an 8-byte epoch as 32-bit integers: the epoch in two numbers. A
 * verified envelope's epoch is always 8 bytes; the registry compares any other as hex.
 */
export function high32(b: Uint8Array): number {
  return (b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!;
}

export function low32(b: Uint8Array): number {
  return (b[4]! << 24) | (b[5]! << 16) | (b[6]! << 8) | b[7]!;
}
