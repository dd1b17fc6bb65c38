import { createLineParser, detectDialect, type Entry, type Line } from './parse';
import type { ParseOptions } from './types';

/** Lines kept before the dialect is decided when none is given. */
const DETECT_LINES = 64;

/**
 * Parses a log that arrives in chunks (any split: mid-line, mid-`\r\n`), yielding each event with its diagnostics as
 * soon as it is complete. Memory stays bounded by the longest line (plus the first 64 lines while detecting the dialect).
 */
export async function* parseStream(
  chunks: AsyncIterable<string> | Iterable<string>,
  options: ParseOptions = {},
): AsyncGenerator<Entry> {
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
    parser ??= createLineParser(detectDialect(held.map((l) => l.text)));
    const lines = held.splice(0);
    for (const l of lines) yield* parser.push(l);
  }

  for await (const chunk of chunks) {
    buffer += chunk;
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
      if (buffer.charCodeAt(i) === 13 && i + 1 >= buffer.length) break;
      const eol = buffer.charCodeAt(i) === 13 && buffer.charCodeAt(i + 1) === 10 ? '\r\n' : (buffer[i] ?? '');
      yield* feed({ text: buffer.slice(from, i), eol, start: offset + from, number: number++ });
      from = i + eol.length;
    }
    buffer = buffer.slice(from);
    offset += from;
  }
  if (buffer.length > 0) {
    const eol = buffer.endsWith('\r') ? '\r' : '';
    yield* feed({ text: buffer.slice(0, buffer.length - eol.length), eol, start: offset, number: number++ });
  }
  yield* release();
  if (parser) yield* parser.end();
}
