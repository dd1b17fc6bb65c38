/**
 * Byte helpers shared by the targets. `ByteSource` is an engine-agnostic FuzzedDataProvider: it turns the fuzzer's
 * bytes into structured choices (integers, lengths, picks from a list) so structure-aware targets can build plausible
 * messages from any input, and every engine (Jazzer.js, fast-check, a replayed file) drives them the same way.
 * Hex, concatenation and equality are `@oaklog/common`'s.
 */
import { toHex } from '@oaklog/common';

/** Consumes an input front to back; once it is exhausted every read returns zeros, so any input builds something. */
export class ByteSource {
  private offset = 0;

  constructor(private readonly data: Uint8Array) {}

  /** Bytes not consumed yet. */
  get remaining(): number {
    return this.data.length - this.offset;
  }

  /** One byte (0 when exhausted). */
  u8(): number {
    const value = this.data[this.offset];
    if (value === undefined) return 0;
    this.offset++;
    return value;
  }

  /** A big-endian 16-bit integer. */
  u16(): number {
    return (this.u8() << 8) | this.u8();
  }

  /** A big-endian 32-bit integer. */
  u32(): number {
    return ((this.u16() << 16) >>> 0) + this.u16();
  }

  /** An integer in [min, max] (inclusive), using as few bytes as the range needs. */
  int(min: number, max: number): number {
    const range = max - min;
    if (range <= 0) return min;
    const raw = range < 0x100 ? this.u8() : range < 0x10000 ? this.u16() : this.u32();
    return min + (raw % (range + 1));
  }

  /** True with probability about `1/oneIn`. */
  chance(oneIn: number): boolean {
    return this.u8() % oneIn === 0;
  }

  /** One element of a non-empty list. */
  pick<T>(choices: readonly T[]): T {
    return choices[this.int(0, choices.length - 1)]!;
  }

  /** `length` bytes, zero-filled past the end of the input (so sizes chosen earlier stay true). */
  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    const taken = this.data.subarray(this.offset, this.offset + length);
    out.set(taken);
    this.offset += taken.length;
    return out;
  }

  /** Everything not consumed yet. */
  rest(): Uint8Array {
    return this.bytes(this.remaining);
  }
}

/** Index of the first differing byte, or -1. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** Lower-case hex of the first `max` bytes, for failure messages. */
export function hex(bytes: Uint8Array, max = 64): string {
  const shown = toHex(bytes.subarray(0, max));
  return bytes.length > max ? `${shown}… (${bytes.length} bytes)` : shown;
}

/** Big-endian writers for building wire structures in structure-aware targets. */
export function be16(value: number): Uint8Array {
  return Uint8Array.of((value >>> 8) & 0xff, value & 0xff);
}

/** A big-endian 32-bit integer as 4 bytes. */
export function be32(value: number): Uint8Array {
  return Uint8Array.of((value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
}

/** A little-endian 16-bit integer as 2 bytes. */
export function le16(value: number): Uint8Array {
  return Uint8Array.of(value & 0xff, (value >>> 8) & 0xff);
}

/** A little-endian 32-bit integer as 4 bytes. */
export function le32(value: number): Uint8Array {
  return Uint8Array.of(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff);
}

/** Thrown by a target when its package breaks its contract (as opposed to the package's own typed errors). */
export class ContractViolation extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ContractViolation';
  }
}

/** Throws a `ContractViolation` unless `condition` holds. */
export function check(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new ContractViolation(typeof message === 'string' ? message : message());
}

/**
 * What an error or warning code looks like (upper-case words). The packages' codes are string-literal unions with no
 * runtime list, so this is the check that holds for a code a package adds later too.
 */
export const CODE_SHAPE = /^[A-Z][A-Z_]*[A-Z]$/;
