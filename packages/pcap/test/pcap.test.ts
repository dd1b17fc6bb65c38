import { describe, expect, it } from 'vitest';
import { createFrameDecoder, decodeFrameBatches, MAX_BATCH_FRAMES } from '../src/frames';
import { CaptureError, type FrameEvent, readFramesFromBytes, writeCapture } from '../src/index';
import { cat, hex, thrown } from './hex';

const frames = (b: Uint8Array): FrameEvent[] => [...readFramesFromBytes(b)];

describe('classic pcap headers', () => {
  it.each([
    {
      name: 'little-endian µs (tcpdump on x86)',
      hex: `d4 c3 b2 a1  02 00 04 00  00 00 00 00  00 00 00 00  00 00 04 00  71 00 00 00
            10 00 00 00  e8 03 00 00  03 00 00 00  40 00 00 00  # ts 16 s + 1000 µs, caplen 3, origlen 64
            aa bb cc`,
      linkType: 113,
      time: { seconds: 16, nanoseconds: 1_000_000 },
    },
    {
      name: 'big-endian µs',
      hex: `a1 b2 c3 d4  00 02 00 04  00 00 00 00  00 00 00 00  00 04 00 00  00 00 00 01
            00 00 00 10  00 00 03 e8  00 00 00 03  00 00 00 40
            aa bb cc`,
      linkType: 1,
      time: { seconds: 16, nanoseconds: 1_000_000 },
    },
    {
      name: 'little-endian ns',
      hex: `4d 3c b2 a1  02 00 04 00  00 00 00 00  00 00 00 00  00 00 04 00  65 00 00 00
            10 00 00 00  e8 03 00 00  03 00 00 00  40 00 00 00
            aa bb cc`,
      linkType: 101,
      time: { seconds: 16, nanoseconds: 1000 },
    },
    {
      name: 'big-endian ns',
      hex: `a1 b2 3c 4d  00 02 00 04  00 00 00 00  00 00 00 00  00 04 00 00  00 00 01 14
            00 00 00 10  00 00 03 e8  00 00 00 03  00 00 00 40
            aa bb cc`,
      linkType: 276,
      time: { seconds: 16, nanoseconds: 1000 },
    },
    {
      name: 'Kuznetzov patched (24-byte record headers)',
      hex: `34 cd b2 a1  02 00 04 00  00 00 00 00  00 00 00 00  00 00 04 00  01 00 00 00
            10 00 00 00  e8 03 00 00  03 00 00 00  40 00 00 00  02 00 00 00  00 08 00 00
            aa bb cc`,
      linkType: 1,
      time: { seconds: 16, nanoseconds: 1_000_000 },
    },
    {
      name: 'FCS bits above the link type are masked off',
      hex: `d4 c3 b2 a1  02 00 04 00  00 00 00 00  00 00 00 00  00 00 04 00  01 00 00 44  # 0x44000001: FCS len 4, f bit
            10 00 00 00  e8 03 00 00  03 00 00 00  40 00 00 00
            aa bb cc`,
      linkType: 1,
      time: { seconds: 16, nanoseconds: 1_000_000 },
    },
  ])('$name', ({ hex: h, linkType, time }) => {
    const [f, ...rest] = frames(hex(h));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      kind: 'frame',
      frame: 1,
      offset: 24,
      linkType,
      time,
      capturedLength: 3,
      originalLength: 64,
      interfaceId: 0,
    });
    expect(f?.kind === 'frame' && [...f.data]).toEqual([0xaa, 0xbb, 0xcc]);
  });

  it('normalises a sub-second field of a second or more', () => {
    const b = hex(`d4 c3 b2 a1 02 00 04 00 00000000 00000000 00000400 01000000
                   01 00 00 00  40 42 0f 00  00 00 00 00  00 00 00 00   # 1 s + 1 000 000 µs`);
    expect(frames(b)[0]).toMatchObject({ time: { seconds: 2, nanoseconds: 0 } });
  });
});

const header = hex('d4 c3 b2 a1 02 00 04 00 00000000 00000000 00000400 01000000');
const record = hex('00000000 00000000 02000000 02000000 1122');

describe('classic pcap bad input', () => {
  it.each([
    { name: 'empty file', bytes: new Uint8Array(0), code: 'TRUNCATED', offset: 0 },
    { name: 'header cut at 10 bytes', bytes: header.subarray(0, 10), code: 'TRUNCATED', offset: 10 },
    { name: 'unknown magic', bytes: cat(hex('12345678'), header.subarray(4)), code: 'BAD_MAGIC', offset: 0 },
    {
      name: 'major version 3',
      bytes: cat(header.subarray(0, 4), hex('0300'), header.subarray(6)),
      code: 'UNSUPPORTED_VERSION',
      offset: 4,
    },
    {
      name: 'record claiming 4 GiB',
      bytes: cat(header, record, hex('00000000 00000000 f0ffffff f0ffffff')),
      code: 'ABSURD_LENGTH',
      offset: 24 + 18 + 8,
      frame: 2,
    },
  ])('$name → $code at $offset', ({ bytes, code, offset, frame }) => {
    const e = thrown(() => frames(bytes));
    expect(e).toBeInstanceOf(CaptureError);
    expect(e).toMatchObject({ code, offset, frame });
  });

  it('reports a record cut by the end of the file as one truncated-record item after the good frames', () => {
    const b = cat(header, record, record.subarray(0, 17));
    expect(frames(b).map((f) => [f.kind, f.frame, f.offset, f.kind === 'malformed' && f.reason])).toEqual([
      ['frame', 1, 24, false],
      ['malformed', 2, 42, 'truncated-record'],
    ]);
  });

  it('reports a record header cut by the end of the file', () => {
    expect(frames(cat(header, record.subarray(0, 5)))).toEqual([
      expect.objectContaining({ kind: 'malformed', frame: 1, offset: 24, reason: 'truncated-record' }),
    ]);
  });

  it('accepts a header-only file as zero frames', () => {
    expect(frames(header)).toEqual([]);
  });

  it('honours a lower maxRecordBytes', () => {
    const e = thrown(() => [...readFramesFromBytes(cat(header, record), { maxRecordBytes: 1 })]);
    expect(e).toMatchObject({ code: 'ABSURD_LENGTH', offset: 32, frame: 1 });
  });
});

describe('decodeFrameBatches', () => {
  it('caps each batch, so a capture held in one buffer is not turned into every frame at once', async () => {
    const bytes = writeCapture(
      Array.from({ length: 3 * MAX_BATCH_FRAMES + 5 }, (_, i) => ({
        time: { seconds: i, nanoseconds: 0 },
        data: new Uint8Array([i & 0xff]),
      })),
    );
    const sizes: number[] = [];
    for await (const batch of decodeFrameBatches(bytes, createFrameDecoder())) sizes.push(batch.length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(3 * MAX_BATCH_FRAMES + 5);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_BATCH_FRAMES);
  });
});
