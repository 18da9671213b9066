import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { type Broker, startAedes, startMosquitto } from '@nara/tooling/brokers';
import { afterEach, describe, expect, it } from 'vitest';

const started: Broker[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((b) => b.stop()));
});

/** Sends a hand-written MQTT 3.1.1 CONNECT (with optional credentials) and returns the CONNACK return code. */
function connack(
  url: string,
  options: { ca?: string; username?: string; password?: string } = {},
): Promise<number> {
  const { protocol, hostname, port } = new URL(url);
  const str = (s: string): Buffer =>
    Buffer.concat([Buffer.from([s.length >> 8, s.length & 0xff]), Buffer.from(s)]);
  let flags = 0x02;
  const payload = [str('harness-test')];
  if (options.username !== undefined) {
    flags |= 0x80;
    payload.push(str(options.username));
  }
  if (options.password !== undefined) {
    flags |= 0x40;
    payload.push(str(options.password));
  }
  const body = Buffer.concat([str('MQTT'), Buffer.from([0x04, flags, 0x00, 0x05]), ...payload]);
  const packet = Buffer.concat([Buffer.from([0x10, body.length]), body]);
  return new Promise((resolve, reject) => {
    const socket =
      protocol === 'mqtts:'
        ? tlsConnect({ host: hostname, port: Number(port), ca: options.ca })
        : connect({ host: hostname, port: Number(port) });
    socket.once(protocol === 'mqtts:' ? 'secureConnect' : 'connect', () => socket.write(packet));
    socket.once('data', (data: Buffer) => {
      socket.destroy();
      resolve(data[3] ?? -1);
    });
    socket.once('error', reject);
  });
}

/** Sends an HTTP upgrade for MQTT over websockets and returns the status line. */
function wsUpgrade(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.write(
        `GET / HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n',
      );
    });
    socket.once('data', (data: Buffer) => {
      socket.destroy();
      resolve(data.toString('latin1').split('\r\n')[0] ?? '');
    });
    socket.once('error', reject);
  });
}

function refused(url: string): Promise<boolean> {
  return connack(url).then(
    () => false,
    () => true,
  );
}

describe('the broker harness', () => {
  it('starts a plain mosquitto on a free loopback port other than 1883, restarts it on that port, stops it', async () => {
    const broker = await startMosquitto();
    started.push(broker);
    expect(broker.url).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    expect(broker.port).not.toBe(1883);
    expect(await connack(broker.url)).toBe(0);
    await broker.kill();
    expect(await refused(broker.url)).toBe(true);
    await broker.restart();
    expect(await connack(broker.url)).toBe(0);
    await broker.stop();
    expect(await refused(broker.url)).toBe(true);
  });

  it('starts mosquitto with TLS whose certificate verifies against the generated CA', async () => {
    const broker = await startMosquitto({ tls: true });
    started.push(broker);
    expect(broker.url).toMatch(/^mqtts:/);
    expect(await connack(broker.url, { ca: broker.tls?.ca })).toBe(0);
    await expect(connack(broker.url)).rejects.toThrow(/self.signed|unable to (get|verify)/i);
  });

  it('starts mosquitto with a password file: right credentials are accepted, wrong ones get code 5', async () => {
    const broker = await startMosquitto({ password: true });
    started.push(broker);
    const { username, password } = broker.credentials ?? { username: '', password: '' };
    expect(await connack(broker.url, { username, password })).toBe(0);
    expect(await connack(broker.url, { username, password: `${password}x` })).toBe(5);
    expect(await connack(broker.url)).toBe(5);
  });

  it('starts mosquitto with a websockets listener that accepts an MQTT upgrade', async () => {
    const broker = await startMosquitto({ websockets: true });
    started.push(broker);
    expect(await wsUpgrade(broker.wsUrl ?? '')).toMatch(/^HTTP\/1\.1 101/);
  });

  it('starts aedes (with websockets), restarts it on the same port, and stops it', async () => {
    const broker = await startAedes({ websockets: true, password: true });
    started.push(broker);
    const { username, password } = broker.credentials ?? { username: '', password: '' };
    expect(await connack(broker.url, { username, password })).toBe(0);
    expect(await connack(broker.url, { username, password: 'wrong' })).toBe(4);
    expect(await wsUpgrade(broker.wsUrl ?? '')).toMatch(/^HTTP\/1\.1 101/);
    await broker.restart({ kill: true });
    expect(await connack(broker.url, { username, password })).toBe(0);
    await broker.stop();
    expect(await refused(broker.url)).toBe(true);
  });
});
