/**
 * UDP (RFC 768) to IKE: ports 500 (ISAKMP) and 4500 (NAT-T, RFC 3947/3948). On 4500 a datagram is a 1-byte NAT-keepalive
 * (0xFF), an IKE message behind a 4-byte all-zero non-ESP marker, or ESP (non-zero SPI).
 */
import { be16, u32 } from './bytes';
import { type IpHeader, IpProtocol, parseIpHeader } from './ip';

/** The UDP ports treated as IKE. */
export interface IkePorts {
  /** Plain ISAKMP ports. Default [500]. */
  readonly ike?: readonly number[];
  /** NAT-T ports, where the non-ESP marker applies. Default [4500]. */
  readonly natT?: readonly number[];
}

/** What a UDP datagram carries, as far as IKE is concerned. Offsets are relative to the buffer passed in. */
export type UdpDemux =
  | {
      readonly kind: 'ike';
      readonly srcPort: number;
      readonly dstPort: number;
      readonly nonEspMarker: boolean;
      /** Offset of the first ISAKMP byte (after the marker). */
      readonly offset: number;
      readonly end: number;
      /** True when the capture holds fewer bytes than the UDP length says. */
      readonly truncated: boolean;
    }
  | {
      readonly kind: 'skipped';
      readonly reason: 'other-port' | 'esp' | 'nat-keepalive';
      readonly srcPort: number;
      readonly dstPort: number;
      readonly offset: number;
      readonly detail: string;
    }
  | {
      readonly kind: 'malformed';
      readonly reason: 'truncated' | 'bad-udp-length' | 'bad-nat-t-payload' | 'short-ike';
      readonly offset: number;
      readonly detail: string;
    };

const DEFAULT_IKE = [500];
const DEFAULT_NAT_T = [4500];
const NON_ESP_MARKER = 4;
/** No ISAKMP message is shorter than its fixed header (RFC 2408 3.1); Wireshark does not call shorter payloads ISAKMP. */
const ISAKMP_HEADER = 28;

function short(offset: number, size: number): UdpDemux {
  return {
    kind: 'malformed',
    reason: 'short-ike',
    offset,
    detail: `${size}-byte payload on an IKE port, shorter than an ISAKMP header`,
  };
}

/**
 * Classifies the UDP datagram at `at`. `end` is where the IP payload ends in the buffer; `cut` says the capture stopped
 * before the IP length (snapshot length), so a UDP length past `end` is truncation rather than a lie.
 */
export function demuxUdp(d: Uint8Array, at: number, end: number, cut: boolean, ports: IkePorts = {}): UdpDemux {
  /*  | Source Port | Destination Port | Length | Checksum |  */
  if (end - at < 8)
    return { kind: 'malformed', reason: 'truncated', offset: at, detail: 'packet ends inside the UDP header' };
  const srcPort = be16(d, at);
  const dstPort = be16(d, at + 2);
  const length = be16(d, at + 4);
  if (length < 8)
    return { kind: 'malformed', reason: 'bad-udp-length', offset: at + 4, detail: `UDP length ${length}` };
  let udpEnd = at + length;
  let truncated = false;
  if (udpEnd > end) {
    if (!cut) {
      return {
        kind: 'malformed',
        reason: 'bad-udp-length',
        offset: at + 4,
        detail: `UDP length ${length} exceeds the ${end - at} bytes the IP header leaves`,
      };
    }
    truncated = true;
    udpEnd = end;
  }
  const payload = at + 8;
  const ike = ports.ike ?? DEFAULT_IKE;
  const natT = ports.natT ?? DEFAULT_NAT_T;
  // Between an IKE port and a NAT-T port (500 ↔ 4500) Wireshark's ISAKMP dissector takes only a whole plain message; a
  // payload behind four zero bytes (the non-ESP marker: no initiator SPI is zero, RFC 7296 3.1) or one shorter than an
  // ISAKMP header goes to udpencap, so the NAT-T rules below apply to it.
  const natTPeer = natT.includes(srcPort) || natT.includes(dstPort);
  // (Wireshark looks for the marker only when an ISAKMP header's worth of payload was captured; a datagram cut shorter by
  // the snapshot length stays plain ISAKMP.)
  const zeroPrefix = udpEnd - payload >= ISAKMP_HEADER && u32(d, payload, false) === 0;
  const plain = natTPeer && !zeroPrefix && length - 8 >= ISAKMP_HEADER;
  if ((ike.includes(srcPort) || ike.includes(dstPort)) && (!natTPeer || plain)) {
    if (length - 8 < ISAKMP_HEADER) return short(payload, length - 8);
    if (udpEnd === payload) {
      // Nothing of the message was captured (Wireshark does not dissect an empty payload either).
      return { kind: 'malformed', reason: 'truncated', offset: payload, detail: 'the snapshot length left no payload' };
    }
    return { kind: 'ike', srcPort, dstPort, nonEspMarker: false, offset: payload, end: udpEnd, truncated };
  }
  if (!natT.includes(srcPort) && !natT.includes(dstPort)) {
    return {
      kind: 'skipped',
      reason: 'other-port',
      srcPort,
      dstPort,
      offset: at,
      detail: `UDP ${srcPort} → ${dstPort}`,
    };
  }
  const size = length - 8;
  const have = udpEnd - payload;
  if (size === 1 && have === 1 && d[payload] === 0xff) {
    return { kind: 'skipped', reason: 'nat-keepalive', srcPort, dstPort, offset: payload, detail: 'NAT-keepalive' };
  }
  if (size < NON_ESP_MARKER || have < NON_ESP_MARKER) {
    return {
      kind: 'malformed',
      reason: have < size ? 'truncated' : 'bad-nat-t-payload',
      offset: payload,
      detail: `${size}-byte NAT-T payload (${have} captured) is neither a keepalive, a non-ESP marker nor ESP`,
    };
  }
  const spi = u32(d, payload, false);
  if (spi !== 0) {
    return {
      kind: 'skipped',
      reason: 'esp',
      srcPort,
      dstPort,
      offset: payload,
      detail: `ESP SPI 0x${spi.toString(16)}`,
    };
  }
  if (size - NON_ESP_MARKER < ISAKMP_HEADER) return short(payload + NON_ESP_MARKER, size - NON_ESP_MARKER);
  return {
    kind: 'ike',
    srcPort,
    dstPort,
    nonEspMarker: true,
    offset: payload + NON_ESP_MARKER,
    end: udpEnd,
    truncated,
  };
}

/** An IKE datagram quoted inside an ICMP error (the header of the offending packet plus at least 8 bytes of it). */
export interface QuotedIke {
  readonly icmpType: number;
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
}

/** ICMP types that quote the offending datagram: unreachable, source quench, redirect, time exceeded, parameter problem. */
const ICMP4_ERRORS = new Set([3, 4, 5, 11, 12]);
/** ICMPv6 errors: unreachable, packet too big, time exceeded, parameter problem. */
const ICMP6_ERRORS = new Set([1, 2, 3, 4]);

/** If the ICMP/ICMPv6 message at `at` is an error quoting a UDP datagram on an IKE port, describes the quoted datagram. */
export function quotedIke(
  d: Uint8Array,
  at: number,
  end: number,
  ip: IpHeader,
  ports: IkePorts = {},
): QuotedIke | undefined {
  if (end - at < 8) return undefined;
  const type = d[at]!;
  const errors = ip.protocol === IpProtocol.ICMP ? ICMP4_ERRORS : ICMP6_ERRORS;
  if (!errors.has(type)) return undefined;
  const quoted = d.subarray(0, end);
  const inner = parseIpHeader(quoted, at + 8);
  if (inner.kind !== 'ip' || inner.protocol !== IpProtocol.UDP) return undefined;
  // Only an IPv4 first fragment is read through, as for cut fragments outside ICMP (Wireshark does the same).
  if (inner.fragment && (inner.version === 6 || inner.fragment.offset > 0)) return undefined;
  // The quote is usually cut short, so judge it like a snapshot-length-truncated datagram.
  const udp = demuxUdp(quoted, inner.payloadOffset, inner.payloadEnd, true, ports);
  if (udp.kind !== 'ike') return undefined;
  return { icmpType: type, src: inner.src, dst: inner.dst, srcPort: udp.srcPort, dstPort: udp.dstPort };
}
