import type { FilterRejection } from './filters.js';
import type { NameRejection } from './names.js';

/** Thrown by builders given a name that would corrupt a topic. Match by `.name === 'InvalidNameError'`. */
export class InvalidNameError extends Error {
  override readonly name = 'InvalidNameError';
  constructor(
    readonly reason: NameRejection,
    message: string,
  ) {
    super(message);
  }
}

/** Thrown when an MQTT subscription filter is malformed. Match by `.name === 'InvalidFilterError'`. */
export class InvalidFilterError extends Error {
  override readonly name = 'InvalidFilterError';
  constructor(
    readonly reason: FilterRejection,
    message: string,
  ) {
    super(message);
  }
}
