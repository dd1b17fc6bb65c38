/**
 * Writing captures: classic pcap and pcapng containers, plus frames built from UDP datagrams (IPv4/IPv6 header, UDP header
 * with checksum, optional non-ESP marker, optional fragmentation, link-layer header). Used by tests and the corpus
 * synthesizer; what it writes reads back identically.
 */
import { concatBytes, ipv4Bytes, ipv6Bytes } from '@oaklog/common';
import { be16, put16, put32 } from './bytes';
import { CaptureError } from './errors';
import { LinkType } from './link';
import { encodePcapHeader, encodePcapRecord, type PcapWriterOptions, type WritePacket } from './pcap';
import {
  encodePcapngInterface,
  encodePcapngPacket,
  encodePcapngSectionHeader,
  type PcapngWriterOptions,
} from './pcapng';
import type { CaptureTime } from './time';

/** Container formats the writer produces. */
export type CaptureFormat = 'pcap' | 'pcapng';

/** Options of `createCaptureWriter`/`writeCapture`. */
export interface CaptureWriterOptions extends PcapWriterOptions, PcapngWriterOptions {
  /** Container format. Default 'pcap'. */
  readonly format?: CaptureFormat;
}

/** An incremental capture writer: emit `header()` once, then `packet()` per frame. */
export interface CaptureWriter {
  /** The file header (pcap) or section header and interface blocks (pcapng). */
  header(): Uint8Array;
  /** One packet record or enhanced packet block; throws BAD_INPUT for values the format cannot store. */
  packet(packet: WritePacket): Uint8Array;
}

/** Creates an incremental writer for the chosen format. */
export function createCaptureWriter(options: CaptureWriterOptions = {}): CaptureWriter {
  if (options.format === 'pcapng') {
    const interfaces = options.interfaces ?? [{ linkType: options.linkType ?? LinkType.ETHERNET }];
    return {
      header: () =>
        concatBytes([encodePcapngSectionHeader(options), ...interfaces.map((i) => encodePcapngInterface(i, options))]),
      packet(p) {
        const iface = interfaces[p.interfaceId ?? 0];
        if (!iface) throw new CaptureError('BAD_INPUT', 0, `packet names interface ${p.interfaceId}, not written`);
        return encodePcapngPacket(p, iface.tsresol ?? 9, options);
      },
    };
  }
  return { header: () => encodePcapHeader(options), packet: (p) => encodePcapRecord(p, options) };
}

/** Writes a whole capture to one buffer. */
export function writeCapture(packets: Iterable<WritePacket>, options: CaptureWriterOptions = {}): Uint8Array {
  const w = createCaptureWriter(options);
  const parts = [w.header()];
  for (const p of packets) parts.push(w.packet(p));
  return concatBytes(parts);
}

/** A UDP datagram to put on the wire. Addresses are IPv4 dotted quads or IPv6 text; both must be the same family. */
export interface UdpDatagramSpec {
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly payload: Uint8Array;
  /** Prefix the payload with the 4-byte non-ESP marker (IKE on port 4500). */
  readonly nonEspMarker?: boolean;
  /** IPv4 identification (also used as IPv6 fragment id when fragmenting). Default 1. */
  readonly id?: number;
  /** TTL / hop limit. Default 64. */
  readonly ttl?: number;
}

/** Parses a dotted-quad IPv4 address; throws `CaptureError` `BAD_INPUT` on anything else. */
export function parseIpv4Address(text: string): Uint8Array {
  const bytes = ipv4Bytes(text);
  if (bytes === undefined) throw new CaptureError('BAD_INPUT', 0, `bad IPv4 address ${text}`);
  return bytes;
}

/** Parses IPv6 text (with `::` and an optional trailing dotted quad); throws `CaptureError` `BAD_INPUT` otherwise. */
export function parseIpv6Address(text: string): Uint8Array {
  const bytes = ipv6Bytes(text);
  if (bytes === undefined) throw new CaptureError('BAD_INPUT', 0, `bad IPv6 address ${text}`);
  return bytes;
}

function checksum(parts: readonly Uint8Array[]): number {
  let sum = 0;
  for (const p of parts) {
    for (let i = 0; i + 1 < p.length; i += 2) sum += be16(p, i);
    if (p.length % 2) sum += p[p.length - 1]! << 8;
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** Encodes an IP packet (IPv4 or IPv6 by the address family) carrying the UDP datagram, checksums filled in. */
export function encodeUdpPacket(d: UdpDatagramSpec): Uint8Array {
  const v6 = d.src.includes(':');
  if (v6 !== d.dst.includes(':')) throw new CaptureError('BAD_INPUT', 0, 'source and destination families differ');
  const src = v6 ? parseIpv6Address(d.src) : parseIpv4Address(d.src);
  const dst = v6 ? parseIpv6Address(d.dst) : parseIpv4Address(d.dst);
  const marker = d.nonEspMarker ? 4 : 0;
  const udpLength = 8 + marker + d.payload.length;
  const ipHeader = v6 ? 40 : 20;
  if (udpLength > 0xffff || (!v6 && udpLength + 20 > 0xffff)) {
    throw new CaptureError('BAD_INPUT', 0, `UDP payload of ${d.payload.length} bytes does not fit`);
  }
  const out = new Uint8Array(ipHeader + udpLength);
  const udp = out.subarray(ipHeader);
  put16(udp, 0, d.srcPort, false);
  put16(udp, 2, d.dstPort, false);
  put16(udp, 4, udpLength, false);
  udp.set(d.payload, 8 + marker);
  const pseudo = new Uint8Array(src.length * 2 + 8);
  pseudo.set(src, 0);
  pseudo.set(dst, src.length);
  put32(pseudo, src.length * 2, udpLength, false);
  pseudo[pseudo.length - 1] = 17;
  put16(udp, 6, checksum([pseudo, udp]) || 0xffff, false);
  if (v6) {
    out[0] = 0x60;
    put16(out, 4, udpLength, false);
    out[6] = 17;
    out[7] = d.ttl ?? 64;
    out.set(src, 8);
    out.set(dst, 24);
  } else {
    out[0] = 0x45;
    put16(out, 2, out.length, false);
    put16(out, 4, d.id ?? 1, false);
    out[8] = d.ttl ?? 64;
    out[9] = 17;
    out.set(src, 12);
    out.set(dst, 16);
    put16(out, 10, checksum([out.subarray(0, 20)]), false);
  }
  return out;
}

/**
 * Splits an IP packet into fragments of at most `mtu` bytes (IPv4 by offset/MF, IPv6 with a fragment header right after
 * the fixed header). A packet that fits is returned alone. IPv6 uses `id` (default 1) as the fragment identification.
 */
export function fragmentIpPacket(packet: Uint8Array, mtu: number, id = 1): Uint8Array[] {
  if (packet.length <= mtu) return [packet];
  const v6 = packet[0]! >> 4 === 6;
  const header = v6 ? 40 : (packet[0]! & 0x0f) * 4;
  const step = Math.floor((mtu - header - (v6 ? 8 : 0)) / 8) * 8;
  if (step < 8) throw new CaptureError('BAD_INPUT', 0, `MTU ${mtu} too small to fragment`);
  const payload = packet.subarray(header);
  const out: Uint8Array[] = [];
  for (let off = 0; off < payload.length; off += step) {
    const piece = payload.subarray(off, Math.min(off + step, payload.length));
    const more = off + step < payload.length;
    if (v6) {
      const f = new Uint8Array(48 + piece.length);
      f.set(packet.subarray(0, 40), 0);
      put16(f, 4, 8 + piece.length, false);
      f[6] = 44;
      f[40] = packet[6]!;
      put16(f, 42, off | (more ? 1 : 0), false);
      put32(f, 44, id, false);
      f.set(piece, 48);
      out.push(f);
    } else {
      const f = new Uint8Array(header + piece.length);
      f.set(packet.subarray(0, header), 0);
      put16(f, 2, f.length, false);
      put16(f, 6, (more ? 0x2000 : 0) | (off / 8), false);
      put16(f, 10, 0, false);
      put16(f, 10, checksum([f.subarray(0, header)]), false);
      f.set(piece, header);
      out.push(f);
    }
  }
  return out;
}

/** Link-layer options of `encodeLinkFrame`. */
export interface LinkFrameOptions {
  /** 802.1Q VLAN ids to tag an Ethernet, SLL or SLL2 frame with, outermost first (two or more makes QinQ, 0x88a8 outside). */
  readonly vlans?: readonly number[];
}

const MAC_DST = [0x02, 0, 0, 0, 0, 0x02];
const MAC_SRC = [0x02, 0, 0, 0, 0, 0x01];

function ethertypeOf(ip: Uint8Array): number {
  return ip[0]! >> 4 === 6 ? 0x86dd : 0x0800;
}

/**
 * For the cooked (SLL, SLL2) headers: the protocol field and the tags that follow the header, each | TCI | next type |,
 * outermost first, as Linux writes VLAN-tagged frames it did not strip.
 */
function vlanTags(ip: Uint8Array, vlans: readonly number[]): { protocol: number; tags: Uint8Array } {
  const tpid = (i: number) => (i === 0 && vlans.length > 1 ? 0x88a8 : 0x8100);
  const tags = new Uint8Array(4 * vlans.length);
  vlans.forEach((vid, i) => {
    put16(tags, 4 * i, vid & 0x0fff, false);
    put16(tags, 4 * i + 2, i + 1 < vlans.length ? tpid(i + 1) : ethertypeOf(ip), false);
  });
  return { protocol: vlans.length > 0 ? tpid(0) : ethertypeOf(ip), tags };
}

type LinkEncoder = (ip: Uint8Array, options: LinkFrameOptions) => Uint8Array;

const linkEncoders: Readonly<Record<number, LinkEncoder>> = {
  [LinkType.ETHERNET]: (ip, o) => {
    const vlans = o.vlans ?? [];
    const out = new Uint8Array(14 + 4 * vlans.length + ip.length);
    out.set(MAC_DST, 0);
    out.set(MAC_SRC, 6);
    vlans.forEach((vid, i) => {
      put16(out, 12 + 4 * i, i === 0 && vlans.length > 1 ? 0x88a8 : 0x8100, false);
      put16(out, 14 + 4 * i, vid & 0x0fff, false);
    });
    put16(out, 12 + 4 * vlans.length, ethertypeOf(ip), false);
    out.set(ip, 14 + 4 * vlans.length);
    return out;
  },
  [LinkType.LINUX_SLL]: (ip, o) => {
    const { protocol, tags } = vlanTags(ip, o.vlans ?? []);
    const out = new Uint8Array(16 + tags.length + ip.length);
    put16(out, 2, 1, false);
    put16(out, 4, 6, false);
    out.set(MAC_SRC, 6);
    put16(out, 14, protocol, false);
    out.set(tags, 16);
    out.set(ip, 16 + tags.length);
    return out;
  },
  [LinkType.LINUX_SLL2]: (ip, o) => {
    const { protocol, tags } = vlanTags(ip, o.vlans ?? []);
    const out = new Uint8Array(20 + tags.length + ip.length);
    put16(out, 0, protocol, false);
    put32(out, 4, 1, false);
    put16(out, 8, 1, false);
    out[11] = 6;
    out.set(MAC_SRC, 12);
    out.set(tags, 20);
    out.set(ip, 20 + tags.length);
    return out;
  },
  [LinkType.RAW]: (ip) => ip,
  [LinkType.IPV4]: (ip) => ip,
  [LinkType.IPV6]: (ip) => ip,
  [LinkType.NULL]: (ip) => concatBytes([familyHeader(ip, true), ip]),
  [LinkType.LOOP]: (ip) => concatBytes([familyHeader(ip, false), ip]),
};

function familyHeader(ip: Uint8Array, le: boolean): Uint8Array {
  const h = new Uint8Array(4);
  put32(h, 0, ip[0]! >> 4 === 6 ? 24 : 2, le);
  return h;
}

/** Wraps an IP packet in a link-layer header of the given LINKTYPE_* (Ethernet, SLL, SLL2, raw, NULL, LOOP). */
export function encodeLinkFrame(linkType: number, ip: Uint8Array, options: LinkFrameOptions = {}): Uint8Array {
  const encoder = linkEncoders[linkType];
  if (!encoder) throw new CaptureError('BAD_INPUT', 0, `cannot write link type ${linkType}`);
  return encoder(ip, options);
}

/** A UDP datagram with its capture time, and an MTU to fragment it at. */
export interface TimedDatagram extends UdpDatagramSpec {
  readonly time: CaptureTime;
  /** Fragment the IP packet to this size (each fragment becomes a frame with the same time). */
  readonly mtu?: number;
}

/** Writes UDP datagrams as a capture: IP packet, optional fragmentation, link-layer frame, container record. */
export function writeUdpCapture(
  datagrams: Iterable<TimedDatagram>,
  options: CaptureWriterOptions & LinkFrameOptions = {},
): Uint8Array {
  const linkType =
    options.format === 'pcapng'
      ? (options.interfaces?.[0]?.linkType ?? options.linkType ?? 1)
      : (options.linkType ?? 1);
  const packets: WritePacket[] = [];
  for (const d of datagrams) {
    const ip = encodeUdpPacket(d);
    const pieces = d.mtu === undefined ? [ip] : fragmentIpPacket(ip, d.mtu, d.id ?? 1);
    for (const piece of pieces) packets.push({ time: d.time, data: encodeLinkFrame(linkType, piece, options) });
  }
  return writeCapture(packets, options);
}
