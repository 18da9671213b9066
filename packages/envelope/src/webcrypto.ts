/**
 * The WebCrypto Ed25519 backend (Chromium 137+, Firefox 129+, Safari 17+, Node 20): the platform's own
 * verify, which is asynchronous. The policy stays where it is: an {@link EnvelopeVerifier} (or a
 * {@link SignatureChecker}) runs every step in order over a backend that only records the one equation it
 * is asked for; the equation is then handed to `crypto.subtle.verify`. Since the equation is the policy's
 * last signature step, the decision is the synchronous verifier's unless WebCrypto says no, and then it is
 * `bad-signature`, exactly where the other backends say it: the same reasons in the same order.
 */
import { checkSeed, type Ed25519Backend } from './backend.js';
import { EnvelopeVerifier } from './envelope.js';
import { nobleBackend } from './noble.js';
import { fromHex, type SignatureCheck, SignatureChecker } from './policy.js';
import { reject, signatureDetail } from './rejections.js';
import type { VerifyResult } from './types.js';

/** The part of `SubtleCrypto` this backend uses (structural, so no DOM types are needed). */
export interface Ed25519Subtle {
  importKey(
    format: 'raw',
    keyData: Uint8Array,
    algorithm: { name: 'Ed25519' },
    extractable: boolean,
    usages: ['verify'],
  ): Promise<unknown>;
  verify(
    algorithm: { name: 'Ed25519' },
    key: never,
    signature: Uint8Array,
    data: Uint8Array,
  ): Promise<boolean>;
}

/** A key the WebCrypto backend prepared: its import, started when the policy accepted the key. */
export interface WebCryptoKey {
  readonly imported: Promise<unknown>;
  /** The imported key once the import is done. */
  ready?: unknown;
}

/**
 * The synchronous half: a backend that answers "yes" to the equation and remembers it, so that the
 * verifier around it runs every other step, and asks WebCrypto for that equation meanwhile.
 */
class RecordingBackend implements Ed25519Backend<WebCryptoKey> {
  readonly name = 'webcrypto';
  /** The WebCrypto verdict of the equation the verifier asked for during the current call, if it asked. */
  recorded: Promise<boolean> | null = null;

  constructor(private readonly subtle: Ed25519Subtle) {}

  importKey(publicKey: Uint8Array): WebCryptoKey {
    const imported = this.subtle.importKey('raw', publicKey.slice(), { name: 'Ed25519' }, false, ['verify']);
    const key: WebCryptoKey = { imported };
    // A refused import is a failed equation (settled as false below), never an unhandled rejection.
    imported.then(
      (ready) => {
        key.ready = ready;
      },
      () => {},
    );
    return key;
  }

  verify(key: WebCryptoKey, message: Uint8Array, signature: Uint8Array): boolean {
    if (key.ready !== undefined) {
      // WebCrypto copies its arguments before it returns (the spec's "get a copy of the bytes"), so the
      // verifier's scratch space may be reused at once: no copy of ours.
      this.recorded = this.check(key.ready, signature, message);
    } else {
      const [m, s] = [message.slice(), signature.slice()];
      this.recorded = key.imported.then(
        (ready) => this.check(ready, s, m),
        () => false,
      );
    }
    return true;
  }

  private check(key: unknown, signature: Uint8Array, message: Uint8Array): Promise<boolean> {
    try {
      return this.subtle.verify({ name: 'Ed25519' }, key as never, signature, message).catch(() => false);
    } catch {
      return Promise.resolve(false);
    }
  }

  /** Signing is synchronous in this package, WebCrypto's is not: signers are noble's. */
  createSigner(seed: Uint8Array) {
    return nobleBackend.createSigner(checkSeed(seed));
  }

  /**
   * `run` with its equation settled by WebCrypto: run's verdict when there was no equation to ask (it was
   * decided before) or WebCrypto agrees, else `refused`.
   */
  deferred<A extends unknown[], R>(run: (...args: A) => R, refused: R): (...args: A) => Promise<R> {
    return async (...args: A) => {
      this.recorded = null;
      const result = run(...args);
      const verdict = this.recorded as Promise<boolean> | null;
      this.recorded = null;
      if (verdict === null || (await verdict)) return result;
      return refused;
    };
  }
}

/** A verifier whose verdicts are promises: the WebCrypto backend's, or a synchronous one's. */
export interface AsyncEnvelopeVerifier {
  /** `webcrypto` or the synchronous backend's name. */
  readonly backend: string;
  /** As {@link EnvelopeVerifier.verify}: the same checks, order and reasons. Never rejects on hostile bytes. */
  verify(topic: string, bytes: Uint8Array): Promise<VerifyResult>;
}

/** A raw-message policy checker whose verdicts are promises. */
export interface AsyncSignatureChecker {
  readonly backend: string;
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<SignatureCheck>;
}

/** Options of {@link createAsyncVerifier}. */
export interface AsyncVerifierOptions {
  /** `auto` (default: WebCrypto when it verifies Ed25519, else noble), `webcrypto` or `noble`. */
  backend?: 'auto' | 'webcrypto' | 'noble';
  maxBytes?: number;
  keyCacheSize?: number;
  /** Another SubtleCrypto than `globalThis.crypto.subtle` (tests). */
  subtle?: Ed25519Subtle;
}

// RFC 8032 section 7.1, test 1: an empty message, its key and signature.
const PROBE_KEY = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const PROBE_SIGNATURE =
  'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';

function platformSubtle(): Ed25519Subtle | undefined {
  return (globalThis as { crypto?: { subtle?: Ed25519Subtle } }).crypto?.subtle;
}

/**
 * Whether this platform's WebCrypto verifies Ed25519: a known-good signature (RFC 8032) must verify and a
 * tampered one must not.
 *
 * @example
 * ```ts
 * if (await webCryptoEd25519Available()) console.log('verifying with the platform');
 * ```
 */
export async function webCryptoEd25519Available(subtle = platformSubtle()): Promise<boolean> {
  if (subtle === undefined) return false;
  try {
    const key = (await subtle.importKey('raw', fromHex(PROBE_KEY), { name: 'Ed25519' }, false, [
      'verify',
    ])) as never;
    const signature = fromHex(PROBE_SIGNATURE);
    const good = await subtle.verify({ name: 'Ed25519' }, key, signature, new Uint8Array(0));
    signature[0]! ^= 1;
    const bad = await subtle.verify({ name: 'Ed25519' }, key, signature, new Uint8Array(0));
    return good && !bad;
  } catch {
    return false;
  }
}

async function chooseSubtle(options: AsyncVerifierOptions): Promise<Ed25519Subtle | null> {
  const choice = options.backend ?? 'auto';
  if (choice !== 'auto' && choice !== 'webcrypto' && choice !== 'noble')
    throw new TypeError('backend must be "auto", "webcrypto" or "noble"');
  if (choice === 'noble') return null;
  const subtle = options.subtle ?? platformSubtle();
  const available = subtle !== undefined && (await webCryptoEd25519Available(subtle));
  if (available) return subtle!;
  if (choice === 'webcrypto') throw new TypeError('this platform has no WebCrypto Ed25519');
  return null;
}

/**
 * Creates an envelope verifier with promised verdicts: WebCrypto Ed25519 where the platform has it (the
 * browser's default), noble otherwise. Identical decisions to {@link createVerifier} on every input.
 * There is no verify-once cache: a duplicate is verified again.
 *
 * @example
 * ```ts
 * const verifier = await createAsyncVerifier();
 * const result = await verifier.verify('nara/plaza/hey-there', bytes);
 * console.log(verifier.backend, result.ok ? result.envelope.name : result.reason);
 * ```
 */
export async function createAsyncVerifier(
  options: AsyncVerifierOptions = {},
): Promise<AsyncEnvelopeVerifier> {
  const subtle = await chooseSubtle(options);
  const init = { maxBytes: options.maxBytes, keyCacheSize: options.keyCacheSize, duplicateCacheSize: 0 };
  if (subtle === null) {
    const sync = new EnvelopeVerifier({ backend: nobleBackend, ...init });
    return { backend: sync.backend, verify: async (topic, bytes) => sync.verify(topic, bytes) };
  }
  const recording = new RecordingBackend(subtle);
  // No verify-once cache: it would keep an envelope as verified before WebCrypto had its say.
  const inner = new EnvelopeVerifier({ backend: recording, ...init });
  const refused: VerifyResult = Object.freeze(reject('bad-signature', signatureDetail('bad-signature')));
  return {
    backend: recording.name,
    verify: recording.deferred((t: string, b: Uint8Array) => inner.verify(t, b), refused),
  };
}

/**
 * Creates a raw-message policy checker with promised verdicts (WebCrypto where available, else noble).
 *
 * @example
 * ```ts
 * const checker = await createAsyncSignatureChecker();
 * console.log(await checker.verify(publicKey, message, signature)); // { ok: true } or { ok: false, reason }
 * ```
 */
export async function createAsyncSignatureChecker(
  options: Omit<AsyncVerifierOptions, 'maxBytes'> = {},
): Promise<AsyncSignatureChecker> {
  const subtle = await chooseSubtle(options);
  if (subtle === null) {
    const sync = new SignatureChecker({ backend: nobleBackend, keyCacheSize: options.keyCacheSize });
    return { backend: sync.backend, verify: async (k, m, s) => sync.verify(k, m, s) };
  }
  const recording = new RecordingBackend(subtle);
  const inner = new SignatureChecker({ backend: recording, keyCacheSize: options.keyCacheSize });
  const refused: SignatureCheck = Object.freeze({ ok: false, reason: 'bad-signature' });
  const verify = (k: Uint8Array, m: Uint8Array, s: Uint8Array) => inner.verify(k, m, s);
  return { backend: recording.name, verify: recording.deferred(verify, refused) };
}
