import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { type EmbeddedBrokerHandle, startEmbeddedBroker } from './broker.js';
import type { Logger } from './logger.js';

/** What answers on a port: an MQTT broker, nothing (refused), something else, or silence. */
export type PortOccupant = 'mqtt' | 'free' | 'other' | 'silent';

// An MQTT 3.1.1 CONNECT (clean session, keepalive 10 s) with a throwaway client id; every MQTT broker
// answers it with a CONNACK (0x20), even one that then refuses the client.
function connectPacket(): Buffer {
  const id = Buffer.from(`nara-probe-${randomBytes(4).toString('hex')}`);
  const variable = Buffer.from([0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x0a]);
  const payload = Buffer.concat([Buffer.from([id.length >> 8, id.length & 0xff]), id]);
  const remaining = variable.length + payload.length;
  return Buffer.concat([Buffer.from([0x10, remaining]), variable, payload]);
}

/**
 * Asks `host:port` whether it speaks MQTT: `mqtt` when a CONNECT gets a CONNACK, `free` when the
 * connection is refused, `silent` when nothing comes back within `timeoutMs`, `other` for anything else (an
 * HTTP server's answer, a closed connection).
 *
 * @example
 * ```ts
 * await probePort('127.0.0.1', 1883); // 'mqtt' on a machine running mosquitto
 * ```
 */
export function probePort(host: string, port: number, timeoutMs = 1500): Promise<PortOccupant> {
  return new Promise((resolve) => {
    let settled = false;
    const socket = connect({ host, port });
    const done = (answer: PortOccupant) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (answer === 'mqtt') socket.end(Buffer.from([0xe0, 0x00]));
      else socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done('silent'), timeoutMs);
    socket.once('connect', () => socket.write(connectPacket()));
    socket.once('data', (data: Buffer) => done(data[0] === 0x20 ? 'mqtt' : 'other'));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done(error.code === 'ECONNREFUSED' ? 'free' : 'other'),
    );
    socket.once('close', () => done('other'));
  });
}

/**
 * The plaza of one machine, without a broker setting: the MQTT broker already on the local port is
 * joined; when there is none, this process hosts one there. When the host goes, the naras of the local
 * plaza race to host on the same port (after a random pause, so they rarely collide): the one that gets
 * the port hosts, the others' reconnecting transports find it there.
 */
export class LocalPlaza {
  #hosted: EmbeddedBrokerHandle | undefined;
  #closed = false;
  #trying: Promise<void> | undefined;

  private constructor(
    readonly url: string,
    readonly port: number,
    readonly note: string | undefined,
    private readonly logger: Logger,
    private readonly canHost: boolean,
  ) {}

  /** The broker this process hosts, if it hosts one now. */
  get hosted(): EmbeddedBrokerHandle | undefined {
    return this.#hosted;
  }

  /**
   * Finds or makes the local plaza on `port`. `canHost: false` (for `nara members`) only finds one. Port 0
   * means "host on any free port" (tests): nothing can be found there, nothing taken over.
   */
  static async open(port: number, logger: Logger, canHost = true): Promise<LocalPlaza> {
    if (port === 0) {
      const hosted = await startEmbeddedBroker({ preferredPort: 0, logger });
      const plaza = new LocalPlaza(hosted.url, hosted.port, undefined, logger, false);
      plaza.#hosted = hosted;
      return plaza;
    }
    for (let attempt = 0; ; attempt++) {
      const occupant = await probePort('127.0.0.1', port);
      if (occupant === 'mqtt' || !canHost) {
        return new LocalPlaza(
          `mqtt://127.0.0.1:${port}`,
          port,
          occupant === 'mqtt' ? undefined : occupant,
          logger,
          canHost,
        );
      }
      if (occupant === 'other' || occupant === 'silent') {
        // Not ours to take: a free port, said in one line.
        const hosted = await startEmbeddedBroker({ preferredPort: 0, logger });
        const plaza = new LocalPlaza(
          hosted.url,
          hosted.port,
          `port ${port} is taken by something that is not an MQTT broker; hosting the plaza on ${hosted.port} instead`,
          logger,
          false,
        );
        plaza.#hosted = hosted;
        return plaza;
      }
      const hosted = await hostOn(port, logger);
      if (hosted) {
        const plaza = new LocalPlaza(hosted.url, port, undefined, logger, true);
        plaza.#hosted = hosted;
        return plaza;
      }
      // Another nara took the port between the probe and the listen: join it.
      if (attempt >= 2) throw new Error(`port ${port} keeps changing hands`);
    }
  }

  /**
   * The connection to the plaza was lost: if the host is gone, try to take its place. Called on every
   * disconnect; a plaza this process hosts, or one that cannot be hosted here, ignores it.
   */
  connectionLost(): void {
    if (!this.canHost || this.#hosted || this.#closed || this.#trying) return;
    this.#trying = (async () => {
      // A random pause spreads the race over the naras of the plaza.
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 500)));
      if (this.#closed || (await probePort('127.0.0.1', this.port)) !== 'free') return;
      const hosted = await hostOn(this.port, this.logger);
      if (!hosted) return;
      if (this.#closed) {
        await hosted.close();
        return;
      }
      this.#hosted = hosted;
      this.logger.info('the local plaza lost its host: hosting it here now', { url: hosted.url });
    })().finally(() => {
      this.#trying = undefined;
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#trying;
    await this.#hosted?.close();
  }
}

/** An embedded broker on exactly `port`, or undefined when someone else has it. */
async function hostOn(port: number, logger: Logger): Promise<EmbeddedBrokerHandle | undefined> {
  try {
    return await startEmbeddedBroker({ preferredPort: port, exactPort: true, logger });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') return undefined;
    throw error;
  }
}
