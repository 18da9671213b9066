import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  parseHttpAddress,
  resolveBroker,
  resolveDemoConfig,
  resolveJoinConfig,
  resolveWatchConfig,
} from '../src/config.js';
import { ConfigError } from '../src/errors.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function caFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nara-config-'));
  const path = join(dir, 'ca.pem');
  writeFileSync(path, PEM);
  return path;
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const e = error as ConfigError;
    // One line, for a person: never a multi-line dump.
    expect(e.message).not.toContain('\n');
    return e;
  }
  throw new Error('expected a ConfigError');
}

describe('broker configuration', () => {
  it('starts the embedded broker on 1883 by default when no broker is configured', () => {
    expect(resolveBroker({}, {})).toEqual({ kind: 'embedded', preferredPort: 1883 });
  });

  it('lets NARA_BROKER_PORT or --broker-port choose the embedded port the broker tries first', () => {
    expect(resolveBroker({}, { NARA_BROKER_PORT: '0' })).toEqual({ kind: 'embedded', preferredPort: 0 });
    expect(resolveBroker({ 'broker-port': '18830' }, { NARA_BROKER_PORT: '0' })).toEqual({
      kind: 'embedded',
      preferredPort: 18830,
    });
  });

  it('reads MQTT_HOST and MQTT_PORT, the seed names', () => {
    const b = resolveBroker({}, { MQTT_HOST: 'plaza.example', MQTT_PORT: '1884' });
    expect(b).toMatchObject({ kind: 'remote', url: 'mqtt://plaza.example:1884', tls: false, port: 1884 });
  });

  it('defaults the port to 8883 with MQTT_TLS and trusts a CA from MQTT_CA', () => {
    const ca = caFile();
    const b = resolveBroker({}, { MQTT_HOST: '127.0.0.1', MQTT_TLS: 'true', MQTT_CA: ca });
    expect(b).toMatchObject({ kind: 'remote', url: 'mqtts://127.0.0.1:8883', tls: true, insecure: false });
    expect(b.kind === 'remote' && b.ca?.pem.toString()).toBe(PEM);
  });

  it('accepts a whole URL in MQTT_HOST, as the Go nara does', () => {
    expect(resolveBroker({}, { MQTT_HOST: 'tls://plaza.example:8884' })).toMatchObject({
      url: 'mqtts://plaza.example:8884',
      tls: true,
    });
  });

  it('takes credentials from MQTT_USERNAME and MQTT_PASSWORD and keeps the password out of every printout', () => {
    const b = resolveBroker(
      {},
      { MQTT_URL: 'mqtt://[::1]:1999', MQTT_USERNAME: 'ana', MQTT_PASSWORD: 'hunter2-xyz' },
    );
    expect(b).toMatchObject({ url: 'mqtt://[::1]:1999', host: '::1', username: 'ana' });
    if (b.kind !== 'remote') throw new Error('remote expected');
    expect(b.password?.reveal()).toBe('hunter2-xyz');
    const printed = [
      JSON.stringify(b),
      inspect(b, { depth: 5, showHidden: true }),
      String(b.password),
      `${b.password}`,
    ];
    for (const text of printed) expect(text).not.toContain('hunter2-xyz');
  });

  it('moves credentials out of a URL so that the URL it keeps and logs carries none', () => {
    const b = resolveBroker({}, { MQTT_URL: 'mqtts://bob:s3cret-pw@plaza.example' });
    expect(b).toMatchObject({ url: 'mqtts://plaza.example:8883', username: 'bob' });
    expect(JSON.stringify(b)).not.toContain('s3cret-pw');
  });

  it('takes several brokers, comma-separated, and MQTT_CLIENT_ID, for the transport to move between', () => {
    const b = resolveBroker({}, { MQTT_URL: 'mqtt://a:1884, mqtt://b:1885', MQTT_CLIENT_ID: 'bravo1' });
    expect(b).toMatchObject({
      url: 'mqtt://a:1884,mqtt://b:1885',
      host: 'a',
      port: 1884,
      clientId: 'bravo1',
    });
    expect(resolveBroker({ url: 'mqtt://c:1,mqtt://d:2' }, {})).toMatchObject({
      url: 'mqtt://c:1,mqtt://d:2',
    });
  });

  it('says in one line which setting is wrong', () => {
    expect(errorOf(() => resolveBroker({}, { MQTT_HOST: 'h', MQTT_PORT: '99999' })).message).toBe(
      'MQTT_PORT must be a port number between 1 and 65535, not "99999"',
    );
    expect(errorOf(() => resolveBroker({ port: 'abc' }, { MQTT_HOST: 'h' })).message).toMatch(
      /^--port must be a port/,
    );
    expect(errorOf(() => resolveBroker({}, { MQTT_HOST: 'h', MQTT_TLS: 'maybe' })).message).toMatch(
      /^MQTT_TLS must be 1\/true or 0\/false/,
    );
    expect(errorOf(() => resolveBroker({}, { MQTT_URL: 'http://x' })).message).toMatch(/must use mqtt:\/\//);
    expect(
      errorOf(() => resolveBroker({}, { MQTT_URL: 'mqtt://x', MQTT_TLS: '0', MQTT_CA: caFile() })).message,
    ).toMatch(/MQTT_CA is set but MQTT_TLS turns TLS off/);
  });

  it('names a missing CA file and why it cannot be read', () => {
    const e = errorOf(() =>
      resolveBroker({}, { MQTT_HOST: 'h', MQTT_TLS: '1', MQTT_CA: '/nonexistent/ca.pem' }),
    );
    expect(e.message).toBe('MQTT_CA: cannot read the CA file /nonexistent/ca.pem (no such file)');
  });

  it('refuses a CA file that is not PEM', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nara-config-'));
    writeFileSync(join(dir, 'x'), 'hello');
    expect(errorOf(() => resolveBroker({}, { MQTT_HOST: 'h', MQTT_CA: join(dir, 'x') })).message).toMatch(
      /is not a PEM certificate/,
    );
  });

  it('does not echo a URL that fails to parse, since it may carry a password', () => {
    const e = errorOf(() => resolveBroker({}, { MQTT_URL: 'mqtt://user:pa ss@@' }));
    expect(e.message).not.toContain('pa ss');
  });

  it('refuses a password without a user name', () => {
    expect(errorOf(() => resolveBroker({}, { MQTT_HOST: 'h', MQTT_PASSWORD: 'pw-12345' })).message).toBe(
      'MQTT_PASSWORD gives a password but no MQTT_USERNAME',
    );
  });

  it('lets flags win over the environment', () => {
    expect(
      resolveBroker({ host: 'a.example', port: '2000' }, { MQTT_HOST: 'b.example', MQTT_PORT: '3000' }),
    ).toMatchObject({ url: 'mqtt://a.example:2000' });
  });
});

describe('the other settings', () => {
  it('parses NARA_HTTP as host:port, [v6]:port, or a bare port on loopback', () => {
    expect(parseHttpAddress('0.0.0.0:9090', 'NARA_HTTP')).toEqual({ host: '0.0.0.0', port: 9090 });
    expect(parseHttpAddress('[::1]:0', 'NARA_HTTP')).toEqual({ host: '::1', port: 0 });
    expect(parseHttpAddress('9091', 'NARA_HTTP')).toEqual({ host: '127.0.0.1', port: 9091 });
    expect(errorOf(() => parseHttpAddress('nope', 'NARA_HTTP')).message).toMatch(
      /^NARA_HTTP must be host:port/,
    );
  });

  it('validates NARA_NAME with the topic rules and keeps NARA_SOUL secret', () => {
    const c = resolveJoinConfig({}, { NARA_NAME: 'ana', NARA_SOUL: 'soul-text-here' });
    expect(c.name).toBe('ana');
    expect(c.soul?.reveal()).toBe('soul-text-here');
    expect(JSON.stringify(c)).not.toContain('soul-text-here');
    expect(inspect(c, { depth: 9 })).not.toContain('soul-text-here');
    expect(errorOf(() => resolveJoinConfig({}, { NARA_NAME: 'a/b' })).message).toMatch(
      /^NARA_NAME is not a valid nara name \(topic-separator: .*a name is 1 to 64 bytes/,
    );
  });

  it('reads keepalive, connect timeout, log level and format', () => {
    const c = resolveWatchConfig(
      { json: true, 'log-level': 'debug' },
      { MQTT_KEEPALIVE: '5', NARA_CONNECT_TIMEOUT: '2', NARA_LOG_FORMAT: 'json' },
    );
    expect(c).toMatchObject({
      json: true,
      keepaliveSec: 5,
      connectTimeoutMs: 2000,
      logLevel: 'debug',
      logFormat: 'json',
    });
    expect(errorOf(() => resolveWatchConfig({ 'log-level': 'loud' }, {})).message).toMatch(
      /--log-level must be one of/,
    );
    expect(errorOf(() => resolveWatchConfig({}, { MQTT_KEEPALIVE: '0' })).message).toMatch(
      /^MQTT_KEEPALIVE must be/,
    );
  });

  it('configures the demo: 5 naras by default, 4 to 30, and a faster story with --fast', () => {
    expect(resolveDemoConfig({}, {})).toMatchObject({ naras: 5, storySpeed: 1, plain: false });
    expect(resolveDemoConfig({ fast: true, naras: '8' }, {})).toMatchObject({ naras: 8, storySpeed: 0.1 });
    expect(errorOf(() => resolveDemoConfig({ naras: '2' }, {})).message).toBe(
      '--naras must be a whole number from 4 to 30, not "2"',
    );
  });
});

describe('the wire', () => {
  it('is plaza by default, and NARA_WIRE or --wire chooses plaza, legacy or both', () => {
    expect(resolveWatchConfig({}, { MQTT_HOST: 'h' }).wire).toBe('plaza');
    expect(resolveWatchConfig({}, { MQTT_HOST: 'h', NARA_WIRE: 'both' }).wire).toBe('both');
    expect(resolveWatchConfig({ wire: 'legacy' }, { MQTT_HOST: 'h', NARA_WIRE: 'both' }).wire).toBe('legacy');
    expect(() => resolveWatchConfig({}, { MQTT_HOST: 'h', NARA_WIRE: 'cbor' })).toThrow(
      /NARA_WIRE must be plaza, legacy or both, not "cbor"/,
    );
  });
});
