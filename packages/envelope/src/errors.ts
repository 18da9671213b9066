import type { RejectReason } from './types.js';

/**
 * Thrown when signing content that plaza/1 cannot carry (a field of the wrong type, out of range, too long,
 * or content that does not match the topic). That is the caller's mistake, not hostile input; `reason` is
 * the code a receiver would have rejected it with. Match by `.name === 'InvalidContentError'`.
 */
export class InvalidContentError extends TypeError {
  override readonly name = 'InvalidContentError';
  constructor(
    readonly reason: RejectReason,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Thrown when a backend is asked for where it cannot run (the node:crypto backend outside Node, or from the
 * browser entry point). Match by `.name === 'BackendUnavailableError'`.
 */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
}
