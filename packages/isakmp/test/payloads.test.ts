import { describe, expect, it } from 'vitest';
import { decode, encode, encodeInto, encodingLength } from '../src/index';
import { vectors, x } from './vectors/vectors.mjs';

it.each(vectors)('$name', ({ hex, expected }) => {
  const bytes = x(hex);
  const m = decode(bytes);
  expect(m).toMatchObject(expected);

  // Nothing odd unless the vector says so: no warnings, no trailing bytes, a header that states the real length
  // and names the first payload.
  if (!('warnings' in expected)) expect(m.warnings).toBeUndefined();
  if (!('trailing' in expected)) expect(m.trailing).toBeUndefined();
  const declared = ((expected as { warnings?: { code: string }[] }).warnings ?? []).map((w) => w.code);
  if (!declared.includes('HEADER_LENGTH_MISMATCH')) expect(m.header.length).toBe(bytes.length);
  if (!m.encrypted) expect(m.header.nextPayload).toBe(m.payloads[0]?.type ?? 0);
  expect(m.header.initiatorCookie).toHaveLength(8);

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

describe('GDOI SA payloads (RFC 6407 5.1)', () => {
  const HDR = (np: string, len: string) => `0102030405060708 0000000000000000 ${np} 10 20 00 00000000 ${len}`;

  it('decodes the review repro: SA attribute next payload, then a payload that does not fit stays trailing', () => {
    const bytes = x(`${HDR('01', '00000038')} 00000018 00000002 00000000 10000000 0000000c 01000000 00000000`);
    const m = decode(bytes);
    expect(m.payloads[0]).toMatchObject({
      type: 1,
      doi: 2,
      situation: 0,
      proposals: [],
      gdoi: { nextPayload: 16, payloads: [] },
      trailing: x('0000000c 01000000'),
    });
    expect(m.warnings?.map((w) => [w.code, w.offset])).toEqual([
      ['TRAILING_DATA', 44],
      ['TRAILING_DATA', 52],
    ]);
    expect(encode(m)).toEqual(bytes);
  });

  it('keeps a cut chain (last payload with a non-zero next) and reserved bytes byte for byte', () => {
    const bytes = x(`${HDR('01', '00000034')} 00000018 00000002 00000000 10abcdef 16000008 01020304`);
    const m = decode(bytes);
    expect(m.payloads[0]).toMatchObject({
      gdoi: { nextPayload: 16, reserved: 0xabcdef, payloads: [{ type: 16, data: x('01020304'), next: 0x16 }] },
    });
    expect(encode(m)).toEqual(bytes);
  });
});

describe('labeled-domain situations', () => {
  it('SIT_SECRECY without labeled-domain bytes reads the proposals with BAD_LABELED_DOMAIN (review repro)', () => {
    const bytes = x(
      '0102030405060708 0000000000000000 01 10 02 00 00000000 00000038 0000001c 00000001 00000002 00000010 01010001 00000008 01010000',
    );
    const m = decode(bytes);
    expect(m.payloads[0]).toMatchObject({
      doi: 1,
      situation: 2,
      proposals: [{ number: 1, protocolId: 1, transforms: [{ number: 1, id: 1 }] }],
    });
    expect(m.payloads[0]).not.toHaveProperty('labeledDomain');
    expect(m.warnings?.map((w) => [w.code, w.offset])).toEqual([['BAD_LABELED_DOMAIN', 40]]);
    expect(encode(m)).toEqual(bytes);
  });
});
