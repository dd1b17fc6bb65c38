/**
 * Differential property against Wireshark: random captures mixing link types, VLAN tags (Ethernet, SLL, SLL2),
 * IPv4/IPv6, IKE, NAT-T markers (also between 500 and 4500), keepalives, ESP, short payloads, other and low ports,
 * pcapng custom blocks, IPv4 options and IPv6 extension headers, fragmentation
 * (shuffled, duplicated), snapshot-length cuts and ICMP errors quoting datagrams are written to a pcapng file, read
 * by us and by tshark, and must be classified frame for frame alike. One tshark run per property run; a fixed seed
 * keeps CI stable (PCAP_DIFF_SEED=random and PCAP_DIFF_RUNS=n to explore).
 * Known, deliberate differences left out of the generator: a lower port that has a Wireshark dissector of its own
 * (e.g. 123 → 500 is NTP to tshark, which tries the lower port first; we read IKE on 500 whatever the other port), fragments overlapping with different bytes (we drop the
 * datagram, Wireshark reassembles and flags it), and a later fragment quoted whole inside an ICMP error (Wireshark feeds
 * the quoted copy into reassembly; we never treat a quoted copy as traffic).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type CaptureItem,
  encodeLinkFrame,
  encodePcapngPacket,
  encodeUdpPacket,
  fragmentIpPacket,
  readCaptureBytes,
  type WritePacket,
  writeCapture,
} from '../src/index';
import { haveTshark, type TsharkCounts, tsharkCounts } from './tshark-counts.mjs';

const LINKS = [1, 113, 276, 101, 0] as const;

const payloadKind = fc.constantFrom('ike', 'ike', 'ike', 'short', 'keepalive', 'esp', 'bare-marker');
const portPair = fc.constantFrom<[number, number]>(
  [500, 500],
  [4500, 4500],
  [4500, 40001],
  [40002, 500],
  [53, 53],
  [500, 4500],
  [4500, 500],
  [400, 500],
  [500, 400],
  [200, 4500],
);

const datagram = fc.record({
  v6: fc.boolean(),
  link: fc.nat(LINKS.length - 1),
  vlans: fc.array(fc.nat(4095), { maxLength: 2 }),
  ports: portPair,
  kind: payloadKind,
  size: fc.integer({ min: 28, max: 3000 }),
  shortSize: fc.nat(27),
  mtu: fc.option(fc.integer({ min: 1280, max: 1500 }), { nil: undefined, freq: 3 }),
  order: fc.array(fc.nat(), { maxLength: 4 }),
  duplicate: fc.option(fc.nat(), { nil: undefined, freq: 4 }),
  cut: fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined, freq: 6 }),
  icmp: fc.boolean(),
  /** IPv4 options or an IPv6 destination options header in front of UDP. */
  options: fc.boolean(),
  /** A pcapng custom block written before the datagram's frames (tshark numbers it as a frame). */
  custom: fc.boolean(),
});
type Datagram = typeof datagram extends fc.Arbitrary<infer T> ? T : never;

function payloadOf(d: Datagram, n: number): { payload: Uint8Array; nonEspMarker: boolean } {
  const ike = (size: number) => {
    const b = new Uint8Array(size).fill(n & 0xff);
    if (size >= 28) {
      b.set([1, 0x10, 2, 0, 0, 0, 0, 0], 16);
      new DataView(b.buffer).setUint32(24, size);
    }
    return b;
  };
  const natT = d.ports[0] === 4500 || d.ports[1] === 4500;
  switch (d.kind) {
    case 'ike':
      return { payload: ike(d.size), nonEspMarker: natT };
    case 'short':
      return { payload: ike(d.shortSize), nonEspMarker: false };
    case 'keepalive':
      return { payload: Uint8Array.of(0xff), nonEspMarker: false };
    case 'esp':
      return {
        payload: Uint8Array.of(0x12, 0x34, 0x56, n & 0xff, 0, 0, 0, 1, ...new Array(d.size % 200).fill(7)),
        nonEspMarker: false,
      };
    default:
      return { payload: new Uint8Array(0), nonEspMarker: true };
  }
}

/** Adds 4 bytes of IPv4 options (NOP NOP NOP EOL) or an 8-byte IPv6 destination options header before UDP. */
function withOptions(ip: Uint8Array): Uint8Array {
  const v6 = ip[0]! >> 4 === 6;
  const header = v6 ? 40 : 20;
  const extra = v6 ? Uint8Array.of(ip[6]!, 0, 1, 4, 0, 0, 0, 0) : Uint8Array.of(1, 1, 1, 0);
  const out = new Uint8Array(ip.length + extra.length);
  out.set(ip.subarray(0, header), 0);
  out.set(extra, header);
  out.set(ip.subarray(header), header + extra.length);
  const view = new DataView(out.buffer);
  if (v6) {
    out[6] = 60;
    view.setUint16(4, view.getUint16(4) + extra.length);
  } else {
    out[0] = 0x46;
    view.setUint16(2, out.length);
  }
  return out;
}

function icmpError(ip: Uint8Array, v6: boolean, src: string, dst: string): Uint8Array {
  const quote = ip.subarray(0, v6 ? 1232 - 48 : 548 - 28);
  const body = new Uint8Array(8 + quote.length);
  body[0] = v6 ? 1 : 3;
  body[1] = v6 ? 4 : 3;
  body.set(quote, 8);
  // An IP packet from the original destination carrying the ICMP error (checksums are not checked by either side).
  const outer = encodeUdpPacket({
    src: dst,
    dst: src,
    srcPort: 1,
    dstPort: 1,
    payload: new Uint8Array(body.length - 8),
  });
  const header = v6 ? 40 : 20;
  const out = new Uint8Array(header + body.length);
  out.set(outer.subarray(0, header), 0);
  out.set(body, header);
  if (v6) out[6] = 58;
  else out[9] = 1;
  return out;
}

/** A pcapng custom block (type 0x00000BAD, little-endian): PEN 32473 and 4 bytes of data. */
const CUSTOM_BLOCK = Uint8Array.of(0xad, 0x0b, 0, 0, 20, 0, 0, 0, 0xd9, 0x7e, 0, 0, 1, 2, 3, 4, 20, 0, 0, 0);

function build(ds: Datagram[]): Uint8Array {
  const packets: (WritePacket | 'custom')[] = [];
  ds.forEach((d, i) => {
    if (d.custom) packets.push('custom');
    const [src, dst] = d.v6 ? [`2001:db8::${i + 1}`, '2001:db8::ffff'] : [`10.1.${i >> 8}.${i & 0xff}`, '10.2.0.1'];
    const { payload, nonEspMarker } = payloadOf(d, i);
    const id = i + 1;
    const plain = encodeUdpPacket({ src, dst, srcPort: d.ports[0], dstPort: d.ports[1], payload, nonEspMarker, id });
    const ip = d.options ? withOptions(plain) : plain;
    let pieces = d.mtu === undefined ? [ip] : fragmentIpPacket(ip, d.mtu, id);
    const first = pieces[0]!;
    if (pieces.length > 1) {
      pieces = pieces
        .map((p, k) => ({ p, k: d.order[k] ?? k }))
        .sort((a, b) => a.k - b.k)
        .map((x) => x.p);
      if (d.duplicate !== undefined) pieces.push(pieces[d.duplicate % pieces.length]!);
    }
    // Stacks quote the datagram or its first fragment (reassembly timeout), never a later piece.
    if (d.icmp) pieces.push(icmpError(first, d.v6, src, dst));
    const link = LINKS[d.link]!;
    for (const piece of pieces) {
      const frame = encodeLinkFrame(link, piece, link === 1 || link === 113 || link === 276 ? { vlans: d.vlans } : {});
      const data = d.cut !== undefined && d.cut < frame.length ? frame.subarray(0, d.cut) : frame;
      packets.push({
        time: { seconds: 1_700_000_000 + i, nanoseconds: 0 },
        data,
        originalLength: frame.length,
        interfaceId: d.link,
      });
    }
  });
  const header = writeCapture([], { format: 'pcapng', interfaces: LINKS.map((linkType) => ({ linkType })) });
  const blocks = packets.map((p) => (p === 'custom' ? CUSTOM_BLOCK : encodePcapngPacket(p, 9)));
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, header.length));
  out.set(header, 0);
  let at = header.length;
  for (const b of blocks) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

function ours(bytes: Uint8Array): TsharkCounts {
  const reader = readCaptureBytes(bytes);
  const items = [...reader];
  const frames = (p: (i: CaptureItem) => boolean) => items.filter(p).map((i) => i.frame);
  return {
    frames: reader.summary.frames,
    ikeFrames: frames((i) => i.kind === 'ike'),
    nonEspMarkerFrames: frames((i) => i.kind === 'ike' && i.nonEspMarker),
    natKeepaliveFrames: frames((i) => i.kind === 'skipped' && i.reason === 'nat-keepalive'),
    espInUdpFrames: frames((i) => i.kind === 'skipped' && i.reason === 'esp'),
    icmpQuotedIkeFrames: frames((i) => i.kind === 'skipped' && i.reason === 'icmp-quoted-ike'),
  };
}

describe.runIf(haveTshark())('random captures read by us and by tshark', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oaklog-pcap-diff-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const seed = process.env.PCAP_DIFF_SEED === 'random' ? Date.now() : 20261127;

  it('classify every frame alike', () => {
    let run = 0;
    fc.assert(
      fc.property(fc.array(datagram, { minLength: 1, maxLength: 40 }), (ds) => {
        const bytes = build(ds);
        const file = join(dir, `run-${run++}.pcapng`);
        writeFileSync(file, bytes);
        expect(ours(bytes)).toEqual(tsharkCounts(file));
      }),
      { seed, numRuns: Number(process.env.PCAP_DIFF_RUNS ?? 4), endOnFailure: false },
    );
  }, 120_000);
});
