/**
 * The plaza at a glance: every nara a mark at a place derived from its nara ID (so it stays put across
 * reloads and on every page), its state in the shape of the mark (filled dot ONLINE, ring OFFLINE,
 * cross MISSING), a ring that spreads on each newspaper. Readable at a thousand naras: marks shrink, names
 * show only when few.
 */
import { hash32 } from './dom.js';
import type { PeerView, Store } from './store.js';

const PULSE_MS = 1200;

interface Place {
  x: number;
  y: number;
}

export class PlazaMap {
  private readonly places = new Map<string, Place>();
  private highlighted: string | null = null;
  private size = { w: 0, h: 0, dpr: 1 };
  private frame = 0;
  /** Frames drawn, and how long each took (ms), for the benchmark. */
  readonly stats = { frames: 0, drawMs: 0 };

  constructor(
    private readonly store: Store,
    private readonly canvas: HTMLCanvasElement,
    private readonly onPick: (name: string) => void,
  ) {
    new ResizeObserver(() => this.resize()).observe(canvas);
    canvas.addEventListener('click', (e) => {
      const name = this.nearest(e.offsetX, e.offsetY);
      if (name !== null) this.onPick(name);
    });
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => this.request());
    this.resize();
  }

  private resize(): void {
    const rect = this.canvas.getBoundingClientRect();
    const dpr = Math.min(2, window.devicePixelRatio || 1);
    this.size = { w: rect.width, h: rect.height, dpr };
    this.canvas.width = Math.max(1, Math.round(rect.width * dpr));
    this.canvas.height = Math.max(1, Math.round(rect.height * dpr));
    this.request();
  }

  highlight(name: string | null): void {
    this.highlighted = name;
    this.request();
  }

  /** Draws at the next frame (and keeps drawing while rings spread). */
  request(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      if (this.draw()) this.request();
    });
  }

  /** A unit-disc place from the nara ID: angle and radius from two hashes (radius by sqrt: even spread). */
  private place(view: PeerView): Place {
    const id = view.peer.naraId || view.peer.name;
    let p = this.places.get(id);
    if (p === undefined) {
      const a = (hash32(id) / 2 ** 32) * Math.PI * 2;
      const r = Math.sqrt(hash32(id, 0x9e3779b9) / 2 ** 32) * 0.94;
      p = { x: Math.cos(a) * r, y: Math.sin(a) * r };
      if (this.places.size > 20_000) this.places.clear();
      this.places.set(id, p);
    }
    return p;
  }

  private toScreen(p: Place): [number, number] {
    const { w, h } = this.size;
    const r = Math.min(w, h) / 2 - 10;
    return [w / 2 + p.x * r, h / 2 + p.y * r];
  }

  private nearest(x: number, y: number): string | null {
    let best: string | null = null;
    let bestD = 14 * 14;
    for (const view of this.store.peers.values()) {
      const [sx, sy] = this.toScreen(this.place(view));
      const d = (sx - x) ** 2 + (sy - y) ** 2;
      if (d < bestD) {
        bestD = d;
        best = view.peer.name;
      }
    }
    return best;
  }

  /** One frame; true while rings are still spreading. */
  private draw(): boolean {
    const started = performance.now();
    const ctx = this.canvas.getContext('2d');
    if (ctx === null) return false;
    const { w, h, dpr } = this.size;
    const css = getComputedStyle(document.documentElement);
    const colour = (name: string) => css.getPropertyValue(name).trim();
    const ink = colour('--ink');
    const line = colour('--line');
    const byState: Record<string, string> = {
      ONLINE: colour('--online'),
      OFFLINE: colour('--offline'),
      MISSING: colour('--missing'),
    };
    const accent = colour('--accent');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const r = Math.min(w, h) / 2 - 10;
    ctx.strokeStyle = line;
    ctx.lineWidth = 1;
    for (const f of [1, 0.66, 0.33]) {
      ctx.beginPath();
      ctx.arc(w / 2, h / 2, r * f, 0, Math.PI * 2);
      ctx.stroke();
    }
    const count = this.store.peers.size;
    const size = count <= 40 ? 6 : count <= 300 ? 4 : 2.6;
    const now = Date.now();
    let spreading = false;
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    for (const view of this.store.peers.values()) {
      const [x, y] = this.toScreen(this.place(view));
      const state = view.peer.state;
      const c = byState[state] ?? ink;
      ctx.fillStyle = c;
      ctx.strokeStyle = c;
      ctx.lineWidth = 1.6;
      if (state === 'ONLINE') {
        ctx.beginPath();
        ctx.arc(x, y, size, 0, Math.PI * 2);
        ctx.fill();
      } else if (state === 'OFFLINE') {
        ctx.beginPath();
        ctx.arc(x, y, size - 0.8, 0, Math.PI * 2);
        ctx.stroke();
      } else {
        const s = size * 0.9;
        ctx.beginPath();
        ctx.moveTo(x - s, y - s);
        ctx.lineTo(x + s, y + s);
        ctx.moveTo(x + s, y - s);
        ctx.lineTo(x - s, y + s);
        ctx.stroke();
      }
      const age = now - view.pulsedAt;
      if (view.pulsedAt > 0 && age < PULSE_MS) {
        spreading = true;
        const t = age / PULSE_MS;
        ctx.globalAlpha = 1 - t;
        ctx.strokeStyle = accent;
        ctx.lineWidth = 1.5;
        ctx.beginPath();
        ctx.arc(x, y, size + t * size * 3, 0, Math.PI * 2);
        ctx.stroke();
        ctx.globalAlpha = 1;
      }
      if (count <= 40) {
        ctx.fillStyle = ink;
        ctx.fillText(clip(view.peer.name), x, y - size - 5);
      }
    }
    const picked = this.highlighted === null ? undefined : this.store.peers.get(this.highlighted);
    if (picked !== undefined) {
      const [x, y] = this.toScreen(this.place(picked));
      ctx.strokeStyle = accent;
      ctx.lineWidth = 2.5;
      ctx.beginPath();
      ctx.arc(x, y, size + 7, 0, Math.PI * 2);
      ctx.stroke();
      ctx.fillStyle = ink;
      ctx.font = '600 12px system-ui, sans-serif';
      ctx.fillText(clip(picked.peer.name), x, y + size + 20);
    }
    this.stats.frames++;
    this.stats.drawMs += performance.now() - started;
    return spreading;
  }
}

/** Names on the map are short: canvas text is never markup, but a long name would cover the plaza. */
function clip(name: string): string {
  return name.length > 18 ? `${name.slice(0, 17)}…` : name;
}
