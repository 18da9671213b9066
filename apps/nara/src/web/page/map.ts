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
  /** The theme's colours, read from the stylesheet once per theme (not once per frame). */
  private colours: Record<string, string> | null = null;
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
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
      this.colours = null;
      this.request();
    });
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
    if (this.colours === null) {
      const css = getComputedStyle(document.documentElement);
      const colour = (name: string) => css.getPropertyValue(name).trim();
      this.colours = {
        ink: colour('--ink'),
        line: colour('--line'),
        accent: colour('--accent'),
        ONLINE: colour('--online'),
        OFFLINE: colour('--offline'),
        MISSING: colour('--missing'),
      };
    }
    const colours = this.colours;
    const { ink, line, accent } = colours as { ink: string; line: string; accent: string };
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
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    // One path per state (a fill or a stroke each), not one per nara: a thousand marks in three calls.
    const online = new Path2D();
    const offline = new Path2D();
    const missing = new Path2D();
    const rings: [number, number, number][] = [];
    for (const view of this.store.peers.values()) {
      const [x, y] = this.toScreen(this.place(view));
      const state = view.peer.state;
      if (state === 'ONLINE') {
        online.moveTo(x + size, y);
        online.arc(x, y, size, 0, Math.PI * 2);
      } else if (state === 'OFFLINE') {
        offline.moveTo(x + size - 0.8, y);
        offline.arc(x, y, size - 0.8, 0, Math.PI * 2);
      } else {
        const s = size * 0.9;
        missing.moveTo(x - s, y - s);
        missing.lineTo(x + s, y + s);
        missing.moveTo(x + s, y - s);
        missing.lineTo(x - s, y + s);
      }
      const age = now - view.pulsedAt;
      if (view.pulsedAt > 0 && age < PULSE_MS) rings.push([x, y, age / PULSE_MS]);
      if (count <= 40) {
        ctx.fillStyle = ink;
        ctx.fillText(clip(view.peer.name), x, y - size - 5);
      }
    }
    ctx.fillStyle = colours.ONLINE!;
    ctx.fill(online);
    ctx.lineWidth = 1.6;
    ctx.strokeStyle = colours.OFFLINE!;
    ctx.stroke(offline);
    ctx.strokeStyle = colours.MISSING!;
    ctx.stroke(missing);
    // Spreading rings in four steps of fading, one stroke each.
    ctx.strokeStyle = accent;
    ctx.lineWidth = 1.5;
    for (let step = 0; step < 4; step++) {
      const path = new Path2D();
      for (const [x, y, t] of rings) {
        if (Math.min(3, Math.floor(t * 4)) !== step) continue;
        const r = size + t * size * 3;
        path.moveTo(x + r, y);
        path.arc(x, y, r, 0, Math.PI * 2);
      }
      ctx.globalAlpha = 1 - (step + 0.5) / 4;
      ctx.stroke(path);
    }
    ctx.globalAlpha = 1;
    const spreading = rings.length > 0;
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
