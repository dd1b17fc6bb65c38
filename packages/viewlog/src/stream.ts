import { concatBytes } from '@oaklog/common';
import { detectDialect } from './dialect';
import { type Line, lineBreaks, lineEnding, lines } from './lines';
import { createLineParser, type Entry } from './parse';
import type { ParseOptions } from './types';

/** Lines kept before the dialect is decided when none is given. */
const DETECT_LINES = 64;

/** Entries collected before they are yielded, so a large chunk does not hold all of its events at once. */
const YIELD_BATCH = 256;

/** The WHATWG `TextDecoder` (browsers, Node ≥ 11), reached without DOM or Node typings. */
interface Decoder {
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
type DecoderClass = new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }) => Decoder;

function decoder(label: string, fatal = false): Decoder {
  // ignoreBOM: a byte-order mark stays in the text, as `parse(text)` keeps it, so both paths agree and it round-trips.
  return new (globalThis as unknown as { TextDecoder: DecoderClass }).TextDecoder(label, { fatal, ignoreBOM: true });
}

/** What {@link decodeLogBytes} found. */
export interface DecodedLog {
  /** The text, a byte-order mark kept as `\uFEFF`. */
  readonly text: string;
  /** The WHATWG label used: `utf-8`, `utf-16le`, `utf-16be` or `windows-1252`. */
  readonly encoding: LogEncoding;
}

/** The encodings a View Log comes in. */
export type LogEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** Bytes looked at to tell UTF-16 without a byte-order mark. */
const SNIFF_BYTES = 512;

/**
 * UTF-16 from the first bytes: a byte-order mark, or else the NUL pattern of text written as UTF-16 without one (every
 * character of a View Log line is ASCII, so every other byte is NUL: the high byte, second in LE, first in BE). UTF-8
 * and windows-1252 text has no NUL at all, so a quarter of the pairs is far from any real log in those encodings.
 */
function sniffUtf16(head: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const pairs = Math.min(head.length, SNIFF_BYTES) >> 1;
  if (pairs < 2) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let k = 0; k < pairs; k++) {
    if (head[2 * k] === 0) evenNul++;
    if (head[2 * k + 1] === 0) oddNul++;
  }
  if (oddNul * 4 >= pairs * 3 && evenNul * 4 < pairs) return 'utf-16le';
  if (evenNul * 4 >= pairs * 3 && oddNul * 4 < pairs) return 'utf-16be';
  return undefined;
}

/**
 * Decodes a log file's bytes: UTF-16 (LE or BE) by its byte-order mark or, without one, by the NUL bytes of its first
 * 512 bytes; bytes that are valid UTF-8 (with or without a BOM) are UTF-8; anything else is windows-1252 (the Windows
 * clients' ANSI code page). The BOM stays in the text. Browser-safe (WHATWG `TextDecoder`); never throws.
 */
export function decodeLogBytes(bytes: Uint8Array): DecodedLog {
  const utf16 = sniffUtf16(bytes.subarray(0, SNIFF_BYTES));
  if (utf16 !== undefined) return { text: decoder(utf16).decode(bytes), encoding: utf16 };
  try {
    return { text: decoder('utf-8', true).decode(bytes), encoding: 'utf-8' };
  } catch {
    // Node 20 decodes windows-1252 in one call as Latin-1 (0x80 becomes U+0080, not `€`); streaming calls decode it
    // as WHATWG says, in Node as in browsers.
    const d = decoder('windows-1252');
    return { text: d.decode(bytes, { stream: true }) + d.decode(), encoding: 'windows-1252' };
  }
}

/** Decodes a log that arrives in byte chunks, as {@link decodeLogBytes} decodes it whole. */
export interface LogDecoder {
  /** The text of `chunk` (a character split across chunks comes out with the chunk that completes it). */
  decode(chunk: Uint8Array): string;
  /** The rest: bytes held back for detection or an unfinished character. */
  end(): string;
  /** The encoding in use; `undefined` until enough bytes came to decide. */
  readonly encoding: LogEncoding | undefined;
}

/** Length of `bytes` without an unfinished UTF-8 sequence at its end (at most 3 bytes). */
function completeUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = bytes[n - back] as number;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back for its lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

/**
 * A streaming {@link decodeLogBytes}: UTF-16 is told from the first 512 bytes (held back until they came); other bytes
 * read as UTF-8 until a chunk is not valid UTF-8, and from that chunk on as windows-1252. Give `encoding` when it is
 * known (a first pass over a file): then the text equals `decodeLogBytes` of the whole. Browser-safe; never throws.
 */
export function createLogDecoder(encoding?: LogEncoding): LogDecoder {
  let chosen: LogEncoding | undefined = encoding;
  let stream: Decoder | undefined;
  let head: Uint8Array[] = [];
  let headLength = 0;
  /** UTF-8 bytes of an unfinished character, checked with the next chunk. */
  let carry: Uint8Array = new Uint8Array(0);
  const utf8 = decoder('utf-8', true);

  const run = (bytes: Uint8Array, last: boolean): string => {
    if (chosen !== 'utf-8') {
      stream ??= decoder(chosen ?? 'utf-8');
      // Never one call without `stream` (see decodeLogBytes): the rest is flushed by a call of its own.
      return last ? stream.decode(bytes, { stream: true }) + stream.decode() : stream.decode(bytes, { stream: true });
    }
    const all = carry.length > 0 ? concatBytes([carry, bytes]) : bytes;
    const cut = last ? all.length : completeUtf8(all);
    try {
      const text = utf8.decode(all.subarray(0, cut));
      carry = all.slice(cut);
      return text;
    } catch {
      // Not UTF-8 after all: the Windows clients' ANSI code page, from this chunk on.
      chosen = 'windows-1252';
      carry = new Uint8Array(0);
      stream = decoder('windows-1252');
      return last ? stream.decode(all, { stream: true }) + stream.decode() : stream.decode(all, { stream: true });
    }
  };
  const decide = (last: boolean): string => {
    const bytes = concatBytes(head);
    head = [];
    chosen ??= sniffUtf16(bytes) ?? 'utf-8';
    return run(bytes, last);
  };

  return {
    get encoding() {
      return chosen;
    },
    decode(chunk) {
      if (chosen !== undefined && head.length === 0) return run(chunk, false);
      head.push(chunk.slice());
      headLength += chunk.length;
      return headLength >= SNIFF_BYTES ? decide(false) : '';
    },
    end() {
      if (head.length > 0 || chosen === undefined) return decide(true);
      return run(new Uint8Array(0), true);
    },
  };
}

/** Options of {@link parseStream}. */
export interface StreamOptions extends ParseOptions {
  /** Encoding of byte chunks (any WHATWG label: `utf-8`, `windows-1252`, `utf-16le`, …); default `utf-8`. */
  readonly encoding?: string;
}

/**
 * Parses a log that arrives in chunks of text or bytes (any split: mid-line, mid-`\r\n`, mid-character), yielding each
 * event with its diagnostics as soon as the chunk that completes it has been read (at most 256 at a time). Memory stays
 * bounded by the longest line (plus the first 64 lines while detecting the dialect).
 */
export async function* parseStream(
  chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  options: StreamOptions = {},
): AsyncGenerator<Entry> {
  let bytes: Decoder | undefined;
  let parser = options.dialect !== undefined ? createLineParser(options.dialect) : undefined;
  const held: Line[] = [];
  let buffer = '';
  let offset = 0; // offset of buffer[0] in the whole text
  let number = 1;

  // Entries wait in `ready` and are yielded a few hundred at a time: each value an async generator yields costs
  // promises and turns of the microtask queue, and `yield*` of a synchronous generator costs more again (it was half of
  // parseStream's time over parse's).
  let ready: Entry[] = [];
  const take = (entries: readonly Entry[]) => {
    for (const e of entries) ready.push(e);
  };
  const takeReady = (): Entry[] => {
    const out = ready;
    ready = [];
    return out;
  };

  function feed(line: Line): void {
    if (parser === undefined) {
      held.push(line);
      if (held.length >= DETECT_LINES) release();
      return;
    }
    take(parser.push(line));
  }

  function release(): void {
    parser ??= createLineParser(detectDialect(held.map((l) => l.text)), true);
    for (const l of held.splice(0)) take(parser.push(l));
  }

  // A long line arrives in many chunks: they wait in `tail` (joined once, when a line break comes) and the scan for
  // a line break resumes where it stopped (`seen`), so the time stays linear in the line, not quadratic.
  let tail: string[] = [];
  let seen = 0;
  for await (const chunk of chunks) {
    let text: string;
    if (typeof chunk === 'string') text = chunk;
    else {
      // Byte chunks may split a character: the decoder keeps the partial bytes for the next chunk.
      bytes ??= decoder(options.encoding ?? 'utf-8');
      text = bytes.decode(chunk, { stream: true });
    }
    if (!/[\r\n]/.test(text) && buffer.charCodeAt(buffer.length - 1) !== 13) {
      if (text !== '') tail.push(text);
      continue;
    }
    if (tail.length > 0) {
      buffer += tail.join('');
      tail = [];
    }
    buffer += text;
    const next = lineBreaks(buffer);
    let from = 0;
    for (;;) {
      const i = next(Math.max(from, seen));
      seen = i;
      if (i >= buffer.length) break;
      // A `\r` at the end of the buffer may be the first half of `\r\n`: wait for the next chunk.
      // Likewise `\r\r` may be the start of `\r\r\n`.
      if (buffer.charCodeAt(i) === 13 && i + 1 >= buffer.length) break;
      if (buffer.charCodeAt(i) === 13 && buffer.charCodeAt(i + 1) === 13 && i + 2 >= buffer.length) break;
      const eol = lineEnding(buffer, i);
      feed({ text: buffer.slice(from, i), eol, start: offset + from, number: number++ });
      from = i + eol.length;
      if (ready.length >= YIELD_BATCH) for (const e of takeReady()) yield e;
    }
    for (const e of takeReady()) yield e;
    buffer = buffer.slice(from);
    offset += from;
    seen = Math.max(0, seen - from);
  }
  buffer += tail.join('');
  if (bytes) buffer += bytes.decode();
  // The rest: a last line without an ending, or endings held back above (`\r`, `\r\r`) that nothing completed.
  for (const l of lines(buffer)) feed({ ...l, start: offset + l.start, number: number++ });
  release();
  if (parser) take(parser.end());
  for (const e of takeReady()) yield e;
}
