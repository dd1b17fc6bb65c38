import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import {
  type CaptureFrame,
  type CaptureWriterOptions,
  readFramesFromBytes,
  timeAtResolution,
  type WritePacket,
  writeCapture,
} from '../src/index';
import { writePacket } from './arbitraries';

const pcapOptions = fc.record({
  format: fc.constant('pcap' as const),
  linkType: fc.constantFrom(0, 1, 101, 113, 228, 229, 276, 147),
  nanoseconds: fc.boolean(),
  bigEndian: fc.boolean(),
  snaplen: fc.constantFrom(65535, 262144),
});

const pcapngOptions = fc.record({
  format: fc.constant('pcapng' as const),
  bigEndian: fc.boolean(),
  interfaces: fc.array(
    fc.record({
      linkType: fc.constantFrom(1, 101, 113, 276),
      snaplen: fc.constantFrom(0, 65535),
      tsresol: fc.constantFrom(6, 9, 3, 0x80 | 10, 0x80 | 20),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

function framesOf(bytes: Uint8Array): CaptureFrame[] {
  return [...readFramesFromBytes(bytes)].map((f) => {
    if (f.kind !== 'frame') throw new Error(`unexpected ${f.reason}`);
    return f;
  });
}

function resolutionOf(options: CaptureWriterOptions, p: WritePacket): number {
  if (options.format === 'pcapng') return options.interfaces?.[p.interfaceId ?? 0]?.tsresol ?? 9;
  return options.nanoseconds ? 9 : 6;
}

describe('writer → reader round trip', () => {
  test.prop([fc.oneof(pcapOptions, pcapngOptions), fc.array(fc.tuple(writePacket, fc.nat()), { maxLength: 25 })], {
    numRuns: 300,
  })('reads back every packet, and re-writing what was read gives the same bytes', (options, drafts) => {
    const ifaces = options.format === 'pcapng' ? options.interfaces.length : 1;
    const packets: WritePacket[] = drafts.map(([p, k]) =>
      options.format === 'pcapng' ? { ...p, interfaceId: k % ifaces } : p,
    );
    const bytes = writeCapture(packets, options);
    const frames = framesOf(bytes);
    expect(frames.length).toBe(packets.length);
    frames.forEach((f, i) => {
      const p = packets[i]!;
      expect(f.frame).toBe(i + 1);
      expect(f.data).toEqual(p.data);
      expect(f.originalLength).toBe(p.originalLength);
      expect(f.interfaceId).toBe(p.interfaceId ?? 0);
      expect(f.time).toEqual(timeAtResolution(p.time, resolutionOf(options, p)));
      expect(f.linkType).toBe(
        options.format === 'pcapng' ? options.interfaces[f.interfaceId]!.linkType : options.linkType,
      );
    });
    const again = writeCapture(
      frames.map((f) => ({
        time: f.time!,
        data: f.data,
        originalLength: f.originalLength,
        interfaceId: f.interfaceId,
      })),
      options,
    );
    expect(again).toEqual(bytes);
  });
});
