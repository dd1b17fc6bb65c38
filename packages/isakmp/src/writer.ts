/** A cursor that writes big-endian fields into a preallocated buffer (sized by the codecs' `length`). */
export class Writer {
  /** The destination. */
  readonly bytes: Uint8Array;
  /** Position of the next byte to write. */
  pos: number;

  constructor(bytes: Uint8Array, start = 0) {
    this.bytes = bytes;
    this.pos = start;
  }

  /** Writes one byte (the low 8 bits of `v`). */
  u8(v: number): void {
    this.bytes[this.pos++] = v;
  }

  /** Writes a big-endian 16-bit integer. */
  u16(v: number): void {
    const b = this.bytes;
    b[this.pos++] = v >>> 8;
    b[this.pos++] = v;
  }

  /** Writes a big-endian 24-bit integer. */
  u24(v: number): void {
    const b = this.bytes;
    b[this.pos++] = v >>> 16;
    b[this.pos++] = v >>> 8;
    b[this.pos++] = v;
  }

  /** Writes a big-endian 32-bit integer. */
  u32(v: number): void {
    const b = this.bytes;
    b[this.pos++] = v >>> 24;
    b[this.pos++] = v >>> 16;
    b[this.pos++] = v >>> 8;
    b[this.pos++] = v;
  }

  /** Copies `b` in. */
  raw(b: Uint8Array): void {
    this.bytes.set(b, this.pos);
    this.pos += b.length;
  }
}
