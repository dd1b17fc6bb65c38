import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { canonicalLines, type Entry, parse, parseStream } from '../src/index';
import { dialectEvents } from './arbitraries';

async function collect(chunks: Iterable<string>, dialect?: 'safenet' | 'cisco-vpnclient'): Promise<Entry[]> {
  const out: Entry[] = [];
  for await (const e of parseStream(chunks, dialect ? { dialect } : {})) out.push(e);
  return out;
}

/** Cuts a text at the given fractions. */
function cut(text: string, at: number[]): string[] {
  const points = [...new Set(at.map((x) => Math.floor(x * (text.length + 1))))].sort((a, b) => a - b);
  const parts: string[] = [];
  let from = 0;
  for (const p of points) {
    parts.push(text.slice(from, p));
    from = p;
  }
  parts.push(text.slice(from));
  return parts;
}

describe('parseStream', () => {
  it('splits CRLF across chunks correctly', async () => {
    const entries = await collect([
      'Demo - SENDING>>>> ISAKMP OAK MM (SA)\r',
      '\nDemo - RECEIVED<<<< ISAKMP OAK MM (SA)\r',
    ]);
    expect(entries.map((e) => e.event.eol)).toEqual(['\r\n', '\r']);
    expect(entries.every((e) => e.diagnostics.length === 0)).toBe(true);
  });

  test.prop([dialectEvents, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 })], { numRuns: 300 })(
    'gives the same events and diagnostics as parse, however the text is cut',
    async ({ events }, at) => {
      // Any text will do here, events `format` refuses included: print them unchecked.
      const text = events
        .map((e) => canonicalLines(e).join(e.eol === '\r\n' ? '\r\n' : '\n') + (e.eol ?? '\n'))
        .join('');
      const whole = parse(text);
      const streamed = await collect(cut(text, at));
      expect(streamed.map((e) => e.event)).toEqual(whole.events);
      expect(streamed.flatMap((e) => e.diagnostics).sort((a, b) => a.offset - b.offset)).toEqual(whole.diagnostics);
    },
  );

  test.prop(
    [
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
    ],
    {
      numRuns: 500,
    },
  )('never throws on arbitrary text and loses no byte', async (text, at) => {
    const streamed = await collect(cut(text, at));
    expect(streamed.map((e) => e.event.source?.raw).join('')).toBe(text);
  });

  it('reads a large log line by line without holding it', async () => {
    const line = 'Demo - SENDING>>>> ISAKMP OAK MM (Retransmission)\n';
    let produced = 0;
    let pulled = 0;
    function* chunks() {
      for (let i = 0; i < 20000; i++) {
        pulled++;
        yield line;
      }
    }
    let maxLag = 0;
    for await (const e of parseStream(chunks(), { dialect: 'safenet' })) {
      produced++;
      // Each event comes out at most one chunk after its line went in: nothing piles up.
      maxLag = Math.max(maxLag, pulled - produced);
      expect(e.event.source?.raw).toBe(line);
    }
    expect(produced).toBe(20000);
    expect(maxLag).toBeLessThanOrEqual(1);
  });
});

describe('parseStream on bytes', () => {
  it('decodes UTF-8 split inside a character and Windows-1252 logs', async () => {
    const text = 'Ünïcode - SENDING>>>> ISAKMP OAK MM (SA)\r\n';
    const bytes = new TextEncoder().encode(text);
    const out: Entry[] = [];
    for await (const e of parseStream([bytes.slice(0, 1), bytes.slice(1, 2), bytes.slice(2)])) out.push(e);
    expect(out.map((e) => e.event.source?.raw).join('')).toBe(text);
    expect(out[0]?.event).toMatchObject({ kind: 'ike-message', connection: 'Ünïcode' });

    const latin = Uint8Array.from([0xc4, ...new TextEncoder().encode(' - Exceeded 3 IKE SA negotiation attempts\n')]);
    const read: Entry[] = [];
    for await (const e of parseStream([latin], { encoding: 'windows-1252' })) read.push(e);
    expect(read[0]?.event).toMatchObject({ kind: 'exceeded-attempts', connection: 'Ä', attempts: 3 });
  });
});

describe('parseStream on arbitrary bytes', () => {
  test.prop([fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 8 })], { numRuns: 300 })(
    'never throws and keeps every decoded character',
    async (chunks) => {
      const whole = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of chunks) {
        whole.set(c, at);
        at += c.length;
      }
      const out: string[] = [];
      for await (const e of parseStream(chunks)) out.push(e.event.source?.raw ?? '');
      expect(out.join('')).toBe(new TextDecoder().decode(whole));
    },
  );
});
