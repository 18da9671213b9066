import type { NewspaperBody, NewspaperStatus } from '@nara/envelope';
import type { MissingCause, PeerSnapshot, PeerState, PeerWire, PinSource } from './types.js';

/** What a {@link PeerView} is made from: a registry record at one moment. */
export interface ViewSource {
  readonly name: string;
  readonly publicKeyB64: string;
  readonly pin: PinSource;
  readonly naraId: string;
  /** Bit 1: heard on plaza/1; bit 2: heard on the Go wire. */
  readonly wires: number;
  readonly state: PeerState;
  readonly missingCause: MissingCause | null;
  /** The body of the last accepted newspaper, or null before the first one. */
  readonly news: NewspaperBody | null;
  readonly meshIp: string | null;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly epoch: string;
  readonly seq: number;
}

/**
 * A {@link PeerSnapshot} whose `status` is read from the newspaper body only when someone reads it. Every
 * ingest returns a snapshot; reading the status there would decode each newspaper's status as it arrives,
 * which a verified envelope leaves for when (if ever) it is wanted.
 *
 * `status` is an own, enumerable property (an accessor on one shared descriptor), so spreading,
 * `JSON.stringify` and deep equality see the same plain object as before, keys in the same order.
 */
export class PeerView implements PeerSnapshot {
  static #statusProperty: PropertyDescriptor;
  static {
    PeerView.#statusProperty = {
      get(this: PeerView): Readonly<NewspaperStatus> | null {
        return this.#news === null ? null : this.#news.status;
      },
      enumerable: true,
      configurable: false,
    };
  }

  readonly #news: NewspaperBody | null;
  declare readonly name: string;
  declare readonly publicKey: string;
  declare readonly pin: PinSource;
  declare readonly naraId: string;
  declare readonly wire: PeerWire;
  declare readonly state: PeerState;
  declare readonly missingCause: MissingCause | null;
  declare readonly status: Readonly<NewspaperStatus> | null;
  declare readonly meshIp: string | null;
  declare readonly firstSeen: number;
  declare readonly lastSeen: number;
  declare readonly epoch: string;
  declare readonly seq: number;
  declare readonly deadline: number | null;
  declare readonly clockOffsetMs: number | null;
  declare readonly reconnects: number;

  constructor(r: ViewSource, deadline: number | null, clockOffsetMs: number | null, reconnects: number) {
    this.#news = r.news;
    // Assigned in PeerSnapshot's order, status in its place: the keys JSON and spreading show.
    const self = this as { -readonly [K in keyof PeerSnapshot]: PeerSnapshot[K] };
    self.name = r.name;
    self.publicKey = r.publicKeyB64;
    self.pin = r.pin;
    self.naraId = r.naraId;
    self.wire = r.wires === 1 ? 'plaza' : r.wires === 2 ? 'legacy' : 'both';
    self.state = r.state;
    self.missingCause = r.missingCause;
    Object.defineProperty(this, 'status', PeerView.#statusProperty);
    self.meshIp = r.meshIp;
    self.firstSeen = r.firstSeen;
    self.lastSeen = r.lastSeen;
    self.epoch = r.epoch;
    self.seq = r.seq;
    self.deadline = deadline;
    self.clockOffsetMs = clockOffsetMs;
    self.reconnects = reconnects;
  }
}
