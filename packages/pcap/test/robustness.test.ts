/**
 * Bad input: mutated real captures and mutated writer output must only ever produce items or a CaptureError, in bounded
 * time; every frame stays accounted for.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CaptureError,
  createIpReassembler,
  readCapture,
  readCaptureBytes,
  type TimedDatagram,
  writeUdpCapture,
} from '../src/index';

const fixtures = ['any-sll.pcap', 'two-sections.pcapng', 'ethernet.pcap', 'any-sll-snap120.pcap'].map(
  (f) => new Uint8Array(readFileSync(join(import.meta.dirname, 'fixtures', f))),
);

const t = { seconds: 1, nanoseconds: 0 };
const synthetic: TimedDatagram[] = [
  {
    time: t,
    src: '10.0.0.1',
    dst: '10.0.0.2',
    srcPort: 500,
    dstPort: 500,
    payload: new Uint8Array(2000),
    mtu: 600,
    id: 1,
  },
  {
    time: t,
    src: '2001:db8::1',
    dst: '2001:db8::2',
    srcPort: 4500,
    dstPort: 4500,
    payload: new Uint8Array(1500),
    nonEspMarker: true,
    mtu: 1280,
    id: 2,
  },
  { time: t, src: '10.0.0.1', dst: '10.0.0.2', srcPort: 4500, dstPort: 4500, payload: Uint8Array.of(0xff) },
];
const inputs = [
  ...fixtures,
  writeUdpCapture(synthetic, { format: 'pcapng', interfaces: [{ linkType: 276 }] }),
  writeUdpCapture(synthetic, { linkType: 1, vlans: [1, 2] }),
];

function sameBytes(file: Uint8Array, at: number, bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (file[at + i] !== bytes[i]) return false;
  return true;
}

function readAll(bytes: Uint8Array): void {
  const reader = readCaptureBytes(bytes, { reassembly: { maxDatagrams: 8, maxBufferedBytes: 16384 } });
  let items = 0;
  try {
    for (const item of reader) {
      items++;
      if (item.offset > bytes.length) throw new Error(`item ${items} offset ${item.offset} past the end`);
      // Unreassembled datagrams are views of the file at their offset.
      if (item.kind === 'ike' && !item.fragments && !sameBytes(bytes, item.offset, item.bytes)) {
        throw new Error(`item ${items}: IKE bytes are not at offset ${item.offset}`);
      }
    }
  } catch (e) {
    expect(e).toBeInstanceOf(CaptureError);
    return;
  }
  const s = reader.summary;
  expect(s.frames).toBe(s.ike + s.skipped + s.malformed);
  expect(items).toBe(s.frames + (s.truncated ? 1 : 0));
}

describe('mutated captures', () => {
  test.prop(
    [
      fc.nat(inputs.length - 1),
      fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 8 }),
      fc.option(fc.nat(), { nil: undefined }),
    ],
    { numRuns: 1000 },
  )(
    'yield items or throw CaptureError, never anything else',
    (which, edits, cut) => {
      const bytes = inputs[which]!.slice();
      // Mutate past the file header so most runs get deep into link, IP, UDP and reassembly.
      for (const [at, value] of edits) bytes[24 + (at % (bytes.length - 24))] = value;
      readAll(cut === undefined ? bytes : bytes.subarray(0, cut % bytes.length));
    },
    60_000,
  );

  it('stops early without reading the rest of a stream', async () => {
    let pulled = 0;
    let cancelled = false;
    const bytes = inputs[0]!;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        const at = pulled * 64;
        pulled++;
        if (at >= bytes.length) c.close();
        else c.enqueue(bytes.slice(at, at + 64));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const item of readCapture(stream)) if (item.frame === 2) break;
    expect(cancelled).toBe(true);
    expect(pulled * 64).toBeLessThan(bytes.length);
  });
});

describe('default limits', () => {
  it('mutated captures read with the default reassembly limits too', () => {
    for (const input of inputs) {
      for (let i = 0; i < 50; i++) {
        const bytes = input.slice();
        const at = 24 + ((i * 7919) % Math.max(1, bytes.length - 24));
        bytes[at] = bytes[at]! ^ (1 + (i % 255));
        const reader = readCaptureBytes(bytes);
        try {
          let n = 0;
          for (const item of reader) if (item.kind !== 'malformed' || item.reason !== 'truncated-record') n++;
          expect(n).toBe(reader.summary.frames);
        } catch (error) {
          expect(error).toBeInstanceOf(CaptureError);
        }
      }
    }
  });

  it('a flood of overlapping 60 000-byte fragments in four datagrams costs work linear in the bytes pushed', () => {
    const r = createIpReassembler(); // the defaults: 256 datagrams, 256 pieces, 4 MiB
    const data = new Uint8Array(60_000).fill(1);
    let pushed = 0;
    for (let d = 0; d < 4; d++) {
      for (let k = 0; k < 256; k++) {
        r.push({ key: `d${d}`, offset: k * 8, more: true, payload: data, protocol: 17, frame: d * 256 + k + 1 });
        pushed += data.length;
      }
    }
    expect(r.comparedBytes).toBeLessThanOrEqual(pushed);
    expect(r.bufferedBytes).toBeLessThanOrEqual(4 * 65_535);
    expect(r.pending).toBe(4);
  });
});
