import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './logger.js';
import { DASHBOARD_CSP, loadWebAssets } from './web/assets.js';
import type { EventStream } from './web/stream.js';

/** What the status endpoint serves; each is read per request. */
export interface StatusSource {
  /** `GET /peers`: a JSON-serialisable array. */
  peers(): unknown[];
  /** `GET /metrics`: Prometheus text. */
  metrics(): string;
  /** `GET /healthz`: ok means connected to the broker. */
  health(): { ok: boolean; [key: string]: unknown };
  /** `GET /events`: the dashboard's event stream; with it, `GET /` serves the dashboard. */
  events?: EventStream;
}

export interface StatusServer {
  readonly host: string;
  readonly port: number;
  /** `http://host:port`. */
  readonly url: string;
  close(): Promise<void>;
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(body);
}

const PAGE_HEADERS = { 'content-security-policy': DASHBOARD_CSP, 'referrer-policy': 'no-referrer' };

/**
 * Serves `GET /peers`, `GET /metrics` and `GET /healthz` with node:http. Read-only: anything else is
 * 404 or 405. Nothing it serves comes from a secret.
 */
export async function startStatusServer(
  address: { host: string; port: number },
  source: StatusSource,
  logger?: Logger,
): Promise<StatusServer> {
  const web = source.events === undefined ? new Map() : loadWebAssets();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
      return;
    }
    try {
      switch (path) {
        case '/peers':
          send(res, 200, 'application/json; charset=utf-8', `${JSON.stringify(source.peers())}\n`);
          return;
        case '/metrics':
          send(res, 200, 'text/plain; version=0.0.4; charset=utf-8', source.metrics());
          return;
        case '/healthz': {
          const health = source.health();
          send(res, health.ok ? 200 : 503, 'application/json; charset=utf-8', `${JSON.stringify(health)}\n`);
          return;
        }
        case '/events':
          if (source.events !== undefined) {
            source.events.attach(req, res);
            return;
          }
          break;
      }
      const asset = web.get(path);
      if (asset !== undefined) {
        const cache: Record<string, string> = asset.immutable
          ? { 'cache-control': 'public, max-age=31536000, immutable' }
          : {};
        send(res, 200, asset.type, asset.body, { ...PAGE_HEADERS, ...cache });
        return;
      }
      if (path === '/' && source.events !== undefined) {
        send(res, 503, 'text/plain; charset=utf-8', 'the dashboard is not built: pnpm build\n');
        return;
      }
      const paths = source.events === undefined ? '/peers' : '/, /events, /peers';
      send(res, 404, 'text/plain; charset=utf-8', `not found: try ${paths}, /metrics or /healthz\n`);
    } catch (error) {
      logger?.error('status endpoint failed', { path, error });
      send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
    }
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: address.host, port: address.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const host = bound.address;
  return {
    host,
    port: bound.port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        source.events?.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
