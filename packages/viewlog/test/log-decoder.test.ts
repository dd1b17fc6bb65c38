/** Log bytes in every encoding the clients and editors wrote, whole and in chunks: UTF-16 without a BOM included. */
import { readFileSync } from 'node:fs';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createLogDecoder, decodeLogBytes, diagnose, type LogEncoding, parse } from '../src/index';

const TEXT = [
  '01:38:02.570 Café VPN - Initiating IKE Phase 1 (IP ADDR=10.0.0.1)',
  '01:38:02.571 Café VPN - SENDING>>>> ISAKMP OAK MM (SA)',
  '01:38:32.600 Café VPN - message not received! Retransmitting!',
  '01:38:32.601 Café VPN - SENDING>>>> ISAKMP OAK MM (Retransmission)',
  '01:39:02.650 Café VPN - Exceeded 3 IKE SA negotiation attempts',
  '',
].join('\r\n');

function utf16(text: string, order: 'le' | 'be'): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[2 * i + (order === 'le' ? 0 : 1)] = c & 0xff;
    out[2 * i + (order === 'le' ? 1 : 0)] = c >> 8;
  }
  return out;
}

const cp1252 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

const CASES: [string, Uint8Array, LogEncoding][] = [
  ['UTF-16LE without a BOM', utf16(TEXT, 'le'), 'utf-16le'],
  ['UTF-16BE without a BOM', utf16(TEXT, 'be'), 'utf-16be'],
  ['UTF-16LE with a BOM', utf16(`\uFEFF${TEXT}`, 'le'), 'utf-16le'],
  ['UTF-8', new TextEncoder().encode(TEXT), 'utf-8'],
  ['windows-1252', cp1252(TEXT), 'windows-1252'],
];

/** Decodes `bytes` cut at the given points. */
function streamed(bytes: Uint8Array, cuts: readonly number[], known?: LogEncoding) {
  const d = createLogDecoder(known);
  let text = '';
  let from = 0;
  for (const at of [...cuts].sort((a, b) => a - b)) {
    text += d.decode(bytes.subarray(from, Math.max(from, at)));
    from = Math.max(from, at);
  }
  text += d.decode(bytes.subarray(from));
  text += d.end();
  return { text, encoding: d.encoding };
}

describe('log bytes', () => {
  it.each(CASES)('decodeLogBytes reads %s', (_name, bytes, encoding) => {
    const r = decodeLogBytes(bytes);
    expect(r.encoding).toBe(encoding);
    expect(r.text.replace(/^\uFEFF/, '')).toBe(TEXT);
  });

  it.each(CASES)('createLogDecoder reads %s split at every byte as decodeLogBytes does', (_name, bytes) => {
    const whole = decodeLogBytes(bytes);
    for (let at = 0; at <= bytes.length; at++) expect(streamed(bytes, [at])).toEqual(whole);
    // One byte at a time: detection waits for enough bytes, characters wait for their last byte.
    expect(streamed(bytes, Array.from(bytes.keys()))).toEqual(whole);
  });

  it('reads the UTF-16LE log without a BOM from the reliability issue (it read as nothing)', () => {
    const bytes = new Uint8Array(readFileSync(new URL('./fixtures/utf16le-no-bom.log', import.meta.url)));
    const r = decodeLogBytes(bytes);
    expect(r.encoding).toBe('utf-16le');
    const { events, diagnostics } = parse(r.text);
    expect(diagnostics).toEqual([]);
    expect(events.filter((e) => e.kind === 'ike-message').length).toBeGreaterThan(5);
    expect(diagnose(events).length).toBeGreaterThan(0);
    expect(streamed(bytes, [1, 7, 100])).toEqual(r);
  });

  it('reads a chunk that stops being UTF-8 as windows-1252 from there on; a known encoding decodes as a whole', () => {
    const first = `Demo é\n${'-'.repeat(600)}\n`;
    const bytes = new Uint8Array([...new TextEncoder().encode(first), ...cp1252('Café '), 0x80, 0x0a]);
    const at = bytes.length - 7;
    expect(decodeLogBytes(bytes).text).toBe(`${first.replace('é', 'Ã©')}Café €\n`);
    // Unknown, it reads the first chunk as UTF-8 (it is), the second as windows-1252.
    expect(streamed(bytes, [at])).toEqual({ text: `${first}Café €\n`, encoding: 'windows-1252' });
    expect(streamed(bytes, [at], 'windows-1252').text).toBe(decodeLogBytes(bytes).text);
  });

  it('decodeLogBytes reads windows-1252 0x80-0x9F as WHATWG says (Node 20 read them as Latin-1 in one call)', () => {
    expect(decodeLogBytes(Uint8Array.of(0x80, 0x20, 0x93, 0x94, 0x0a)).text).toBe('€ “”\n');
  });

  test.prop([fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(300), { maxLength: 5 })], { numRuns: 300 })(
    'never throws and, given the encoding decodeLogBytes chose, gives its text however the bytes are cut',
    (bytes, cuts) => {
      const whole = decodeLogBytes(bytes);
      expect(streamed(bytes, cuts, whole.encoding).text).toBe(whole.text);
      expect(() => streamed(bytes, cuts)).not.toThrow();
    },
  );
});
