/**
 * What the main thread and the verify workers say to each other. A batch is one transferred ArrayBuffer of
 * records `[u32le length][32-byte key][64-byte signature][length bytes of Sig_structure]`; the answer is one
 * byte per record: 0 for a good signature, else 1 + the index of the rejection in {@link VERDICT_CODES}.
 */
import { ED25519_POLICY_REASONS, type SignatureRejection } from '@nara/envelope/node';

/** What a worker is started with. */
export interface WorkerInit {
  backend: string;
  keyCacheSize?: number;
}

export interface BatchRequest {
  id: number;
  count: number;
  buffer: ArrayBuffer;
}

export interface BatchVerdicts {
  id: number;
  verdicts: ArrayBuffer;
}

/** Every rejection a worker can answer with, in a fixed order (the wire code is 1 + the index). */
export const VERDICT_CODES: readonly SignatureRejection[] = Object.freeze([
  ...ED25519_POLICY_REASONS,
  'bad-kid',
]);

/** Bytes of a record before its Sig_structure. */
export const RECORD_HEAD = 4 + 32 + 64;
