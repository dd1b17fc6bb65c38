import { describe, expect, it } from 'vitest';
import { formatIpv4, formatIpv6 } from '../src/index';
import { parseIpHeader, walkIpv6Extensions } from '../src/ip';
import { hex } from './hex';

describe('parseIpHeader', () => {
  it.each([
    {
      name: 'IPv4 with options',
      hex: `46 00 0020 1234 0000 40 11 0000 c0000201 c0000202   # IHL 6, total 32
            01010000                                           # options: NOP NOP EOL
            01f4 01f4 0008 0000                                # UDP 500 → 500
            ffff ffff                                          # Ethernet padding beyond the total length`,
      expected: {
        version: 4,
        src: '192.0.2.1',
        dst: '192.0.2.2',
        protocol: 17,
        payloadOffset: 24,
        payloadEnd: 32,
        cut: false,
        fragment: undefined,
      },
    },
    {
      name: 'IPv4 first fragment',
      hex: '45 00 001c abcd 2000 40 11 0000 0a000001 0a000002 01f401f400100000',
      expected: { fragment: { id: 0xabcd, offset: 0, more: true }, payloadEnd: 28 },
    },
    {
      name: 'IPv4 last fragment at offset 1480',
      hex: '45 00 001c abcd 00b9 40 11 0000 0a000001 0a000002 0000000000000000',
      expected: { fragment: { id: 0xabcd, offset: 1480, more: false } },
    },
    {
      name: 'IPv4 cut by the snapshot length',
      hex: '45 00 0400 0000 0000 40 11 0000 0a000001 0a000002 01f4',
      expected: { cut: true, payloadEnd: 22 },
    },
    {
      name: 'IPv6 hop-by-hop, destination options and routing before UDP',
      hex: `60000000 0030 00 40 20010db8000000000000000000000001 20010db8000000000000000000000002
            3c 00 0000 00000000     # hop-by-hop (8 bytes), next: destination options
            2b 01 0000 00000000 0000000000000000   # destination options (16 bytes), next: routing
            11 00 0000 00000000     # routing (8 bytes), next: UDP
            01f4 01f4 0010 0000 0000000000000000`,
      expected: { version: 6, src: '2001:db8::1', dst: '2001:db8::2', protocol: 17, payloadOffset: 72, payloadEnd: 88 },
    },
    {
      name: 'IPv6 AH then UDP',
      hex: `60000000 0024 33 40 00000000000000000000000000000001 00000000000000000000000000000001
            11 04 0000 00000001 00000001 0000000000000000 00000000   # AH, length (4+2)*4 = 24
            01f4 01f4 000c 0000 00000000`,
      expected: { protocol: 17, payloadOffset: 64 },
    },
    {
      name: 'IPv6 fragment header',
      hex: `60000000 0010 2c 40 00000000000000000000000000000001 00000000000000000000000000000002
            11 00 04d1 12345678     # offset 1232, M=1, id 0x12345678
            0000000000000000`,
      expected: { protocol: 17, payloadOffset: 48, fragment: { id: 0x12345678, offset: 1232, more: true } },
    },
  ])('$name', ({ hex: h, expected }) => {
    expect(parseIpHeader(hex(h), 0)).toMatchObject({ kind: 'ip', ...expected });
  });

  it.each([
    { name: 'empty', hex: '', reason: 'truncated', offset: 0 },
    { name: 'version 5', hex: '55', reason: 'bad-ip-header', offset: 0 },
    { name: 'IHL 4', hex: '44000014000000004011000000000000000000000000', reason: 'bad-ip-header', offset: 0 },
    {
      name: 'total length below IHL',
      hex: '45000010000000004011000000000000000000000000',
      reason: 'bad-ip-header',
      offset: 2,
    },
    { name: 'IPv4 options cut', hex: '4f00003c000000004011000000000000000000000000', reason: 'truncated', offset: 0 },
    { name: 'IPv6 header cut', hex: '6000000000001140', reason: 'truncated', offset: 0 },
    {
      name: 'IPv6 extension header cut',
      hex: '60000000 0010 00 40 00000000000000000000000000000001 00000000000000000000000000000002 11 05 000000000000',
      reason: 'truncated',
      offset: 40,
    },
  ])('$name → $reason', ({ hex: h, reason, offset }) => {
    expect(parseIpHeader(hex(h), 0)).toMatchObject({ kind: 'malformed', reason, offset });
  });

  it('takes the wire length when the IPv4 total length is zero (segmentation offload)', () => {
    const d = hex('45 00 0000 0000 0000 40 11 0000 0a000001 0a000002  01f4 01f4 0024 0000');
    expect(parseIpHeader(d, 0)).toMatchObject({ payloadEnd: 28, cut: false });
    expect(parseIpHeader(d, 0, 4, 56)).toMatchObject({ payloadEnd: 28, cut: true });
  });

  it('calls a length beyond the packet on the wire a bad header, and a length beyond the capture a cut', () => {
    const v4 = hex('45 00 0100 0000 0000 40 11 0000 0a000001 0a000002 01f4 01f4');
    expect(parseIpHeader(v4, 0, 4, v4.length)).toMatchObject({ kind: 'malformed', reason: 'bad-ip-header', offset: 2 });
    expect(parseIpHeader(v4, 0, 4, 0x100)).toMatchObject({ kind: 'ip', cut: true });
    const v6 = hex('60000000 0100 11 40 20010db8000000000000000000000001 20010db8000000000000000000000002 01f4');
    expect(parseIpHeader(v6, 0, 6, v6.length)).toMatchObject({ kind: 'malformed', reason: 'bad-ip-header', offset: 4 });
    expect(parseIpHeader(v6, 0, 6, 40 + 0x100)).toMatchObject({ kind: 'ip', cut: true });
  });

  it('checks the version nibble against the link layer', () => {
    expect(parseIpHeader(hex('45'), 0, 6)).toMatchObject({ kind: 'malformed', reason: 'bad-ip-header' });
  });

  it('walks extension headers after reassembly', () => {
    expect(walkIpv6Extensions(hex('1100000000000000 ff'), 0, 9, 60)).toEqual({
      kind: 'upper',
      protocol: 17,
      offset: 8,
    });
  });
});

// The text rules are @oaklog/common's, tested there case by case (RFC 5952); this checks pcap's entry exports them.
describe('address text', () => {
  it('prints the addresses at an offset, and the bytes that are not there as ?', () => {
    expect(formatIpv6(hex('ffff20010db8000000000000000000000001'), 2)).toBe('2001:db8::1');
    expect(formatIpv4(Uint8Array.of(192, 0, 2, 1))).toBe('192.0.2.1');
    expect(formatIpv4(Uint8Array.of(192, 0))).toBe('192.0.?.?');
    expect(formatIpv4(Uint8Array.of(192, 0, 2, 1), 2)).toBe('2.1.?.?');
    expect(formatIpv6(hex('20010db8'), 0)).toBe('2001:db8:?:?:?:?:?:?');
  });
});
