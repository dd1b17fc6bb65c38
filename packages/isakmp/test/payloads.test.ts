import { describe, expect, it } from 'vitest';
import { decode, encode, encodeInto, encodingLength } from '../src/index';
import { vectors, x } from './vectors/vectors.mjs';

describe.each(vectors)('$name', ({ hex, expected }) => {
  const bytes = x(hex);

  it('decodes to the expected fields', () => {
    expect(decode(bytes)).toMatchObject(expected);
  });

  it('re-encodes byte for byte, also at an offset', () => {
    const m = decode(bytes);
    expect(encode(m)).toEqual(bytes);
    expect(encodingLength(m)).toBe(bytes.length);
    const out = new Uint8Array(bytes.length + 7);
    expect(encodeInto(m, out, 7)).toBe(bytes.length);
    expect(out.subarray(7)).toEqual(bytes);
  });

  it('decodes the same at an offset', () => {
    const shifted = new Uint8Array(bytes.length + 4);
    shifted.set(bytes, 4);
    expect(decode(shifted, 4)).toMatchObject(expected);
  });
});
