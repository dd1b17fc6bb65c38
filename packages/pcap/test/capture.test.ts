import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createFrameDecoder, decodeFrameBatches, MAX_BATCH_FRAMES } from '../src/frames';
import {
  CaptureError,
  type CaptureItem,
  encodeLinkFrame,
  encodePcapHeader,
  encodePcapngPacket,
  encodePcapRecord,
  encodeUdpPacket,
  type FrameProblemReason,
  formatIpv4,
  formatIpv6,
  fragmentIpPacket,
  type IpProblemReason,
  type LinkResult,
  LinkType,
  type MalformedReason,
  malformedReasons,
  parseIpv4Address,
  parseIpv6Address,
  type ReassemblyDropReason,
  readCapture,
  readCaptureBytes,
  type SkipReason,
  skipReasons,
  type TimedDatagram,
  type UdpDemux,
  writeCapture,
  writeUdpCapture,
} from '../src/index';
import { captureTime, ikeDatagram } from './arbitraries';
import { cat, hex } from './hex';

const canonical = (a: string) =>
  a.includes(':') ? formatIpv6(parseIpv6Address(a), 0) : formatIpv4(parseIpv4Address(a), 0);
const t0 = { seconds: 1_700_000_000, nanoseconds: 0 };
/** A 28-byte ISAKMP header: the smallest payload handed on as IKE. */
const isakmp = hex('00112233445566778899aabbccddeeff 01 10 02 00 00000000 0000001c');

async function collect(input: Parameters<typeof readCapture>[0], options?: Parameters<typeof readCapture>[1]) {
  const reader = readCapture(input, options);
  const items: CaptureItem[] = [];
  for await (const item of reader) items.push(item);
  return { items, summary: reader.summary };
}

async function* chunked(bytes: Uint8Array, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const n = Math.max(1, sizes.length ? sizes[i % sizes.length]! : bytes.length);
    yield bytes.subarray(at, at + n);
    at += n;
  }
}

const layout = fc.oneof(
  fc.record({
    format: fc.constant('pcap' as const),
    linkType: fc.constantFrom(0, 1, 101, 108, 113, 276),
    nanoseconds: fc.constant(true),
    bigEndian: fc.boolean(),
  }),
  fc.record({
    format: fc.constant('pcapng' as const),
    linkType: fc.constantFrom(1, 113, 276, 101),
    bigEndian: fc.boolean(),
  }),
);

describe('reason lists', () => {
  it('name every reason a layer can produce, and nothing else', () => {
    type LayerSkip =
      | Extract<LinkResult, { kind: 'skipped' }>['reason']
      | Extract<UdpDemux, { kind: 'skipped' }>['reason'];
    type LayerMalformed =
      | FrameProblemReason
      | IpProblemReason
      | ReassemblyDropReason
      | Extract<LinkResult, { kind: 'malformed' }>['reason']
      | Extract<UdpDemux, { kind: 'malformed' }>['reason'];
    expectTypeOf<Exclude<LayerSkip, SkipReason>>().toBeNever();
    expectTypeOf<Exclude<LayerMalformed, MalformedReason>>().toBeNever();
    expect(new Set(skipReasons).size).toBe(skipReasons.length);
    expect(new Set(malformedReasons).size).toBe(malformedReasons.length);
    expect(skipReasons.filter((r) => (malformedReasons as readonly string[]).includes(r))).toEqual([]);
  });
});

async function wholeOf(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return cat(...parts);
}

describe('readCapture end to end', () => {
  test.prop(
    [fc.array(ikeDatagram, { minLength: 1, maxLength: 6 }), layout, fc.array(fc.nat(0xfff), { maxLength: 2 })],
    {
      numRuns: 150,
    },
  )('hands on every IKE datagram the writer put in, reassembled', (datagrams, options, vlans) => {
    // Distinct fragment ids per datagram, as a real stack would use.
    const ds = datagrams.map((d, i) => ({ ...d, id: i + 1 }));
    const linkType = options.linkType;
    const bytes = writeUdpCapture(ds, {
      ...options,
      ...(options.format === 'pcapng' ? { interfaces: [{ linkType }] } : {}),
      ...(linkType === 1 ? { vlans } : {}),
    });
    const reader = readCaptureBytes(bytes);
    const ike = [...reader].filter((i) => i.kind === 'ike');
    expect(ike.map((i) => ({ ...i, bytes: [...i.bytes] }))).toEqual(
      ds.map((d) =>
        expect.objectContaining({
          src: canonical(d.src),
          dst: canonical(d.dst),
          srcPort: d.srcPort,
          dstPort: d.dstPort,
          nonEspMarker: d.nonEspMarker,
          bytes: [...d.payload],
          time: d.time,
          truncated: false,
          linkType,
        }),
      ),
    );
    const s = reader.summary;
    expect(s.ike).toBe(ds.length);
    expect(s.frames).toBe(s.ike + s.skipped);
    expect(s.reasons['ip-fragment'] ?? 0).toBe(s.frames - s.ike);
    expect(s.reassembled).toBe(ike.filter((i) => i.fragments).length);
  });

  test.prop(
    [
      fc.array(ikeDatagram, { minLength: 1, maxLength: 4 }),
      fc.array(fc.integer({ min: 1, max: 700 }), { maxLength: 5 }),
    ],
    {
      numRuns: 100,
    },
  )('yields the same items however the input is chunked', async (ds, sizes) => {
    const bytes = writeUdpCapture(
      ds.map((d, i) => ({ ...d, id: i + 1 })),
      { format: 'pcapng' },
    );
    const whole = readCaptureBytes(bytes);
    const expected = [...whole];
    const streamed = await collect(chunked(bytes, sizes));
    expect(streamed.items).toEqual(expected);
    expect(streamed.summary).toEqual(whole.summary);
  });

  it('reads a WHATWG ReadableStream', async () => {
    const bytes = writeUdpCapture([
      { time: t0, src: '10.0.0.1', dst: '10.0.0.2', srcPort: 500, dstPort: 500, payload: isakmp },
    ]);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.subarray(0, 30));
        c.enqueue(bytes.subarray(30));
        c.close();
      },
    });
    const { items } = await collect(stream);
    expect(items).toEqual([expect.objectContaining({ kind: 'ike', frame: 1, bytes: isakmp })]);
  });

  it('keeps memory bounded by the record size while streaming a large capture', async () => {
    const frame = encodeLinkFrame(
      LinkType.ETHERNET,
      encodeUdpPacket({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: 500, dstPort: 500, payload: new Uint8Array(1000) }),
    );
    const record = encodePcapRecord({ time: t0, data: frame });
    const frames = 20_000; // ~21 MB, produced lazily in 64 KiB chunks
    async function* source() {
      yield encodePcapHeader();
      const chunk = new Uint8Array(64 * 1024);
      let pending = frames * record.length;
      let at = 0;
      while (pending > 0) {
        const n = Math.min(chunk.length, pending);
        const out = new Uint8Array(n);
        for (let i = 0; i < n; i++) out[i] = record[(at + i) % record.length]!;
        at += n;
        pending -= n;
        yield out;
      }
    }
    const reader = readCapture(source());
    let largest = 0;
    let count = 0;
    for await (const item of reader) {
      if (item.kind !== 'ike') throw new Error(`unexpected ${item.reason}`);
      largest = Math.max(largest, item.bytes.buffer.byteLength);
      count++;
    }
    expect(count).toBe(frames);
    // Every yielded view points into a chunk or a one-record join, never into an accumulated copy of the file.
    expect(largest).toBeLessThanOrEqual(64 * 1024 + record.length);
    // Held state: the frames decoded ahead of the consumer stay bounded, streamed or read from one whole buffer, and
    // the summary's lists stay short.
    for (const input of [source(), await wholeOf(source())]) {
      let most = 0;
      for await (const batch of decodeFrameBatches(input, createFrameDecoder())) most = Math.max(most, batch.length);
      expect(most).toBeLessThanOrEqual(MAX_BATCH_FRAMES);
    }
    expect(reader.summary.interfaces.length).toBe(1);
    expect(reader.summary.discarded.length).toBe(0);
  });

  it('ends a capture cut mid-record with one truncated-record item that is not a frame', async () => {
    const bytes = writeUdpCapture([
      { time: t0, src: '10.0.0.1', dst: '10.0.0.2', srcPort: 500, dstPort: 500, payload: isakmp },
      { time: t0, src: '10.0.0.1', dst: '10.0.0.2', srcPort: 500, dstPort: 500, payload: isakmp },
    ]);
    const { items, summary } = await collect(chunked(bytes.subarray(0, bytes.length - 3), [7]));
    expect(items.map((i) => [i.kind, i.frame])).toEqual([
      ['ike', 1],
      ['malformed', 2],
    ]);
    expect(items[1]).toMatchObject({ reason: 'truncated-record', offset: 24 + 16 + 14 + 20 + 8 + isakmp.length });
    expect(summary).toMatchObject({ frames: 1, ike: 1, malformed: 0, truncated: true, done: true });
  });

  it('throws CaptureError with code and offset from the async iterator', async () => {
    const bytes = cat(encodePcapHeader(), hex('00000000 00000000 00000040 00000040'));
    await expect(collect(chunked(bytes, [5]))).rejects.toMatchObject({ code: 'ABSURD_LENGTH', offset: 32, frame: 1 });
    await expect(collect(hex('00000000'))).rejects.toBeInstanceOf(CaptureError);
    await expect(collect(42 as unknown as Uint8Array)).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('refuses a stream chunk that is not a Uint8Array with BAD_INPUT, and skips empty reads', async () => {
    const reads: unknown[] = [undefined, 'not bytes'];
    let cancelled = false;
    const stream = {
      getReader: () => ({
        read: async () => (reads.length > 0 ? { done: false, value: reads.shift() as Uint8Array } : { done: true }),
        releaseLock: () => undefined,
        cancel: async () => {
          cancelled = true;
        },
      }),
    };
    await expect(collect(stream)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: /stream chunks must be Uint8Array/,
    });
    expect(cancelled).toBe(true);
  });

  it('delivers the frames before an unreadable record, then the error', async () => {
    const good = writeUdpCapture([
      { time: t0, src: '10.0.0.1', dst: '10.0.0.2', srcPort: 500, dstPort: 500, payload: isakmp },
      { time: t0, src: '10.0.0.1', dst: '10.0.0.2', srcPort: 500, dstPort: 500, payload: isakmp },
    ]);
    const bytes = cat(good, hex('00000000 00000000 ffffffff ffffffff'));
    const seen: number[] = [];
    const reading = (async () => {
      for await (const item of readCapture(bytes)) seen.push(item.frame);
    })();
    await expect(reading).rejects.toMatchObject({ code: 'ABSURD_LENGTH', offset: good.length + 8, frame: 3 });
    expect(seen).toEqual([1, 2]);
  });

  it('accounts for frames that are not IKE', () => {
    const udp = (o: Partial<TimedDatagram>) =>
      encodeUdpPacket({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: 500, dstPort: 500, payload: hex('00'), ...o });
    const eth = (ip: Uint8Array) => encodeLinkFrame(LinkType.ETHERNET, ip);
    const tcp = udp({});
    tcp[9] = 6;
    const arp = hex('ffffffffffff 020000000001 0806 0001 0800 06 04 0001');
    const frames = [
      eth(tcp),
      arp,
      eth(udp({ srcPort: 53, dstPort: 53 })),
      eth(udp({ srcPort: 4500, dstPort: 4500, payload: hex('ff') })),
      eth(udp({ srcPort: 4500, dstPort: 4500, payload: hex('0000000100000001') })),
      eth(udp({}).subarray(0, 25)),
      eth(hex('4f00')),
    ];
    // Frame 6 was cut by the snapshot length (its wire length is the whole packet).
    const wire = (i: number) => (i === 5 ? { originalLength: 14 + udp({}).length } : {});
    const reader = readCaptureBytes(writeCapture(frames.map((data, i) => ({ time: t0, data, ...wire(i) }))));
    // File offset of frame i's first data byte: 24-byte file header, 16-byte record headers, the frames before it.
    const dataAt = (i: number) => 24 + 16 * (i + 1) + frames.slice(0, i).reduce((n, f) => n + f.length, 0);
    expect(
      [...reader].map((i) => [i.frame, i.kind, i.kind === 'ike' ? '' : i.reason, i.kind === 'ike' ? 0 : i.offset]),
    ).toEqual([
      [1, 'skipped', 'not-udp', dataAt(0) + 14 + 20],
      [2, 'skipped', 'non-ip', dataAt(1) + 12],
      [3, 'skipped', 'other-port', dataAt(2) + 14 + 20],
      [4, 'skipped', 'nat-keepalive', dataAt(3) + 14 + 28],
      [5, 'skipped', 'esp', dataAt(4) + 14 + 28],
      [6, 'malformed', 'truncated', dataAt(5) + 14 + 20],
      [7, 'malformed', 'truncated', dataAt(6) + 14],
    ]);
    expect(reader.summary).toMatchObject({ frames: 7, ike: 0, skipped: 5, malformed: 2 });
    // The malformed ones are listed too, as the items gave them, so a report can name them.
    expect(reader.summary.firstMalformed.map((m) => [m.frame, m.reason, m.offset])).toEqual([
      [6, 'truncated', dataAt(5) + 14 + 20],
      [7, 'truncated', dataAt(6) + 14],
    ]);
  });

  it('lists the first 20 malformed frames and counts the rest', () => {
    const bad = { time: t0, data: encodeLinkFrame(LinkType.ETHERNET, hex('4f00')) };
    const reader = readCaptureBytes(writeCapture(Array.from({ length: 25 }, () => bad)));
    expect([...reader]).toHaveLength(25);
    expect(reader.summary.malformed).toBe(25);
    expect(reader.summary.firstMalformed.map((m) => m.frame)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('calls an IP length beyond the wire length malformed, not a snapshot cut', () => {
    const ip = encodeUdpPacket({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: 500, dstPort: 500, payload: isakmp });
    ip[2] = 0x01; // total length 256 + the real one: more than the frame, which was captured whole
    const bytes = writeCapture([{ time: t0, data: encodeLinkFrame(LinkType.ETHERNET, ip) }]);
    const [item] = [...readCaptureBytes(bytes)];
    expect(item).toMatchObject({ kind: 'malformed', reason: 'bad-ip-header', offset: 24 + 16 + 14 + 2 });
    const cut = writeCapture([
      { time: t0, data: encodeLinkFrame(LinkType.ETHERNET, ip), originalLength: 14 + 256 + ip.length },
    ]);
    expect([...readCaptureBytes(cut)][0]).toMatchObject({ kind: 'ike' }); // the UDP datagram itself is whole
  });

  it('numbers a pcapng custom block as a skipped frame, as tshark does', () => {
    const data = encodeLinkFrame(
      LinkType.ETHERNET,
      encodeUdpPacket({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: 500, dstPort: 500, payload: isakmp }),
    );
    const custom = hex('ad0b0000 14000000 7e4f0000 01020304 14000000');
    const bytes = cat(
      writeCapture([{ time: t0, data }], { format: 'pcapng' }),
      custom,
      encodePcapngPacket({ time: t0, data }),
    );
    const reader = readCaptureBytes(bytes);
    expect([...reader].map((i) => [i.frame, i.kind === 'ike' ? 'ike' : i.reason])).toEqual([
      [1, 'ike'],
      [2, 'custom-block'],
      [3, 'ike'],
    ]);
    expect(reader.summary).toMatchObject({ frames: 3, ike: 2, skipped: 1, reasons: { 'custom-block': 1 } });
  });

  it('reports ISAKMP quoted in an ICMP error as such', () => {
    const quoted = encodeUdpPacket({
      src: '10.0.0.1',
      dst: '10.0.0.2',
      srcPort: 500,
      dstPort: 500,
      payload: new Uint8Array(40),
    });
    const icmp = cat(hex('45000000 0000 0000 40 01 0000 0a000002 0a000001  03 03 0000 00000000'), quoted);
    icmp[3] = icmp.length;
    const [item] = readCaptureBytes(writeCapture([{ time: t0, data: icmp }], { linkType: LinkType.RAW }));
    expect(item).toMatchObject({ kind: 'skipped', reason: 'icmp-quoted-ike', frame: 1, offset: 24 + 16 + 20 });
  });

  it('skips fragments without reassembling when reassembly is off', () => {
    const ip = encodeUdpPacket({
      src: '10.0.0.1',
      dst: '10.0.0.2',
      srcPort: 500,
      dstPort: 500,
      payload: new Uint8Array(3000),
    });
    const bytes = writeCapture(
      fragmentIpPacket(ip, 1500).map((data) => ({ time: t0, data })),
      { linkType: LinkType.RAW },
    );
    const off = readCaptureBytes(bytes, { reassembly: false });
    expect([...off].map((i) => i.kind === 'skipped' && i.reason)).toEqual([
      'ip-fragment',
      'ip-fragment',
      'ip-fragment',
    ]);
    const on = readCaptureBytes(bytes);
    expect([...on].map((i) => i.kind)).toEqual(['skipped', 'skipped', 'ike']);
  });

  it('survives a fragment flood within the reassembly limits and lists what it discarded', () => {
    const packets = Array.from({ length: 5000 }, (_, i) => {
      const ip = encodeUdpPacket({
        src: '10.0.0.1',
        dst: '10.0.0.2',
        srcPort: 500,
        dstPort: 500,
        payload: new Uint8Array(64),
        id: i,
      });
      return { time: { seconds: 1000 + Math.floor(i / 100), nanoseconds: 0 }, data: fragmentIpPacket(ip, 60)[0]! };
    });
    const reasons = new Map<string, number>();
    const onDiscard = (d: { reason: string }) => reasons.set(d.reason, (reasons.get(d.reason) ?? 0) + 1);
    const reader = readCaptureBytes(writeCapture(packets, { linkType: LinkType.RAW }), {
      reassembly: { maxDatagrams: 32, onDiscard },
    });
    const items = [...reader];
    expect(items.every((i) => i.kind === 'skipped' && i.reason === 'ip-fragment')).toBe(true);
    expect(reader.summary.discardedCount).toBe(5000);
    expect(reader.summary.discarded.length).toBe(1000);
    // 100 new datagrams per capture-second against a 60 s timeout and 32 slots: eviction does the work.
    expect(Object.fromEntries(reasons)).toEqual({ evicted: 5000 - 32, 'end-of-capture': 32 });
  });

  it('refuses to be iterated twice', async () => {
    const reader = readCapture(encodePcapHeader());
    for await (const _ of reader);
    await expect(collect(reader as never)).rejects.toBeInstanceOf(TypeError);
  });

  test.prop([fc.uint8Array({ maxLength: 600 }), fc.constantFrom('pcap', 'pcapng'), captureTime], { numRuns: 1000 })(
    'on arbitrary bytes after a valid header, throws nothing but CaptureError and accounts for every frame',
    (garbage, format, time) => {
      const valid = writeUdpCapture(
        [{ time, src: '10.0.0.1', dst: '10.0.0.2', srcPort: 500, dstPort: 500, payload: hex('01') }],
        { format: format as 'pcap' | 'pcapng' },
      );
      const reader = readCaptureBytes(cat(valid, garbage));
      try {
        for (const _ of reader);
      } catch (e) {
        expect(e).toBeInstanceOf(CaptureError);
        return;
      }
      const s = reader.summary;
      expect(s.frames).toBe(s.ike + s.skipped + s.malformed);
    },
  );
});
