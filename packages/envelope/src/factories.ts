/**
 * The factories each entry point exposes, parameterised by the backends that entry can load: the browser
 * entry only has noble; the Node entry adds node:crypto and makes it the default.
 */
import type { BackendChoice, Ed25519Backend } from './backend.js';
import { EnvelopeVerifier } from './envelope.js';
import { BackendUnavailableError } from './errors.js';
import { nobleBackend } from './noble.js';
import { SignatureChecker } from './policy.js';
import type { Signer } from './types.js';

/** Options of `createVerifier`. */
export interface VerifierOptions {
  /** `auto` (default: node:crypto on Node, noble elsewhere), `node`, `noble`, or a backend object. */
  backend?: BackendChoice;
  /** Envelopes longer than this are rejected before decoding. Default 16 KiB. */
  maxBytes?: number;
  /** Public keys whose policy verdict and imported form are cached (LRU). Default 4096. */
  keyCacheSize?: number;
}

/** Options of `createSigner` and `createSignatureChecker`. */
export interface BackendOptions {
  backend?: BackendChoice;
}

export interface Factories {
  resolveBackend(choice?: BackendChoice): Ed25519Backend;
  createVerifier(options?: VerifierOptions): EnvelopeVerifier;
  createSigner(seed: Uint8Array, options?: BackendOptions): Signer;
  createSignatureChecker(options?: BackendOptions & { keyCacheSize?: number }): SignatureChecker;
}

export function factories(auto: Ed25519Backend, node: Ed25519Backend | null): Factories {
  function resolveBackend(choice: BackendChoice = 'auto'): Ed25519Backend {
    if (typeof choice === 'object' && choice !== null && typeof choice.verify === 'function') return choice;
    switch (choice) {
      case 'auto':
        return auto;
      case 'noble':
        return nobleBackend;
      case 'node':
        if (node === null)
          throw new BackendUnavailableError(
            'the node backend is only in the Node entry point (the "node" export condition or @nara/envelope/node)',
          );
        return node;
      default:
        throw new TypeError('backend must be "auto", "node", "noble" or an Ed25519Backend');
    }
  }
  return {
    resolveBackend,
    createVerifier(options = {}) {
      return new EnvelopeVerifier({
        backend: resolveBackend(options.backend),
        maxBytes: options.maxBytes,
        keyCacheSize: options.keyCacheSize,
      });
    },
    createSigner(seed, options = {}) {
      return resolveBackend(options.backend).createSigner(seed);
    },
    createSignatureChecker(options = {}) {
      return new SignatureChecker({
        backend: resolveBackend(options.backend),
        keyCacheSize: options.keyCacheSize,
      });
    },
  };
}
