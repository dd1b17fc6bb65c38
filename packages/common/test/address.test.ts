import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { formatIpv4, formatIpv6, fromHex, ipv4Bytes, ipv6Bytes } from '../src/index';

const bytes = (hex: string) => fromHex(hex)!;

describe('IPv6 text (RFC 5952)', () => {
  it.each([
    ['00000000000000000000000000000000', '::'],
    ['00000000000000000000000000000001', '::1'],
    ['20010db8000000000000000000000001', '2001:db8::1'],
    ['20010db8000000010000000000000001', '2001:db8:0:1::1'],
    ['20010db8000000000001000000000001', '2001:db8::1:0:0:1'],
    ['20010db8000100010001000100010001', '2001:db8:1:1:1:1:1:1'],
    ['20010db8000000010001000100010001', '2001:db8:0:1:1:1:1:1'],
    ['ffffffffffffffff0000000000000000', 'ffff:ffff:ffff:ffff::'],
    ['fe800000000000000000000000000000', 'fe80::'],
    ['00000000000000000000ffffc0000201', '::ffff:192.0.2.1'],
  ])('%s <-> %s', (hex, text) => {
    expect(formatIpv6(bytes(hex))).toBe(text);
    expect(ipv6Bytes(text)).toEqual(bytes(hex));
  });

  it('formats the 16 bytes at an offset', () => {
    expect(formatIpv6(bytes('ffff20010db8000000000000000000000001'), 2)).toBe('2001:db8::1');
  });

  it.each([
    ['1:2:3:4:5:6:7:8', '00010002000300040005000600070008'],
    ['64:ff9b::192.0.2.33', '0064ff9b0000000000000000c0000221'],
    ['1:2:3:4:5:6:7::', '00010002000300040005000600070000'],
    ['1:2:3:4:5:6:1.2.3.4', '00010002000300040005000601020304'],
  ])('reads %s', (text, hex) => {
    expect(ipv6Bytes(text)).toEqual(bytes(hex));
  });

  it.each([
    '',
    ':',
    ':::',
    '1:2:3:4:5:6:7',
    '1::2::3',
    '12345::',
    'g::',
    '1:2:3:4:5:6:7:8:9',
    '::1:2:3:4:5:6:7:8',
    '::1.2.3',
    '1.2.3.4::',
    '1.2.3.4::1',
    'fe80::1%eth0',
  ])('rejects %j', (text) => {
    expect(ipv6Bytes(text)).toBeUndefined();
  });
});

describe('IPv4 text', () => {
  it('formats and reads a dotted quad', () => {
    expect(formatIpv4(bytes('c0a80001'))).toBe('192.168.0.1');
    expect(formatIpv4(bytes('ffc0a80001'), 1)).toBe('192.168.0.1');
    expect(ipv4Bytes('10.0.0.255')).toEqual(bytes('0a0000ff'));
  });

  it.each(['', '1.2.3', '1.2.3.256', 'a.b.c.d', '1.2.3.4.5', '1..2.3', ' 1.2.3.4'])('rejects %j', (text) => {
    expect(ipv4Bytes(text)).toBeUndefined();
  });
});

describe('formatting is total', () => {
  it('prints the bytes short input lacks as ?', () => {
    expect(formatIpv4(Uint8Array.of(1, 2))).toBe('1.2.?.?');
    expect(formatIpv4(Uint8Array.of(1, 2, 3, 4), 3)).toBe('4.?.?.?');
    expect(formatIpv4(new Uint8Array(0))).toBe('?.?.?.?');
    expect(formatIpv6(bytes('20010db800'))).toBe('2001:db8:?:?:?:?:?:?');
    expect(formatIpv6(bytes('0000000000000000000000000000'))).toBe('::?');
    expect(formatIpv6(bytes('00000000000000000000ffff0102'))).toBe('::ffff:1.2.?.?');
  });

  test.prop([fc.uint8Array({ maxLength: 20 }), fc.integer({ min: -2, max: 22 })], { numRuns: 300 })(
    'never prints undefined or NaN, for any bytes and offset',
    (input, offset) => {
      for (const text of [formatIpv4(input, offset), formatIpv6(input, offset)])
        expect(text).not.toMatch(/undefined|NaN/);
    },
  );

  test.prop([fc.uint8Array({ minLength: 16, maxLength: 16 })], { numRuns: 300 })(
    'reads back every address it prints in full',
    (address) => {
      expect(ipv6Bytes(formatIpv6(address))).toEqual(address);
      expect(ipv4Bytes(formatIpv4(address))).toEqual(address.subarray(0, 4));
    },
  );
});
