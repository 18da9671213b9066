/**
 * Key succession (docs/PROTOCOL.md section 12): the commitment a peer's messages carry is pinned with its
 * key, and a succession signed by the committed next key moves the pin. Pure judgments over a peer's
 * chain; the registry applies them.
 */
import { fulfils, type VerifiedEnvelope } from '@nara/envelope';
import { bytesEqual, toBase64, toHex } from './encoding.js';
import type { PeerRejectReason } from './types.js';

/** The succession state of one peer, kept in its record. */
export interface ChainState {
  /** The pinned key, base64. */
  publicKeyB64: string;
  /** The pinned commitment to the next key: null when none was made, 0 bytes when retired. */
  commitment: Uint8Array | null;
  /** The keys this name moved away from, oldest first, base64, with when the move was accepted. */
  readonly chain: { readonly publicKey: string; readonly until: number }[];
}

/** How many earlier keys a record keeps (older ones still count in `successions`). */
export const MAX_CHAIN = 16;

export type SuccessionVerdict =
  /** Not a move: judge the envelope as any other message of the pinned key. */
  | null
  /** The pin moved to the envelope's key. */
  | 'moved'
  | { readonly reason: PeerRejectReason; readonly detail: string };

/** Whether `publicKeyB64` is a key this name already moved away from. */
export function isRetiredKey(state: ChainState, publicKeyB64: string): boolean {
  return state.chain.some((link) => link.publicKey === publicKeyB64);
}

/**
 * Judges a succession envelope against the peer's pinned key and commitment, in the order of
 * docs/PROTOCOL.md section 12.3. Moves the pin (and returns 'moved') when every check passes.
 */
export function judgeSuccession(
  state: ChainState,
  env: VerifiedEnvelope<'succession'>,
  now: number,
): SuccessionVerdict {
  const key = toBase64(env.publicKey);
  const previous = toBase64(env.body.previous);
  if (key === state.publicKeyB64) {
    // The move this name already made, announced again (at each connect): an ordinary message, if it names
    // the key it moved from.
    const last = state.chain.at(-1);
    if (last !== undefined && last.publicKey === previous) return null;
    return fail('succession-wrong-previous', 'the pinned key announces a move from a key it never held');
  }
  if (isRetiredKey(state, key))
    return fail('succession-replay', 'a succession to a key this name has already moved away from');
  if (previous !== state.publicKeyB64)
    return fail('succession-wrong-previous', 'the succession does not name the pinned key as previous');
  if (state.commitment === null)
    return fail('succession-not-committed', 'the pinned key committed to no next key: the name cannot move');
  if (state.commitment.length === 0)
    return fail('succession-retired', 'the pinned key committed to having no successor');
  if (!fulfils(state.commitment, env.publicKey))
    return fail('succession-wrong-key', 'the new key is not the one the pinned commitment names');
  state.chain.push({ publicKey: state.publicKeyB64, until: now });
  if (state.chain.length > MAX_CHAIN) state.chain.shift();
  state.publicKeyB64 = key;
  // A succession always carries a commitment (the envelope schema requires it).
  state.commitment = env.commitment!.slice();
  return 'moved';
}

/**
 * Checks a message of the pinned key against the pinned commitment: it must carry that commitment; a key
 * that committed to nothing yet pins the first commitment it sends.
 */
export function checkCommitment(
  state: ChainState,
  commitment: Uint8Array | undefined,
): { readonly reason: PeerRejectReason; readonly detail: string } | null {
  if (state.commitment === null) {
    if (commitment !== undefined) state.commitment = commitment.slice();
    return null;
  }
  if (commitment === undefined || !bytesEqual(commitment, state.commitment))
    return fail('commitment-mismatch', 'the message does not carry the commitment pinned with this key');
  return null;
}

/** Whether a message's commitment (or its absence) is exactly `pinned`. */
export function sameCommitment(commitment: Uint8Array | undefined, pinned: Uint8Array): boolean {
  return commitment !== undefined && bytesEqual(commitment, pinned);
}

/** The commitment as the snapshot shows it: lowercase hex, `''` for retired, null for none. */
export function commitmentText(commitment: Uint8Array | null): string | null {
  return commitment === null ? null : toHex(commitment);
}

function fail(reason: PeerRejectReason, detail: string) {
  return { reason, detail } as const;
}
