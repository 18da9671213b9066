import type { Logger } from '@nara/interface';
import { startAedes, startMosquitto, useMosquitto } from '@nara/tooling/brokers';
import { seededRandom } from '@nara/tooling/seeded-random';
import type { TransportEvent } from '@nara/transport';
import { createMqttTransport, type MqttTransport, mqttOptionsFromEnv } from '@nara/transport-mqtt';
import { afterEach, describe, expect, it } from 'vitest';

const open: MqttTransport[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});
const make = (...args: Parameters<typeof createMqttTransport>): MqttTransport => {
  const t = createMqttTransport(...args);
  open.push(t);
  return t;
};
const backoff = { minMs: 20, maxMs: 150 };

describe('a list of brokers in the options', () => {
  it('takes comma-separated URLs, an array, or hosts with their own ports, in the order given', () => {
    const listed = createMqttTransport({ url: 'mqtt://a:1, mqtt://b:2 ,mqtts://c:3' });
    expect(listed.brokers).toEqual(['mqtt://a:1', 'mqtt://b:2', 'mqtts://c:3']);
    expect(createMqttTransport({ url: ['ws://a:1/mqtt', 'mqtt://b:2'] }).brokers).toEqual([
      'ws://a:1/mqtt',
      'mqtt://b:2',
    ]);
    expect(createMqttTransport({ host: 'a,b:1884,[::1]:1885,::2', port: 1999 }).brokers).toEqual([
      'mqtt://a:1999',
      'mqtt://b:1884',
      'mqtt://[::1]:1885',
      'mqtt://[::2]:1999',
    ]);
  });

  it('reads MQTT_URL and MQTT_HOST lists and MQTT_CLIENT_ID from the environment', () => {
    expect(mqttOptionsFromEnv({ MQTT_URL: 'mqtt://a:1,mqtt://b:2', MQTT_CLIENT_ID: 'bravo1' })).toEqual({
      url: 'mqtt://a:1,mqtt://b:2',
      clientId: 'bravo1',
    });
    const fromHost = createMqttTransport({
      ...mqttOptionsFromEnv({ MQTT_HOST: 'a, b:2', MQTT_PORT: '1884' }),
    });
    expect(fromHost.brokers).toEqual(['mqtt://a:1884', 'mqtt://b:2']);
    expect(mqttOptionsFromEnv({ MQTT_HOST: 'tls://a:1,ssl://b:2' })?.url).toBe('mqtts://a:1,mqtts://b:2');
    expect(mqttOptionsFromEnv({}, { url: 'mqtt://a:1,mqtt://b' })?.url).toBe('mqtt://a:1,mqtt://b:1883');
    expect(mqttOptionsFromEnv({ MQTT_URL: 'mqtt://u:p@a:1,mqtt://u:p@b:2' })).toEqual({
      url: 'mqtt://a:1,mqtt://b:2',
      username: 'u',
      password: 'p',
    });
  });

  it('refuses a list that mixes credentials or TLS and plain brokers, naming the setting', () => {
    const mixed = (): unknown => mqttOptionsFromEnv({ MQTT_URL: 'mqtt://u:p@a:1,mqtt://v:hunter2@b:2' });
    expect(mixed).toThrow(/MQTT_URL gives different user names/);
    expect(() => mqttOptionsFromEnv({ MQTT_URL: 'mqtt://a:1,mqtts://b:2' })).toThrow(/mixes TLS and plain/);
    expect(mqttOptionsFromEnv({ MQTT_URL: 'mqtt://a:1,mqtts://b:2', MQTT_TLS: '1' })?.url).toBe(
      'mqtts://a:1,mqtts://b:2',
    );
    expect(() => mqttOptionsFromEnv({ MQTT_URL: 'mqtt://a:1,not a url' })).toThrow(/MQTT_URL \(broker 2\)/);
    expect(() => mqttOptionsFromEnv({ MQTT_URL: ' , ' })).toThrow(/must name a broker/);
  });

  it('refuses an empty list, a broker named twice, a bad item, and credentials in any item', () => {
    expect(() => createMqttTransport({ url: ' , ' })).toThrow(/names no broker/);
    expect(() => createMqttTransport({ url: 'mqtt://a:1,mqtt://a:1' })).toThrow(/twice/);
    expect(() => createMqttTransport({ url: 'mqtt://a:1,http://b:2' })).toThrow(/must start with mqtt/);
    expect(() => createMqttTransport({ host: 'a,b c' })).toThrow(/MQTT_HOST/);
    expect(() => createMqttTransport({ host: 'a,b:99999' })).toThrow(/port/);
    const withSecret = (): unknown => createMqttTransport({ url: 'mqtt://a:1,mqtt://u:hunter2-secret@b:2' });
    expect(withSecret).toThrow(/must not carry credentials/);
    try {
      withSecret();
    } catch (error) {
      expect(String(error)).not.toContain('hunter2');
    }
  });
});

describe('the client id', () => {
  it('is by default inside MQTT 3.1.1 portable alphabet and length, and differs between transports', () => {
    const ids = Array.from({ length: 20 }, () => createMqttTransport({ url: 'mqtt://a:1' }).clientId);
    for (const id of ids) expect(id).toMatch(/^[0-9a-zA-Z]{1,23}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('takes MQTT_CLIENT_ID as given, warns when a broker may refuse it, and refuses control characters', () => {
    const warnings: string[] = [];
    const logger: Logger = { debug() {}, info() {}, error() {}, warn: (m) => warnings.push(m) };
    expect(createMqttTransport({ url: 'mqtt://a:1', clientId: 'bravo7' }, { logger }).clientId).toBe(
      'bravo7',
    );
    expect(warnings).toEqual([]);
    createMqttTransport({ url: 'mqtt://a:1', clientId: 'bravo.local-with-a-long-id' }, { logger });
    expect(warnings.join()).toMatch(/outside the 1 to 23 characters/);
    expect(() => createMqttTransport({ url: 'mqtt://a:1', clientId: 'a\u0000b' })).toThrow(/control/);
    expect(() => createMqttTransport({ url: 'mqtt://a:1', clientId: '' })).toThrow(/non-empty/);
  });
});

describe('moving between real brokers', () => {
  const a = useMosquitto();
  const b = useMosquitto();
  const c = useMosquitto();

  it('connects to one, and when it dies moves to another after one backoff delay, naming it', async () => {
    const dying = await startMosquitto();
    try {
      // The dying broker first in the list and picked first (random 0): the others are the way out.
      let wills = 0;
      const events: TransportEvent[] = [];
      const t = make(
        {
          url: [dying.url, a().url, b().url].join(','),
          backoff,
          will: () => ({ topic: 'nara/plaza/chau', payload: new Uint8Array([++wills]) }),
        },
        { random: () => 0 },
      );
      t.on((e) => events.push(e));
      await t.connect();
      expect(t.url).toBe(dying.url);
      expect(events).toEqual([{ type: 'connected', broker: dying.url }]);
      await dying.kill();
      await expect.poll(() => events.filter((e) => e.type === 'connected').length).toBe(2);
      expect(events.map((e) => e.type)).toEqual(['connected', 'disconnected', 'reconnecting', 'connected']);
      expect(events.at(-1)).toEqual({ type: 'connected', broker: a().url });
      expect(t.url).toBe(a().url);
      // One attempt, one backoff delay: the dead broker was not tried again.
      expect(events[2]).toMatchObject({ type: 'reconnecting', attempt: 1 });
      // A new connection: the will was made again for it, and registered on the new broker.
      expect(wills).toBe(2);
      const watcher = make({ url: a().url });
      await watcher.connect();
      const chaus: number[] = [];
      await watcher.subscribe('nara/plaza/chau', (m) => chaus.push(m.payload[0] ?? -1));
      t.simulateCrash();
      await expect.poll(() => chaus).toEqual([2]);
    } finally {
      await dying.stop();
    }
  });

  it('tries every other broker at once before the one that failed, and connects to the first that answers', async () => {
    const [dead1, dead2] = await Promise.all([startMosquitto(), startMosquitto()]);
    await Promise.all([dead1.stop(), dead2.stop()]);
    const events: TransportEvent[] = [];
    const t = make({ url: [dead1.url, dead2.url, c().url].join(','), backoff }, { random: () => 0 });
    t.on((e) => events.push(e));
    await t.connect();
    // Random 0 picks the first untried each time: dead1, dead2, then c at once (no backoff delay within a
    // round), never a dead one twice.
    expect(events.map((e) => e.type)).toEqual(['error', 'error', 'connected']);
    expect(events.at(-1)).toEqual({ type: 'connected', broker: c().url });
  });

  it('spreads the clients of a dead broker over the others (seeded randomness, 12 clients)', async () => {
    const dying = await startMosquitto();
    try {
      const survivors = [a().url, b().url, c().url];
      const clients = Array.from({ length: 12 }, (_, i) =>
        make({ url: [dying.url, ...survivors].join(','), backoff }, { random: seededRandom(i + 1) }),
      );
      const brokerOf = new Map<MqttTransport, string | undefined>();
      for (const t of clients)
        t.on((e) => {
          if (e.type === 'connected' || e.type === 'disconnected')
            brokerOf.set(t, e.type === 'connected' ? e.broker : undefined);
        });
      await Promise.all(clients.map((t) => t.connect()));
      const onDying = clients.filter((t) => t.url === dying.url);
      expect(onDying.length).toBeGreaterThan(2);
      await dying.kill();
      await expect.poll(() => onDying.every((t) => survivors.includes(brokerOf.get(t) ?? ''))).toBe(true);
      const counts = survivors.map((url) => onDying.filter((t) => t.url === url).length);
      expect(counts.filter((n) => n > 0).length).toBeGreaterThan(1);
    } finally {
      await dying.stop();
    }
  });
});

describe('a round of brokers that all fail', () => {
  it('waits one backoff delay before the next round, which starts anywhere but the last one tried', async () => {
    const [dead1, dead2] = await Promise.all([startMosquitto(), startMosquitto()]);
    await Promise.all([dead1.stop(), dead2.stop()]);
    const events: TransportEvent[] = [];
    const t = make({ url: [dead1.url, dead2.url].join(','), backoff: { minMs: 60_000, maxMs: 60_000 } });
    t.on((e) => events.push(e));
    void t.connect().catch(() => {});
    await expect.poll(() => events.map((e) => e.type)).toEqual(['error', 'error', 'reconnecting']);
    expect(events[2]).toMatchObject({ type: 'reconnecting', attempt: 1, delayMs: 60_000 });
  });
});

describe('a broker that hangs up right after a publish', () => {
  it('is reported with the topic of that publish, not just "connection closed"', async () => {
    // aedes closes the connection of a client whose publish it does not authorize (here: over its cap).
    const broker = await startAedes({ maxPayloadBytes: 16 });
    try {
      const warnings: { message: string; fields?: Record<string, unknown> }[] = [];
      const logger: Logger = {
        debug() {},
        info() {},
        error() {},
        warn: (message, fields) => warnings.push({ message, ...(fields ? { fields } : {}) }),
      };
      const events: TransportEvent[] = [];
      const t = make({ url: broker.url, backoff: { minMs: 5_000, maxMs: 5_000 } }, { logger });
      t.on((e) => events.push(e));
      await t.connect();
      await t.publish('nara/plaza/newspaper/bravo', new Uint8Array(64));
      await expect.poll(() => events.find((e) => e.type === 'disconnected')).toBeDefined();
      const lost = events.find((e) => e.type === 'disconnected');
      expect(lost?.type === 'disconnected' ? lost.error?.message : '').toMatch(
        /closed the connection right after a publish to "nara\/plaza\/newspaper\/bravo"/,
      );
      expect(JSON.stringify(warnings)).toContain('nara/plaza/newspaper/bravo');
    } finally {
      await broker.stop();
    }
  });
});
