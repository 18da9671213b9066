/**
 * A broker written outside the packages, for the transport guide's compliance harness (copied with it into
 * an empty project by pack.test.ts): JSON lines over TCP on a free loopback port. It gives the will
 * semantics the guide asks of a broker: the will is stored at connect, published on an unclean drop and
 * dropped on a clean goodbye. Subscriptions are per connection; each message goes once to each connection
 * with a matching filter (the transport matches handlers itself).
 */
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { matchesFilter } from '@nara/topics';
import type { Link, OpenLink } from './link-transport.js';

type Frame =
  | { t: 'hello'; will?: { topic: string; payload: string } }
  | { t: 'ok' }
  | { t: 'sub'; filters: string[] }
  | { t: 'subbed' }
  | { t: 'pub'; topic: string; payload: string }
  | { t: 'bye' };

const encode = (frame: Frame): string => `${JSON.stringify(frame)}\n`;
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const unb64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));

/** Calls `onFrame` for every complete line the socket delivers. */
function readFrames(socket: Socket, onFrame: (frame: Frame) => void): void {
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      onFrame(JSON.parse(line) as Frame);
    }
  });
}

export interface LinkBroker {
  readonly port: number;
  /** The wire to this broker, as the guide's `createLinkTransport` takes it. */
  readonly openLink: OpenLink;
  /** Every connection dropped at once, no wills (the broker is gone), then listening again. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

interface Client {
  socket: Socket;
  filters: string[];
  will: { topic: string; payload: string } | undefined;
}

export async function startLinkBroker(): Promise<LinkBroker> {
  const clients = new Set<Client>();
  const route = (topic: string, payload: string): void => {
    for (const client of clients)
      if (client.filters.some((filter) => matchesFilter(filter, topic)))
        client.socket.write(encode({ t: 'pub', topic, payload }));
  };
  const accept = (socket: Socket): void => {
    const client: Client = { socket, filters: [], will: undefined };
    let greeted = false;
    socket.on('error', () => socket.destroy());
    readFrames(socket, (frame) => {
      if (frame.t === 'hello') {
        client.will = frame.will; // stored at connect
        greeted = true;
        clients.add(client);
        socket.write(encode({ t: 'ok' }));
      } else if (!greeted) socket.destroy();
      else if (frame.t === 'sub') {
        client.filters.push(...frame.filters);
        socket.write(encode({ t: 'subbed' }));
      } else if (frame.t === 'pub') route(frame.topic, frame.payload);
      else if (frame.t === 'bye') {
        client.will = undefined; // a clean goodbye: the will is dropped
        clients.delete(client);
        socket.end();
      }
    });
    socket.on('close', () => {
      if (!clients.delete(client)) return;
      if (client.will !== undefined) route(client.will.topic, client.will.payload); // an unclean drop
    });
  };

  let server: Server = createServer(accept);
  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : port);
      });
    });
  const shut = async (): Promise<void> => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const client of clients) client.socket.destroy();
    clients.clear(); // no wills: the broker itself went away
    await closed;
  };
  const port = await listen(0);

  const openLink: OpenLink = (will) => {
    const socket = tcpConnect(port, '127.0.0.1');
    let ended = false;
    const acks: (() => void)[] = []; // the broker answers subscriptions in order
    const link: Link = {
      send: (topic, payload) => void socket.write(encode({ t: 'pub', topic, payload: b64(payload) })),
      subscribe: (filters) =>
        new Promise<void>((resolve) => {
          acks.push(resolve);
          socket.write(encode({ t: 'sub', filters }));
        }),
      close: () =>
        new Promise<void>((resolve) => {
          ended = true;
          if (socket.destroyed) return resolve();
          socket.once('close', () => resolve());
          socket.end(encode({ t: 'bye' })); // after everything written before it
        }),
      destroy: () => void socket.destroy(), // an unclean drop: onClose tells the transport
    };
    socket.on('connect', () =>
      socket.write(
        encode({
          t: 'hello',
          ...(will ? { will: { topic: will.topic, payload: b64(will.payload) } } : {}),
        }),
      ),
    );
    readFrames(socket, (frame) => {
      if (frame.t === 'ok') link.onOpen?.();
      else if (frame.t === 'subbed') acks.shift()?.();
      else if (frame.t === 'pub') link.onMessage?.(frame.topic, unb64(frame.payload));
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      for (const ack of acks.splice(0)) ack(); // restored at the next connection
      if (!ended) link.onClose?.(new Error('link closed'));
    });
    return link;
  };

  return {
    port,
    openLink,
    async restart() {
      await shut();
      server = createServer(accept);
      await listen(port);
    },
    stop: shut,
  };
}
