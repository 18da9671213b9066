import type { PeerSnapshot } from '@nara/peers';
import type { NaraEvent } from '@nara/plaza';
import { type Flags, resolveWatchConfig } from './config.js';
import type { CliIo } from './io.js';
import { renderPrometheus } from './prometheus.js';
import { LOOPBACK_ANY_PORT, loggerFor, startUntilShutdown, untilAborted, within } from './setup.js';
import { type Column, formatAge, renderTable, Screen, STATE_COLOR, shortKey } from './view.js';

/** A rejection's NDJSON line, on either wire: the stage, the reason, and the name and detail when known. */
function rejectionJson(
  time: string,
  r: { stage: string; reason: string; topic: string; name?: string | undefined; detail?: string | undefined },
  wire?: 'legacy',
): Record<string, unknown> {
  return {
    time,
    type: 'rejected',
    ...(wire ? { wire } : {}),
    stage: r.stage,
    reason: r.reason,
    topic: r.topic,
    ...(r.name !== undefined ? { name: r.name } : {}),
    ...(r.detail !== undefined ? { detail: r.detail } : {}),
  };
}

/** One NDJSON line for an event: verified messages, rejections with reasons, presence changes. */
export function eventJson(event: NaraEvent, now: number): Record<string, unknown> | undefined {
  const time = new Date(now).toISOString();
  switch (event.type) {
    case 'accepted': {
      const e = event.envelope;
      return {
        time,
        type: 'verified',
        kind: e.kind,
        topic: e.topic,
        name: e.name,
        id: e.naraId,
        publicKey: Buffer.from(e.publicKey).toString('base64'),
        epoch: Buffer.from(e.epoch).toString('hex'),
        seq: e.seq,
        sentAt: e.time,
        body: e.body,
      };
    }
    case 'rejected':
      return rejectionJson(time, event);
    case 'legacy': {
      const o = event.outcome;
      if (o.type === 'rejected') return rejectionJson(time, o, 'legacy');
      return {
        time,
        type: o.change === 'hint' ? 'hint' : 'verified',
        wire: 'legacy',
        kind: o.kind,
        topic: o.topic,
        name: o.name,
        publicKey: Buffer.from(o.publicKey).toString('base64'),
        change: o.change,
      };
    }
    case 'peer': {
      const p = event.event;
      if (p.type === 'updated') return undefined;
      return {
        time,
        type: 'presence',
        change: p.type,
        name: p.peer.name,
        state: p.peer.state,
        ...(p.type === 'missing' ? { cause: p.cause } : {}),
      };
    }
    default:
      return undefined;
  }
}

export const PEER_COLUMNS: readonly Column<
  PeerSnapshot & { now: number; verified: number; rejected: number }
>[] = [
  { title: 'NAME', value: (p) => p.name, shrinkTo: 12 },
  { title: 'STATE', value: (p) => p.state, color: (p) => STATE_COLOR[p.state] },
  { title: 'WIRE', value: (p) => p.wire },
  { title: 'CHATTY', value: (p) => (p.status ? String(p.status.chattiness) : '-'), align: 'right' },
  { title: 'LAST SEEN', value: (p) => formatAge(p.now - p.lastSeen), align: 'right' },
  { title: 'VERIFIED', value: (p) => String(p.verified), align: 'right' },
  { title: 'REJECTED', value: (p) => String(p.rejected), align: 'right' },
  { title: 'KEY', value: (p) => shortKey(p.publicKey) },
  { title: 'ID', value: (p) => `${p.naraId.slice(0, 10)}…` },
];

/**
 * `nara watch`: listens only (announces nothing, registers no will). On a terminal, a live table of
 * verified peers; with `--json` (or when stdout is not a terminal), one JSON line per verified event,
 * rejection and presence change.
 */
export async function runWatch(flags: Flags, io: CliIo): Promise<number> {
  const config = resolveWatchConfig(flags, io.env);
  const logger = loggerFor(config, io);
  // The dashboard is always served by a watcher: on loopback, a free port, unless NARA_HTTP says where.
  const started = await startUntilShutdown(
    { ...config, http: config.http ?? LOOPBACK_ANY_PORT },
    logger,
    {},
    { shutdown: io.shutdown },
  );
  if (!started) return 0;
  const { broker, node } = started;
  const dashboard = node.http ? `${node.http.url}/` : undefined;
  if (dashboard) logger.info('dashboard', { url: dashboard });
  const table = !config.json && io.stdout.isTTY === true;
  let timer: NodeJS.Timeout | undefined;
  const screen = new Screen(io.stdout);
  if (table) {
    const draw = () => {
      const now = Date.now();
      const peers = node.registry.snapshot().peers.map((p) => ({ ...p, now, ...node.received(p.name) }));
      const rejected =
        renderPrometheus(node.metrics).match(/^nara_envelopes_rejected_total\{[^}]*\} \d+/gm) ?? [];
      screen.draw({
        header: [
          `nara watch: ${broker.label}  (${node.connected ? 'connected' : 'not connected'}; listening only; Ctrl-C to quit)`,
          ...(dashboard ? [`dashboard: ${dashboard}`] : []),
          '',
        ],
        table:
          peers.length > 0
            ? renderTable(peers, PEER_COLUMNS, true, screen.size.columns)
            : ['no naras heard yet'],
        log: { title: 'rejections:', lines: rejected.map((l) => `  ${l}`) },
      });
    };
    draw();
    timer = setInterval(draw, 1000);
  } else {
    node.on((event) => {
      const json = eventJson(event, Date.now());
      if (json) io.stdout.write(`${JSON.stringify(json)}\n`);
    });
  }
  await untilAborted(io.shutdown);
  if (timer) clearInterval(timer);
  screen.leave();
  await within(node.close(), 2000);
  if (broker.embedded) await within(broker.embedded.close(), 500);
  return 0;
}
