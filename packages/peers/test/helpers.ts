import {
  type AnyEnvelopeContent,
  createSigner,
  createVerifier,
  type NewspaperStatus,
  type Signer,
  signEnvelope,
  type VerifiedEnvelope,
} from '@nara/envelope/node';
import { CHAU_TOPIC, HEY_THERE_TOPIC, newspaperTopic, STASH_REFRESH_TOPIC } from '@nara/topics';

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** A short base58 nara ID for test naras (the registry only compares IDs). */
export function testNaraId(n: number): string {
  let s = '';
  let x = n + 1;
  while (x > 0) {
    s = BASE58[x % 58]! + s;
    x = Math.floor(x / 58);
  }
  return `nara${s}`;
}

/** A deterministic 32-byte seed from a number. */
export function testSeed(n: number): Uint8Array {
  const seed = new Uint8Array(32);
  new DataView(seed.buffer).setUint32(0, n + 1);
  seed[31] = 0x5a;
  return seed;
}

export const verifier = createVerifier();

/** Verifies for real: the registry only ever sees what a verifier produced. */
export function verified(topic: string, bytes: Uint8Array): VerifiedEnvelope {
  const result = verifier.verify(topic, bytes);
  if (!result.ok) throw new Error(`test envelope did not verify: ${result.reason} ${result.detail}`);
  return result.envelope;
}

export const defaultStatus: NewspaperStatus = { chattiness: 50, buzz: 10, flair: '🌱' };

/**
 * A nara that signs real plaza/1 envelopes with the clock of the test. `connect()` starts a new epoch and
 * returns its will (signed first, seq 0), as a transport's will provider would.
 */
export class TestNara {
  signer: Signer;
  /** The commitment to the next key carried in every message, when set. */
  commitment: Uint8Array | undefined;
  epoch = new Uint8Array(8);
  seq = 0;
  private epochs = 0;

  constructor(
    readonly name: string,
    readonly index: number,
    readonly naraId: string = testNaraId(index),
    signer?: Signer,
  ) {
    this.signer = signer ?? createSigner(testSeed(index));
  }

  get publicKey(): Uint8Array {
    return this.signer.publicKey;
  }

  /** A new connection epoch; returns the will for it (chau `lost`, seq 0, time = now). */
  connect(time = Date.now()): Uint8Array {
    this.epochs += 1;
    this.epoch = new Uint8Array(8);
    const view = new DataView(this.epoch.buffer);
    view.setUint32(0, this.index);
    view.setUint32(4, this.epochs);
    this.seq = 0;
    return this.sign(CHAU_TOPIC, 'chau', { reason: 'lost' }, time);
  }

  heyThere(time = Date.now(), meshIp?: string): Uint8Array {
    return this.sign(HEY_THERE_TOPIC, 'hey-there', meshIp === undefined ? {} : { meshIp }, time);
  }

  newspaper(nextInMs: number, time = Date.now(), status: NewspaperStatus = defaultStatus): Uint8Array {
    return this.sign(newspaperTopic(this.name), 'newspaper', { status, next: time + nextInMs }, time);
  }

  chau(time = Date.now()): Uint8Array {
    return this.sign(CHAU_TOPIC, 'chau', { reason: 'left' }, time);
  }

  stashRefresh(time = Date.now()): Uint8Array {
    return this.sign(STASH_REFRESH_TOPIC, 'stash-refresh', {}, time);
  }

  /** Signs arbitrary content fields over this nara's current epoch, for crafted cases. */
  sign(
    topic: string,
    kind: AnyEnvelopeContent['kind'],
    body: unknown,
    time: number,
    seq?: number,
  ): Uint8Array {
    const content = {
      kind,
      name: this.name,
      naraId: this.naraId,
      epoch: this.epoch,
      seq: seq ?? this.seq++,
      time,
      body,
      ...(this.commitment === undefined ? {} : { commitment: this.commitment }),
    } as AnyEnvelopeContent;
    return signEnvelope(this.signer, topic, content);
  }

  /** Verified forms of the helpers above. */
  v = {
    connect: (time = Date.now()) => verified(CHAU_TOPIC, this.connect(time)),
    heyThere: (time = Date.now(), meshIp?: string) => verified(HEY_THERE_TOPIC, this.heyThere(time, meshIp)),
    newspaper: (nextInMs: number, time = Date.now(), status?: NewspaperStatus) =>
      verified(newspaperTopic(this.name), this.newspaper(nextInMs, time, status)),
    chau: (time = Date.now()) => verified(CHAU_TOPIC, this.chau(time)),
    stashRefresh: (time = Date.now()) => verified(STASH_REFRESH_TOPIC, this.stashRefresh(time)),
  };
}
