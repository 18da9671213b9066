/**
 * The peer registry of the nara plaza: it turns verified envelopes into a picture of who is there. Keys
 * are pinned on first use (or seeded), replays and stale epochs are refused, presence follows hey-there,
 * newspapers, chau and signed wills, and silence past a peer's own promise makes it MISSING. Bounded, with
 * events and a JSON snapshot. Runs in Node and in browsers.
 *
 * @packageDocumentation
 */
export { toBase64 } from './encoding.js';
export { RegistryClosedError } from './errors.js';
export { createPeerRegistry } from './registry.js';
export type { PeerRegistry, PeerRegistryComponents, PeerRegistryOptions } from './registry-api.js';
export * from './types.js';
