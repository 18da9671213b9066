import { inspect } from 'node:util';
import { createMqttTransport, mqttOptionsFromEnv } from '@nara/transport-mqtt';
import { describe, expect, it } from 'vitest';

describe('broker address', () => {
  it('builds the URL from MQTT_HOST and MQTT_PORT, with mqtts:// when TLS is asked for', () => {
    expect(
      createMqttTransport({ ...mqttOptionsFromEnv({ MQTT_HOST: 'plaza.local', MQTT_PORT: '1884' }) }).url,
    ).toBe('mqtt://plaza.local:1884');
    expect(
      createMqttTransport({ ...mqttOptionsFromEnv({ MQTT_HOST: 'plaza.local', MQTT_TLS: '1' }) }).url,
    ).toBe('mqtts://plaza.local:8883');
    expect(createMqttTransport({ host: '::1', port: 2000 }).url).toBe('mqtt://[::1]:2000');
  });

  it('accepts mqtt, mqtts, ws and wss URLs, also as MQTT_HOST, and refuses others', () => {
    for (const url of ['mqtt://a:1', 'mqtts://a:2', 'ws://a:3/mqtt', 'wss://a:4/mqtt'])
      expect(createMqttTransport({ url }).url).toBe(url);
    expect(mqttOptionsFromEnv({ MQTT_HOST: 'wss://plaza.example/mqtt' })).toEqual({
      url: 'wss://plaza.example:443/mqtt',
      tls: {},
    });
    expect(() => createMqttTransport({ url: 'http://a:1' })).toThrow(TypeError);
    expect(() => createMqttTransport({ url: 'mqtt://a:1', tls: true })).toThrow(/tls needs an mqtts/);
  });

  it('names the bad option in a TypeError', () => {
    expect(() => createMqttTransport({})).toThrow(/MQTT_HOST/);
    expect(() => mqttOptionsFromEnv({ MQTT_HOST: 'a', MQTT_PORT: '70000' })).toThrow(/MQTT_PORT/);
    expect(() => mqttOptionsFromEnv({ MQTT_HOST: 'a', MQTT_PORT: '18x' })).toThrow(/MQTT_PORT/);
    expect(() => createMqttTransport({ host: 'a', port: 0 })).toThrow(/port/);
    expect(() => createMqttTransport({ host: 'a', password: 'p' })).toThrow(/username/);
    expect(() => createMqttTransport({ host: 'a', backoff: { minMs: 10, maxMs: 1 } })).toThrow(/maxMs/);
  });
});

describe('secrets', () => {
  it('keeps the password out of the URL, JSON and inspect output', () => {
    const t = createMqttTransport({
      ...mqttOptionsFromEnv({ MQTT_HOST: 'h', MQTT_USERNAME: 'nara', MQTT_PASSWORD: 'hunter2-secret' }),
    });
    expect(t.url).not.toContain('hunter2');
    expect(JSON.stringify(t)).not.toContain('hunter2');
    expect(inspect(t, { depth: 10, showHidden: true })).not.toContain('hunter2');
  });

  it('refuses credentials inside a URL, and does not echo them in the error', () => {
    expect(() => createMqttTransport({ url: 'mqtt://nara:hunter2-secret@h:1' })).toThrow(
      /must not carry credentials/,
    );
    try {
      createMqttTransport({ url: 'mqtt://nara:hunter2-secret@h:1' });
    } catch (error) {
      expect(String(error)).not.toContain('hunter2');
    }
  });
});

describe("a Go nara's environment", () => {
  it('works unchanged: MQTT_HOST as tcp://, ssl:// or tls:// with a port, MQTT_USER and MQTT_PASS', () => {
    const go = mqttOptionsFromEnv({
      MQTT_HOST: 'tls://plaza.example:8883',
      MQTT_USER: 'jojo',
      MQTT_PASS: 'go-secret',
    });
    expect(go).toMatchObject({
      url: 'mqtts://plaza.example:8883',
      username: 'jojo',
      password: 'go-secret',
      tls: {},
    });
    // TLS still verifies certificates: Go skips verification, we do not.
    expect(go?.tls).not.toHaveProperty('insecureSkipVerify');
    expect(mqttOptionsFromEnv({ MQTT_HOST: 'ssl://plaza.example:8884' })?.url).toBe(
      'mqtts://plaza.example:8884',
    );
    expect(mqttOptionsFromEnv({ MQTT_HOST: 'tcp://127.0.0.1:1884' })?.url).toBe('mqtt://127.0.0.1:1884');
  });

  it('lets MQTT_USERNAME and MQTT_PASSWORD win over the Go names when both are set', () => {
    const both = mqttOptionsFromEnv({
      MQTT_HOST: 'h',
      MQTT_USER: 'go',
      MQTT_PASS: 'go-pass',
      MQTT_USERNAME: 'ts',
      MQTT_PASSWORD: 'ts-pass',
    });
    expect(both).toMatchObject({ username: 'ts', password: 'ts-pass' });
    expect(() => mqttOptionsFromEnv({ MQTT_HOST: 'h', MQTT_PASS: 'x' })).toThrow(
      /MQTT_PASS gives a password/,
    );
  });
});
