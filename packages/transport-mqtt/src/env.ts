import type { MqttTlsOptions } from './options.js';

/** The environment as read (process.env, or a literal in tests). */
export type MqttEnv = Readonly<Record<string, string | undefined>>;

/**
 * Command-line flags that win over the environment, by the names the `nara` program uses: `url` or `broker`
 * (MQTT_URL), `host`, `port`, `tls`, `ca`, `username`, `password`, `tls-insecure`, `client-id`. Errors name the flag
 * (`--port must be ...`) when the value came from one.
 */
export type MqttFlags = Readonly<Record<string, string | boolean | undefined>>;

/** The broker settings read from the environment: spread them into `createMqttTransport`. */
export interface MqttEnvOptions {
  /**
   * The broker URL with its port, never with credentials: safe to log. Several brokers are several URLs
   * separated by commas, as `createMqttTransport` takes them.
   */
  readonly url: string;
  /** Present when TLS is on: the CA read from `MQTT_CA`, and `insecureSkipVerify` when asked for. */
  readonly tls?: MqttTlsOptions & { readonly ca?: Uint8Array };
  readonly username?: string;
  readonly password?: string;
  /** `MQTT_CLIENT_ID`, when set. */
  readonly clientId?: string;
}

/** A broker setting that cannot be used; the message names the variable or flag, never a secret. */
export class MqttEnvError extends TypeError {
  override readonly name = 'MqttEnvError';
}

type Setting = { readonly value?: string; readonly source: string };

function setting(flags: MqttFlags, flag: string, env: MqttEnv, name: string): Setting {
  const f = flags[flag];
  if (typeof f === 'string') return { value: f, source: `--${flag}` };
  if (f === true) return { value: 'true', source: `--${flag}` };
  const e = env[name];
  if (e !== undefined && e !== '') return { value: e, source: name };
  return { source: name };
}

/** `found`, or else the environment variable `name` when it is set. */
function alias(found: Setting, env: MqttEnv, name: string): Setting {
  const e = env[name];
  return found.value === undefined && e !== undefined && e !== '' ? { value: e, source: name } : found;
}

function parsePort(text: string, source: string): number {
  const trimmed = text.trim();
  const n = /^\d{1,5}$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isInteger(n) || n > 65535 || n < 1)
    throw new MqttEnvError(
      `${source} must be a port number between 1 and 65535, not ${JSON.stringify(text)}`,
    );
  return n;
}

function parseBool(text: string, source: string): boolean {
  const t = text.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(t)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(t)) return false;
  throw new MqttEnvError(`${source} must be 1/true or 0/false, not ${JSON.stringify(text)}`);
}

function readCa(path: string, source: string): Uint8Array {
  let pem: Buffer;
  try {
    // Node's fs found at run time, not imported: the package's one entry also bundles for browsers, which
    // have no files and never reach here (MQTT_CA is a Node setting).
    pem = process.getBuiltinModule('node:fs').readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a directory'
            : (code ?? 'unreadable');
    throw new MqttEnvError(`${source}: cannot read the CA file ${path} (${why})`);
  }
  if (!pem.toString('latin1').includes('-----BEGIN CERTIFICATE-----'))
    throw new MqttEnvError(`${source}: ${path} is not a PEM certificate (no BEGIN CERTIFICATE line)`);
  return pem;
}

type Protocol = 'mqtt' | 'mqtts' | 'ws' | 'wss';

// The Go nara's schemes too: tcp:// and tls:// (and ssl://) in MQTT_HOST.
const SCHEMES: Readonly<Record<string, Protocol>> = {
  mqtt: 'mqtt',
  tcp: 'mqtt',
  mqtts: 'mqtts',
  tls: 'mqtts',
  ssl: 'mqtts',
  ws: 'ws',
  wss: 'wss',
};
const DEFAULT_PORTS: Readonly<Record<Protocol, number>> = { mqtt: 1883, mqtts: 8883, ws: 80, wss: 443 };

/** One broker of a list, as written: a URL (`mqtt://…`, Go's `tcp://…`) or a host with an optional port. */
interface BrokerItem {
  protocol: Protocol;
  host: string;
  port: number | undefined;
  path: string;
  username: string | undefined;
  password: string | undefined;
}

function parseItem(text: string, source: string, asUrl: boolean): BrokerItem {
  if (asUrl || text.includes('://')) {
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      // Not echoed: it may carry a password.
      throw new MqttEnvError(`${source} is not a valid URL (expected e.g. mqtts://broker.example:8883)`);
    }
    const scheme = parsed.protocol.replace(/:$/, '');
    const protocol = SCHEMES[scheme];
    if (protocol === undefined)
      throw new MqttEnvError(`${source} must use mqtt://, mqtts://, ws:// or wss://, not ${scheme}://`);
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    if (host === '') throw new MqttEnvError(`${source} has no host name`);
    return {
      protocol,
      host,
      port: parsed.port === '' ? undefined : parsePort(parsed.port, `the port in ${source}`),
      path: protocol === 'ws' || protocol === 'wss' ? parsed.pathname : '',
      username: parsed.username === '' ? undefined : decodeURIComponent(parsed.username),
      password: parsed.password === '' ? undefined : decodeURIComponent(parsed.password),
    };
  }
  // `host`, `host:port`, `[v6]`, `[v6]:port`, or a bare IPv6 address (two colons or more).
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(text) ?? /^([^:[\]\s/]+)(?::(\d+))?$/.exec(text);
  const bareV6 = m === null && /^[0-9a-fA-F:.]+$/.test(text) && text.split(':').length > 2;
  if (m?.[1] === undefined && !bareV6)
    throw new MqttEnvError(`${source} must be a host name or address, not ${JSON.stringify(text)}`);
  return {
    protocol: 'mqtt',
    host: m?.[1] ?? text,
    port: m?.[2] === undefined ? undefined : parsePort(m[2], `the port in ${source}`),
    path: '',
    username: undefined,
    password: undefined,
  };
}

/**
 * Reads the broker from the environment: `MQTT_URL` (or `--url`/`--broker`), or `MQTT_HOST` (a host, or a
 * whole URL as the Go nara takes it, `tls://host:8883`) with `MQTT_PORT`; `MQTT_TLS`, `MQTT_CA` (a PEM file,
 * implies TLS), `MQTT_TLS_INSECURE`; `MQTT_USERNAME` and `MQTT_PASSWORD` (or the Go nara's
 * `MQTT_USER` and `MQTT_PASS`); `MQTT_CLIENT_ID`. `MQTT_URL` and
 * `MQTT_HOST` may name several brokers of one plaza separated by commas (a cluster, bridged brokers); the
 * settings apply to each. Credentials in a URL's user-info are moved out of the URL. Returns `undefined`
 * when no broker is named (neither `MQTT_URL` nor `MQTT_HOST`); throws an {@link MqttEnvError} of one line
 * naming the bad setting, never echoing a password.
 *
 * @example
 * ```ts
 * const settings = mqttOptionsFromEnv({ MQTT_HOST: 'plaza.example', MQTT_TLS: '1' });
 * const transport = createMqttTransport({ ...settings, will });
 * console.log(settings?.url); // mqtts://plaza.example:8883
 * mqttOptionsFromEnv({ MQTT_URL: 'mqtt://nats-1:1883,mqtt://nats-2:1883' })?.url; // both, comma-separated
 * ```
 */
export function mqttOptionsFromEnv(env: MqttEnv, flags: MqttFlags = {}): MqttEnvOptions | undefined {
  const urlIn =
    typeof flags.url === 'string'
      ? { value: flags.url, source: '--url' }
      : setting(flags, 'broker', env, 'MQTT_URL');
  const hostIn = setting(flags, 'host', env, 'MQTT_HOST');
  if (urlIn.value === undefined && hostIn.value === undefined) return undefined;
  const portIn = setting(flags, 'port', env, 'MQTT_PORT');
  const tlsIn = setting(flags, 'tls', env, 'MQTT_TLS');
  const caIn = setting(flags, 'ca', env, 'MQTT_CA');
  // MQTT_USER and MQTT_PASS are the Go nara's names: its environment works unchanged.
  const userIn = alias(setting(flags, 'username', env, 'MQTT_USERNAME'), env, 'MQTT_USER');
  const passIn = alias(setting(flags, 'password', env, 'MQTT_PASSWORD'), env, 'MQTT_PASS');
  const insecureIn = setting(flags, 'tls-insecure', env, 'MQTT_TLS_INSECURE');
  const clientIdIn = setting(flags, 'client-id', env, 'MQTT_CLIENT_ID');

  const source = urlIn.value !== undefined ? urlIn.source : hostIn.source;
  const listText = urlIn.value ?? hostIn.value ?? '';
  const texts = listText
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
  if (texts.length === 0)
    throw new MqttEnvError(`${source} must name a broker, not ${JSON.stringify(hostIn.value ?? '')}`);
  const items = texts.map((text, i) =>
    parseItem(text, texts.length > 1 ? `${source} (broker ${i + 1})` : source, urlIn.value !== undefined),
  );

  let username = userIn.value;
  let password = passIn.value;
  for (const item of items) {
    // Each item may carry the user-info, but one plaza has one set of credentials.
    if (
      item.username !== undefined &&
      username !== undefined &&
      userIn.value === undefined &&
      item.username !== username
    )
      throw new MqttEnvError(`${source} gives different user names for different brokers`);
    if (
      item.password !== undefined &&
      password !== undefined &&
      passIn.value === undefined &&
      item.password !== password
    )
      throw new MqttEnvError(`${source} gives different passwords for different brokers`);
    if (item.username !== undefined) username ??= item.username;
    if (item.password !== undefined) password ??= item.password;
  }

  const secure = (p: Protocol): boolean => p === 'mqtts' || p === 'wss';
  const tlsByScheme = items.some((item) => secure(item.protocol));
  if (tlsByScheme && items.some((item) => !secure(item.protocol)) && tlsIn.value === undefined)
    throw new MqttEnvError(`${source} mixes TLS and plain brokers: use one kind, or set MQTT_TLS=1`);
  let tls = tlsByScheme;
  if (tlsIn.value !== undefined) {
    const wanted = parseBool(tlsIn.value, tlsIn.source);
    if (!wanted && tlsByScheme)
      throw new MqttEnvError(`${tlsIn.source} turns TLS off but the broker URL asks for TLS`);
    tls = wanted;
  }
  const insecure = insecureIn.value === undefined ? false : parseBool(insecureIn.value, insecureIn.source);
  let ca: Uint8Array | undefined;
  if (caIn.value !== undefined) {
    if (tlsIn.value !== undefined && !tls)
      throw new MqttEnvError(`${caIn.source} is set but ${tlsIn.source} turns TLS off`);
    ca = readCa(caIn.value, caIn.source);
    tls = true;
  }
  if (insecure && !tls)
    throw new MqttEnvError(`${insecureIn.source} only makes sense with TLS (set MQTT_TLS=1)`);
  if (password !== undefined && username === undefined)
    throw new MqttEnvError(
      `${passIn.value !== undefined ? passIn.source : 'the URL'} gives a password but no MQTT_USERNAME`,
    );
  const urls = items.map((item) => {
    let protocol = item.protocol;
    if (tls && protocol === 'mqtt') protocol = 'mqtts';
    if (tls && protocol === 'ws') protocol = 'wss';
    // A port in the URL wins over MQTT_PORT, but not over --port.
    let port = item.port;
    if (portIn.value !== undefined && (port === undefined || portIn.source.startsWith('--')))
      port = parsePort(portIn.value, portIn.source);
    port ??= DEFAULT_PORTS[protocol];
    const shownHost = item.host.includes(':') ? `[${item.host}]` : item.host;
    return `${protocol}://${shownHost}:${port}${item.path === '/' ? '' : item.path}`;
  });
  const clientId = clientIdIn.value?.trim();
  return {
    url: urls.join(','),
    ...(tls ? { tls: { ...(ca ? { ca } : {}), ...(insecure ? { insecureSkipVerify: true } : {}) } } : {}),
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(clientId ? { clientId } : {}),
  };
}
