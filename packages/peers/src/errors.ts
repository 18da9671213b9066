/**
 * Thrown by `ingest` and `pin` after `close()`: feeding a closed registry is the caller's mistake. Match by
 * `.name === 'RegistryClosedError'`.
 */
export class RegistryClosedError extends Error {
  override readonly name = 'RegistryClosedError';
  constructor() {
    super('the peer registry is closed');
  }
}
