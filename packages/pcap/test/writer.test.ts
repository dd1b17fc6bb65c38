import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CaptureError,
  type CaptureFrame,
  type CaptureWriterOptions,
  createIpReassembler,
  encodePcapHeader,
  encodeUdpPacket,
  formatIpv6,
  fragmentIpPacket,
  type LinkFrameOptions,
  parseIpv6Address,
  readCaptureBytes,
  readFramesFromBytes,
  type TimedDatagram,
  writeCapture,
  writeUdpCapture,
} from '../src/index';
import { parseIpHeader } from '../src/ip';
import { cat, hex, thrown } from './hex';
import { haveTshark, tsharkCounts } from './tshark-counts.mjs';

/** One's-complement sum over 16-bit words; a correct checksum makes the sum 0xffff. */
function onesSum(...parts: Uint8Array[]): number {
  let sum = 0;
  for (const p of parts) {
    for (let i = 0; i < p.length; i += 2) sum += (p[i]! << 8) | (p[i + 1] ?? 0);
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

describe('parseIpv6Address', () => {
  // The text rules are @oaklog/common's, tested there case by case; these check pcap's wrapper and its error.
  it.each([
    ['2001:db8::1', '20010db8000000000000000000000001'],
    ['64:ff9b::192.0.2.33', '0064ff9b0000000000000000c0000221'],
  ])('%s', (text, h) => {
    expect(parseIpv6Address(text)).toEqual(hex(h));
    expect(parseIpv6Address(formatIpv6(hex(h), 0))).toEqual(hex(h));
  });

  it.each(['1:2:3:4:5:6:7', '1::2::3', '12345::', 'g::', '1:2:3:4:5:6:7:8:9', '::1.2.3'])('rejects %s', (text) => {
    expect(thrown(() => parseIpv6Address(text))).toMatchObject({ code: 'BAD_INPUT' });
  });
});

describe('encodeUdpPacket', () => {
  it('fills IPv4 header and UDP checksums', () => {
    const p = encodeUdpPacket({
      src: '192.0.2.1',
      dst: '198.51.100.7',
      srcPort: 500,
      dstPort: 4500,
      payload: hex('0102030405'),
    });
    expect(onesSum(p.subarray(0, 20))).toBe(0xffff);
    const pseudo = hex(`c0000201 c6336407 0011 ${(p.length - 20).toString(16).padStart(4, '0')}`);
    expect(onesSum(pseudo, p.subarray(20))).toBe(0xffff);
  });

  it('fills the mandatory IPv6 UDP checksum and adds the non-ESP marker', () => {
    const p = encodeUdpPacket({
      src: '2001:db8::1',
      dst: '2001:db8::2',
      srcPort: 4500,
      dstPort: 4500,
      payload: hex('aa'),
      nonEspMarker: true,
    });
    expect(p.length).toBe(40 + 8 + 4 + 1);
    const pseudo = new Uint8Array(40);
    pseudo.set(p.subarray(8, 40), 0);
    pseudo.set(hex(`0000000d 00000011`), 32);
    expect(onesSum(pseudo, p.subarray(40))).toBe(0xffff);
    expect([...p.subarray(48)]).toEqual([0, 0, 0, 0, 0xaa]);
  });

  it('rejects mixed address families', () => {
    expect(
      thrown(() => encodeUdpPacket({ src: '::1', dst: '10.0.0.1', srcPort: 1, dstPort: 1, payload: hex('') })),
    ).toBeInstanceOf(CaptureError);
  });
});

describe('writer refuses what it cannot store', () => {
  const data = hex('00');
  it.each([
    { name: 'pcap seconds past 32 bits', format: 'pcap', time: { seconds: 2 ** 32, nanoseconds: 0 } },
    { name: 'negative seconds', format: 'pcap', time: { seconds: -1, nanoseconds: 0 } },
    { name: 'fractional seconds', format: 'pcapng', time: { seconds: 1.5, nanoseconds: 0 } },
    { name: 'a whole second of nanoseconds', format: 'pcap', time: { seconds: 1, nanoseconds: 1e9 } },
    { name: 'pcapng ticks past 64 bits', format: 'pcapng', time: { seconds: 2 ** 40, nanoseconds: 0 } },
  ] as const)('$name', ({ format, time }) => {
    expect(thrown(() => writeCapture([{ time, data }], { format }))).toMatchObject({ code: 'BAD_INPUT' });
  });

  it.each(['pcap', 'pcapng'] as const)('%s: an original length below the captured length', (format) => {
    const e = thrown(() =>
      writeCapture([{ time: { seconds: 0, nanoseconds: 0 }, data: hex('0102'), originalLength: 1 }], { format }),
    );
    expect(e).toMatchObject({ code: 'BAD_INPUT' });
  });

  it('refuses to re-write a read time that overflowed 32-bit seconds, instead of wrapping it', () => {
    // 0xffffffff s + 1 000 000 µs reads as 2^32 s.
    const file = cat(encodePcapHeader(), hex('ffffffff 40420f00 01000000 01000000 aa'));
    const [frame] = [...readFramesFromBytes(file)];
    expect(frame).toMatchObject({ time: { seconds: 2 ** 32, nanoseconds: 0 } });
    const f = frame as CaptureFrame;
    expect(thrown(() => writeCapture([{ time: f.time!, data: f.data }]))).toMatchObject({ code: 'BAD_INPUT' });
    // pcapng has room for it.
    const again = writeCapture([{ time: f.time!, data: f.data }], { format: 'pcapng' });
    expect([...readFramesFromBytes(again)][0]).toMatchObject({ time: { seconds: 2 ** 32, nanoseconds: 0 } });
  });
});

describe('fragmentIpPacket', () => {
  it.each([
    { name: 'IPv4', src: '10.0.0.1', dst: '10.0.0.2' },
    { name: 'IPv6', src: '2001:db8::1', dst: '2001:db8::2' },
  ])('$name pieces fit the MTU and reassemble to the original', ({ src, dst }) => {
    const payload = Uint8Array.from({ length: 5000 }, (_, i) => i * 31);
    const ip = encodeUdpPacket({ src, dst, srcPort: 500, dstPort: 500, payload, id: 77 });
    const pieces = fragmentIpPacket(ip, 1280, 77);
    expect(pieces.length).toBe(src.includes(':') ? 5 : 4); // 5008 UDP bytes in 1232- or 1256-byte pieces
    const r = createIpReassembler();
    const results = pieces.map((p, i) => {
      expect(p.length).toBeLessThanOrEqual(1280);
      const h = parseIpHeader(p, 0);
      if (h.kind !== 'ip' || !h.fragment) throw new Error('not a fragment');
      if (h.version === 4) expect(onesSum(p.subarray(0, 20))).toBe(0xffff);
      return r.push({
        key: 'k',
        offset: h.fragment.offset,
        more: h.fragment.more,
        payload: p.subarray(h.payloadOffset, h.payloadEnd),
        protocol: h.protocol,
        frame: i + 1,
      });
    });
    const last = results.at(-1);
    expect(last?.status === 'complete' && last.payload).toEqual(ip.subarray(src.includes(':') ? 40 : 20));
  });
});

describe.runIf(haveTshark())('writer output read by tshark', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oaklog-pcap-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const t = { seconds: 1_700_000_000, nanoseconds: 123_456_789 };
  const datagrams: TimedDatagram[] = [
    { time: t, src: '192.0.2.1', dst: '192.0.2.2', srcPort: 500, dstPort: 500, payload: new Uint8Array(300).fill(7) },
    {
      time: t,
      src: '192.0.2.2',
      dst: '192.0.2.1',
      srcPort: 4500,
      dstPort: 4500,
      payload: new Uint8Array(3000).fill(1),
      nonEspMarker: true,
      mtu: 1400,
      id: 9,
    },
    { time: t, src: '192.0.2.2', dst: '192.0.2.1', srcPort: 4500, dstPort: 4500, payload: hex('ff') },
    {
      time: t,
      src: '192.0.2.2',
      dst: '192.0.2.1',
      srcPort: 4500,
      dstPort: 4500,
      payload: hex('0000100100000001aaaaaaaa'),
    },
    {
      time: t,
      src: '2001:db8::1',
      dst: '2001:db8::2',
      srcPort: 500,
      dstPort: 500,
      payload: new Uint8Array(4000).fill(2),
      mtu: 1280,
      id: 10,
    },
  ];
  it.each<{ name: string; options: CaptureWriterOptions & LinkFrameOptions }>([
    {
      name: 'pcap Ethernet QinQ big-endian ns',
      options: { linkType: 1, vlans: [100, 10], bigEndian: true, nanoseconds: true },
    },
    { name: 'pcap BSD NULL', options: { linkType: 0 } },
    {
      name: 'pcapng SLL2 big-endian 2^-20 s',
      options: { format: 'pcapng', bigEndian: true, interfaces: [{ linkType: 276, tsresol: 0x80 | 20 }] },
    },
  ])('$name', ({ name, options }) => {
    const bytes = writeUdpCapture(datagrams, options);
    const file = join(dir, `${name.replace(/\W+/g, '-')}.cap`);
    writeFileSync(file, bytes);
    const reader = readCaptureBytes(bytes);
    const items = [...reader];
    const frames = (p: (i: (typeof items)[number]) => boolean) => items.filter(p).map((i) => i.frame);
    expect({
      frames: reader.summary.frames,
      ikeFrames: frames((i) => i.kind === 'ike'),
      nonEspMarkerFrames: frames((i) => i.kind === 'ike' && i.nonEspMarker),
      natKeepaliveFrames: frames((i) => i.kind === 'skipped' && i.reason === 'nat-keepalive'),
      espInUdpFrames: frames((i) => i.kind === 'skipped' && i.reason === 'esp'),
      icmpQuotedIkeFrames: [],
    }).toEqual(tsharkCounts(file));
    expect(reader.summary.ike).toBe(3);
  });
});
