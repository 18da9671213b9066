/**
 * The Node entry point (the `node` export condition, or `@nara/envelope/node`): the whole API, with the
 * fastest native backend as the default, and the backends themselves.
 *
 * @packageDocumentation
 */
import { factories } from './factories.js';
import { nodeBackend } from './node/backend.js';
import { loadSodiumBackend } from './node/sodium.js';

export * from './index.js';
export { nodeBackend } from './node/backend.js';
export { loadSodiumBackend } from './node/sodium.js';

/** The factories, as in the portable entry point, with `auto` libsodium when sodium-native loads, else node:crypto. */
export const { resolveBackend, createVerifier, createSigner, createSignatureChecker } = factories(
  { auto: () => loadSodiumBackend() ?? nodeBackend, node: () => nodeBackend, sodium: loadSodiumBackend },
  true,
);
