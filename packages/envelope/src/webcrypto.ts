/**
 * The WebCrypto Ed25519 backend (Chromium 137+, Firefox 129+, Safari 17+, Node 20), whose verify is
 * asynchronous. The usual verifier runs every step over a backend that records the one equation it asks
 * for, which `crypto.subtle.verify` then settles: the equation being the last signature step, the decision
 * is the synchronous verifier's unless WebCrypto says no, and then `bad-signature`, as on other backends.
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

/** The synchronous half: answers "yes" to the equation and asks WebCrypto for it meanwhile. */
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
      // WebCrypto copies its arguments before it returns, so the verifier's scratch space may be reused.
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

  /** `run` with its equation settled by WebCrypto: run's verdict unless WebCrypto refuses it, then `refused`. */
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
 * Whether this platform's WebCrypto verifies Ed25519: RFC 8032's signature verifies and a tampered one not.
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
 * Creates an envelope verifier with promised verdicts: WebCrypto Ed25519 where the platform has it, noble
 * otherwise; identical decisions to `createVerifier`. No verify-once cache.
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
  const { maxBytes, keyCacheSize } = options;
  // No verify-once cache: it would keep an envelope as verified before WebCrypto had its say.
  const make = (backend: Ed25519Backend) =>
    new EnvelopeVerifier({ backend, maxBytes, keyCacheSize, duplicateCacheSize: 0 });
  return promised(options, make, reject('bad-signature', signatureDetail('bad-signature')));
}

/** A verifier `make` makes, with its verdicts promised: over WebCrypto (its equation deferred) or noble. */
async function promised<A extends unknown[], R>(
  options: AsyncVerifierOptions,
  make: (backend: Ed25519Backend) => { readonly backend: string; verify(...args: A): R },
  refused: R,
): Promise<{ backend: string; verify(...args: A): Promise<R> }> {
  const subtle = await chooseSubtle(options);
  if (subtle === null) {
    const sync = make(nobleBackend);
    return { backend: sync.backend, verify: async (...args: A) => sync.verify(...args) };
  }
  const recording = new RecordingBackend(subtle);
  const inner = make(recording);
  return {
    backend: recording.name,
    verify: recording.deferred((...args: A) => inner.verify(...args), Object.freeze(refused)),
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
  const make = (backend: Ed25519Backend) =>
    new SignatureChecker({ backend, keyCacheSize: options.keyCacheSize });
  return promised(options, make, { ok: false, reason: 'bad-signature' } as SignatureCheck);
}
