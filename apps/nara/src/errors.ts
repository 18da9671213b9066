/**
 * What the binary reports as one line and a non-zero exit, never as a stack trace. Messages are written
 * for the person at the terminal and never carry a secret (soul, password): they name the setting, not
 * its value.
 */

/** The command line or the environment is wrong: a flag, a value, a file. Exit code 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly exitCode = 2;
}

/** The identity cannot be built from the soul and name given. Exit code 2. */
export class IdentityError extends Error {
  override readonly name = 'IdentityError';
  readonly exitCode = 2;
}

import type { StartError } from '@nara/plaza';

/** Starting failed for a reason outside the configuration: broker unreachable, refused, port taken. Exit 1. */
export { StartError } from '@nara/plaza';

/** Errors the CLI turns into one line. */
export type UserFacingError = ConfigError | IdentityError | StartError;

export function isUserFacingError(error: unknown): error is UserFacingError {
  return (
    error instanceof Error &&
    (error.name === 'ConfigError' || error.name === 'IdentityError' || error.name === 'StartError') &&
    'exitCode' in error
  );
}
