import type { PeerRegistry } from '@nara/peers';
import { createNara, type NaraComponents, type NaraNode, type NaraOptions, StartError } from '@nara/plaza';
import type { HttpAddress } from './config.js';
import { type StatusServer, startStatusServer } from './http.js';
import type { Logger } from './logger.js';
import { renderPrometheus } from './prometheus.js';
import { dashboardEvents } from './web/feed.js';

/** A running nara and, when asked for, its status endpoint. */
export interface ServedNara extends NaraNode {
  readonly http: StatusServer | undefined;
}

/**
 * `GET /peers`: the registry's snapshot, the nara ID under one name, `id` (as `nara members --json` has
 * it), not twice.
 */
export function peersJson(registry: PeerRegistry): unknown[] {
  return registry.snapshot().peers.map(({ naraId, ...peer }) => ({ ...peer, id: naraId }));
}

function describe(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
}

/**
 * The app's nara: the engine's {@link createNara}, its status endpoint (`/peers`, `/metrics`, `/healthz`,
 * the dashboard on `/` and its feed on `/events`)
 * served before it connects, then `start()`. Leaving or closing it also closes the endpoint. A port that
 * cannot be bound is a {@link StartError}, like a broker that cannot be reached.
 */
export async function startServedNara(
  options: NaraOptions & { readonly http?: HttpAddress },
  components: NaraComponents & { readonly logger: Logger },
): Promise<ServedNara> {
  const { logger } = components;
  const now = components.now ?? Date.now;
  const node = createNara(options, components);
  let http: StatusServer | undefined;
  if (options.http) {
    try {
      http = await startStatusServer(
        options.http,
        {
          peers: () => peersJson(node.registry),
          metrics: () => renderPrometheus(node.metrics),
          health: () => ({
            ok: node.connected,
            connected: node.connected,
            ...(node.name !== undefined ? { name: node.name } : {}),
            ...(node.broker ? { broker: node.broker } : {}),
            uptimeSeconds: Math.floor((now() - node.startedAt) / 1000),
          }),
          // The dashboard (`GET /`) and its event stream (`GET /events`), built on the engine's events.
          events: dashboardEvents(node),
        },
        logger,
      );
    } catch (error) {
      await node.close();
      throw new StartError(
        `cannot serve HTTP on ${options.http.host}:${options.http.port} (${describe(error)})`,
      );
    }
    logger.info('status endpoint', {
      url: http.url,
      paths: '/ (dashboard) /events /peers /metrics /healthz',
    });
  }
  try {
    await node.start();
  } catch (error) {
    await http?.close();
    throw error;
  }
  const served = Object.create(node, { http: { value: http, enumerable: true } }) as ServedNara & {
    leave: NaraNode['leave'];
    close: NaraNode['close'];
  };
  served.leave = async (timeoutMs) => {
    await Promise.allSettled([node.leave(timeoutMs), http?.close()]);
  };
  served.close = async () => {
    await Promise.allSettled([node.close(), http?.close()]);
  };
  return served;
}
