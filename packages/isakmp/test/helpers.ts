import { DecodeError, type DecodeErrorCode } from '../src/index';
import { x } from './vectors/vectors.mjs';

export { x };

/** Hex of bytes, no separators. */
export const toHex = (b: Uint8Array): string => Array.from(b, (v) => v.toString(16).padStart(2, '0')).join('');

/**
 * A message from a body in hex: the header names `next` as first payload and states the body's real length unless
 * `length` is given.
 */
export function message(
  next: number,
  body: string,
  opts: { length?: number; flags?: number; exchange?: number } = {},
): Uint8Array {
  const b = x(body);
  const out = new Uint8Array(28 + b.length);
  out.set(x('0011223344556677 8899aabbccddeeff'));
  const v = new DataView(out.buffer);
  v.setUint8(16, next);
  v.setUint8(17, 0x10);
  v.setUint8(18, opts.exchange ?? 2);
  v.setUint8(19, opts.flags ?? 0);
  v.setUint32(24, opts.length ?? out.length);
  out.set(b, 28);
  return out;
}

/** The DecodeError `fn` throws (fails the test if it throws anything else or nothing). */
export function decodeError(fn: () => unknown): { code: DecodeErrorCode; offset: number; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof DecodeError) return { code: e.code, offset: e.offset, message: e.message };
    throw e;
  }
  throw new Error('expected a DecodeError, decoding succeeded');
}
