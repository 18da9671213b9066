import { WIRES, type Wire } from '@nara/plaza';
import { validateName } from '@nara/topics';
import { MqttEnvError, type MqttEnvOptions, mqttOptionsFromEnv } from '@nara/transport-mqtt';
import { ConfigError } from './errors.js';
import { LOG_LEVELS, type LogFormat, type LogLevel } from './logger.js';
import { NAME_RULES } from './name-rules.js';
import { type Pin, parseCommitment, readPins } from './pins.js';
import { Secret } from './secret.js';

/** The environment as the app reads it (process.env, or a literal in tests). */
export type Env = Readonly<Record<string, string | undefined>>;

/** Flags as parsed by node:util parseArgs (strings and booleans), before validation. */
export type Flags = Readonly<Record<string, string | boolean | undefined>>;

/** A broker on the network, given by `MQTT_HOST`/`MQTT_PORT`/`MQTT_URL` or their flags. */
export interface RemoteBroker {
  readonly kind: 'remote';
  /** The broker URL without credentials: safe to log; several brokers are comma-separated URLs. */
  readonly url: string;
  readonly protocol: 'mqtt' | 'mqtts' | 'ws' | 'wss';
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  /** A PEM CA to trust instead of the system's (`MQTT_CA`). */
  readonly ca?: { readonly pem: Uint8Array };
  /** Skip certificate checks: only when explicitly asked (`MQTT_TLS_INSECURE=1` or `--tls-insecure`). */
  readonly insecure: boolean;
  readonly username?: string;
  readonly password?: Secret;
  /** `MQTT_CLIENT_ID`: the transport's client id instead of the node's own. */
  readonly clientId?: string;
}

/** No broker configured: the app starts an embedded one on loopback. */
export interface EmbeddedBroker {
  readonly kind: 'embedded';
  /** Tried first; when taken, any free port. `NARA_BROKER_PORT`, default 1883. */
  readonly preferredPort: number;
}

export type BrokerTarget = RemoteBroker | EmbeddedBroker;

export interface HttpAddress {
  readonly host: string;
  readonly port: number;
}

/** What every command that talks to a plaza shares. */
export interface CommonConfig {
  readonly broker: BrokerTarget;
  readonly http?: HttpAddress;
  /** MQTT keepalive, seconds: how soon the broker notices a dead nara and sends its will. */
  readonly keepaliveSec: number;
  /** How long the first connection may take before the program gives up with one line. */
  readonly connectTimeoutMs: number;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat | 'auto';
  /** Keys trusted for their names before anything is heard (`NARA_PINS`). */
  readonly pins?: readonly Pin[];
  /** Which wire(s) to speak and hear (`NARA_WIRE`): plaza/1, the Go nara's, or both. Default plaza. */
  readonly wire: Wire;
}

export interface JoinConfig extends CommonConfig {
  readonly name?: string;
  readonly soul?: Secret;
  /** The commitment to the next soul (`NARA_NEXT`: 64 hex digits, or `none` for no successor). */
  readonly commitment?: Uint8Array;
  /** The public key of the soul this nara moved from (`NARA_PREVIOUS`, base64): it announces the move. */
  readonly previousKey?: Uint8Array;
  /** A fixed chattiness (0..100); otherwise 100 while booting, then 50. */
  readonly chattiness?: number;
}

export interface WatchConfig extends CommonConfig {
  readonly json: boolean;
}

export interface DemoConfig {
  readonly naras: number;
  /** Story time multiplier: 1 is the one-minute story, 0.1 runs it in about six seconds. */
  readonly storySpeed: number;
  readonly plain: boolean;
  readonly preferredBrokerPort: number;
  readonly http?: HttpAddress;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat | 'auto';
}

export const DEFAULT_BROKER_PORT = 1883;
export const DEFAULT_KEEPALIVE_SEC = 30;
export const DEFAULT_CONNECT_TIMEOUT_SEC = 15;
export const DEFAULT_DEMO_NARAS = 5;
export const MIN_DEMO_NARAS = 4;
export const MAX_DEMO_NARAS = 30;

function str(flags: Flags, key: string): string | undefined {
  const v = flags[key];
  return typeof v === 'string' ? v : undefined;
}

function flagOrEnv(flags: Flags, flag: string, env: Env, name: string): { value?: string; source: string } {
  const f = str(flags, flag);
  if (f !== undefined) return { value: f, source: `--${flag}` };
  const e = env[name];
  if (e !== undefined && e !== '') return { value: e, source: name };
  return { source: name };
}

/** Parses a TCP port; `allowZero` for listeners where 0 means "any free port". */
export function parsePort(text: string, source: string, allowZero = false): number {
  const trimmed = text.trim();
  const n = /^\d{1,5}$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isInteger(n) || n > 65535 || n < (allowZero ? 0 : 1)) {
    throw new ConfigError(
      `${source} must be a port number between ${allowZero ? 0 : 1} and 65535, not ${JSON.stringify(text)}`,
    );
  }
  return n;
}

function parseNumber(text: string, source: string, min: number, max: number, integer = true): number {
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new ConfigError(
      `${source} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, not ${JSON.stringify(text)}`,
    );
  }
  return n;
}

/** A number of seconds from a flag or variable, with a one-line error naming it. */
export function parseSeconds(text: string, source: string, min: number, max: number): number {
  return parseNumber(text, source, min, max, false);
}

/** `host:port`, `[v6]:port`, or a bare port (loopback). Port 0 picks a free one. */
export function parseHttpAddress(text: string, source: string): HttpAddress {
  const t = text.trim();
  if (/^\d+$/.test(t)) return { host: '127.0.0.1', port: parsePort(t, source, true) };
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(t) ?? /^([^:[\]]+):(\d+)$/.exec(t);
  if (!m?.[1] || m[2] === undefined) {
    throw new ConfigError(`${source} must be host:port (e.g. 127.0.0.1:9090), not ${JSON.stringify(text)}`);
  }
  return { host: m[1], port: parsePort(m[2], source, true) };
}

function parseLogLevel(flags: Flags, env: Env): LogLevel {
  const { value, source } = flagOrEnv(flags, 'log-level', env, 'NARA_LOG_LEVEL');
  if (value === undefined) return 'info';
  const v = value.toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(v)) return v as LogLevel;
  throw new ConfigError(`${source} must be one of ${LOG_LEVELS.join(', ')}, not ${JSON.stringify(value)}`);
}

function parseLogFormat(flags: Flags, env: Env): LogFormat | 'auto' {
  const { value, source } = flagOrEnv(flags, 'log-format', env, 'NARA_LOG_FORMAT');
  if (value === undefined) return 'auto';
  const v = value.toLowerCase();
  if (v === 'json' || v === 'pretty' || v === 'auto') return v;
  throw new ConfigError(`${source} must be json, pretty or auto, not ${JSON.stringify(value)}`);
}

/**
 * Resolves the broker from flags and environment with `mqttOptionsFromEnv` of `@nara/transport-mqtt` (the
 * one reader of `MQTT_*`). No `MQTT_HOST`/`MQTT_URL` (nor `--host`/`--broker`) means the embedded broker.
 * Credentials may come from the URL's user-info, but the URL the app keeps and logs never carries them.
 */
export function resolveBroker(flags: Flags, env: Env): BrokerTarget {
  let settings: MqttEnvOptions | undefined;
  try {
    settings = mqttOptionsFromEnv(env, flags);
  } catch (error) {
    if (error instanceof MqttEnvError) throw new ConfigError(explainBrokerUrl(flags, env) ?? error.message);
    throw error;
  }
  if (settings === undefined) {
    const preferred = flagOrEnv(flags, 'broker-port', env, 'NARA_BROKER_PORT');
    return {
      kind: 'embedded',
      preferredPort:
        preferred.value === undefined
          ? DEFAULT_BROKER_PORT
          : parsePort(preferred.value, preferred.source, true),
    };
  }
  const { url, tls, username, password, clientId } = settings;
  // Several brokers are one comma-separated list; host and port describe the first.
  const parsed = new URL(url.split(',')[0] ?? url);
  const protocol = parsed.protocol.replace(/:$/, '') as RemoteBroker['protocol'];
  return {
    kind: 'remote',
    url,
    protocol,
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    // URL drops a scheme's default port (ws 80, wss 443); the settings' URL always names one.
    port: parsed.port === '' ? (protocol === 'wss' ? 443 : 80) : Number(parsed.port),
    tls: tls !== undefined,
    insecure: tls?.insecureSkipVerify === true,
    ...(tls?.ca ? { ca: { pem: tls.ca } } : {}),
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password: new Secret(password) } : {}),
    ...(clientId !== undefined ? { clientId } : {}),
  };
}

/**
 * Which part of a broker URL is wrong, when the transport's reader refused it: the port (`99999`,
 * `abc`) or a missing host. Names the setting and the part, never the whole URL (it may carry a password).
 */
export function explainBrokerUrl(flags: Flags, env: Env): string | undefined {
  const candidates: Array<[string | undefined, string]> = [
    [str(flags, 'broker'), '--broker'],
    [str(flags, 'host'), '--host'],
    [env.MQTT_URL, 'MQTT_URL'],
    [env.MQTT_HOST, 'MQTT_HOST'],
  ];
  for (const [value, source] of candidates) {
    if (!value) continue;
    for (const url of value.split(',')) {
      const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(url.trim());
      if (!m) continue;
      const authority = (m[1] ?? '').slice((m[1] ?? '').lastIndexOf('@') + 1);
      const hostPort = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(authority);
      const host = hostPort?.[1] ?? '';
      const port = hostPort?.[2];
      if (host === '' || host === '[]')
        return `${source} has no host: it should look like mqtts://broker.example:8883`;
      if (
        port !== undefined &&
        port !== '' &&
        !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)
      )
        return `${source} has a bad port: ${JSON.stringify(port)} is not a port number (1 to 65535)`;
    }
  }
  return undefined;
}

function resolveCommon(flags: Flags, env: Env): CommonConfig {
  const broker = resolveBroker(flags, env);
  const httpIn = flagOrEnv(flags, 'http', env, 'NARA_HTTP');
  const keepIn = flagOrEnv(flags, 'keepalive', env, 'MQTT_KEEPALIVE');
  const timeoutIn = flagOrEnv(flags, 'connect-timeout', env, 'NARA_CONNECT_TIMEOUT');
  const pinsIn = flagOrEnv(flags, 'pins', env, 'NARA_PINS');
  const wireIn = flagOrEnv(flags, 'wire', env, 'NARA_WIRE');
  return {
    broker,
    wire: wireIn.value === undefined ? 'plaza' : parseWire(wireIn.value, wireIn.source),
    ...(pinsIn.value !== undefined ? { pins: readPins(pinsIn.value, pinsIn.source) } : {}),
    ...(httpIn.value !== undefined ? { http: parseHttpAddress(httpIn.value, httpIn.source) } : {}),
    keepaliveSec:
      keepIn.value === undefined ? DEFAULT_KEEPALIVE_SEC : parseNumber(keepIn.value, keepIn.source, 1, 65535),
    connectTimeoutMs:
      1000 *
      (timeoutIn.value === undefined
        ? DEFAULT_CONNECT_TIMEOUT_SEC
        : parseNumber(timeoutIn.value, timeoutIn.source, 0.1, 3600, false)),
    logLevel: parseLogLevel(flags, env),
    logFormat: parseLogFormat(flags, env),
  };
}

export function parseWire(text: string, source: string): Wire {
  const wire = text.trim().toLowerCase() as Wire;
  if (WIRES.includes(wire)) return wire;
  throw new ConfigError(`${source} must be plaza, legacy or both, not ${JSON.stringify(text)}`);
}

/** Checks a nara name from a flag or the environment; the reason comes from `@nara/topics`. */
export function checkName(name: string, source: string): string {
  const check = validateName(name);
  if (!check.ok) {
    throw new ConfigError(
      `${source} is not a valid nara name (${check.reason}: ${check.message}): ${JSON.stringify(name)}; a name is ${NAME_RULES}`,
    );
  }
  return name;
}

/** Configuration of `nara` (join). Throws {@link ConfigError} with one line naming the bad setting. */
export function resolveJoinConfig(flags: Flags, env: Env): JoinConfig {
  const common = resolveCommon(flags, env);
  const nameIn = flagOrEnv(flags, 'name', env, 'NARA_NAME');
  const soulIn = flagOrEnv(flags, 'soul', env, 'NARA_SOUL');
  // An empty NARA_SOUL is a mistake (a variable set from nothing), not a wish for this machine's own soul.
  if (env.NARA_SOUL !== undefined && soulIn.source === 'NARA_SOUL' && !soulIn.value?.trim()) {
    throw new ConfigError(
      'NARA_SOUL is set but empty: give it a soul (make one with: nara soul --name <name>), or unset it to use the soul this machine derives',
    );
  }
  const chatIn = flagOrEnv(flags, 'chattiness', env, 'NARA_CHATTINESS');
  const nextIn = flagOrEnv(flags, 'next', env, 'NARA_NEXT');
  const previousIn = flagOrEnv(flags, 'previous', env, 'NARA_PREVIOUS');
  const commitment =
    nextIn.value === undefined
      ? undefined
      : parseCommitment(nextIn.value.trim() === 'none' ? '' : nextIn.value.trim(), nextIn.source);
  if (previousIn.value !== undefined && !/^[A-Za-z0-9+/]{43}=$/.test(previousIn.value.trim()))
    throw new ConfigError(
      `${previousIn.source}: the previous soul's public key, 32 bytes in standard base64`,
    );
  if (previousIn.value !== undefined && commitment === undefined)
    throw new ConfigError(
      `${previousIn.source} needs NARA_NEXT: a succession commits to the soul after (or to none)`,
    );
  return {
    ...common,
    ...(commitment !== undefined ? { commitment } : {}),
    ...(previousIn.value !== undefined
      ? { previousKey: new Uint8Array(Buffer.from(previousIn.value.trim(), 'base64')) }
      : {}),
    ...(nameIn.value !== undefined ? { name: checkName(nameIn.value, nameIn.source) } : {}),
    ...(soulIn.value !== undefined ? { soul: new Secret(soulIn.value.trim()) } : {}),
    ...(chatIn.value !== undefined ? { chattiness: parseNumber(chatIn.value, chatIn.source, 0, 100) } : {}),
  };
}

/** Configuration of `nara watch`. */
export function resolveWatchConfig(flags: Flags, env: Env): WatchConfig {
  return { ...resolveCommon(flags, env), json: flags.json === true };
}

/** Configuration of `nara demo`: always its own embedded broker. */
export function resolveDemoConfig(flags: Flags, env: Env): DemoConfig {
  const narasIn = flagOrEnv(flags, 'naras', {}, 'naras');
  const speedIn = flagOrEnv(flags, 'story-speed', env, 'NARA_STORY_SPEED');
  const httpIn = flagOrEnv(flags, 'http', env, 'NARA_HTTP');
  const portIn = flagOrEnv(flags, 'broker-port', env, 'NARA_BROKER_PORT');
  let storySpeed =
    speedIn.value === undefined ? 1 : parseNumber(speedIn.value, speedIn.source, 0.01, 10, false);
  if (flags.fast === true) storySpeed = Math.min(storySpeed, 0.1);
  return {
    naras:
      narasIn.value === undefined
        ? DEFAULT_DEMO_NARAS
        : parseNumber(narasIn.value, '--naras', MIN_DEMO_NARAS, MAX_DEMO_NARAS),
    storySpeed,
    plain: flags.plain === true,
    preferredBrokerPort:
      portIn.value === undefined ? DEFAULT_BROKER_PORT : parsePort(portIn.value, portIn.source, true),
    ...(httpIn.value !== undefined ? { http: parseHttpAddress(httpIn.value, httpIn.source) } : {}),
    logLevel: parseLogLevel(flags, env),
    logFormat: parseLogFormat(flags, env),
  };
}
