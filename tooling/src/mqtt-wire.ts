/**
 * The few MQTT 3.1.1 packets the tooling writes by hand, and a client made of them: the brokers' readiness
 * probe (a CONNECT, answered or not) and the capacity benchmark's simulated naras, thousands of which share
 * one process. A plaza-sized fan-out costs a client library several microseconds a delivery (mqtt.js parses
 * every packet into an object and emits it); this one frames the stream and counts, so the benchmark
 * measures the broker rather than its own clients. Plain TCP, QoS 0, clean sessions only.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect as netConnect, type Socket } from 'node:net';

/** A control packet: its first byte, the remaining length as MQTT's variable-length integer, the body. */
function packet(first: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const length: number[] = [];
  let n = body.length;
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    length.push(byte);
  } while (n > 0);
  return Buffer.concat([Buffer.from([first, ...length]), body]);
}

/** A UTF-8 string with its two-byte length, as MQTT writes strings. */
function utf8(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([Buffer.from([bytes.length >> 8, bytes.length & 0xff]), bytes]);
}

/** A client id inside MQTT 3.1.1's portable alphabet and length (`[0-9a-zA-Z]{1,23}`). */
export function portableClientId(prefix: string): string {
  return `${prefix}${randomBytes(8).toString('hex')}`.slice(0, 23);
}

/** CONNECT, clean session, MQTT 3.1.1; keepalive 0 (none) unless given. */
export function connectPacket(clientId = portableClientId('probe'), keepaliveSec = 0): Buffer {
  const variable = Buffer.from([
    0x00,
    0x04,
    0x4d,
    0x51,
    0x54,
    0x54,
    0x04,
    0x02,
    keepaliveSec >> 8,
    keepaliveSec & 0xff,
  ]);
  return packet(0x10, variable, utf8(clientId));
}

/** SUBSCRIBE to one filter at QoS 0, packet id 1. */
export function subscribePacket(filter: string): Buffer {
  return packet(0x82, Buffer.from([0x00, 0x01]), utf8(filter), Buffer.from([0x00]));
}

/** PUBLISH at QoS 0, not retained. */
export function publishPacket(topic: string, payload: Uint8Array): Buffer {
  return packet(0x30, utf8(topic), Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength));
}

export const DISCONNECT = Buffer.from([0xe0, 0x00]);

export interface WireClient {
  /** PUBLISH packets received since the connection. */
  readonly received: number;
  publish(topic: string, payload: Uint8Array): void;
  /** DISCONNECT and close; resolves when the socket is gone. */
  close(): Promise<void>;
}

export interface WireClientOptions {
  readonly host?: string;
  readonly port: number;
  readonly clientId?: string;
  /** Subscribed (QoS 0) before `connectWire` resolves. */
  readonly subscribe?: string;
  /** Called for every PUBLISH received (topic and payload sliced out of the stream); without it, only counted. */
  readonly onMessage?: (topic: string, payload: Buffer) => void;
  /** Called when the broker closes the connection (or it fails) before `close()`. */
  readonly onLost?: (error: Error) => void;
}

/**
 * Connects, waits for a CONNACK that accepts, subscribes and waits for its SUBACK.
 *
 * @example
 * ```ts
 * const client = await connectWire({ port: broker.port, subscribe: 'nara/#' });
 * client.publish('nara/plaza/newspaper/x', bytes);
 * console.log(client.received);
 * await client.close();
 * ```
 */
export async function connectWire(options: WireClientOptions): Promise<WireClient> {
  const socket: Socket = netConnect({ host: options.host ?? '127.0.0.1', port: options.port });
  socket.setNoDelay(true);
  let received = 0;
  let closing = false;
  let pending: Buffer | undefined;
  let waiting: { type: number; resolve: (body: Buffer) => void } | undefined;
  const fail = (error: Error): void => {
    if (!closing) options.onLost?.(error);
  };
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('the broker closed the connection')));
  const onPacket = (first: number, body: Buffer): void => {
    const type = first >> 4;
    if (type === 3) {
      received++;
      if (options.onMessage !== undefined) {
        const topicLength = body.readUInt16BE(0);
        const qos = (first >> 1) & 3;
        const payloadAt = 2 + topicLength + (qos > 0 ? 2 : 0);
        options.onMessage(body.toString('utf8', 2, 2 + topicLength), body.subarray(payloadAt));
      }
    } else if (waiting?.type === type) {
      const w = waiting;
      waiting = undefined;
      w.resolve(body);
    }
  };
  socket.on('data', (chunk: Buffer) => {
    const data = pending === undefined ? chunk : Buffer.concat([pending, chunk]);
    pending = undefined;
    let at = 0;
    for (;;) {
      // The fixed header: one byte, then 1 to 4 bytes of remaining length.
      let length = 0;
      let multiplier = 1;
      let i = at + 1;
      let complete = false;
      while (i < data.length && i < at + 5) {
        const byte = data[i++] as number;
        length += (byte & 0x7f) * multiplier;
        multiplier *= 128;
        if ((byte & 0x80) === 0) {
          complete = true;
          break;
        }
      }
      if (!complete || i + length > data.length) break;
      onPacket(data[at] as number, data.subarray(i, i + length));
      at = i + length;
    }
    if (at < data.length) pending = Buffer.from(data.subarray(at));
  });
  const next = (type: number, what: string): Promise<Buffer> =>
    new Promise<Buffer>((resolve, reject) => {
      waiting = { type, resolve };
      const onClose = (): void => reject(new Error(`the broker closed the connection before its ${what}`));
      socket.once('close', onClose);
      const done = resolve;
      waiting.resolve = (body) => {
        socket.off('close', onClose);
        done(body);
      };
    });
  await new Promise<void>((resolve, reject) => {
    const onClose = (): void => reject(new Error(`cannot connect to 127.0.0.1:${options.port}`));
    socket.once('close', onClose);
    socket.once('connect', () => {
      socket.off('close', onClose);
      resolve();
    });
  });
  const connack = next(2, 'CONNACK');
  socket.write(connectPacket(options.clientId ?? portableClientId('w')));
  const ack = await connack;
  if (ack[1] !== 0) throw new Error(`the broker refused the connection (CONNACK return code ${ack[1]})`);
  if (options.subscribe !== undefined) {
    const suback = next(9, 'SUBACK');
    socket.write(subscribePacket(options.subscribe));
    const granted = await suback;
    if (granted[2] === 0x80) throw new Error(`the broker refused the subscription to ${options.subscribe}`);
  }
  return {
    get received() {
      return received;
    },
    publish(topic, payload) {
      socket.write(publishPacket(topic, payload));
    },
    async close() {
      if (closing) return;
      closing = true;
      if (socket.destroyed) return;
      const gone = once(socket, 'close');
      socket.end(DISCONNECT);
      await gone;
    },
  };
}
