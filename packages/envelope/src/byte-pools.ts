/** Byte areas reused or carved from shared blocks: scratch space, pools, and private copies. */

/**
 * A growable byte area reused across calls. Typed arrays above 64 bytes live off the V8 heap and cost far
 * more to allocate than to fill, so the hot paths write into scratch space and copy once into the result.
 * A view from `get` is valid until the next `get` on the same scratch.
 */
export class Scratch {
  private buf: Uint8Array;
  /**
   * The views handed out, by length: a receiver sees the same few lengths again and again, and a new view
   * per call was a tenth of the allocation of a verified envelope.
   */
  private views: (Uint8Array | undefined)[] = [];

  constructor(initial = 1024) {
    this.buf = new Uint8Array(initial);
  }

  get(length: number): Uint8Array {
    const known = this.views[length];
    if (known !== undefined) return known;
    if (length > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < length) size *= 2;
      this.buf = new Uint8Array(size);
      this.views = [];
    }
    const view = this.buf.subarray(0, length);
    // Bounded, and a dense enough array to stay one.
    if (length <= 4096) this.views[length] = view;
    return view;
  }
}

const POOL_SIZE = 64 * 1024;

/**
 * Small byte arrays carved from 64 KiB chunks (as Node's Buffer does), so that each one does not pay for an
 * off-heap allocation of its own. A carved array's `.buffer` holds other arrays of the same pool.
 */
export class BytePool {
  // The first chunk is made on first use.
  private chunk = new ArrayBuffer(0);
  private offset: number;

  /** Chunks of `chunkSize` bytes; arrays above an eighth of it get an ArrayBuffer of their own. */
  constructor(private readonly chunkSize = POOL_SIZE) {
    this.offset = chunkSize;
  }

  /** A zero-filled Uint8Array of `length` bytes (its own ArrayBuffer when large). */
  take(length: number): Uint8Array {
    const size = this.chunkSize;
    if (length > size / 8) return new Uint8Array(length);
    if (this.offset + length > size) {
      this.chunk = new ArrayBuffer(size);
      this.offset = 0;
    }
    const view = new Uint8Array(this.chunk, this.offset, length);
    this.offset += (length + 7) & ~7;
    return view;
  }
}

const shared = new BytePool();

/**
 * A zero-filled Uint8Array of `length` bytes from the pool shared by everything this package hands out
 * (signed envelopes, a verified envelope's key and epoch), so that each does not pay for an off-heap
 * allocation. Its `.buffer` may hold other such arrays; private state never comes from this pool.
 */
export function allocate(length: number): Uint8Array {
  return shared.take(length);
}

/** A copy of `length` bytes of `from` at `at`, from the shared pool (no ArrayBuffer, no view of `from`). */
export function copyOut(from: Uint8Array, at: number, length: number): Uint8Array {
  const out = allocate(length);
  for (let i = 0; i < length; i++) out[i] = from[at + i]!;
  return out;
}

/** Block size of the private copies of verified envelopes (see {@link privateCopy}). */
export const PRIVATE_BLOCK_BYTES = 8 * 1024;

/**
 * Private copies of envelopes being verified, in 8 KiB blocks: never handed out (arrays handed out share
 * the other pool's buffers, so a caller writing through `.buffer` of one can never reach these), and small
 * blocks, because a copy the verify-once cache keeps keeps its block.
 */
const copies = new BytePool(PRIVATE_BLOCK_BYTES);

/**
 * A private copy of an envelope's bytes: what the payload is read from and duplicates are compared with. A caller that changes its array later changes
 * nothing a verifier handed out.
 */
export function privateCopy(bytes: Uint8Array): Uint8Array {
  const copy = copies.take(bytes.length);
  copy.set(bytes);
  return copy;
}
