/**
 * A raw CBOR writer for building envelopes byte by byte, hostile ones included: it validates nothing (maps
 * in any order, duplicate keys, any tag, heads wider than needed), so a test can make exactly the bytes a
 * rule must reject. Shared by the vector generator (scripts/forge.ts) and the fuzzer and hostile-input
 * suite (tooling/fuzz/forge.ts). Never used by the package itself, whose encoder is strict.
 */
const utf8 = new TextEncoder();

/** A CBOR value: maps are lists of pairs (order and duplicates are the caller's), `raw` is spliced as is. */
export type Cbor =
  | number
  | bigint
  | string
  | boolean
  | null
  | Uint8Array
  | Cbor[]
  | { map: [Cbor, Cbor][] }
  | { tag: number | bigint; value: Cbor }
  | { raw: Uint8Array };

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A CBOR head in its shortest form, or in `width` extra bytes (0, 1, 2, 4, 8) to make it non-canonical. */
export function head(major: number, value: number | bigint, width?: 0 | 1 | 2 | 4 | 8): Uint8Array {
  const v = BigInt(value);
  const m = major << 5;
  const w = width ?? (v < 24n ? 0 : v < 0x100n ? 1 : v < 0x10000n ? 2 : v < 0x100000000n ? 4 : 8);
  if (w === 0) return Uint8Array.of(m | Number(v));
  const out = new Uint8Array(1 + w);
  out[0] = m | (24 + Math.log2(w));
  for (let i = 0; i < w; i++) out[w - i] = Number((v >> BigInt(8 * i)) & 0xffn);
  return out;
}

export function enc(value: Cbor): Uint8Array {
  if (typeof value === 'number' || typeof value === 'bigint') {
    const v = BigInt(value);
    return v >= 0n ? head(0, v) : head(1, -1n - v);
  }
  if (typeof value === 'string') {
    const bytes = utf8.encode(value);
    return concat(head(3, bytes.length), bytes);
  }
  if (typeof value === 'boolean') return Uint8Array.of(value ? 0xf5 : 0xf4);
  if (value === null) return Uint8Array.of(0xf6);
  if (value instanceof Uint8Array) return concat(head(2, value.length), value);
  if (Array.isArray(value)) return concat(head(4, value.length), ...value.map(enc));
  if ('map' in value)
    return concat(head(5, value.map.length), ...value.map.flatMap(([k, v]) => [enc(k), enc(v)]));
  if ('tag' in value) return concat(head(6, value.tag), enc(value.value));
  return value.raw;
}

export function hexToBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Bytes (or hex) to splice into a {@link Cbor} value as they are. */
export const raw = (bytes: Uint8Array | string): { raw: Uint8Array } => ({
  raw: typeof bytes === 'string' ? hexToBytes(bytes) : bytes,
});

/** The standard protected header (`{1: -8, 4: kid}`) as a bstr item. */
export function protectedItem(kid: Uint8Array): Uint8Array {
  return enc(
    enc({
      map: [
        [1, -8],
        [4, kid],
      ],
    }),
  );
}

/** The COSE Sig_structure of RFC 9052 section 4.4, with the topic as external AAD. */
export function sigStructure(
  protectedBstrItem: Uint8Array,
  topic: string,
  payloadBstrItem: Uint8Array,
): Uint8Array {
  return concat(head(4, 4), enc('Signature1'), protectedBstrItem, enc(utf8.encode(topic)), payloadBstrItem);
}
