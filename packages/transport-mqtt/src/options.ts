import { type BackoffOptions, resolveBackoff, type WillProvider } from '@nara/transport';

/** TLS settings. Verification is always on unless `insecureSkipVerify` says otherwise. */
export interface MqttTlsOptions {
  /** CA certificate(s), PEM, to trust instead of the system store (a private plaza's own CA). */
  readonly ca?: string | Uint8Array | ReadonlyArray<string | Uint8Array>;
  /** Client certificate (PEM) for brokers that require one, with its `key`. */
  readonly cert?: string | Uint8Array;
  readonly key?: string | Uint8Array;
  /** The name to verify the certificate against when it differs from the host dialled. */
  readonly servername?: string;
  /**
   * Do not verify the broker's certificate. Anyone on the path can then impersonate the broker; logged as
   * a warning at creation. For test rigs only.
   */
  readonly insecureSkipVerify?: boolean;
}

export interface MqttTransportOptions {
  /** `mqtt://`, `mqtts://`, `ws://` or `wss://` URL of the broker. Either this or `host`. */
  readonly url?: string;
  /** The broker's host (the seed's `MQTT_HOST`), used when `url` is not given. */
  readonly host?: string;
  /** The broker's port (the seed's `MQTT_PORT`); default 1883, or 8883 with `tls`. */
  readonly port?: number;
  /** TLS settings; with `host`, their presence means `mqtts://`. `true` means TLS with the defaults. */
  readonly tls?: MqttTlsOptions | boolean;
  /** Credentials for a private plaza. The password never appears in logs or errors. */
  readonly username?: string;
  readonly password?: string;
  /** The MQTT client identifier; default `nara-` and 12 random hex digits, kept across reconnects. */
  readonly clientId?: string;
  /** Called before every connection attempt; its message becomes that connection's MQTT will. */
  readonly will?: WillProvider | undefined;
  /** Reconnect window; default 5 to 35 s (the seed spec). */
  readonly backoff?: BackoffOptions | undefined;
  /** Largest payload accepted by `publish` (and delivered to handlers). Default 256 KiB. */
  readonly maxPayloadBytes?: number;
  /** MQTT keepalive in seconds. Default 30. */
  readonly keepaliveSeconds?: number;
  /** How long one connection attempt may take until CONNACK. Default 10,000 ms. */
  readonly connectTimeoutMs?: number;
  /** MQTT protocol version: 4 (3.1.1, default: what every broker speaks) or 5. */
  readonly protocolVersion?: 4 | 5;
}

export const DEFAULT_MQTT_MAX_PAYLOAD_BYTES = 256 * 1024;
/** MQTT's own ceiling on a packet's remaining length. */
const MQTT_MAX_PACKET = 268_435_455;

export interface ResolvedMqttOptions {
  readonly url: string;
  readonly tls: MqttTlsOptions | undefined;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly clientId: string | undefined;
  readonly will: WillProvider | undefined;
  readonly backoff: { minMs: number; maxMs: number };
  readonly maxPayloadBytes: number;
  readonly keepaliveSeconds: number;
  readonly connectTimeoutMs: number;
  readonly protocolVersion: 4 | 5;
}

const SCHEMES = new Set(['mqtt:', 'mqtts:', 'ws:', 'wss:']);
const SECURE = new Set(['mqtts:', 'wss:']);

/** Checks options and fills in defaults; a bad option is a `TypeError` naming it. */
export function resolveMqttOptions(options: MqttTransportOptions): ResolvedMqttOptions {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  const tls = options.tls === true ? {} : options.tls === false ? undefined : options.tls;
  let url: string;
  if (options.url !== undefined) {
    if (options.host !== undefined || options.port !== undefined)
      throw new TypeError('give either options.url or options.host/port, not both');
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new TypeError(`options.url is not a URL: ${JSON.stringify(redactUrl(options.url))}`);
    }
    if (!SCHEMES.has(parsed.protocol))
      throw new TypeError(
        `options.url must start with mqtt://, mqtts://, ws:// or wss://, got ${parsed.protocol}//`,
      );
    if (parsed.username !== '' || parsed.password !== '')
      throw new TypeError(
        'options.url must not carry credentials: use options.username and options.password',
      );
    if (tls !== undefined && !SECURE.has(parsed.protocol))
      throw new TypeError(`options.tls needs an mqtts:// or wss:// URL, got ${parsed.protocol}//`);
    url = parsed.toString();
  } else {
    if (typeof options.host !== 'string' || options.host.length === 0)
      throw new TypeError('options.host (MQTT_HOST) or options.url is required');
    const port = options.port ?? (tls !== undefined ? 8883 : 1883);
    if (!Number.isInteger(port) || port < 1 || port > 65_535)
      throw new TypeError(`options.port (MQTT_PORT) must be an integer from 1 to 65535, got ${String(port)}`);
    const host =
      options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host;
    url = `${tls !== undefined ? 'mqtts' : 'mqtt'}://${host}:${port}`;
  }
  const maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MQTT_MAX_PAYLOAD_BYTES;
  if (!Number.isInteger(maxPayloadBytes) || maxPayloadBytes < 0 || maxPayloadBytes > MQTT_MAX_PACKET - 65_537)
    throw new TypeError(
      'options.maxPayloadBytes must be a non-negative integer within the MQTT packet limit',
    );
  const keepaliveSeconds = options.keepaliveSeconds ?? 30;
  if (!Number.isInteger(keepaliveSeconds) || keepaliveSeconds < 0 || keepaliveSeconds > 65_535)
    throw new TypeError('options.keepaliveSeconds must be an integer from 0 to 65535');
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  if (!Number.isFinite(connectTimeoutMs) || connectTimeoutMs <= 0)
    throw new TypeError('options.connectTimeoutMs must be a positive number');
  if (options.username !== undefined && typeof options.username !== 'string')
    throw new TypeError('options.username must be a string');
  if (options.password !== undefined && typeof options.password !== 'string')
    throw new TypeError('options.password must be a string');
  if (options.password !== undefined && options.username === undefined)
    throw new TypeError('options.password needs options.username');
  if (options.will !== undefined && typeof options.will !== 'function')
    throw new TypeError('options.will must be a function returning the will message');
  const protocolVersion = options.protocolVersion ?? 4;
  if (protocolVersion !== 4 && protocolVersion !== 5)
    throw new TypeError('options.protocolVersion must be 4 or 5');
  if (
    options.clientId !== undefined &&
    (typeof options.clientId !== 'string' || options.clientId.length === 0)
  )
    throw new TypeError('options.clientId must be a non-empty string');
  return {
    url,
    tls,
    username: options.username,
    password: options.password,
    clientId: options.clientId,
    will: options.will,
    backoff: resolveBackoff(options.backoff),
    maxPayloadBytes,
    keepaliveSeconds,
    connectTimeoutMs,
    protocolVersion,
  };
}

/** A URL for logs: no user info, whatever was passed. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//');
}
