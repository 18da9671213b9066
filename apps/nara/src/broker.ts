import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { Aedes } from 'aedes';
import { createWebSocketStream, WebSocketServer } from 'ws';
import type { Logger } from './logger.js';

/** An MQTT broker inside the process, for a plaza of one machine (and the demo). Loopback only. */
export interface EmbeddedBrokerHandle {
  /** `mqtt://127.0.0.1:<port>`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Whether the preferred port was taken and another one was chosen. */
  readonly fellBack: boolean;
  /**
   * `ws://127.0.0.1:<port>`: the same broker over WebSockets, for browsers (the dashboard's standalone
   * mode); absent when `websocketPort` was null.
   */
  readonly wsUrl?: string;
  /**
   * Drops a client's connection without a DISCONNECT, as a crash would: the broker then publishes the
   * client's will. Returns false when no client with that id is connected.
   */
  dropClient(clientId: string): boolean;
  /** Connected client ids. */
  clientIds(): string[];
  close(): Promise<void>;
}

export interface EmbeddedBrokerOptions {
  /** Tried first (default 1883); when taken, the OS picks a free port. 0 always picks a free port. */
  preferredPort?: number;
  /** 127.0.0.1 by default. The embedded broker never listens beyond loopback. */
  host?: '127.0.0.1' | '::1';
  /** Publishes with a larger payload are refused (HOSTILE-NOTES: aedes has no limit of its own). */
  maxPayloadBytes?: number;
  /**
   * The WebSocket listener's port on the same loopback host: 0 (default) picks a free one, null turns it
   * off. Any web page the user opens could connect to it, as to any loopback port: what it can do there is
   * what anyone on the plaza can (read public envelopes, publish ones that every nara verifies).
   */
  websocketPort?: number | null;
  logger?: Logger;
  /** Only the preferred port: when it is taken, fail (EADDRINUSE) instead of picking another. */
  exactPort?: boolean;
}

/** Above any plaza/1 envelope (the envelope layer's own limit is 16 KiB), far below a memory problem. */
export const EMBEDDED_MAX_PAYLOAD_BYTES = 64 * 1024;

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ port, host, exclusive: true });
  });
}

/**
 * Starts aedes on loopback: the preferred port when free, otherwise any free port (the app must never
 * fail because 1883 is taken). `drainTimeout` is short so that one frozen subscriber cannot stall the
 * others, topic depth is bounded, and oversized payloads are refused.
 *
 * @example
 * ```ts
 * const broker = await startEmbeddedBroker({ preferredPort: 0 });
 * console.log(broker.url); // mqtt://127.0.0.1:40123
 * await broker.close();
 * ```
 */
export async function startEmbeddedBroker(
  options: EmbeddedBrokerOptions = {},
): Promise<EmbeddedBrokerHandle> {
  const host = options.host ?? '127.0.0.1';
  const maxPayload = options.maxPayloadBytes ?? EMBEDDED_MAX_PAYLOAD_BYTES;
  const logger = options.logger;
  const aedes = await Aedes.createBroker({
    drainTimeout: 1000,
    maxTopicLevels: 16,
    connectTimeout: 10_000,
    authorizePublish(client, packet, callback) {
      if (packet.payload.length > maxPayload) {
        logger?.warn('embedded broker refused an oversized publish', {
          client: client?.id,
          bytes: packet.payload.length,
        });
        callback(new Error('payload too large'));
        return;
      }
      // Clients may not publish on broker topics.
      if (packet.topic.startsWith('$')) {
        callback(new Error('reserved topic'));
        return;
      }
      callback(null);
    },
  });
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    aedes.handle(socket);
  });
  aedes.on('clientError', (client, error) =>
    logger?.debug('broker client error', { client: client.id, error }),
  );
  aedes.on('connectionError', (_client, error) => logger?.debug('broker connection error', { error }));

  const preferred = options.preferredPort ?? 1883;
  let port: number;
  let fellBack = false;
  try {
    port = await listen(server, preferred, host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if ((code !== 'EADDRINUSE' && code !== 'EACCES') || options.exactPort) {
      aedes.close();
      throw error;
    }
    port = await listen(server, 0, host);
    fellBack = true;
  }

  let wsPort: number | undefined;
  const web = createHttpServer((_req, res) =>
    res.writeHead(426, { 'content-type': 'text/plain' }).end('MQTT over WebSockets only\n'),
  );
  const webSockets = new WebSocketServer({ server: web, maxPayload: maxPayload + 1024 });
  if (options.websocketPort !== null) {
    webSockets.on('connection', (ws, request) => {
      const stream = createWebSocketStream(ws);
      stream.on('error', () => ws.terminate());
      aedes.handle(stream, request);
    });
    web.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    try {
      wsPort = await listen(web, options.websocketPort ?? 0, host);
    } catch (error) {
      server.close();
      aedes.close();
      throw error;
    }
  }

  // Clients by id, to drop one the way a crash would.
  const clients = new Map<string, { close(): void }>();
  aedes.on('client', (client) => clients.set(client.id, client));
  aedes.on('clientDisconnect', (client) => {
    if (clients.get(client.id) === client) clients.delete(client.id);
  });

  let closing: Promise<void> | undefined;
  return {
    url: `mqtt://${host === '::1' ? '[::1]' : host}:${port}`,
    host,
    port,
    fellBack,
    ...(wsPort !== undefined ? { wsUrl: `ws://${host === '::1' ? '[::1]' : host}:${wsPort}` } : {}),
    dropClient(clientId) {
      const client = clients.get(clientId);
      if (!client) return false;
      // Closing the client from the broker side, without a DISCONNECT from it, is a lost connection:
      // aedes publishes the will.
      clients.delete(clientId);
      client.close();
      return true;
    },
    clientIds: () => [...clients.keys()],
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close();
        webSockets.close();
        web.close();
        for (const socket of sockets) socket.destroy();
        aedes.close(() => resolve());
      });
      return closing;
    },
  };
}
