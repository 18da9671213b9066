import type { IdentityRejection } from './identity.js';
import type { SoulRejection } from './soul.js';

/**
 * Thrown where a soul is required and the text or bytes given are not one. The message says what is wrong
 * without quoting any of the input. Match by `.name === 'InvalidSoulError'`.
 */
export class InvalidSoulError extends Error {
  override readonly name = 'InvalidSoulError';
  constructor(
    readonly reason: SoulRejection,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Thrown when no usable identity follows from a name and a soul: the soul is invalid, it is not bonded to the
 * name, or there is no name. The message never contains the soul. Match by `.name === 'IdentityError'`.
 */
export class IdentityError extends Error {
  override readonly name = 'IdentityError';
  constructor(
    readonly reason: IdentityRejection,
    message: string,
    /** Why the soul was refused, when `reason` is `invalid-soul`. */
    readonly soulReason?: SoulRejection,
  ) {
    super(message);
  }
}
