/**
 * A Go newspaper carries no time and no sequence number, so a captured one stays valid forever. This guard
 * bounds what a replay can do (docs/SECURITY.md): per sender it remembers the last signatures accepted and
 * the host uptime of the last newspaper, and refuses
 *
 * - a newspaper whose signature is one of the last {@link ReplayGuardOptions.remember} accepted (identical
 *   bytes sign identically: Ed25519 is deterministic);
 * - a host uptime that went down while no reboot fits in between (it is above the seconds elapsed since the
 *   last accepted newspaper, plus slack);
 * - a host uptime that went up faster than the clock.
 */
export interface ReplayGuardOptions {
  /** Signatures remembered per sender (default 16). */
  readonly remember?: number;
  /** Seconds of slack for clocks and delivery (default 10). */
  readonly slackSeconds?: number;
  /** Senders remembered; the oldest is forgotten beyond it (default 10,000). */
  readonly maxSenders?: number;
}

interface Sender {
  readonly seen: Float64Array;
  next: number;
  uptime: number;
  at: number;
}

/** Why a newspaper was judged a replay, or null. */
export type ReplayVerdict = null | 'identical' | 'uptime-backwards' | 'uptime-too-fast';

export class NewspaperReplayGuard {
  readonly #remember: number;
  readonly #slack: number;
  readonly #max: number;
  readonly #senders = new Map<string, Sender>();

  constructor(options: ReplayGuardOptions = {}) {
    this.#remember = options.remember ?? 16;
    this.#slack = options.slackSeconds ?? 10;
    this.#max = options.maxSenders ?? 10_000;
  }

  /** Judges a verified newspaper from `name` (signature text, host uptime in s) at `nowMs`; changes nothing. */
  check(name: string, signature: string, uptime: number, nowMs: number): ReplayVerdict {
    const sender = this.#senders.get(name);
    if (sender === undefined) return null;
    const tag = signatureTag(signature);
    if (sender.seen.includes(tag)) return 'identical';
    if (uptime === 0 || sender.uptime === 0) return null;
    const elapsed = Math.max(0, (nowMs - sender.at) / 1000);
    if (uptime < sender.uptime) return uptime <= elapsed + this.#slack ? null : 'uptime-backwards';
    return uptime <= sender.uptime + elapsed + this.#slack ? null : 'uptime-too-fast';
  }

  /** Records an accepted newspaper. */
  accept(name: string, signature: string, uptime: number, nowMs: number): void {
    let sender = this.#senders.get(name);
    if (sender === undefined) {
      if (this.#senders.size >= this.#max) {
        const oldest = this.#senders.keys().next();
        if (!oldest.done) this.#senders.delete(oldest.value);
      }
      sender = { seen: new Float64Array(this.#remember).fill(-1), next: 0, uptime: 0, at: nowMs };
      this.#senders.set(name, sender);
    }
    sender.seen[sender.next] = signatureTag(signature);
    sender.next = (sender.next + 1) % this.#remember;
    sender.uptime = uptime;
    sender.at = nowMs;
  }

  forget(name: string): void {
    this.#senders.delete(name);
  }

  get size(): number {
    return this.#senders.size;
  }
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** 48 bits of a signature (its first 8 base64 characters) as a number: enough to tell honest ones apart. */
function signatureTag(signature: string): number {
  let tag = 0;
  for (let i = 0; i < 8; i++) tag = tag * 64 + Math.max(0, B64.indexOf(signature[i] ?? 'A'));
  return tag;
}
