import type { NaraEvent } from '@nara/plaza';
import type { Logger } from './logger.js';

/** How often one kind of rejection from one sender is logged: once per this window, with counts. */
export const REJECTION_LOG_WINDOW_MS = 60_000;

/** Senders and reasons tallied one by one; beyond this, one tally per reason for all the others. */
const MAX_TALLIES = 1000;

interface Tally {
  loggedAt: number;
  /** Rejections since the last line. */
  since: number;
  total: number;
  last: Extract<NaraEvent, { type: 'rejected' }>;
  others: boolean;
}

/**
 * Turns a nara's events into the log lines a person needs, without drowning them:
 *
 * - rejections at `info`, once per sender and reason per minute, each line with how many there were since
 *   the last one and in all (a flood of forgeries is one line a minute, not thousands);
 * - a warning, on both sides, when another process speaks with this nara's own soul: its key, another
 *   epoch, both alive. One connection has one epoch, so two epochs heard under this nara's own name in
 *   messages sent since it connected are two live copies (an old retained newspaper, sent before, is not).
 *   Watchers would otherwise quietly keep whichever copy spoke last and refuse the other as `stale-epoch`.
 *
 * Returns a function that stops the periodic summary.
 */
export function attachNotices(
  on: (listener: (event: NaraEvent) => void) => () => void,
  logger: Logger,
  ownName: string | undefined,
  now: () => number = Date.now,
): () => void {
  const tallies = new Map<string, Tally>();
  let twinWarnedAt = Number.NEGATIVE_INFINITY;
  // Attached once the nara is connected: now is when its current connection began, give or take.
  let connectedAt = now();
  const ownEpochs = new Set<string>();

  const line = (t: Tally) => {
    const e = t.last;
    logger.info('rejected messages', {
      peer: t.others ? '(many others)' : (e.name ?? null),
      reason: e.reason,
      stage: e.stage,
      topic: e.topic,
      ...(e.detail !== undefined ? { detail: e.detail } : {}),
      count: t.since,
      total: t.total,
      windowSec: REJECTION_LOG_WINDOW_MS / 1000,
    });
    t.loggedAt = now();
    t.since = 0;
  };

  /**
   * Messages under this nara's name are signed with its key (the registry refuses another key under the
   * name before anything else), so one taken, or refused as of an old epoch, was said by a process holding
   * this soul. The other copy's messages are refused here once this one has said hey-there (its epoch is
   * newer than theirs), so those count too.
   */
  function noteOwnEpoch(event: Extract<NaraEvent, { type: 'accepted' | 'rejected' }>): void {
    const e = event.envelope;
    // A second of slack for clocks; an old retained newspaper is far older than that.
    if (e === undefined || ownName === undefined || e.name !== ownName || e.time < connectedAt - 1000) return;
    if (event.type === 'rejected' && event.reason !== 'stale-epoch') return;
    ownEpochs.add(Buffer.from(e.epoch).toString('hex'));
    if (ownEpochs.size < 2 || now() - twinWarnedAt < 5 * REJECTION_LOG_WINDOW_MS) return;
    twinWarnedAt = now();
    logger.warn(
      `another process is running as ${JSON.stringify(ownName)} with the same soul (same key, another connection epoch, both alive): watchers keep only the copy that spoke last; stop one of them`,
      { name: ownName, epochs: [...ownEpochs] },
    );
  }

  const off = on((event) => {
    if (event.type === 'connected') {
      connectedAt = now();
      ownEpochs.clear();
      return;
    }
    if (event.type === 'accepted' || event.type === 'rejected') noteOwnEpoch(event);
    if (event.type !== 'rejected') return;
    let key = `${event.name ?? ''}\u0000${event.reason}`;
    // Forged names are free to invent: past a bound, the rest share one line per reason.
    if (!tallies.has(key) && tallies.size >= MAX_TALLIES) key = `\u0001others\u0000${event.reason}`;
    const t = tallies.get(key);
    if (t === undefined) {
      const fresh = { loggedAt: 0, since: 1, total: 1, last: event, others: key.startsWith('\u0001') };
      tallies.set(key, fresh);
      line(fresh);
    } else {
      t.since += 1;
      t.total += 1;
      t.last = event;
      if (now() - t.loggedAt >= REJECTION_LOG_WINDOW_MS) line(t);
    }
  });

  // Counts of a burst that stopped still get their line.
  const timer = setInterval(() => {
    for (const t of tallies.values())
      if (t.since > 0 && now() - t.loggedAt >= REJECTION_LOG_WINDOW_MS) line(t);
  }, REJECTION_LOG_WINDOW_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    off();
  };
}
