import { describe, expect, it } from 'vitest';
import { LinkType } from '../src/index';
import { decodeLinkLayer } from '../src/link';
import { hex } from './hex';

describe('decodeLinkLayer', () => {
  it.each([
    {
      name: 'Ethernet IPv4',
      type: LinkType.ETHERNET,
      hex: '020000000002 020000000001 0800 45',
      expected: { kind: 'ip', offset: 14, version: 4 },
    },
    {
      name: 'Ethernet IPv6',
      type: LinkType.ETHERNET,
      hex: '020000000002 020000000001 86dd 60',
      expected: { kind: 'ip', offset: 14, version: 6 },
    },
    {
      name: 'Ethernet 802.1Q',
      type: LinkType.ETHERNET,
      hex: `020000000002 020000000001
            8100 000a   # VLAN 10
            0800 45`,
      expected: { kind: 'ip', offset: 18, version: 4 },
    },
    {
      name: 'Ethernet QinQ (802.1ad outside 802.1Q)',
      type: LinkType.ETHERNET,
      hex: `020000000002 020000000001
            88a8 0064   # S-tag 100
            8100 000a   # C-tag 10
            86dd 60`,
      expected: { kind: 'ip', offset: 22, version: 6 },
    },
    {
      name: 'Ethernet ARP',
      type: LinkType.ETHERNET,
      hex: '020000000002 020000000001 0806 0001',
      expected: { kind: 'skipped', reason: 'non-ip', offset: 12 },
    },
    {
      name: 'Ethernet cut inside a VLAN tag',
      type: LinkType.ETHERNET,
      hex: '020000000002 020000000001 8100 00',
      expected: { kind: 'malformed', reason: 'truncated', offset: 15 }, // the first missing byte, never past the frame
    },
    {
      name: 'Linux SLL',
      type: LinkType.LINUX_SLL,
      hex: `0000 0304 0006 000000000000 0000   # to us, ARPHRD_LOOPBACK, 6-byte address
            0800 45`,
      expected: { kind: 'ip', offset: 16, version: 4 },
    },
    {
      name: 'Linux SLL with a VLAN-tagged protocol',
      type: LinkType.LINUX_SLL,
      hex: '0000 0001 0006 020000000001 0000 8100 0005 86dd 60',
      expected: { kind: 'ip', offset: 20, version: 6 },
    },
    {
      name: 'Linux SLL2',
      type: LinkType.LINUX_SLL2,
      hex: `86dd 0000 00000001 0304 00 06 0000000000000000
            60`,
      expected: { kind: 'ip', offset: 20, version: 6 },
    },
    {
      name: 'Linux SLL2 with a VLAN tag after the header',
      type: LinkType.LINUX_SLL2,
      hex: `8100 0000 00000001 0001 00 06 020000000001 0000
            0005 0800   # VLAN TCI, EtherType
            45`,
      expected: { kind: 'ip', offset: 24, version: 4 },
    },
    {
      name: 'Linux SLL2 with QinQ',
      type: LinkType.LINUX_SLL2,
      hex: `88a8 0000 00000001 0001 00 06 020000000001 0000
            0005 8100 0006 86dd
            60`,
      expected: { kind: 'ip', offset: 28, version: 6 },
    },
    {
      name: 'Linux SLL2 too short',
      type: LinkType.LINUX_SLL2,
      hex: '86dd 0000',
      expected: { kind: 'malformed', offset: 4 },
    },
    {
      name: 'Ethernet cut at 5 bytes',
      type: LinkType.ETHERNET,
      hex: '0200000000',
      expected: { kind: 'malformed', offset: 5 },
    },
    { name: 'raw', type: LinkType.RAW, hex: '45', expected: { kind: 'ip', offset: 0, version: undefined } },
    { name: 'raw (DLT 12)', type: 12, hex: '60', expected: { kind: 'ip', offset: 0, version: undefined } },
    { name: 'IPv4', type: LinkType.IPV4, hex: '45', expected: { kind: 'ip', offset: 0, version: 4 } },
    { name: 'IPv6', type: LinkType.IPV6, hex: '60', expected: { kind: 'ip', offset: 0, version: 6 } },
    {
      name: 'NULL little-endian AF_INET',
      type: LinkType.NULL,
      hex: '02000000 45',
      expected: { kind: 'ip', offset: 4, version: 4 },
    },
    {
      name: 'NULL big-endian AF_INET6 (macOS)',
      type: LinkType.NULL,
      hex: '0000001e 60',
      expected: { kind: 'ip', offset: 4, version: 6 },
    },
    { name: 'NULL AF 7', type: LinkType.NULL, hex: '07000000', expected: { kind: 'skipped', reason: 'non-ip' } },
    {
      name: 'LOOP AF_INET6 (OpenBSD)',
      type: LinkType.LOOP,
      hex: '00000018 60',
      expected: { kind: 'ip', offset: 4, version: 6 },
    },
    {
      name: 'unknown link type',
      type: 147,
      hex: '00',
      expected: { kind: 'skipped', reason: 'unsupported-link-type', offset: 0 },
    },
  ])('$name', ({ type, hex: h, expected }) => {
    expect(decodeLinkLayer(type, hex(h))).toMatchObject(expected);
  });
});
