import { describe, expect, it } from 'vitest';
import { decodeLogBytes, format, parse, parseStream } from '../src/index';

const LINE = 'Café VPN - SENDING>>>> ISAKMP OAK MM (SA)\r\n';

async function streamed(bytes: Uint8Array, encoding?: string) {
  const events = [];
  for await (const e of parseStream([bytes.subarray(0, 2), bytes.subarray(2)], encoding ? { encoding } : {}))
    events.push(e.event);
  return events;
}

describe('byte input', () => {
  it('parseStream keeps a UTF-8 BOM like parse does, so both round-trip the same text', async () => {
    const text = `\uFEFF${LINE}`;
    const bytes = new TextEncoder().encode(text);
    const events = await streamed(bytes);
    expect(format(events)).toBe(text);
    expect(events).toEqual(parse(text).events);
  });

  it.each<[string, number[], string]>([
    ['UTF-8 with BOM', [0xef, 0xbb, 0xbf, ...new TextEncoder().encode(LINE)], 'utf-8'],
    ['UTF-8', [...new TextEncoder().encode(LINE)], 'utf-8'],
    [
      'UTF-16LE with BOM',
      [0xff, 0xfe, ...[...`${LINE}`].flatMap((c) => [c.charCodeAt(0) & 255, c.charCodeAt(0) >> 8])],
      'utf-16le',
    ],
    [
      'UTF-16BE with BOM',
      [0xfe, 0xff, ...[...`${LINE}`].flatMap((c) => [c.charCodeAt(0) >> 8, c.charCodeAt(0) & 255])],
      'utf-16be',
    ],
    ['windows-1252', [...LINE].map((c) => c.charCodeAt(0)), 'windows-1252'],
  ])('decodeLogBytes reads %s', (_name, bytes, encoding) => {
    const r = decodeLogBytes(Uint8Array.from(bytes));
    expect(r.encoding).toBe(encoding);
    expect(r.text.replace(/^\uFEFF/, '')).toBe(LINE);
    expect(r.text.startsWith('\uFEFF')).toBe(bytes[0] === 0xef || bytes[0] === 0xff || bytes[0] === 0xfe);
    const p = parse(r.text);
    expect(p.events[0]).toMatchObject({ kind: 'ike-message', connection: 'Café VPN' });
    expect(format(p.events)).toBe(r.text);
  });
});
