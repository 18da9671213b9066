import type { Logger } from '@nara/interface';
import { createCa, startMosquitto, useMosquitto } from '@nara/tooling/brokers';
import { isTransportError, type TransportEvent } from '@nara/transport';
import { createMqttTransport, type MqttTransport } from '@nara/transport-mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from './fake-clock.js';

const open: MqttTransport[] = [];
const track = (t: MqttTransport): MqttTransport => {
  open.push(t);
  return t;
};
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

async function failure(transport: MqttTransport): Promise<{ reason: string; message: string }> {
  const error = await transport.connect().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isTransportError(error)) throw new Error(`expected a TransportError, got ${String(error)}`);
  return { reason: error.reason, message: error.message };
}

describe('credentials', () => {
  const broker = useMosquitto({ password: true });

  it('connects with the right username and password', async () => {
    const t = track(createMqttTransport({ url: broker().url, ...broker().credentials }));
    await t.connect();
  });

  it('fails a wrong password with a clear error naming the cause, without the password in it', async () => {
    const username = broker().credentials?.username ?? '';
    const t = track(createMqttTransport({ url: broker().url, username, password: 'not-the-password-x9' }));
    const { reason, message } = await failure(t);
    expect(reason).toBe('not-authorized');
    expect(message).toMatch(/^not authorized \(wrong username or password\)/);
    expect(message).not.toContain('not-the-password-x9');
  });

  it('fails a missing password on a private plaza the same way', async () => {
    const t = track(createMqttTransport({ url: broker().url }));
    expect((await failure(t)).reason).toBe('not-authorized');
  });
});

describe('TLS', () => {
  const broker = useMosquitto({ tls: true });

  it('connects when the broker certificate verifies against the given CA', async () => {
    const t = track(createMqttTransport({ url: broker().url, tls: { ca: broker().tls?.ca } }));
    await t.connect();
  });

  it('fails a wrong CA with a clear error naming the cause', async () => {
    const wrong = await createCa(`${broker().tls?.pki.dir}-wrong`, 'some other CA');
    const t = track(createMqttTransport({ url: broker().url, tls: { ca: wrong.ca } }));
    const { reason, message } = await failure(t);
    expect(reason).toBe('tls-untrusted');
    expect(message).toMatch(/^TLS: certificate not trusted \(wrong CA\?\)/);
  });

  it('verifies by default: without a CA the test certificate is not trusted', async () => {
    const t = track(createMqttTransport({ url: broker().url }));
    expect((await failure(t)).reason).toBe('tls-untrusted');
  });

  it('skips verification only when told to, and says so loudly through the logger', async () => {
    const warnings: string[] = [];
    const logger: Logger = {
      debug() {},
      info() {},
      warn: (message) => warnings.push(message),
      error() {},
    };
    const t = track(
      createMqttTransport({ url: broker().url, tls: { insecureSkipVerify: true } }, { logger }),
    );
    await t.connect();
    expect(warnings.join('\n')).toMatch(/verification is OFF/);
  });
});

describe('TLS certificates that must fail', () => {
  it('fails a certificate without the dialled IP in its names with a host name error', async () => {
    const broker = await startMosquitto({ tls: { certificate: 'no-ip-san' } });
    try {
      const t = track(createMqttTransport({ url: broker.url, tls: { ca: broker.tls?.ca } }));
      const { reason, message } = await failure(t);
      expect(reason).toBe('tls-hostname-mismatch');
      expect(message).toMatch(/^TLS: host name does not match the certificate/);
      // The same certificate is fine when dialled by the name it carries.
      const byName = track(
        createMqttTransport({
          url: broker.url.replace('127.0.0.1', 'localhost'),
          tls: { ca: broker.tls?.ca },
        }),
      );
      await byName.connect();
    } finally {
      await broker.stop();
    }
  });

  it('fails an expired certificate with an error saying so', async () => {
    const broker = await startMosquitto({ tls: { certificate: 'expired' } });
    try {
      const t = track(createMqttTransport({ url: broker.url, tls: { ca: broker.tls?.ca } }));
      const { reason, message } = await failure(t);
      expect(reason).toBe('tls-expired');
      expect(message).toMatch(/^TLS: certificate expired/);
    } finally {
      await broker.stop();
    }
  });

  it('presents a client certificate to a broker that requires one', async () => {
    const broker = await startMosquitto({ tls: { clientCertificates: true } });
    try {
      const client = broker.tls?.client;
      const t = track(
        createMqttTransport({
          url: broker.url,
          tls: { ca: broker.tls?.ca, cert: client?.cert, key: client?.key },
        }),
      );
      await t.connect();
      const anonymous = track(createMqttTransport({ url: broker.url, tls: { ca: broker.tls?.ca } }));
      const error = await anonymous.connect({ signal: AbortSignal.timeout(3_000) }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isTransportError(error) ? error.reason : error).toBe('tls-failed');
    } finally {
      await broker.stop();
    }
  });
});

describe('a broker that is down at start', () => {
  it('is retried on the backoff schedule (fake time), not fatal, and connected to once it is up', async () => {
    const broker = await startMosquitto();
    try {
      await broker.kill();
      const clock = new FakeClock();
      const t = track(createMqttTransport({ url: broker.url }, { clock, random: () => 0.5 }));
      const events: TransportEvent[] = [];
      t.on((e) => events.push(e));
      const connected = t.connect();
      const reconnecting = (): TransportEvent[] => events.filter((e) => e.type === 'reconnecting');
      await expect.poll(() => reconnecting().length).toBe(1);
      expect(reconnecting()[0]).toMatchObject({ type: 'reconnecting', attempt: 1, delayMs: 20_000 });
      // With why: the refused attempt.
      expect(reconnecting()[0]).toMatchObject({ cause: { reason: 'unreachable' } });
      expect(events[0]).toMatchObject({ type: 'error', error: { reason: 'unreachable' } });
      clock.advance(20_000);
      await expect.poll(() => reconnecting().length).toBe(2);
      expect(reconnecting()[1]).toMatchObject({
        type: 'reconnecting',
        attempt: 2,
        delayMs: 22_500,
        cause: { reason: 'unreachable' },
      });
      await broker.restart();
      clock.advance(22_500);
      await connected;
      expect(events.at(-1)).toEqual({ type: 'connected', broker: broker.url });
    } finally {
      await broker.stop();
    }
  });

  it('rejects connect when aborted while retrying', async () => {
    const broker = await startMosquitto();
    await broker.stop();
    const clock = new FakeClock();
    const t = track(createMqttTransport({ url: broker.url }, { clock }));
    const controller = new AbortController();
    const connecting = t.connect({ signal: controller.signal });
    await expect.poll(() => clock.pending().length).toBe(1);
    controller.abort(new Error('gave up'));
    await expect(connecting).rejects.toThrow('gave up');
    expect(clock.pending()).toEqual([]);
  });
});
