/**
 * A cursor that writes big-endian fields into a preallocated buffer (sized by the codecs' `length`). Every integer
 * write checks its range, so a value that does not fit its field throws `RangeError` instead of being truncated.
 */
export class Writer {
  /** The destination. */
  readonly bytes: Uint8Array;
  /** Position of the next byte to write. */
  pos: number;

  /** A writer into `bytes` from `start`. */
  constructor(bytes: Uint8Array, start = 0) {
    this.bytes = bytes;
    this.pos = start;
  }

  /** Throws `RangeError` unless `v` is an integer in 0..max; `what` names the field. */
  check(v: number, max: number, what: string): number {
    if (!Number.isInteger(v) || v < 0 || v > max)
      throw new RangeError(`${what} ${v} does not fit its field (an integer from 0 to ${max})`);
    return v;
  }

  /** Writes one byte. */
  u8(v: number, what = 'value'): void {
    this.bytes[this.pos++] = this.check(v, 0xff, what);
  }

  /** Writes two 4-bit values into one byte, `hi` in the upper half. */
  u4u4(hi: number, lo: number, what = 'value'): void {
    this.bytes[this.pos++] = (this.check(hi, 0xf, what) << 4) | this.check(lo, 0xf, what);
  }

  /** Writes a big-endian 16-bit integer. */
  u16(v: number, what = 'value'): void {
    this.check(v, 0xffff, what);
    const b = this.bytes;
    b[this.pos++] = v >>> 8;
    b[this.pos++] = v;
  }

  /** Writes a big-endian 24-bit integer. */
  u24(v: number, what = 'value'): void {
    this.check(v, 0xffffff, what);
    const b = this.bytes;
    b[this.pos++] = v >>> 16;
    b[this.pos++] = v >>> 8;
    b[this.pos++] = v;
  }

  /** Writes a big-endian 32-bit integer. */
  u32(v: number, what = 'value'): void {
    this.check(v, 0xffffffff, what);
    const b = this.bytes;
    b[this.pos++] = v >>> 24;
    b[this.pos++] = v >>> 16;
    b[this.pos++] = v >>> 8;
    b[this.pos++] = v;
  }

  /** Writes a big-endian 16-bit integer at `at` without moving (a length patched in after its content). */
  patch16(at: number, v: number, what = 'value'): void {
    this.check(v, 0xffff, what);
    this.bytes[at] = v >>> 8;
    this.bytes[at + 1] = v;
  }

  /** Copies `b` in. */
  raw(b: Uint8Array): void {
    this.bytes.set(b, this.pos);
    this.pos += b.length;
  }
}
