import type { LogFields, Logger as PackageLogger } from '@nara/interface';

/** Log levels, least to most severe. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** `json`: one JSON object per line (machines); `pretty`: aligned, coloured text (people). */
export type LogFormat = 'json' | 'pretty';

/** The logger the app hands to every package: `@nara/interface`'s, whose `child` it always has. */
export interface Logger extends PackageLogger {
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  /** Where lines go. Default: process.stderr (stdout is for data: tables, NDJSON, a new soul). */
  write?: (line: string) => void;
  /**
   * Secret values (a soul, a password) to scrub from every line, whatever field or message they end up
   * in: a guard behind the rule that secrets are never logged in the first place.
   */
  secrets?: readonly string[];
  /** Colours in the pretty format. Default: on when writing to a TTY that does not ask for NO_COLOR. */
  color?: boolean;
  clock?: () => number;
}

// Field names whose values are never printed, whatever they hold.
const SECRET_KEYS = /^(soul|seed|password|passwd|secret|privatekey|private_key|token|authorization)$/i;
const REDACTED = '[redacted]';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const LEVEL_COLOR: Record<LogLevel, string> = {
  debug: '\x1b[90m',
  info: '\x1b[36m',
  warn: '\x1b[33m',
  error: '\x1b[31m',
};

/** Makes a value safe for a log line: secret keys redacted, errors reduced to name and message. */
function sanitize(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return value;
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: value.message };
    if ('reason' in value && typeof value.reason === 'string') out.reason = value.reason;
    if ('code' in value && typeof value.code === 'string') out.code = value.code;
    return out;
  }
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (depth > 4) return '[deep]';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => sanitize(v, depth + 1));
  // A Secret (or anything with its own toJSON) prints itself.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = SECRET_KEYS.test(k) ? REDACTED : sanitize(v, depth + 1);
  return out;
}

function prettyValue(value: unknown): string {
  if (typeof value === 'string') return /[\s="]/.test(value) || value === '' ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * Creates the app's structured logger.
 *
 * @example
 * ```ts
 * const log = createLogger({ level: 'info', format: 'json', write: (l) => process.stdout.write(l) });
 * log.info('connected', { broker: 'mqtt://127.0.0.1:1883' });
 * // {"time":"2025-01-01T00:00:00.000Z","level":"info","msg":"connected","broker":"mqtt://127.0.0.1:1883"}
 * ```
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = LEVEL_RANK[options.level ?? 'info'];
  const format = options.format ?? (process.stderr.isTTY ? 'pretty' : 'json');
  const write = options.write ?? ((line: string) => void process.stderr.write(line));
  const color = options.color ?? (process.stderr.isTTY === true && !process.env.NO_COLOR);
  const clock = options.clock ?? Date.now;
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 4);

  function scrub(line: string): string {
    let out = line;
    for (const s of secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return out;
  }

  function emit(level: LogLevel, base: LogFields, message: string, fields?: LogFields): void {
    if (LEVEL_RANK[level] < threshold) return;
    const merged = sanitize({ ...base, ...fields }) as Record<string, unknown>;
    const time = clock();
    let line: string;
    if (format === 'json') {
      line = JSON.stringify({ time: new Date(time).toISOString(), level, msg: message, ...merged });
    } else {
      const d = new Date(time);
      const ts = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
      const lvl = level.toUpperCase().padEnd(5);
      const kv = Object.entries(merged)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${color ? '\x1b[2m' : ''}${k}=${color ? '\x1b[0m' : ''}${prettyValue(v)}`)
        .join(' ');
      line = color
        ? `\x1b[2m${ts}\x1b[0m ${LEVEL_COLOR[level]}${lvl}\x1b[0m ${message}${kv ? ` ${kv}` : ''}`
        : `${ts} ${lvl} ${message}${kv ? ` ${kv}` : ''}`;
    }
    write(`${scrub(line)}\n`);
  }

  function make(base: LogFields): Logger {
    return {
      debug: (m, f) => emit('debug', base, m, f),
      info: (m, f) => emit('info', base, m, f),
      warn: (m, f) => emit('warn', base, m, f),
      error: (m, f) => emit('error', base, m, f),
      child: (fields) => make({ ...base, ...fields }),
    };
  }
  return make({});
}
