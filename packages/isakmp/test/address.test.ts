import { describe, expect, it } from 'vitest';
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from '../src/index';
import { x } from './helpers';

describe('addresses', () => {
  it.each([
    ['00000000000000000000000000000000', '::'],
    ['00000000000000000000000000000001', '::1'],
    ['20010db8000000000000000000000001', '2001:db8::1'],
    ['20010db8000000010000000000000001', '2001:db8:0:1::1'],
    ['20010db8000000000001000000000001', '2001:db8::1:0:0:1'],
    ['20010db8000100010001000100010001', '2001:db8:1:1:1:1:1:1'],
    ['ffffffffffffffff0000000000000000', 'ffff:ffff:ffff:ffff::'],
    ['00000000000000000000ffff01020304', '::ffff:1.2.3.4'],
    ['00000000000000000000ffffc0a80001', '::ffff:192.168.0.1'],
  ])('IPv6 %s <-> %s (RFC 5952)', (hex, text) => {
    expect(formatIpv6(x(hex))).toBe(text);
    expect(parseIpv6(text)).toEqual(x(hex));
  });

  it('parses IPv6 with an embedded IPv4 and rejects bad text', () => {
    expect(parseIpv6('::ffff:10.0.0.1')).toEqual(x('00000000000000000000ffff0a000001'));
    for (const bad of ['1::2::3', '12345::', '1:2:3:4:5:6:7:8:9', '1:2:3', 'g::'])
      expect(() => parseIpv6(bad)).toThrow(RangeError);
  });

  it('IPv4 both ways and rejects bad text', () => {
    expect(formatIpv4(x('c0a80001'))).toBe('192.168.0.1');
    expect(parseIpv4('10.0.0.255')).toEqual(x('0a0000ff'));
    for (const bad of ['1.2.3', '1.2.3.256', 'a.b.c.d', '1.2.3.4.5']) expect(() => parseIpv4(bad)).toThrow(RangeError);
  });
});
