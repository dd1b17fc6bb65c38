import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureError, readCaptureBytes } from '../src/index';
import { readCaptureFile, readCaptureFileFrames } from '../src/node';

const fixture = join(import.meta.dirname, 'fixtures', 'two-sections.pcapng');

describe('@oaklog/pcap/node', () => {
  it('streams a file with the same items as reading it whole, in small chunks', async () => {
    const reader = readCaptureFile(fixture, { chunkSize: 100 });
    const items = [];
    for await (const item of reader) items.push(item);
    const whole = readCaptureBytes(new Uint8Array(readFileSync(fixture)));
    expect(items).toEqual([...whole]);
    expect(reader.summary).toEqual(whole.summary);
    expect(reader.summary).toMatchObject({ format: 'pcapng', sections: 2, frames: 42 });
    expect(reader.summary.interfaces.map((i) => [i.section, i.linkType])).toEqual([
      [1, 113],
      [2, 276],
    ]);
  });

  it('streams frames', async () => {
    let n = 0;
    for await (const f of readCaptureFileFrames(fixture)) {
      expect(f.kind).toBe('frame');
      n++;
    }
    expect(n).toBe(42);
  });

  it('hands on plain Uint8Arrays, though the file is read as Buffers, so a slice kept above is a copy', async () => {
    // Buffer's slice is a view: a cookie or IV "copied" with it would keep the whole 64 KiB read chunk alive.
    const items = [];
    for await (const item of readCaptureFile(fixture, { chunkSize: 4096 })) if (item.kind === 'ike') items.push(item);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(Object.getPrototypeOf(item.bytes)).toBe(Uint8Array.prototype);
      const kept = item.bytes.slice(0, 8);
      expect(kept.buffer).not.toBe(item.bytes.buffer);
      expect(kept.buffer.byteLength).toBe(8);
    }
  });

  it('reports a missing file as an IO_ERROR CaptureError with the cause', async () => {
    const missing = join(import.meta.dirname, 'fixtures', 'no-such-file.pcap');
    const read = async () => {
      for await (const _ of readCaptureFile(missing)) break;
    };
    const error = await read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaptureError);
    expect(error).toMatchObject({ code: 'IO_ERROR', offset: 0, cause: { code: 'ENOENT' } });
  });
});
