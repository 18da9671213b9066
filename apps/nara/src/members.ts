import { createHash } from 'node:crypto';
import type { PeerSnapshot } from '@nara/peers';
import { type Flags, parseSeconds, resolveWatchConfig } from './config.js';
import type { CliIo } from './io.js';
import { loggerFor, startUntilShutdown, within } from './setup.js';
import { type Column, formatAge, renderTable, STATE_COLOR, sizeOf } from './view.js';

/** How long `nara members` listens before it prints, unless `--wait` says otherwise. */
export const DEFAULT_MEMBERS_WAIT_SEC = 2;

/** `SHA256:` and the first 16 characters of the unpadded base64 SHA-256 of the raw key, as ssh shows keys. */
export function keyFingerprint(publicKeyBase64: string): string {
  const digest = createHash('sha256').update(Buffer.from(publicKeyBase64, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '').slice(0, 16)}`;
}

/** One member as `nara members --json` prints it. */
export function memberJson(peer: PeerSnapshot, now: number): Record<string, unknown> {
  return {
    name: peer.name,
    state: peer.state,
    ...(peer.missingCause ? { missingCause: peer.missingCause } : {}),
    lastSeen: new Date(peer.lastSeen).toISOString(),
    lastSeenAgoMs: Math.max(0, now - peer.lastSeen),
    id: peer.naraId,
    publicKey: peer.publicKey,
    fingerprint: keyFingerprint(peer.publicKey),
    wire: peer.wire,
    chattiness: peer.status?.chattiness ?? null,
  };
}

type Row = PeerSnapshot & { now: number };

const COLUMNS: readonly Column<Row>[] = [
  { title: 'NAME', value: (p) => p.name, shrinkTo: 12 },
  { title: 'STATE', value: (p) => p.state, color: (p) => STATE_COLOR[p.state] },
  { title: 'LAST SEEN', value: (p) => `${formatAge(p.now - p.lastSeen)} ago`, align: 'right' },
  { title: 'KEY', value: (p) => keyFingerprint(p.publicKey) },
  { title: 'WIRE', value: (p) => p.wire },
];

/**
 * `nara members`: connects listen-only, collects for `--wait` seconds (retained newspapers give the whole
 * plaza on subscribe), prints every nara with its state, last seen, key fingerprint and wire, and exits;
 * like `serf members`. Without a broker setting it asks the local plaza on 127.0.0.1.
 */
export async function runMembers(flags: Flags, io: CliIo): Promise<number> {
  const config = resolveWatchConfig(flags, io.env);
  const waitMs =
    1000 *
    (typeof flags.wait === 'string' ? parseSeconds(flags.wait, '--wait', 0, 600) : DEFAULT_MEMBERS_WAIT_SEC);
  // A one-shot answer: the connection's own chatter is noise unless asked for.
  const quiet = flags['log-level'] === undefined && io.env.NARA_LOG_LEVEL === undefined;
  const logger = loggerFor({ ...config, logLevel: quiet ? 'warn' : config.logLevel }, io);
  const started = await startUntilShutdown(config, logger, {}, { canHost: false, shutdown: io.shutdown });
  if (!started) return 0;
  const { broker, node } = started;
  try {
    await sleep(waitMs, io.shutdown);
    const now = Date.now();
    const peers = [...node.registry.snapshot().peers].sort((a, b) => a.name.localeCompare(b.name));
    if (config.json) {
      io.stdout.write(`${JSON.stringify(peers.map((p) => memberJson(p, now)))}\n`);
    } else if (peers.length === 0) {
      io.stdout.write(`no naras heard on ${broker.label} in ${waitMs / 1000} s\n`);
    } else {
      const color = io.stdout.isTTY === true && !io.env.NO_COLOR;
      const width = io.stdout.isTTY === true ? sizeOf(io.stdout).columns : Number.POSITIVE_INFINITY;
      const lines = renderTable(
        peers.map((p) => ({ ...p, now })),
        COLUMNS,
        color,
        width,
      );
      io.stdout.write(`${lines.join('\n')}\n`);
    }
    return 0;
  } finally {
    await within(node.close(), 2000);
    if (broker.embedded) await within(broker.embedded.close(), 500);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
