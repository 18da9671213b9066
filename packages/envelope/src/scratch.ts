/**
 * A growable byte area reused across calls: the receive and sign paths build the Sig_structure of every
 * message in one, where a new typed array per message (off the V8 heap above 64 bytes) costs more to
 * allocate than to fill. A view from `get` is valid until the next `get` on the same scratch.
 */
export class Scratch {
  private buf: Uint8Array;

  constructor(initial = 1024) {
    this.buf = new Uint8Array(initial);
  }

  get(length: number): Uint8Array {
    if (length > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < length) size *= 2;
      this.buf = new Uint8Array(size);
    }
    return this.buf.subarray(0, length);
  }
}
