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
  /**
   * `mqtt://`, `mqtts://`, `ws://` or `wss://` URL of the broker, or several brokers of one plaza (a
   * cluster, or bridged brokers): an array, or one string with the URLs separated by commas. The transport
   * uses one at a time; see {@link createMqttTransport} for how it moves between them. Either this or `host`.
   */
  readonly url?: string | readonly string[];
  /**
   * The broker's host (the seed's `MQTT_HOST`), used when `url` is not given. Several hosts separated by
   * commas are several brokers; each may carry its own port (`a:1884,b:1885`, `[::1]:1884`).
   */
  readonly host?: string;
  /** The broker's port (the seed's `MQTT_PORT`) for hosts that name none; default 1883, or 8883 with `tls`. */
  readonly port?: number;
  /** TLS settings; with `host`, their presence means `mqtts://`. `true` means TLS with the defaults. */
  readonly tls?: MqttTlsOptions | boolean;
  /** Credentials for a private plaza. The password never appears in logs or errors. */
  readonly username?: string;
  readonly password?: string;
  /**
   * The MQTT client identifier, kept across reconnects. Default `nara` and 16 random hex digits: 20
   * characters of `[0-9a-zA-Z]`, which MQTT 3.1.1 requires every broker to accept (§3.1.3.1). Another id
   * works where the broker allows it; one outside that alphabet or over 23 characters is logged as a warning.
   */
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
  /** One or more broker URLs, without credentials, none twice. */
  readonly urls: readonly string[];
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
  let urls: string[];
  if (options.url !== undefined) {
    if (options.host !== undefined || options.port !== undefined)
      throw new TypeError('give either options.url or options.host/port, not both');
    const list = typeof options.url === 'string' ? splitList(options.url) : options.url;
    if (!Array.isArray(list) || list.some((u) => typeof u !== 'string'))
      throw new TypeError('options.url must be a string or an array of strings');
    urls = list.map((u) => checkedUrl(u.trim(), tls));
  } else {
    if (typeof options.host !== 'string' || options.host.trim().length === 0)
      throw new TypeError('options.host (MQTT_HOST) or options.url is required');
    const port = options.port ?? (tls !== undefined ? 8883 : 1883);
    if (!Number.isInteger(port) || port < 1 || port > 65_535)
      throw new TypeError(`options.port (MQTT_PORT) must be an integer from 1 to 65535, got ${String(port)}`);
    urls = splitList(options.host).map((item) => hostUrl(item, port, tls !== undefined));
  }
  if (urls.length === 0) throw new TypeError('options.url names no broker');
  const twice = urls.find((u, i) => urls.indexOf(u) !== i);
  if (twice !== undefined) throw new TypeError(`the broker list names ${twice} twice`);
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
  if (options.clientId !== undefined) checkClientId(options.clientId);
  return {
    urls,
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

/** MQTT 3.1.1 §3.1.3.1: ids every broker must accept. */
const PORTABLE_CLIENT_ID = /^[0-9a-zA-Z]{1,23}$/;

/** `true` when every MQTT 3.1.1 broker must accept `clientId`: 1 to 23 characters of `[0-9a-zA-Z]`. */
export function isPortableClientId(clientId: string): boolean {
  return PORTABLE_CLIENT_ID.test(clientId);
}

function checkClientId(clientId: unknown): void {
  if (typeof clientId !== 'string' || clientId.length === 0)
    throw new TypeError('options.clientId (MQTT_CLIENT_ID) must be a non-empty string');
  // The MQTT string limit, and characters no broker takes (the protocol forbids U+0000 and controls).
  if (Buffer.byteLength(clientId, 'utf8') > 65_535 || /\p{Cc}/u.test(clientId))
    throw new TypeError(
      'options.clientId (MQTT_CLIENT_ID) must be at most 65535 bytes of UTF-8 without control characters',
    );
}

function checkedUrl(text: string, tls: MqttTlsOptions | undefined): string {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new TypeError(`options.url is not a URL: ${JSON.stringify(redactUrl(text))}`);
  }
  if (!SCHEMES.has(parsed.protocol))
    throw new TypeError(
      `options.url must start with mqtt://, mqtts://, ws:// or wss://, got ${parsed.protocol}//`,
    );
  if (parsed.username !== '' || parsed.password !== '')
    throw new TypeError('options.url must not carry credentials: use options.username and options.password');
  if (tls !== undefined && !SECURE.has(parsed.protocol))
    throw new TypeError(`options.tls needs an mqtts:// or wss:// URL, got ${parsed.protocol}//`);
  if (parsed.hostname === '') throw new TypeError(`options.url has no host: ${JSON.stringify(text)}`);
  return parsed.toString();
}

/** One item of a host list: `name`, `name:port`, `[v6]:port`, `[v6]` or a bare IPv6 address. */
function hostUrl(item: string, defaultPort: number, secure: boolean): string {
  const scheme = secure ? 'mqtts' : 'mqtt';
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(item);
  const named = /^([^:[\]\s/]+)(?::(\d+))?$/.exec(item);
  let host: string;
  let portText: string | undefined;
  if (bracketed?.[1] !== undefined) [host, portText] = [`[${bracketed[1]}]`, bracketed[2]];
  else if (named?.[1] !== undefined) [host, portText] = [named[1], named[2]];
  else if (/^[0-9a-fA-F:.]+$/.test(item) && item.includes('::')) host = `[${item}]`;
  else if (/^[0-9a-fA-F:]+$/.test(item) && item.split(':').length === 8) host = `[${item}]`;
  else
    throw new TypeError(
      `options.host (MQTT_HOST) must be host names or addresses, got ${JSON.stringify(item)}`,
    );
  const port = portText === undefined ? defaultPort : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new TypeError(
      `the port in options.host (MQTT_HOST) must be from 1 to 65535, got ${JSON.stringify(item)}`,
    );
  return `${scheme}://${host}:${port}`;
}

/** A comma-separated list, blanks around items ignored. */
function splitList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** A URL for logs: no user info, whatever was passed. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//');
}
