import { createLineParser, detectDialect, type Entry, type Line, lineEnding, lines } from './parse';
import type { ParseOptions } from './types';

/** Lines kept before the dialect is decided when none is given. */
const DETECT_LINES = 64;

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
  readonly encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
}

/**
 * Decodes a log file's bytes: a UTF-16 byte-order mark picks UTF-16 (LE or BE), bytes that are valid UTF-8 (with or
 * without a BOM) are UTF-8, anything else is windows-1252 (the Windows clients' ANSI code page). The BOM stays in the
 * text. Browser-safe (WHATWG `TextDecoder`); never throws.
 */
export function decodeLogBytes(bytes: Uint8Array): DecodedLog {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: decoder('utf-16le').decode(bytes), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: decoder('utf-16be').decode(bytes), encoding: 'utf-16be' };
  try {
    return { text: decoder('utf-8', true).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: decoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

/** Options of {@link parseStream}. */
export interface StreamOptions extends ParseOptions {
  /** Encoding of byte chunks (any WHATWG label: `utf-8`, `windows-1252`, `utf-16le`, …); default `utf-8`. */
  readonly encoding?: string;
}

/**
 * Parses a log that arrives in chunks of text or bytes (any split: mid-line, mid-`\r\n`, mid-character), yielding each
 * event with its diagnostics as soon as it is complete. Memory stays bounded by the longest line (plus the first 64
 * lines while detecting the dialect).
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

  function* feed(line: Line): Generator<Entry> {
    if (parser === undefined) {
      held.push(line);
      if (held.length < DETECT_LINES) return;
      yield* release();
      return;
    }
    yield* parser.push(line);
  }

  function* release(): Generator<Entry> {
    parser ??= createLineParser(detectDialect(held.map((l) => l.text)), true);
    const lines = held.splice(0);
    for (const l of lines) yield* parser.push(l);
  }

  for await (const chunk of chunks) {
    if (typeof chunk === 'string') buffer += chunk;
    else {
      // Byte chunks may split a character: the decoder keeps the partial bytes for the next chunk.
      bytes ??= decoder(options.encoding ?? 'utf-8');
      buffer += bytes.decode(chunk, { stream: true });
    }
    let from = 0;
    for (;;) {
      let i = from;
      while (i < buffer.length) {
        const c = buffer.charCodeAt(i);
        if (c === 10 || c === 13) break;
        i++;
      }
      if (i >= buffer.length) break;
      // A `\r` at the end of the buffer may be the first half of `\r\n`: wait for the next chunk.
      // Likewise `\r\r` may be the start of `\r\r\n`.
      if (buffer.charCodeAt(i) === 13 && i + 1 >= buffer.length) break;
      if (buffer.charCodeAt(i) === 13 && buffer.charCodeAt(i + 1) === 13 && i + 2 >= buffer.length) break;
      const eol = lineEnding(buffer, i);
      yield* feed({ text: buffer.slice(from, i), eol, start: offset + from, number: number++ });
      from = i + eol.length;
    }
    buffer = buffer.slice(from);
    offset += from;
  }
  if (bytes) buffer += bytes.decode();
  // The rest: a last line without an ending, or endings held back above (`\r`, `\r\r`) that nothing completed.
  for (const l of lines(buffer)) yield* feed({ ...l, start: offset + l.start, number: number++ });
  yield* release();
  if (parser) yield* parser.end();
}
