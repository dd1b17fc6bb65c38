import { describe, expect, it } from 'vitest';
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from '../src/index';
import { x } from './helpers';

// The text rules are @oaklog/common's, tested there case by case (RFC 5952); these check what the codec adds: its
// entry exports them, and its parsers throw RangeError.
describe('addresses', () => {
  it('formats and reads both families through the codec entry', () => {
    expect(formatIpv6(x('20010db8000000000000000000000001'))).toBe('2001:db8::1');
    expect(formatIpv6(x('00000000000000000000ffffc0a80001'))).toBe('::ffff:192.168.0.1');
    expect(parseIpv6('::ffff:10.0.0.1')).toEqual(x('00000000000000000000ffff0a000001'));
    expect(formatIpv4(x('c0a80001'))).toBe('192.168.0.1');
    expect(parseIpv4('10.0.0.255')).toEqual(x('0a0000ff'));
  });

  it('prints the bytes short input lacks as ?, and formats at an offset', () => {
    expect(formatIpv4(x('c0a8'))).toBe('192.168.?.?');
    expect(formatIpv4(x('ffc0a80001'), 1)).toBe('192.168.0.1');
    expect(formatIpv6(x('20010db8'))).toBe('2001:db8:?:?:?:?:?:?');
  });

  it('throws RangeError on text that is not an address', () => {
    for (const bad of ['1::2::3', '12345::', '1:2:3:4:5:6:7:8:9', '1:2:3', 'g::', '1.2.3.4::1'])
      expect(() => parseIpv6(bad)).toThrow(RangeError);
    for (const bad of ['1.2.3', '1.2.3.256', 'a.b.c.d', '1.2.3.4.5']) expect(() => parseIpv4(bad)).toThrow(RangeError);
  });
});
