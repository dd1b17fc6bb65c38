/**
 * Every bug class that hit public ISAKMP parsers, one named test each: the input either fails with a DecodeError
 * of the right code and offset, or (where decoding can go on) decodes with a warning and re-encodes byte for byte.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError, decode, decodePlaintext, encode, isDecodeError, PayloadType } from '../src/index';
import { decodeError, message, x } from './helpers';
import { vectors } from './vectors/vectors.mjs';

const VID = PayloadType.VENDOR_ID;
const SA = PayloadType.SA;

function roundTrips(b: Uint8Array) {
  const m = decode(b);
  expect(encode(m)).toEqual(b);
  return m;
}

describe('payload lengths', () => {
  it.each([0, 1, 2, 3])('payload length %i (below the generic header) is BAD_LENGTH at the payload', (n) => {
    const b = message(VID, `00 00 ${n.toString(16).padStart(4, '0')} 01020304`);
    expect(decodeError(() => decode(b))).toMatchObject({ code: 'BAD_LENGTH', offset: 28 });
  });

  it('the message names the payload and both lengths', () => {
    const b = message(SA, '00 00 0008 00000001');
    expect(decodeError(() => decode(b)).message).toBe('BAD_LENGTH at byte 28: SA payload length 8 < 12');
  });

  it('a length below the payload type minimum (notification < 12) is BAD_LENGTH', () => {
    const b = message(PayloadType.NOTIFICATION, '00 00 000a 00000001 0100');
    expect(decodeError(() => decode(b))).toMatchObject({ code: 'BAD_LENGTH', offset: 28 });
  });

  it('a payload length past the end of the message is BAD_LENGTH at the payload', () => {
    const b = message(VID, '0d 00 0008 01020304 00 00 0100 01020304');
    expect(decodeError(() => decode(b))).toMatchObject({ code: 'BAD_LENGTH', offset: 36 });
  });

  it('a next payload after the last bytes is BAD_LENGTH where the header should be', () => {
    const b = message(VID, '0d 00 0008 01020304');
    expect(decodeError(() => decode(b))).toMatchObject({ code: 'BAD_LENGTH', offset: 36 });
  });

  it('a proposal longer than its SA is BAD_LENGTH at the proposal', () => {
    const b = message(SA, '00 00 0014 00000001 00000001 00 00 0040 01 01 00 00');
    expect(decodeError(() => decode(b))).toMatchObject({ code: 'BAD_LENGTH', offset: 40 });
  });

  it('an SPI size past the proposal is BAD_LENGTH at the SPI', () => {
    const b = message(SA, '00 00 0014 00000001 00000001 00 00 0008 01 03 10 00');
    expect(decodeError(() => decode(b))).toMatchObject({ code: 'BAD_LENGTH', offset: 48 });
  });

  it('an SPI size past the notification is BAD_LENGTH at the SPI', () => {
    const b = message(PayloadType.NOTIFICATION, '00 00 000c 00000001 01 10 6002');
    expect(decodeError(() => decode(b))).toMatchObject({ code: 'BAD_LENGTH', offset: 40 });
  });

  it('a labeled-domain situation past the SA is BAD_LENGTH inside it', () => {
    const b = message(SA, '00 00 0014 00000001 00000002 00000001 0010 0000');
    expect(decodeError(() => decode(b))).toMatchObject({ code: 'BAD_LENGTH', offset: 48 });
  });

  it('a payload longer than its content keeps the extra bytes (TRAILING_DATA) and re-encodes', () => {
    const b = message(PayloadType.DELETE, '00 00 0014 00000001 03 04 0001 01020304 aabbccdd');
    const m = roundTrips(b);
    expect(m.payloads[0]).toMatchObject({ spis: [x('01020304')], trailing: x('aabbccdd') });
    expect(m.warnings).toEqual([expect.objectContaining({ code: 'TRAILING_DATA', offset: 44 })]);
  });
});

describe('header length against the datagram', () => {
  it('header length > datagram is TRUNCATED at the length field', () => {
    const b = message(VID, '00 00 0008 01020304', { length: 100 });
    expect(decodeError(() => decode(b))).toMatchObject({ code: 'TRUNCATED', offset: 24 });
  });

  it('header length < 28 is BAD_LENGTH at the length field', () => {
    const b = message(VID, '00 00 0008 01020304', { length: 20 });
    expect(decodeError(() => decode(b))).toMatchObject({ code: 'BAD_LENGTH', offset: 24 });
  });

  it('header length < datagram decodes within the length, keeps the rest and warns', () => {
    const b = message(VID, '00 00 0008 01020304 deadbeef', { length: 36 });
    const m = roundTrips(b);
    expect(m.header.length).toBe(36);
    expect(m.trailing).toEqual(x('deadbeef'));
    expect(m.warnings).toEqual([expect.objectContaining({ code: 'HEADER_LENGTH_MISMATCH', offset: 24 })]);
  });

  it('a payload that fits the datagram but not the header length is BAD_LENGTH', () => {
    const b = message(VID, '00 00 0008 01020304', { length: 34 });
    expect(decodeError(() => decode(b))).toMatchObject({ code: 'BAD_LENGTH', offset: 28 });
  });
});

describe('count bombs and counts', () => {
  const chainOf = (n: number) => `${'0d 00 0004 '.repeat(n - 1)}00 00 0004`;

  it('a chain of 4-byte payloads past maxPayloads (default 512) is TOO_MANY_PAYLOADS at the first one over', () => {
    const b = message(VID, chainOf(5000));
    expect(decodeError(() => decode(b))).toMatchObject({ code: 'TOO_MANY_PAYLOADS', offset: 28 + 512 * 4 });
    expect(decode(message(VID, chainOf(512))).payloads).toHaveLength(512);
  });

  it('maxPayloads is an option, and transforms count against it', () => {
    const transforms = `${'03 00 0008 01 01 0000 '.repeat(9)}00 00 0008 01 01 0000`;
    const b = message(SA, `00 00 0064 00000001 00000001 00 00 0058 01 01 00 0a ${transforms}`);
    expect(decode(b, 0, { maxPayloads: 12 }).payloads).toHaveLength(1);
    expect(decodeError(() => decode(b, 0, { maxPayloads: 11 }))).toMatchObject({
      code: 'TOO_MANY_PAYLOADS',
      offset: 40 + 8 + 9 * 8,
    });
  });

  it('a transform count that disagrees with the transforms present is kept, with COUNT_MISMATCH', () => {
    const b = message(SA, '00 00 0018 00000001 00000001 00 00 000c 01 01 00 05 00 00 0004 01 01 0000');
    expect(decodeError(() => decode(b))).toMatchObject({ code: 'BAD_LENGTH', offset: 48 });
    const ok = message(SA, '00 00 001c 00000001 00000001 00 00 0010 01 01 00 05 00 00 0008 01 01 0000');
    const m = roundTrips(ok);
    expect(m.payloads[0]).toMatchObject({ proposals: [{ transformCount: 5, transforms: [{ id: 1 }] }] });
    expect(m.warnings).toEqual([expect.objectContaining({ code: 'COUNT_MISMATCH', offset: 47 })]);
  });

  it('a proposal chained with an unexpected next payload is kept, with BAD_NEXT_PAYLOAD', () => {
    const b = message(SA, '00 00 001c 00000001 00000001 03 00 0008 01 01 00 00 02 00 0008 02 01 00 00');
    const m = roundTrips(b);
    expect(m.payloads[0]).toMatchObject({
      proposals: [
        { number: 1, next: 3 },
        { number: 2, next: 2 },
      ],
    });
    expect(m.warnings?.map((w) => [w.code, w.offset])).toEqual([
      ['BAD_NEXT_PAYLOAD', 40],
      ['BAD_NEXT_PAYLOAD', 48],
    ]);
  });
});

describe('attributes', () => {
  it('a TLV attribute length past the end of its transform is BAD_LENGTH at the attribute', () => {
    const padded = message(
      SA,
      '00 00 0020 00000001 00000001 00 00 0014 01 01 00 01 00 00 000c 01 01 0000 000c 0010 aabbccdd',
    );
    expect(decodeError(() => decode(padded))).toMatchObject({ code: 'BAD_LENGTH', offset: 56 });
  });

  it('a TLV attribute length past the end of a mode-config payload is BAD_LENGTH at the attribute', () => {
    const b = message(PayloadType.ATTRIBUTES, '00 00 0010 01 00 0001 0001 00ff 0a000001');
    expect(decodeError(() => decode(b))).toMatchObject({ code: 'BAD_LENGTH', offset: 36 });
  });

  it('1-3 bytes after the last attribute are kept as trailing', () => {
    const b = message(PayloadType.ATTRIBUTES, '00 00 000f 01 00 0001 8001 0000 aabbcc');
    const m = roundTrips(b);
    expect(m.payloads[0]).toMatchObject({ attributes: [{ type: 1, value: 0 }], trailing: x('aabbcc') });
  });

  it('RESPONDER-LIFETIME data that is not attributes stays raw with BAD_NOTIFY_DATA', () => {
    const b = message(PayloadType.NOTIFICATION, '00 00 0014 00000001 03 00 6000 0002 0010 00000000');
    const m = roundTrips(b);
    expect(m.payloads[0]).not.toHaveProperty('attributes');
    expect(m.warnings).toEqual([expect.objectContaining({ code: 'BAD_NOTIFY_DATA', offset: 40 })]);
  });
});

describe('delete payloads', () => {
  it('SPI count x SPI size past the payload is BAD_COUNT at the count', () => {
    const b = message(PayloadType.DELETE, '00 00 0014 00000001 03 04 0003 01020304 05060708');
    expect(decodeError(() => decode(b))).toMatchObject({ code: 'BAD_COUNT', offset: 38 });
  });

  it('SPI count x SPI size short of the payload keeps the rest (TRAILING_DATA)', () => {
    const b = message(PayloadType.DELETE, '00 00 0014 00000001 03 04 0001 01020304 05060708');
    expect(roundTrips(b).warnings).toEqual([expect.objectContaining({ code: 'TRAILING_DATA', offset: 44 })]);
  });

  it('SPI size 0 with a count keeps the count (COUNT_MISMATCH), using no memory per SPI', () => {
    const b = message(PayloadType.DELETE, '00 00 000c 00000001 03 00 ffff');
    const m = roundTrips(b);
    expect(m.payloads[0]).toMatchObject({ spiSize: 0, spis: [], spiCount: 0xffff });
    expect(m.warnings).toEqual([expect.objectContaining({ code: 'COUNT_MISMATCH', offset: 38 })]);
  });
});

describe('ID payloads', () => {
  it.each([
    ['IPV4_ADDR', 1, '0a0001'],
    ['IPV4_ADDR_SUBNET', 4, '0a000000ffff'],
    ['IPV6_ADDR', 5, '20010db8'],
    ['IPV6_ADDR_SUBNET', 6, '20010db8000000000000000000000000'],
    ['IPV4_ADDR_RANGE', 7, '0a000001'],
    ['IPV6_ADDR_RANGE', 8, '20010db8000000000000000000000001'],
  ])('%s with short data keeps the raw data, no typed value, ID_DATA_LENGTH', (_name, idType, data) => {
    const len = (8 + data.length / 2).toString(16).padStart(4, '0');
    const b = message(PayloadType.ID, `00 00 ${len} ${idType.toString(16).padStart(2, '0')} 00 0000 ${data}`);
    const m = roundTrips(b);
    expect(m.payloads[0]).toMatchObject({ idType, data: x(data) });
    expect(m.payloads[0]).not.toHaveProperty('value');
    expect(m.warnings).toEqual([expect.objectContaining({ code: 'ID_DATA_LENGTH', offset: 36 })]);
  });

  it('an ID payload shorter than its fixed fields is BAD_LENGTH', () => {
    const b = message(PayloadType.ID, '00 00 0006 0100');
    expect(decodeError(() => decode(b))).toMatchObject({ code: 'BAD_LENGTH', offset: 28 });
  });

  it('NAT-OA with an address of the wrong size keeps the data, with ID_DATA_LENGTH', () => {
    const b = message(PayloadType.NAT_OA, '00 00 000a 01 000000 0a00');
    const m = roundTrips(b);
    expect(m.payloads[0]).not.toHaveProperty('address');
    expect(m.warnings?.[0]?.code).toBe('ID_DATA_LENGTH');
  });
});

describe('truncation', () => {
  const real = x(vectors[0]!.hex);
  const fieldStart = [0, 8, 16, 17, 18, 19, 20, 24];
  const headerField = (cut: number) => fieldStart.filter((f) => f <= cut && cut < 28).pop() ?? 24;
  const cuts = Array.from({ length: real.length }, (_, i) => i);

  it.each(cuts)('cut at byte %i is TRUNCATED at the field it cuts (the length field past the header)', (cut) => {
    const e = decodeError(() => decode(real.subarray(0, cut)));
    expect(e.code).toBe('TRUNCATED');
    expect(e.offset).toBe(cut < 28 ? headerField(cut) : 24);
  });

  it.each(vectors)('$name: every cut is TRUNCATED at the field it cuts', ({ hex }) => {
    const bytes = x(hex);
    for (let cut = 0; cut < bytes.length; cut++) {
      const e = decodeError(() => decode(bytes.subarray(0, cut)));
      expect(e.code).toBe('TRUNCATED');
      expect(e.offset).toBe(cut < 28 ? headerField(cut) : 24);
    }
  });

  it.each(vectors)(
    '$name: every cut with the header length patched: BAD_LENGTH inside, or a clean decode',
    ({ hex }) => {
      const bytes = x(hex);
      for (let cut = 28; cut < bytes.length; cut++) {
        const b = bytes.slice(0, cut);
        new DataView(b.buffer).setUint32(24, cut);
        try {
          expect(encode(decode(b))).toEqual(b);
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
          expect((e as DecodeError).code).toBe('BAD_LENGTH');
          expect((e as DecodeError).offset).toBeGreaterThanOrEqual(28);
          expect((e as DecodeError).offset).toBeLessThanOrEqual(cut);
        }
      }
    },
  );
});

describe('the decoder is total', () => {
  it('an offset outside the input is BAD_OFFSET at 0, relative to offset like every other error', () => {
    expect(decodeError(() => decode(new Uint8Array(4), 5))).toMatchObject({ code: 'BAD_OFFSET', offset: 0 });
    expect(decodeError(() => decode(new Uint8Array(4), -1))).toMatchObject({ code: 'BAD_OFFSET', offset: 0 });
    expect(decodeError(() => decode(new Uint8Array(4), 1.5))).toMatchObject({ code: 'BAD_OFFSET', offset: 0 });
    expect(decodeError(() => decodePlaintext(new Uint8Array(4), 13, 9))).toMatchObject({
      code: 'BAD_OFFSET',
      offset: 0,
    });
    expect(decodeError(() => decode(new Uint8Array(40), 12))).toMatchObject({ code: 'BAD_LENGTH', offset: 24 });
  });

  it.each([
    { name: 'null', input: null },
    { name: 'undefined', input: undefined },
    { name: 'an ArrayBuffer', input: new ArrayBuffer(40) },
    { name: 'a DataView', input: new DataView(new ArrayBuffer(40)) },
    { name: 'an array of numbers', input: [1, 2, 3] },
    { name: 'a string', input: '0102' },
  ])('$name as input is BAD_INPUT at 0, not a TypeError', ({ input }) => {
    expect(decodeError(() => decode(input as unknown as Uint8Array))).toMatchObject({ code: 'BAD_INPUT', offset: 0 });
    expect(decodeError(() => decodePlaintext(input as unknown as Uint8Array, 13))).toMatchObject({
      code: 'BAD_INPUT',
      offset: 0,
    });
  });

  it('a Uint8Array subclass (a Node Buffer) is fine', () => {
    class Bytes extends Uint8Array {}
    const b = vectors[0]!;
    const bytes = x(b.hex);
    const sub = new Bytes(bytes.length);
    sub.set(bytes);
    expect(encode(decode(sub))).toEqual(bytes);
  });

  it.each([Number.NaN, -1, 1.5, Number.POSITIVE_INFINITY])('maxPayloads %s is a RangeError', (maxPayloads) => {
    expect(() => decode(x(vectors[0]!.hex), 0, { maxPayloads })).toThrow(RangeError);
  });

  it('maxPayloads 0 allows a message without payloads only', () => {
    const empty = message(0, '');
    expect(decode(empty, 0, { maxPayloads: 0 }).payloads).toEqual([]);
    expect(decodeError(() => decode(message(VID, '00 00 0004'), 0, { maxPayloads: 0 }))).toMatchObject({
      code: 'TOO_MANY_PAYLOADS',
      offset: 28,
    });
  });

  it('DecodeError is recognised across copies of the class (CJS and ESM builds)', () => {
    const e = decodeError(() => decode(new Uint8Array(3)));
    // A look-alike carrying the brand, as a DecodeError from another copy of the package would.
    const other = Object.assign(new Error('x'), { code: 'TRUNCATED', offset: 0 });
    Object.defineProperty(other, Symbol.for('oaklog.isakmp.DecodeError'), { value: true });
    expect(other instanceof DecodeError).toBe(true);
    expect(isDecodeError(other)).toBe(true);
    expect(isDecodeError(new Error('x'))).toBe(false);
    expect(new Error('x') instanceof DecodeError).toBe(false);
    expect(isDecodeError(null)).toBe(false);
    expect(e.code).toBe('TRUNCATED');
    let thrown: unknown;
    try {
      decode(new Uint8Array(3));
    } catch (err) {
      thrown = err;
    }
    expect(thrown instanceof DecodeError && isDecodeError(thrown) && thrown instanceof Error).toBe(true);
  });

  it('random bytes throw nothing but DecodeError, with an offset inside the input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        try {
          decode(b);
        } catch (e) {
          if (!(e instanceof DecodeError)) throw e;
          if (e.offset < 0 || e.offset > b.length) throw new Error(`offset ${e.offset} outside ${b.length}`);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('random bodies behind a valid header throw nothing but DecodeError, and what decodes re-encodes exactly', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...[1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 18, 20, 21, 132, 200]),
        fc.uint8Array({ maxLength: 200 }),
        (next, body) => {
          const b = message(next, Array.from(body, (v) => v.toString(16).padStart(2, '0')).join(''));
          try {
            expect(encode(decode(b))).toEqual(b);
          } catch (e) {
            if (!(e instanceof DecodeError)) throw e;
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('a 64 KiB pathological message stops at the payload budget or decodes', () => {
    expect(decodeError(() => decode(message(VID, '0d 00 0004 '.repeat(16380)))).code).toBe('TOO_MANY_PAYLOADS');
    const m = decode(message(PayloadType.ATTRIBUTES, `00 00 fffc 01 00 0000 ${'8001 0001 '.repeat(16381)}`));
    expect(m.payloads[0]).toMatchObject({ type: 14 });
  });
});
