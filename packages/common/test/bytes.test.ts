import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { concatBytes, copyBytes, equalBytes, fromHex, toHex } from '../src/index';

describe('hex', () => {
  it('writes two lower-case digits a byte', () => {
    expect(toHex(Uint8Array.of(0, 1, 0xab, 0xff))).toBe('0001abff');
    expect(toHex(new Uint8Array(0))).toBe('');
  });

  test.prop([fc.uint8Array({ maxLength: 9000, size: 'max' })], { numRuns: 100 })(
    'is the digits of each byte in turn, past the 4096-byte chunks it is built in',
    (bytes) => {
      let simple = '';
      for (const b of bytes) simple += b.toString(16).padStart(2, '0');
      expect(toHex(bytes)).toBe(simple);
    },
  );

  it('reads either case, a 0x prefix, and colons or spaces between digits', () => {
    expect(fromHex('0x00AbfF')).toEqual(Uint8Array.of(0, 0xab, 0xff));
    expect(fromHex('de:ad be\nef')).toEqual(Uint8Array.of(0xde, 0xad, 0xbe, 0xef));
    expect(fromHex('')).toEqual(new Uint8Array(0));
  });

  it.each(['abc', 'zz', '0x0g', '1-2'])('rejects %j', (text) => {
    expect(fromHex(text)).toBeUndefined();
  });

  test.prop([fc.uint8Array({ maxLength: 64 })], { numRuns: 200 })('reads back what it writes', (bytes) => {
    expect(fromHex(toHex(bytes))).toEqual(bytes);
  });
});

describe('concatBytes and equalBytes', () => {
  it('joins parts in order into a new array', () => {
    const a = Uint8Array.of(1, 2);
    const joined = concatBytes([a, new Uint8Array(0), Uint8Array.of(3)]);
    expect(joined).toEqual(Uint8Array.of(1, 2, 3));
    expect(concatBytes([])).toEqual(new Uint8Array(0));
    expect(concatBytes([a])).not.toBe(a);
  });

  test.prop([fc.array(fc.uint8Array({ maxLength: 8 }), { maxLength: 5 })], { numRuns: 200 })(
    'keeps every byte, and equals only the same bytes',
    (parts) => {
      const joined = concatBytes(parts);
      expect(toHex(joined)).toBe(parts.map(toHex).join(''));
      expect(equalBytes(joined, Uint8Array.from(joined))).toBe(true);
      if (joined.length > 0) expect(equalBytes(joined, joined.subarray(1))).toBe(false);
    },
  );
});

describe('copyBytes', () => {
  test.prop([fc.uint8Array({ maxLength: 64 }), fc.nat(), fc.nat()])(
    'copies the range into memory of its own, as a plain Uint8Array, from a Buffer too',
    (bytes, a, b) => {
      // Node's Buffer.slice is a view: the reason this exists.
      const source = Buffer.from(bytes);
      const [start, end] = [a % (bytes.length + 1), b % (bytes.length + 1)].sort((x, y) => x - y) as [number, number];
      const copy = copyBytes(source, start, end);
      expect(Object.getPrototypeOf(copy)).toBe(Uint8Array.prototype);
      expect(copy.buffer).not.toBe(source.buffer);
      expect(copy.buffer.byteLength).toBe(end - start);
      expect(toHex(copy)).toBe(toHex(bytes.subarray(start, end)));
    },
  );
});
