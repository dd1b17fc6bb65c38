import { describe, expect, it } from 'vitest';
import { parseIpHeader } from '../src/ip';
import { demuxUdp, quotedIke } from '../src/udp';
import { hex } from './hex';

describe('demuxUdp', () => {
  it.each([
    {
      name: 'ISAKMP on 500',
      hex: `01f4 01f4 0024 0000
            00112233445566778899aabbccddeeff 01 10 02 00 00000000 0000001c`,
      expected: { kind: 'ike', srcPort: 500, dstPort: 500, nonEspMarker: false, offset: 8, end: 36, truncated: false },
    },
    {
      name: 'ISAKMP from 500 to an ephemeral port',
      hex: '01f4 c350 0024 0000  00112233445566778899aabbccddeeff 01 10 02 00 00000000 0000001c',
      expected: { kind: 'ike', srcPort: 500, dstPort: 50000 },
    },
    {
      name: 'NAT-T with the non-ESP marker',
      hex: `1194 1194 0028 0000
            00000000   # non-ESP marker
            00112233445566778899aabbccddeeff 01 10 02 00 00000000 0000001c`,
      expected: { kind: 'ike', nonEspMarker: true, offset: 12, end: 40 },
    },
    {
      name: 'IKE from 4500 to 500 behind the non-ESP marker',
      hex: `1194 01f4 0028 0000
            00000000   # non-ESP marker
            00112233445566778899aabbccddeeff 01 10 02 00 00000000 0000001c`,
      expected: { kind: 'ike', srcPort: 4500, dstPort: 500, nonEspMarker: true, offset: 12, end: 40 },
    },
    {
      name: 'IKE from 500 to 4500 behind the non-ESP marker',
      hex: `01f4 1194 0028 0000
            00000000   # non-ESP marker
            00112233445566778899aabbccddeeff 01 10 02 00 00000000 0000001c`,
      expected: { kind: 'ike', nonEspMarker: true, offset: 12, end: 40 },
    },
    {
      name: 'IKE from 500 to 4500 without a marker',
      hex: '01f4 1194 0024 0000  00112233445566778899aabbccddeeff 01 10 02 00 00000000 0000001c',
      expected: { kind: 'ike', nonEspMarker: false, offset: 8, end: 36 },
    },
    {
      name: 'a short non-zero payload from 4500 to 500 is ESP, as udpencap reads it',
      hex: '1194 01f4 000c 0000 01010101',
      expected: { kind: 'skipped', reason: 'esp', offset: 8 },
    },
    {
      name: 'a keepalive from 500 to 4500',
      hex: '01f4 1194 0009 0000 ff',
      expected: { kind: 'skipped', reason: 'nat-keepalive', offset: 8 },
    },
    {
      name: 'zero SPI on 500 ↔ 500 is not a marker',
      hex: '01f4 01f4 0024 0000  00000000445566778899aabbccddeeff 01 10 02 00 00000000 0000001c',
      expected: { kind: 'ike', nonEspMarker: false, offset: 8 },
    },
    {
      name: 'NAT-keepalive',
      hex: '1194 1194 0009 0000 ff',
      expected: { kind: 'skipped', reason: 'nat-keepalive', offset: 8 },
    },
    {
      name: 'ESP in UDP',
      hex: '1194 1194 0010 0000 c0ffee01 00000001',
      expected: { kind: 'skipped', reason: 'esp', offset: 8 },
    },
    { name: 'other port', hex: '0035 0035 0008 0000', expected: { kind: 'skipped', reason: 'other-port', offset: 0 } },
    {
      name: 'UDP length 7',
      hex: '01f4 01f4 0007 0000',
      expected: { kind: 'malformed', reason: 'bad-udp-length', offset: 4 },
    },
    {
      name: 'UDP length past the IP payload',
      hex: '01f4 01f4 0020 0000',
      expected: { kind: 'malformed', reason: 'bad-udp-length', offset: 4 },
    },
    { name: 'header cut', hex: '01f4 01f4', expected: { kind: 'malformed', reason: 'truncated', offset: 0 } },
    {
      name: 'two bytes on 4500',
      hex: '1194 1194 000a 0000 0000',
      expected: { kind: 'malformed', reason: 'bad-nat-t-payload', offset: 8 },
    },
    { name: 'empty on 4500', hex: '1194 1194 0008 0000', expected: { kind: 'malformed', reason: 'bad-nat-t-payload' } },
    {
      name: 'empty on 500',
      hex: '01f4 01f4 0008 0000',
      expected: { kind: 'malformed', reason: 'short-ike', offset: 8 },
    },
    {
      name: '27 bytes on 500',
      hex: `01f4 01f4 0023 0000 ${'00'.repeat(27)}`,
      expected: { kind: 'malformed', reason: 'short-ike' },
    },
    {
      name: 'a bare non-ESP marker',
      hex: '1194 1194 000c 0000 00000000',
      expected: { kind: 'malformed', reason: 'short-ike', offset: 12 },
    },
  ])('$name', ({ hex: h, expected }) => {
    const d = hex(h);
    expect(demuxUdp(d, 0, d.length, false)).toMatchObject(expected);
  });

  it('marks a datagram cut by the snapshot length as truncated', () => {
    const d = hex('01f4 01f4 0100 0000 aabb'); // 248 bytes declared, 2 captured
    expect(demuxUdp(d, 0, d.length, true)).toMatchObject({ kind: 'ike', offset: 8, end: 10, truncated: true });
  });

  it('between 500 and 4500, reads the marker only when an ISAKMP header of payload was captured, as tshark does', () => {
    const whole = hex('1194 01f4 0028 0000  00000000  00112233445566778899aabbccddeeff 01 10 02 00 00000000 0000001c');
    expect(demuxUdp(whole, 0, 8 + 28, true)).toMatchObject({
      kind: 'ike',
      nonEspMarker: true,
      offset: 12,
      truncated: true,
    });
    expect(demuxUdp(whole, 0, 8 + 27, true)).toMatchObject({
      kind: 'ike',
      nonEspMarker: false,
      offset: 8,
      truncated: true,
    });
  });

  it('reports a datagram whose payload the snapshot length cut away entirely as truncated', () => {
    const d = hex('01f4 01f4 0100 0000');
    expect(demuxUdp(d, 0, d.length, true)).toMatchObject({ kind: 'malformed', reason: 'truncated', offset: 8 });
  });

  it('uses configured ports', () => {
    const d = hex('1f90 1f91 0028 0000 00000000 00112233445566778899aabbccddeeff 01 10 02 00 00000000 0000001c');
    expect(demuxUdp(d, 0, d.length, false)).toMatchObject({ kind: 'skipped', reason: 'other-port' });
    expect(demuxUdp(d, 0, d.length, false, { ike: [], natT: [8081] })).toMatchObject({
      kind: 'ike',
      nonEspMarker: true,
    });
  });
});

describe('quotedIke', () => {
  const icmp = (type: string, inner: string) => {
    const d = hex(`45000000 0000 0000 40 01 0000 0a000002 0a000001   ${type} 00 0000 00000000   ${inner}`);
    d[3] = d.length;
    return d;
  };
  const ip = (d: Uint8Array) => {
    const h = parseIpHeader(d, 0);
    if (h.kind !== 'ip') throw new Error('bad test packet');
    return h;
  };

  it('recognises an ISAKMP datagram quoted in a port unreachable', () => {
    const d = icmp('03', '45000038 0001 0000 40 11 0000 0a000001 0a000002  01f4 270f 0024 0000  aabbccdd');
    expect(quotedIke(d, 20, d.length, ip(d))).toEqual({
      icmpType: 3,
      src: '10.0.0.1',
      dst: '10.0.0.2',
      srcPort: 500,
      dstPort: 9999,
    });
  });

  it('reads through a quoted IPv4 first fragment but not a quoted IPv6 fragment, as Wireshark does', () => {
    const v4 = icmp('03', '45000038 0001 2000 40 11 0000 0a000001 0a000002  01f4 01f4 0400 0000  aabbccdd');
    expect(quotedIke(v4, 20, v4.length, ip(v4))).toMatchObject({ srcPort: 500, dstPort: 500 });
    const v6 = hex(`60000000 0048 3a 40 20010db8000000000000000000000002 20010db8000000000000000000000001
                    01 04 0000 00000000
                    60000000 0400 2c 40 20010db8000000000000000000000001 20010db8000000000000000000000002
                    11 00 0001 00000001   # fragment header: offset 0, more fragments
                    01f4 01f4 0400 0000 aabbccdd`);
    expect(quotedIke(v6, 40, v6.length, ip(v6))).toBeUndefined();
  });

  it('ignores echo replies, quoted keepalives and other ports', () => {
    const echo = icmp('00', '45000038 0001 0000 40 11 0000 0a000001 0a000002  01f4 270f 0024 0000');
    const keepalive = icmp('03', '4500001d 0001 0000 40 11 0000 0a000001 0a000002  1194 1194 0009 0000 ff');
    const dns = icmp('03', '45000038 0001 0000 40 11 0000 0a000001 0a000002  0035 0035 0024 0000');
    for (const d of [echo, keepalive, dns]) expect(quotedIke(d, 20, d.length, ip(d))).toBeUndefined();
  });
});
