import { DecodeError, type DecodeErrorCode, type DecodeWarning, type DecodeWarningCode } from './errors';

/** Limits and findings shared by a reader and every sub-reader made from it. */
export interface DecodeContext {
  /** Warnings found so far, in input order. */
  readonly warnings: DecodeWarning[];
  /** Payloads, proposals and transforms still allowed before `TOO_MANY_PAYLOADS`. */
  budget: number;
}

/** A saved reader state (see `Reader.mark`). */
export interface ReaderMark {
  /** Position. */
  readonly pos: number;
  /** Number of warnings. */
  readonly warnings: number;
  /** Payload budget left. */
  readonly budget: number;
}

/**
 * A bounded cursor over input bytes. The only place that checks bounds: running past `end` throws `DecodeError`
 * with `TRUNCATED` on the datagram itself and `BAD_LENGTH` inside a region a length field declared.
 */
export class Reader {
  /** The whole input; offsets in errors and warnings index into it. */
  readonly bytes: Uint8Array;
  /** Position of the next byte to read. */
  pos: number;
  /** One past the last readable byte. */
  readonly end: number;
  /** Shared limits and warnings. */
  readonly ctx: DecodeContext;
  private readonly overrun: DecodeErrorCode;

  /** A reader over `bytes` from `start` to `end`; running past `end` is `overrun`. */
  constructor(
    bytes: Uint8Array,
    start: number,
    end: number,
    ctx: DecodeContext,
    overrun: DecodeErrorCode = 'TRUNCATED',
  ) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
    this.ctx = ctx;
    this.overrun = overrun;
  }

  /** Bytes left before `end`. */
  get remaining(): number {
    return this.end - this.pos;
  }

  /**
   * Throws unless `n` more bytes are readable; `what` names the field for the message. The error is this reader's
   * overrun code at the current position unless `code` and `at` (the structure at fault) say otherwise.
   */
  need(n: number, what: string, code: DecodeErrorCode = this.overrun, at: number = this.pos): void {
    if (n > this.end - this.pos)
      throw new DecodeError(code, at, `${what} needs ${n} bytes, ${this.end - this.pos} left`);
  }

  /** Reads one unsigned byte. */
  u8(what = 'field'): number {
    this.need(1, what);
    return this.bytes[this.pos++]!;
  }

  /** Reads a big-endian 16-bit unsigned integer. */
  u16(what = 'field'): number {
    this.need(2, what);
    const b = this.bytes;
    const p = this.pos;
    this.pos = p + 2;
    return (b[p]! << 8) | b[p + 1]!;
  }

  /** Reads a big-endian 24-bit unsigned integer. */
  u24(what = 'field'): number {
    this.need(3, what);
    const b = this.bytes;
    const p = this.pos;
    this.pos = p + 3;
    return (b[p]! << 16) | (b[p + 1]! << 8) | b[p + 2]!;
  }

  /** Reads a big-endian 32-bit unsigned integer. */
  u32(what = 'field'): number {
    this.need(4, what);
    const b = this.bytes;
    const p = this.pos;
    this.pos = p + 4;
    return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
  }

  /**
   * True when a generic header starts here whose 16-bit length field (at `at` bytes ahead) is at least `min` and
   * fits what is left: lets a lenient chain stop instead of failing.
   */
  fits16(at: number, min: number): boolean {
    if (at + 2 > this.end - this.pos) return false;
    const n = (this.bytes[this.pos + at]! << 8) | this.bytes[this.pos + at + 1]!;
    return n >= min && n <= this.end - this.pos;
  }

  /** Returns the next `n` bytes (a view into the input, not a copy) and moves past them; `at` as for `need`. */
  take(n: number, what = 'field', at: number = this.pos): Uint8Array {
    this.need(n, what, this.overrun, at);
    const v = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** Returns every byte left and moves to `end`. */
  rest(): Uint8Array {
    const v = this.bytes.subarray(this.pos, this.end);
    this.pos = this.end;
    return v;
  }

  /**
   * A reader over the next `n` bytes, whose overrun is a `BAD_LENGTH`; this reader moves past them. Reaching past
   * `end` is a `BAD_LENGTH` at `at` (the structure whose length field said `n`).
   */
  sub(n: number, what: string, at: number = this.pos): Reader {
    if (n > this.end - this.pos)
      throw new DecodeError('BAD_LENGTH', at, `${what} of ${n} bytes runs past the ${this.end - this.pos} left`);
    const r = new Reader(this.bytes, this.pos, this.pos + n, this.ctx, 'BAD_LENGTH');
    this.pos += n;
    return r;
  }

  /** Where this reader and its shared context stand, for `restore` when a reading turns out wrong. */
  mark(): ReaderMark {
    return { pos: this.pos, warnings: this.ctx.warnings.length, budget: this.ctx.budget };
  }

  /** Goes back to a `mark`: position, warnings and payload budget. */
  restore(m: ReaderMark): void {
    this.pos = m.pos;
    this.ctx.warnings.length = m.warnings;
    this.ctx.budget = m.budget;
  }

  /** Records a warning. */
  warn(code: DecodeWarningCode, offset: number, message: string): void {
    this.ctx.warnings.push({ code, offset, message });
  }

  /** Counts one more payload, proposal or transform against the limit. */
  count(offset: number): void {
    if (--this.ctx.budget < 0)
      throw new DecodeError('TOO_MANY_PAYLOADS', offset, 'more payloads, proposals and transforms than maxPayloads');
  }
}
