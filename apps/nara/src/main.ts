import { parseArgs } from 'node:util';
import { COMMANDS, type CommandSpec, commandHelp, JOIN, mainHelp, parseArgsOptions } from './commands.js';
import { ConfigError, isUserFacingError } from './errors.js';
import type { CliIo } from './io.js';
import { VERSION } from './version.js';

/** Flags that would put a secret in `ps` output and shell history: refused, with the way to do it. */
type Runner = (flags: Record<string, string | boolean | undefined>, io: CliIo) => number | Promise<number>;

/** Each command's runner, loaded only when it runs (a `nara soul` never loads the broker or the engine). */
const RUNNERS: Record<CommandSpec['name'], () => Promise<Runner>> = {
  soul: async () => (await import('./soul.js')).runSoul,
  join: async () => (await import('./join.js')).runJoin,
  watch: async () => (await import('./watch.js')).runWatch,
  members: async () => (await import('./members.js')).runMembers,
  demo: async () => (await import('./demo.js')).runDemo,
};

const SECRET_FLAGS: Record<string, string> = {
  '--soul':
    'pass the soul in the NARA_SOUL environment variable, not as a flag (flags show in ps and shell history)',
  '--password':
    'pass the password in the MQTT_PASSWORD environment variable, not as a flag (flags show in ps and shell history)',
};

function findCommand(argv: readonly string[]): { spec: CommandSpec; rest: string[] } | { unknown: string } {
  const first = argv[0];
  if (first === undefined || first.startsWith('-')) return { spec: JOIN, rest: [...argv] };
  const spec = COMMANDS.find((c) => c.name === first);
  if (!spec) return { unknown: first };
  return { spec, rest: argv.slice(1) };
}

function parseError(error: unknown, spec: CommandSpec): ConfigError {
  const message = error instanceof Error ? error.message : String(error);
  // node:util messages are long and mention `strict`; keep the useful part.
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown?.[1]) {
    return new ConfigError(`unknown option ${unknown[1]} (see nara ${spec.name} --help)`);
  }
  const missing = /Option '([^']+)' argument missing/.exec(message);
  if (missing?.[1]) return new ConfigError(`option ${missing[1].split(',').pop()?.trim()} needs a value`);
  const unexpected = /Unexpected argument '([^']+)'/.exec(message);
  if (unexpected?.[1])
    return new ConfigError(
      `unexpected argument ${JSON.stringify(unexpected[1])} (see nara ${spec.name} --help)`,
    );
  return new ConfigError(message.split('\n')[0] ?? 'bad arguments');
}

/**
 * The whole program, minus the process: parses `argv`, runs the command, and returns the exit code.
 * Every error meant for a person becomes one line on stderr (`nara: ...`), never a stack trace.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    if (argv[0] === '--version' || argv[0] === '-v' || argv[0] === 'version') {
      io.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      const topic = COMMANDS.find((c) => c.name === argv[1]);
      io.stdout.write(topic ? commandHelp(topic) : mainHelp(VERSION));
      return 0;
    }
    const found = findCommand(argv);
    if ('unknown' in found) {
      throw new ConfigError(
        `unknown command ${JSON.stringify(found.unknown)} (commands: join, demo, watch, members, soul; try nara --help)`,
      );
    }
    const { spec, rest } = found;
    for (const arg of rest) {
      const flag = arg.split('=')[0] ?? arg;
      const hint = SECRET_FLAGS[flag];
      if (hint !== undefined) throw new ConfigError(hint);
    }
    let values: Record<string, string | boolean | undefined>;
    try {
      values = parseArgs({
        args: rest,
        options: parseArgsOptions(spec),
        strict: true,
        allowPositionals: false,
      }).values as Record<string, string | boolean | undefined>;
    } catch (error) {
      throw parseError(error, spec);
    }
    if (values.help === true) {
      io.stdout.write(commandHelp(spec));
      return 0;
    }
    const run = await RUNNERS[spec.name]();
    return await run(values, io);
  } catch (error) {
    const json = errorsAsJson(argv, io);
    const say = (message: string, exitCode: number, stack?: string) =>
      io.stderr.write(
        json
          ? `${JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: `nara: ${message}`, exitCode, ...(stack ? { stack } : {}) })}\n`
          : `nara: ${message}\n${stack ? `${stack}\n` : ''}`,
      );
    if (isUserFacingError(error)) {
      say(error.message, error.exitCode);
      return error.exitCode;
    }
    // A bug, not a configuration problem: still one line by default, the stack only when asked for.
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const stack = io.env.NARA_DEBUG && error instanceof Error ? error.stack : undefined;
    say(`unexpected error: ${message}`, 70, stack);
    return 70;
  }
}

/**
 * Whether the last word goes out as a JSON log line: when the logs are JSON (`--log-format json`,
 * `NARA_LOG_FORMAT=json`, or `auto` with stderr not a terminal), so that a log reader sees one format.
 */
function errorsAsJson(argv: readonly string[], io: CliIo): boolean {
  let format = io.env.NARA_LOG_FORMAT;
  argv.forEach((arg, i) => {
    if (arg === '--log-format') format = argv[i + 1];
    else if (arg.startsWith('--log-format=')) format = arg.slice('--log-format='.length);
  });
  const f = format?.toLowerCase();
  if (f === 'json') return true;
  if (f === 'pretty') return false;
  return io.stderr.isTTY !== true;
}
