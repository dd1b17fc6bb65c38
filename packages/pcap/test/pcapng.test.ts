import { describe, expect, it } from 'vitest';
import { createFrameDecoder, framesOf } from '../src/frames';
import { CaptureError, type FrameEvent, readCaptureBytes, readFramesFromBytes, writeCapture } from '../src/index';
import { MAX_INTERFACES_LISTED } from '../src/interfaces';
import { cat, hex, thrown } from './hex';

const frames = (b: Uint8Array): FrameEvent[] => [...readFramesFromBytes(b)];

/** Builds a block: type, total length, body padded to 4, total length (test-side, independent of the writer). */
function blk(type: number, body: Uint8Array, le = true): Uint8Array {
  const padded = (body.length + 3) & ~3;
  const out = new Uint8Array(12 + padded);
  const v = new DataView(out.buffer);
  v.setUint32(0, type, le);
  v.setUint32(4, out.length, le);
  out.set(body, 8);
  v.setUint32(out.length - 4, out.length, le);
  return out;
}

function words(le: boolean, ...fields: Array<[number, 2 | 4]>): Uint8Array {
  const out = new Uint8Array(fields.reduce((n, [, s]) => n + s, 0));
  const v = new DataView(out.buffer);
  let at = 0;
  for (const [value, size] of fields) {
    if (size === 2) v.setUint16(at, value, le);
    else v.setUint32(at, value, le);
    at += size;
  }
  return out;
}

const shb = (le = true) =>
  blk(0x0a0d0d0a, cat(words(le, [0x1a2b3c4d, 4], [1, 2], [0, 2]), hex('ffffffffffffffff')), le);
const opt = (le: boolean, code: number, value: Uint8Array) =>
  cat(words(le, [code, 2], [value.length, 2]), value, new Uint8Array((4 - (value.length % 4)) % 4));
const idb = (linkType: number, le = true, options: Uint8Array = new Uint8Array(0), snaplen = 0) =>
  blk(1, cat(words(le, [linkType, 2], [0, 2], [snaplen, 4]), options), le);
const epb = (iface: number, high: number, low: number, data: Uint8Array, le = true, orig = data.length) =>
  blk(6, cat(words(le, [iface, 4], [high, 4], [low, 4], [data.length, 4], [orig, 4]), data), le);

describe('pcapng blocks', () => {
  it('reads the minimal little-endian file byte for byte', () => {
    const b = hex(`
      0a 0d 0d 0a  1c 00 00 00  4d 3c 2b 1a  01 00 00 00  ff ff ff ff ff ff ff ff  1c 00 00 00   # SHB
      01 00 00 00  14 00 00 00  01 00 00 00  00 00 00 00  14 00 00 00                             # IDB Ethernet
      06 00 00 00  24 00 00 00  00 00 00 00  00 00 00 00  40 42 0f 00  03 00 00 00  03 00 00 00   # EPB 1 s
      aa bb cc 00  24 00 00 00`);
    expect(frames(b)).toEqual([
      {
        kind: 'frame',
        frame: 1,
        offset: 48,
        dataOffset: 76,
        linkType: 1,
        interfaceId: 0,
        time: { seconds: 1, nanoseconds: 0 },
        capturedLength: 3,
        originalLength: 3,
        data: Uint8Array.of(0xaa, 0xbb, 0xcc),
      },
    ]);
  });

  it('reads a big-endian section', () => {
    const b = cat(shb(false), idb(113, false), epb(0, 0, 2_000_001, hex('0102'), false, 9));
    expect(frames(b)).toEqual([
      expect.objectContaining({ linkType: 113, time: { seconds: 2, nanoseconds: 1000 }, originalLength: 9 }),
    ]);
  });

  it.each([
    { name: 'ns', resol: 9, low: 1_500_000_000, time: { seconds: 1, nanoseconds: 500_000_000 } },
    { name: '2^-10', resol: 0x8a, low: 1024 + 512, time: { seconds: 1, nanoseconds: 500_000_000 } },
    { name: 'ms', resol: 3, low: 2_001, time: { seconds: 2, nanoseconds: 1_000_000 } },
  ])('applies if_tsresol $name', ({ resol, low, time }) => {
    const options = cat(opt(true, 2, hex('6574683000')), opt(true, 9, Uint8Array.of(resol)), opt(true, 0, hex('')));
    expect(frames(cat(shb(), idb(1, true, options), epb(0, 0, low, hex('00'))))[0]).toMatchObject({ time });
  });

  it('applies if_tsoffset', () => {
    const options = cat(opt(true, 14, hex('0a00000000000000')), opt(true, 0, hex('')));
    expect(frames(cat(shb(), idb(1, true, options), epb(0, 0, 5_000_000, hex('00'))))[0]).toMatchObject({
      time: { seconds: 15, nanoseconds: 0 },
    });
  });

  it('skips unknown and non-packet blocks and unknown options, numbering custom blocks as frames as tshark does', () => {
    const b = cat(
      shb(),
      blk(0x4, hex('0100 0800 c0000201 6e730000 0000 0000')), // name resolution block
      idb(1, true, cat(opt(true, 0x7777, hex('0102030405')), opt(true, 0, hex('')))),
      blk(0x0bad, hex('00007e4f deadbeef')), // custom block
      blk(0x12345678, new Uint8Array(0)), // unknown, empty body
      epb(0, 0, 0, hex('99')),
      blk(0x40000bad, hex('00007e4f')), // custom block, not to be copied
      blk(5, new Uint8Array(20)), // interface statistics
      epb(0, 0, 0, hex('98')),
    );
    expect(frames(b).map((f) => (f.kind === 'frame' ? [f.frame, f.data[0]] : [f.frame, f.kind, f.reason]))).toEqual([
      [1, 'skipped', 'custom-block'],
      [2, 0x99],
      [3, 'skipped', 'custom-block'],
      [4, 0x98],
    ]);
  });

  it('reads simple packet blocks (implied captured length, no time) and obsolete packet blocks', () => {
    const spb = blk(3, cat(words(true, [10, 4]), hex('01020304 05060708')));
    const pb = blk(2, cat(words(true, [1, 2], [0, 2], [0, 4], [3_000_000, 4], [2, 4], [2, 4]), hex('abcd')));
    const b = cat(shb(), idb(101, true, new Uint8Array(0), 6), idb(113), spb, pb);
    const [s, p] = frames(b);
    expect(s).toMatchObject({ kind: 'frame', linkType: 101, time: undefined, capturedLength: 6, originalLength: 10 });
    expect(s?.kind === 'frame' && [...s.data]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(p).toMatchObject({ kind: 'frame', frame: 2, linkType: 113, interfaceId: 1, time: { seconds: 3 } });
  });

  it('restarts interfaces in each section, whose byte order may differ', () => {
    const b = cat(
      shb(),
      idb(1),
      idb(113),
      epb(1, 0, 0, hex('01')),
      shb(false),
      idb(276, false),
      epb(0, 0, 0, hex('02'), false),
      epb(1, 0, 0, hex('03'), false),
    );
    expect(frames(b).map((f) => (f.kind === 'frame' ? [f.frame, f.linkType, f.data[0]] : [f.frame, f.reason]))).toEqual(
      [
        [1, 113, 1],
        [2, 276, 2],
        [3, 'unknown-interface'],
      ],
    );
  });

  it('flags a captured length larger than its block and keeps going', () => {
    const bad = epb(0, 0, 0, hex('01020304'));
    new DataView(bad.buffer).setUint32(20, 400, true);
    const b = cat(shb(), idb(1), bad, epb(0, 0, 0, hex('05')));
    expect(frames(b).map((f) => [f.frame, f.kind === 'malformed' ? f.reason : 'ok'])).toEqual([
      [1, 'bad-captured-length'],
      [2, 'ok'],
    ]);
  });
});

describe('pcapng bad input', () => {
  const good = cat(shb(), idb(1));
  const at = good.length;
  it.each([
    {
      name: 'zero-length block',
      bytes: cat(good, hex('06000000 00000000 00000000')),
      code: 'BAD_BLOCK_LENGTH',
      offset: at + 4,
    },
    {
      name: 'length not a multiple of 4',
      bytes: cat(good, hex('06000000 0d000000 00000000 00')),
      code: 'BAD_BLOCK_LENGTH',
      offset: at + 4,
    },
    {
      name: 'block claiming 2 GiB',
      bytes: cat(good, hex('06000000 fcffff7f 00000000')),
      code: 'ABSURD_LENGTH',
      offset: at + 4,
    },
    {
      name: 'trailing length differs',
      bytes: cat(good, hex('06000000 10000000 00000000 14000000')),
      code: 'BLOCK_LENGTH_MISMATCH',
      offset: at + 12,
    },
    {
      name: 'bad byte-order magic',
      bytes: cat(hex('0a0d0d0a 1c000000 01020304'), new Uint8Array(16)),
      code: 'BAD_MAGIC',
      offset: 8,
    },
    {
      name: 'section version 2',
      bytes: blk(0x0a0d0d0a, cat(words(true, [0x1a2b3c4d, 4], [2, 2], [0, 2]), new Uint8Array(8))),
      code: 'UNSUPPORTED_VERSION',
      offset: 12,
    },
    { name: 'truncated section header', bytes: shb().subarray(0, 20), code: 'TRUNCATED', offset: 20 },
    {
      name: 'interface block without a body',
      bytes: cat(shb(), blk(1, new Uint8Array(4))),
      code: 'BAD_BLOCK_LENGTH',
      offset: 32,
    },
  ])('$name → $code at $offset', ({ bytes, code, offset }) => {
    const e = thrown(() => frames(bytes));
    expect(e).toBeInstanceOf(CaptureError);
    expect(e).toMatchObject({ code, offset });
  });

  it('ends with a truncated-record item when the file stops inside a block', () => {
    const b = cat(good, epb(0, 0, 0, hex('01')), epb(0, 0, 0, hex('02')).subarray(0, 20));
    expect(frames(b).map((f) => [f.kind, f.frame, f.offset])).toEqual([
      ['frame', 1, at],
      ['malformed', 2, at + 36],
    ]);
  });
});

describe('interface bookkeeping', () => {
  it("lists at most MAX_INTERFACES_LISTED interfaces, shares identical ones and drops a section's at the next SHB", () => {
    const data = new Uint8Array([0x45]);
    const time = { seconds: 1, nanoseconds: 0 };
    const many = writeCapture([{ time, data, interfaceId: 1499 }], {
      format: 'pcapng',
      interfaces: Array.from({ length: 1500 }, () => ({ linkType: 101 })),
    });
    const next = writeCapture([{ time, data }], { format: 'pcapng', interfaces: [{ linkType: 1 }] });
    const reader = readCaptureBytes(cat(many, next));
    const items = [...reader];
    expect(items.map((i) => i.frame)).toEqual([1, 2]);
    expect(reader.summary.interfaces.length).toBe(MAX_INTERFACES_LISTED);
    expect(reader.summary.interfaceCount).toBe(1501);

    const decoder = createFrameDecoder();
    const events = [...framesOf(many, decoder)];
    expect(events[0]).toMatchObject({ kind: 'frame', interfaceId: 1499, linkType: 101 });
    expect(new Set(decoder.state.interfaces).size).toBe(1); // 1500 identical IDBs, one object
    for (const _ of framesOf(next, decoder));
    expect(decoder.state.interfaces.length).toBe(1);
    expect(decoder.state.interfaceCount).toBe(1501);
  });
});

describe('interface limit', () => {
  const packet = epb(0, 0, 0, hex('45'));

  it('stops with TOO_MANY_INTERFACES at the block one past maxInterfaces, after the frames before it', () => {
    const head = cat(shb(), idb(1, true, new Uint8Array(0), 1), idb(1, true, new Uint8Array(0), 2), packet);
    const bytes = cat(head, idb(1, true, new Uint8Array(0), 3));
    const seen: FrameEvent[] = [];
    const e = thrown(() => {
      for (const f of readFramesFromBytes(bytes, { maxInterfaces: 2 })) seen.push(f);
    });
    expect(e).toBeInstanceOf(CaptureError);
    expect(e).toMatchObject({ code: 'TOO_MANY_INTERFACES', offset: head.length, frame: 2 });
    expect(seen.map((f) => f.frame)).toEqual([1]);
  });

  it('counts per section: a new section starts a new table', () => {
    const section = cat(shb(), idb(1), idb(1), packet);
    expect(frames(cat(section, section)).map((f) => f.frame)).toEqual([1, 2]);
    const e = thrown(() => [...readFramesFromBytes(cat(section, section), { maxInterfaces: 1 })]);
    expect(e).toMatchObject({ code: 'TOO_MANY_INTERFACES' });
    expect([...readFramesFromBytes(cat(section, section), { maxInterfaces: 2 })]).toHaveLength(2);
  });

  it('holds the default bound with distinct descriptions (each a table entry), through readCaptureBytes', () => {
    const limit = 65_536;
    const blocks = Array.from({ length: limit + 1 }, (_, i) => idb(1, true, new Uint8Array(0), i + 1));
    const reader = readCaptureBytes(cat(shb(), ...blocks));
    const e = thrown(() => [...reader]);
    expect(e).toBeInstanceOf(CaptureError);
    expect(e).toMatchObject({ code: 'TOO_MANY_INTERFACES', offset: 28 + limit * 20 });
    expect([...readCaptureBytes(cat(shb(), ...blocks.slice(0, limit)))]).toEqual([]);
  });
});
