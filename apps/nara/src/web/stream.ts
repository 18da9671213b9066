/**
 * `GET /events`: the dashboard's Server-Sent Events. A snapshot first, then every feed event with an id
 * `<boot>-<n>`. A client reconnecting with `Last-Event-ID` gets the events it missed when they are still
 * held (the last {@link HELD} of this run), otherwise a fresh snapshot: after a restart the boot differs.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FeedEvent } from './events.js';

/** Events kept for clients that reconnect. */
const HELD = 4096;
/** A client this far behind (bytes queued in its socket) is dropped; it reconnects and catches up. */
const MAX_BACKLOG = 4 * 1024 * 1024;
/** A comment this often keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

interface Held {
  readonly n: number;
  readonly frame: string;
}

/** The event stream of one nara. */
export class EventStream {
  /** Changes with every run, so that an id from before a restart is never taken for one of this run. */
  readonly boot = randomBytes(4).toString('hex');
  private n = 0;
  private readonly held: Held[] = [];
  private readonly clients = new Set<ServerResponse>();
  private readonly heartbeat: ReturnType<typeof setInterval>;
  private readonly closers: (() => void)[] = [];

  constructor(private readonly snapshot: () => FeedEvent) {
    this.heartbeat = setInterval(() => this.write(': keep-alive\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Clients attached now. */
  get size(): number {
    return this.clients.size;
  }

  private id(n: number): string {
    return `${this.boot}-${n}`;
  }

  private frame(n: number, event: FeedEvent): string {
    return `id: ${this.id(n)}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
  }

  /** Sends `event` to every client and holds it for those that reconnect. */
  push(event: FeedEvent): void {
    const n = ++this.n;
    const frame = this.frame(n, event);
    this.held.push({ n, frame });
    if (this.held.length > HELD) this.held.splice(0, this.held.length - HELD);
    this.write(frame);
  }

  private write(frame: string): void {
    for (const res of this.clients) {
      if (res.writableLength > MAX_BACKLOG) {
        this.clients.delete(res);
        res.destroy();
        continue;
      }
      res.write(frame);
    }
  }

  /** What a client that last saw `lastId` is owed: the held events after it, or null (send a snapshot). */
  private missed(lastId: string | undefined): string[] | null {
    if (lastId === undefined) return null;
    const m = /^([0-9a-f]{8})-(\d{1,15})$/.exec(lastId);
    if (m === null || m[1] !== this.boot) return null;
    const last = Number(m[2]);
    if (last > this.n) return null;
    if (last === this.n) return [];
    const first = this.held[0]?.n ?? this.n + 1;
    if (last + 1 < first) return null;
    return this.held.slice(last + 1 - first).map((h) => h.frame);
  }

  /** Serves one `GET /events`. */
  attach(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-accel-buffering': 'no',
    });
    const header = req.headers['last-event-id'];
    const missed = this.missed(Array.isArray(header) ? header[0] : header);
    res.write('retry: 2000\n\n');
    if (missed === null) res.write(this.frame(this.n, this.snapshot()));
    else for (const frame of missed) res.write(frame);
    this.clients.add(res);
    const drop = () => this.clients.delete(res);
    req.on('close', drop);
    res.on('error', drop);
  }

  /** Runs `closer` when the stream closes (the feed's timer and subscription). */
  onClose(closer: () => void): void {
    this.closers.push(closer);
  }

  /** Ends every stream (the server closes). Idempotent. */
  close(): void {
    clearInterval(this.heartbeat);
    for (const closer of this.closers.splice(0)) closer();
    for (const res of this.clients) res.end();
    this.clients.clear();
  }
}
