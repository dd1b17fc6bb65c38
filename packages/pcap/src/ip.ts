/**
 * IPv4 (RFC 791) and IPv6 (RFC 8200) headers, as far as the demux needs them: addresses, the upper-layer protocol, where its
 * bytes are, and fragmentation. Checksums are not verified (captures taken on the sending host carry offloaded ones).
 */
import { formatIpv4, formatIpv6 } from '@oaklog/common';
import { be16, u32 } from './bytes';

/** Fragmentation fields of a packet that is one piece of a larger datagram. */
export interface IpFragmentInfo {
  /** IPv4 identification (16 bits) or IPv6 fragment header identification (32 bits). */
  readonly id: number;
  /** Byte offset of this piece in the reassembled payload. */
  readonly offset: number;
  /** More-fragments flag. */
  readonly more: boolean;
}

/** A parsed IP header. Offsets are relative to the buffer passed in. */
export interface IpHeader {
  readonly kind: 'ip';
  readonly version: 4 | 6;
  /** Offset of the IP header. */
  readonly offset: number;
  /** Source address, printed (dotted quad, or RFC 5952 IPv6). */
  readonly src: string;
  /** Destination address, printed. */
  readonly dst: string;
  /** Upper-layer protocol (after IPv6 extension headers; for a fragment, the protocol of the reassembled payload). */
  readonly protocol: number;
  /** Offset of the upper-layer payload (or of the fragment's piece). */
  readonly payloadOffset: number;
  /** End of the payload: the header's length, or the end of the buffer if that comes first. */
  readonly payloadEnd: number;
  /** True when the buffer ends before the length the header declares. */
  readonly cut: boolean;
  /** Present when the packet is a fragment. */
  readonly fragment: IpFragmentInfo | undefined;
}

/** Why an IP header could not be read. */
export type IpProblemReason = 'truncated' | 'bad-ip-header';

/** An unreadable IP header, with the offset of the offending byte. */
export interface IpProblem {
  readonly kind: 'malformed';
  readonly reason: IpProblemReason;
  readonly offset: number;
  readonly detail: string;
}

/** IP protocol numbers the demux cares about. */
export const IpProtocol = { ICMP: 1, UDP: 17, ICMPV6: 58, ESP: 50, AH: 51, IPV6_FRAGMENT: 44 } as const;

function bad(reason: IpProblemReason, offset: number, detail: string): IpProblem {
  return { kind: 'malformed', reason, offset, detail };
}

/*
 *  IPv4 header (RFC 791 3.1):
 *  |Version|  IHL  |Type of Service|          Total Length         |
 *  |         Identification        |Flags|      Fragment Offset    |
 *  |  Time to Live |    Protocol   |         Header Checksum       |
 *  |                       Source Address                          |
 *  |                    Destination Address                        |
 *  |                    Options (IHL > 5)                          |
 */
function parseIpv4(d: Uint8Array, at: number, reported: number | undefined): IpHeader | IpProblem {
  if (d.length < at + 20) return bad('truncated', at, 'frame ends inside the IPv4 header');
  const ihl = (d[at]! & 0x0f) * 4;
  if (ihl < 20) return bad('bad-ip-header', at, `IPv4 header length ${ihl}`);
  if (d.length < at + ihl) return bad('truncated', at, 'frame ends inside the IPv4 options');
  // A zero total length is what captures taken above segmentation offload (TSO/GSO) show: like Wireshark, take the
  // length the frame had on the wire.
  const total = be16(d, at + 2) || (reported ?? d.length) - at;
  if (total < ihl) return bad('bad-ip-header', at + 2, `IPv4 total length ${total} < header length ${ihl}`);
  // Longer than the packet on the wire: the header lies (Wireshark: "IPv4 total length exceeds packet length").
  if (reported !== undefined && at + total > reported) {
    return bad('bad-ip-header', at + 2, `IPv4 total length ${total} exceeds the ${reported - at}-byte packet`);
  }
  const flags = be16(d, at + 6);
  const fragOffset = (flags & 0x1fff) * 8;
  const more = (flags & 0x2000) !== 0;
  const declaredEnd = at + total;
  return {
    kind: 'ip',
    version: 4,
    offset: at,
    src: formatIpv4(d, at + 12),
    dst: formatIpv4(d, at + 16),
    protocol: d[at + 9]!,
    payloadOffset: at + ihl,
    payloadEnd: Math.min(declaredEnd, d.length),
    cut: declaredEnd > d.length,
    fragment: more || fragOffset > 0 ? { id: be16(d, at + 4), offset: fragOffset, more } : undefined,
  };
}

/** IPv6 extension headers with the generic layout | next header | length in 8-octet units, minus 1 | ... |. */
const GENERIC_EXTENSIONS = new Set([0, 43, 60, 135, 139, 140, 253, 254]);

/** Where an IPv6 extension header chain ends: the upper-layer protocol and its offset, or a fragment header. */
export type Ipv6Chain =
  | { readonly kind: 'upper'; readonly protocol: number; readonly offset: number }
  | { readonly kind: 'fragment'; readonly protocol: number; readonly offset: number; readonly fragment: IpFragmentInfo }
  | IpProblem;

/** Walks IPv6 extension headers from `next` at `at` up to `end`, stopping at the upper layer or a fragment header. */
export function walkIpv6Extensions(d: Uint8Array, at: number, end: number, next: number): Ipv6Chain {
  for (;;) {
    if (next === IpProtocol.IPV6_FRAGMENT) {
      /*  | Next Header | Reserved | Fragment Offset (13) |Res|M| Identification (32) |  */
      if (end < at + 8) return bad('truncated', at, 'packet ends inside the IPv6 fragment header');
      const v = be16(d, at + 2);
      return {
        kind: 'fragment',
        protocol: d[at]!,
        offset: at + 8,
        fragment: { id: u32(d, at + 4, false), offset: v & 0xfff8, more: (v & 1) !== 0 },
      };
    }
    let size: number;
    if (GENERIC_EXTENSIONS.has(next)) {
      if (end < at + 2) return bad('truncated', at, 'packet ends inside an IPv6 extension header');
      size = (d[at + 1]! + 1) * 8;
    } else if (next === IpProtocol.AH) {
      /*  AH (RFC 4302): | Next Header | Payload Len (32-bit words, minus 2) | ... |  */
      if (end < at + 2) return bad('truncated', at, 'packet ends inside the AH header');
      size = (d[at + 1]! + 2) * 4;
    } else {
      return { kind: 'upper', protocol: next, offset: at };
    }
    if (end < at + size) return bad('truncated', at, `packet ends inside a ${size}-byte IPv6 extension header`);
    next = d[at]!;
    at += size;
  }
}

/*
 *  IPv6 header (RFC 8200 3):
 *  |Version| Traffic Class |           Flow Label                  |
 *  |         Payload Length        |  Next Header  |   Hop Limit   |
 *  |                 Source Address (16)                           |
 *  |              Destination Address (16)                         |
 */
function parseIpv6(d: Uint8Array, at: number, reported: number | undefined): IpHeader | IpProblem {
  if (d.length < at + 40) return bad('truncated', at, 'frame ends inside the IPv6 header');
  const payloadLength = be16(d, at + 4);
  // A zero payload length means a jumbogram (RFC 2675) or segmentation offload: take the frame's length on the wire.
  const declaredEnd = payloadLength === 0 ? (reported ?? d.length) : at + 40 + payloadLength;
  if (reported !== undefined && declaredEnd > reported) {
    return bad(
      'bad-ip-header',
      at + 4,
      `IPv6 payload length ${payloadLength} exceeds the ${reported - at - 40}-byte packet`,
    );
  }
  const end = Math.min(declaredEnd, d.length);
  const chain = walkIpv6Extensions(d, at + 40, end, d[at + 6]!);
  if (chain.kind === 'malformed') return chain;
  return {
    kind: 'ip',
    version: 6,
    offset: at,
    src: formatIpv6(d, at + 8),
    dst: formatIpv6(d, at + 24),
    protocol: chain.protocol,
    payloadOffset: chain.offset,
    payloadEnd: end,
    cut: declaredEnd > d.length,
    fragment: chain.kind === 'fragment' ? chain.fragment : undefined,
  };
}

/**
 * Parses the IP header at `at`; `version` (from the link layer) is checked against the header's own nibble. `reported`
 * is the buffer's length on the wire (the frame's original length): a header claiming more is `bad-ip-header`, and a zero
 * length field means that length. Without it the buffer's length is used and any longer claim counts as `cut`.
 */
export function parseIpHeader(d: Uint8Array, at: number, version?: 4 | 6, reported?: number): IpHeader | IpProblem {
  if (d.length <= at) return bad('truncated', at, 'frame ends before the IP header');
  const nibble = d[at]! >> 4;
  if ((nibble !== 4 && nibble !== 6) || (version !== undefined && nibble !== version)) {
    return bad(
      'bad-ip-header',
      at,
      `IP version ${nibble}${version === undefined ? '' : `, link layer says ${version}`}`,
    );
  }
  return nibble === 4 ? parseIpv4(d, at, reported) : parseIpv6(d, at, reported);
}
