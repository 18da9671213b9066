import type { ParseArgsConfig } from 'node:util';
import { GENERIC_NAME_NOTE, NAME_RULES } from './name-rules.js';

type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & { help: string; arg?: string };

/** One command of the binary: its flags (for node:util parseArgs) and its help text. */
export interface CommandSpec {
  readonly name: 'join' | 'demo' | 'watch' | 'members' | 'soul';
  readonly summary: string;
  readonly usage: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Environment variables the command reads, with what they mean. */
  readonly env: ReadonlyArray<readonly [string, string]>;
  readonly notes?: string;
}

const help: OptionSpec = { type: 'boolean', short: 'h', help: 'show this help' };

const brokerOptions: Record<string, OptionSpec> = {
  url: {
    type: 'string',
    arg: 'URLS',
    help: 'broker URL: mqtt://, mqtts://, ws://, wss://; several, comma-separated, for failover (MQTT_URL)',
  },
  broker: { type: 'string', arg: 'URLS', help: 'the same as --url' },
  host: {
    type: 'string',
    arg: 'HOST',
    help: 'broker host (MQTT_HOST); without a broker, an embedded one starts',
  },
  port: { type: 'string', arg: 'PORT', help: 'broker port (MQTT_PORT; default 1883, or 8883 with TLS)' },
  tls: { type: 'boolean', help: 'connect with TLS (MQTT_TLS=1)' },
  ca: {
    type: 'string',
    arg: 'FILE',
    help: 'PEM file of the CA that signed the broker certificate (MQTT_CA)',
  },
  'tls-insecure': {
    type: 'boolean',
    help: 'do not check the broker certificate (MQTT_TLS_INSECURE=1; never in production)',
  },
  username: { type: 'string', arg: 'USER', help: 'broker user name (MQTT_USERNAME)' },
  'client-id': {
    type: 'string',
    arg: 'ID',
    help: 'MQTT client id (MQTT_CLIENT_ID; default nara and 16 hex digits)',
  },
  keepalive: { type: 'string', arg: 'SECONDS', help: 'MQTT keepalive (MQTT_KEEPALIVE, default 30)' },
  'connect-timeout': {
    type: 'string',
    arg: 'SECONDS',
    help: 'give up if the first connection takes longer (default 15)',
  },
  'broker-port': {
    type: 'string',
    arg: 'PORT',
    help: 'port the embedded broker tries first (NARA_BROKER_PORT, default 1883)',
  },
  http: { type: 'string', arg: 'HOST:PORT', help: 'serve /peers, /metrics and /healthz (NARA_HTTP)' },
  pins: {
    type: 'string',
    arg: 'FILE',
    help: 'trusted keys: "name publicKey" lines or /peers JSON (NARA_PINS)',
  },
  wire: {
    type: 'string',
    arg: 'WIRE',
    help: "plaza (plaza/1), legacy (the Go nara's JSON) or both (NARA_WIRE, default plaza)",
  },
  'log-level': {
    type: 'string',
    arg: 'LEVEL',
    help: 'debug, info, warn or error (NARA_LOG_LEVEL, default info)',
  },
  'log-format': {
    type: 'string',
    arg: 'FORMAT',
    help: 'json, pretty or auto (NARA_LOG_FORMAT; auto: pretty on a terminal)',
  },
};

const brokerEnv: ReadonlyArray<readonly [string, string]> = [
  ['MQTT_HOST, MQTT_PORT', 'broker address (MQTT_HOST may also be a whole URL)'],
  ['MQTT_URL', 'broker URL, e.g. mqtts://plaza.example:8883; several, comma-separated: failover'],
  ['MQTT_CLIENT_ID', 'MQTT client id (default nara and 16 hex digits, portable to every broker)'],
  ['MQTT_TLS', '1/true to use TLS'],
  ['MQTT_CA', 'path to a PEM CA certificate'],
  [
    'MQTT_USERNAME, MQTT_PASSWORD',
    'credentials of a private plaza (the password only from the environment; MQTT_USER, MQTT_PASS as Go names them)',
  ],
  ['NARA_HTTP', 'host:port of the status endpoint'],
  ['NARA_PINS', 'file of trusted keys ("name publicKey" lines, or the JSON of GET /peers)'],
  ['NARA_WIRE', "plaza, legacy (the Go nara's JSON wire) or both; default plaza"],
];

export const JOIN: CommandSpec = {
  name: 'join',
  summary: 'join a plaza: say hey-there, publish newspapers, keep a verified view of everyone (default)',
  usage: 'nara [join] [options]',
  options: {
    name: { type: 'string', arg: 'NAME', help: 'nara name (NARA_NAME; default: from the host name)' },
    chattiness: {
      type: 'string',
      arg: '0-100',
      help: 'fixed chattiness (default: 100 while booting, then 50)',
    },
    ...brokerOptions,
    help,
  },
  env: [
    ['NARA_NAME', 'the nara name'],
    ['NARA_SOUL', 'the soul bonded to that name (see `nara soul`); never passed as a flag'],
    [
      'NARA_NEXT',
      'the commitment to the next soul, as `nara soul` prints it (64 hex digits), or none: no successor',
    ],
    ['NARA_PREVIOUS', 'after moving to the next soul: the public key of the soul before (base64)'],
    ...brokerEnv,
  ],
  notes:
    'Without MQTT_HOST or MQTT_URL an embedded broker starts on 127.0.0.1 (port 1883 if free) and the\n' +
    'program prints how another nara joins it. Ctrl-C says chau and exits.\n\n' +
    `A name is ${NAME_RULES}.\n${GENERIC_NAME_NOTE}`,
};

export const DEMO: CommandSpec = {
  name: 'demo',
  summary: 'a plaza in one process: an embedded broker, N naras, a live view and a one-minute story',
  usage: 'nara demo [--naras N] [--fast] [--plain]',
  options: {
    naras: { type: 'string', arg: 'N', help: 'how many naras (4 to 30, default 5)' },
    fast: { type: 'boolean', help: 'tell the story ten times faster' },
    'story-speed': {
      type: 'string',
      arg: 'X',
      help: 'story time multiplier (1 = about a minute, 0.1 = six seconds)',
    },
    plain: {
      type: 'boolean',
      help: 'one line per event instead of the live table (automatic when not a terminal)',
    },
    'broker-port': brokerOptions['broker-port']!,
    http: brokerOptions.http!,
    'log-level': brokerOptions['log-level']!,
    'log-format': brokerOptions['log-format']!,
    help,
  },
  env: [['NARA_BROKER_PORT', 'port the embedded broker tries first']],
  notes:
    'The story: naras join, an impostor claims a name with another key and is rejected, one nara leaves\n' +
    'with chau, one crashes and its will announces it, one joins late. Ctrl-C ends the demo.',
};

export const WATCH: CommandSpec = {
  name: 'watch',
  summary: 'listen only: a live table of verified peers, or NDJSON of events and rejections',
  usage: 'nara watch [--json] [options]',
  options: {
    json: {
      type: 'boolean',
      help: 'print NDJSON: one verified event or rejection (with its reason) per line',
    },
    ...brokerOptions,
    help,
  },
  env: brokerEnv,
  notes: 'Announces nothing and registers no will: the plaza does not know a watcher is there.',
};

export const MEMBERS: CommandSpec = {
  name: 'members',
  summary: 'list the plaza once: every nara with its state, last seen, key fingerprint and wire; then exit',
  usage: 'nara members [--json] [--wait SECONDS] [options]',
  options: {
    json: { type: 'boolean', help: 'print a JSON array instead of the table' },
    wait: {
      type: 'string',
      arg: 'SECONDS',
      help: 'how long to listen before printing (default 2; retained newspapers come at once)',
    },
    ...brokerOptions,
    help,
  },
  env: brokerEnv,
  notes:
    'Like `serf members`. Listens only: announces nothing. Without MQTT_HOST or MQTT_URL it asks the\n' +
    'local plaza on 127.0.0.1 (port 1883, or NARA_BROKER_PORT) and says so when there is none.',
};

export const SOUL: CommandSpec = {
  name: 'soul',
  summary: 'print a new soul for a name, with its nara ID, public key and commitment',
  usage: 'nara soul [--name NAME]',
  options: {
    name: { type: 'string', arg: 'NAME', help: 'the name to bond the soul to (default: a generated name)' },
    json: { type: 'boolean', help: 'print JSON' },
    help,
  },
  env: [],
  notes:
    'Keep the soul secret: whoever has it can speak as this nara. Pass it back as NARA_SOUL.\n' +
    'To keep a name when a soul is lost or stolen, make its next soul now and keep it offline: put the\n' +
    "next soul's commitment in NARA_NEXT of the current one. To move, run with the next soul, NARA_PREVIOUS\n" +
    "set to the old soul's public key and NARA_NEXT to the commitment of the soul after (or none).\n\n" +
    `A name is ${NAME_RULES}.\nA soul made for a name keeps that name, whatever the generic-name rule says.`,
};

export const COMMANDS: readonly CommandSpec[] = [JOIN, DEMO, WATCH, MEMBERS, SOUL];

/** parseArgs options without the help metadata. */
export function parseArgsOptions(spec: CommandSpec): NonNullable<ParseArgsConfig['options']> {
  const out: NonNullable<ParseArgsConfig['options']> = {};
  for (const [key, { help: _help, arg: _arg, ...option }] of Object.entries(spec.options)) out[key] = option;
  return out;
}

export function commandHelp(spec: CommandSpec): string {
  const rows = Object.entries(spec.options).map(([key, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${key}${o.arg ? ` ${o.arg}` : ''}`;
    return [flag, o.help] as const;
  });
  const width = Math.max(...rows.map(([f]) => f.length)) + 2;
  const lines = [`${spec.summary}`, '', `Usage: ${spec.usage}`, '', 'Options:'];
  for (const [flag, text] of rows) lines.push(`  ${flag.padEnd(width)}${text}`);
  if (spec.env.length > 0) {
    const ew = Math.max(...spec.env.map(([k]) => k.length)) + 2;
    lines.push('', 'Environment:');
    for (const [k, v] of spec.env) lines.push(`  ${k.padEnd(ew)}${v}`);
  }
  if (spec.notes) lines.push('', spec.notes);
  return `${lines.join('\n')}\n`;
}

export function mainHelp(version: string): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    `nara ${version}: a nara on the plaza, the public square of the nara network`,
    '',
    'Usage: nara [command] [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(w)}${c.summary}`),
    '',
    'Options:',
    '  -h, --help     help (also `nara <command> --help`)',
    '  -v, --version  print the version',
    '',
    'Try `nara demo` to see a whole plaza in a minute.',
    '',
  ].join('\n');
}
