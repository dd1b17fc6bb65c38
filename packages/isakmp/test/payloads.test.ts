import { expect, it } from 'vitest';
import { decode, encode, encodeInto, encodingLength } from '../src/index';
import { vectors, x } from './vectors/vectors.mjs';

it.each(vectors)('$name', ({ hex, expected }) => {
  const bytes = x(hex);
  const m = decode(bytes);
  expect(m).toMatchObject(expected);

  // Byte for byte back, also into a buffer at an offset.
  expect(encode(m)).toEqual(bytes);
  expect(encodingLength(m)).toBe(bytes.length);
  const out = new Uint8Array(bytes.length + 7);
  expect(encodeInto(m, out, 7)).toBe(bytes.length);
  expect(out.subarray(7)).toEqual(bytes);

  // The same message behind a 4-byte prefix (a NAT-T non-ESP marker) decodes the same, offsets included.
  const shifted = new Uint8Array(bytes.length + 4);
  shifted.set(bytes, 4);
  expect(decode(shifted, 4)).toMatchObject(expected);
});
