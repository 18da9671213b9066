/**
 * The page's only way to make DOM: elements and text nodes. Every string a nara sent (names, flairs,
 * trends, reasons) goes in as `textContent` or an attribute value, never as markup.
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`the page has no #${id}`);
  return node as T;
}

/** `#rrggbb` only: an aura is attacker-chosen and goes into a style property. */
export function safeColour(value: unknown): string | null {
  return typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value) ? value : null;
}

/** "3 s ago", "2 min ago", "in 40 s": short and stable in width. */
export function relative(ms: number): string {
  const future = ms < 0;
  const s = Math.round(Math.abs(ms) / 1000);
  const text =
    s < 60
      ? `${s} s`
      : s < 3600
        ? `${Math.floor(s / 60)} min ${s % 60} s`
        : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return future ? `in ${text}` : `${text} ago`;
}

/** A clock offset: "+12 ms" / "−1.4 s" / "unknown". */
export function offset(ms: number | null): string {
  if (ms === null) return 'unknown';
  const sign = ms < 0 ? '−' : '+';
  const a = Math.abs(ms);
  return a < 1000 ? `${sign}${Math.round(a)} ms` : `${sign}${(a / 1000).toFixed(1)} s`;
}

/** The first 8 bytes of a base64 key as hex in groups of four: a short fingerprint people can compare. */
export function fingerprint(base64: string): string {
  let bin = '';
  try {
    bin = atob(base64).slice(0, 8);
  } catch {
    return '?';
  }
  let hex = '';
  for (let i = 0; i < bin.length; i++) hex += bin.charCodeAt(i).toString(16).padStart(2, '0');
  return hex.replace(/(.{4})(?=.)/g, '$1 ');
}

/** A 32-bit FNV-1a hash of a string: the map's stable place for a nara ID. */
export function hash32(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** One animation frame for many changes. */
export function batched(run: () => void): () => void {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      run();
    });
  };
}

export const STATE_MARK: Record<string, string> = { ONLINE: '●', OFFLINE: '○', MISSING: '✕' };
