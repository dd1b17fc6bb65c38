import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import {
  createLogDecoder,
  type Entry,
  explain,
  formatDiagnostic,
  type LogEncoding,
  parseStream,
} from '@oaklog/viewlog';
import { UsageError } from '../errors';
import type { Output } from '../output';
import { looksLikeCapture } from './capture';

/** Bytes read at a time: memory stays this, the longest line and a few lines, whatever the size of the file. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Text read but not yet given back as events (a line, the 64 lines the dialect is detected from, an event waiting for
 * its continuation lines) that makes a file unreadable: View Log lines are short, so this much is not a View Log.
 */
const MAX_HELD_CHARS = 16 * 1024 * 1024;

/** A log read chunk by chunk: its text, and how far the events taken from it have come. */
export interface LogReader {
  /** The decoded text in chunks, for `parseStream`. */
  readonly chunks: AsyncGenerator<string>;
  /** Called with each chunk as it is read (before `parseStream` sees it). */
  onText?: (text: string) => void;
  /** Offset just past the last event taken (in the decoded text). */
  done: number;
}

/** The bytes of the file at `path`, in chunks of 64 KiB. */
export async function* bytesOf(path: string): AsyncGenerator<Uint8Array> {
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES }))
    yield new Uint8Array((chunk as Buffer).buffer, (chunk as Buffer).byteOffset, (chunk as Buffer).length);
}

/**
 * The encoding `decodeLogBytes` would pick for the whole file: a file that is UTF-8 up to its last byte can only be
 * told from one that turns out windows-1252 near its end by reading it all, so a first pass decides (it stops as
 * soon as the answer is known). A pipe cannot be read twice: its encoding is decided as it streams.
 */
async function encodingOf(path: string): Promise<LogEncoding | undefined> {
  if (!(await stat(path)).isFile()) return undefined;
  const probe = createLogDecoder();
  for await (const bytes of bytesOf(path)) {
    probe.decode(bytes);
    if (probe.encoding !== undefined && probe.encoding !== 'utf-8') return probe.encoding;
  }
  probe.end();
  return probe.encoding;
}

/**
 * Reads a log in whatever encoding the client or editor wrote it (UTF-8, UTF-16, or Windows-1252), in chunks: those of
 * `bytes` when given (a stream already opened on `path`), else of the file.
 */
export function readLog(path: string, bytes?: AsyncIterable<Uint8Array>): LogReader {
  const reader: LogReader = {
    done: 0,
    chunks: (async function* () {
      const decoder = createLogDecoder(await encodingOf(path));
      let head = new Uint8Array(0);
      let checked = false;
      let read = 0;
      const text = function* (s: string): Generator<string> {
        if (s === '') return;
        read += s.length;
        if (read - reader.done > MAX_HELD_CHARS)
          throw new UsageError(
            `${path}: more than ${MAX_HELD_CHARS / 1024 / 1024} Mi characters from character ${reader.done} on without a complete line: not a View Log`,
          );
        reader.onText?.(s);
        yield s;
      };
      for await (const chunk of bytes ?? bytesOf(path)) {
        if (!checked) {
          // A capture's magic number may straddle the first chunks of a pipe: look once four bytes came.
          head = Uint8Array.from([...head, ...chunk.subarray(0, 4 - head.length)]);
          if (head.length < 4) {
            yield* text(decoder.decode(chunk));
            continue;
          }
          checked = true;
          if (looksLikeCapture(head))
            throw new UsageError(`${path} looks like a packet capture, not a log: use oaklog view ${path}`);
        }
        yield* text(decoder.decode(chunk));
      }
      yield* text(decoder.end());
    })(),
  };
  return reader;
}

/** The events of a log, as they are read. */
export async function* entriesOf(reader: LogReader): AsyncGenerator<Entry> {
  for await (const entry of parseStream(reader.chunks)) {
    reader.done = entry.event.source?.end ?? reader.done;
    yield entry;
  }
}

/** `oaklog check <log>`: parse a View Log and print every diagnostic with a caret under the spot. */
export async function checkCommand(path: string, out: Output): Promise<number> {
  const reader = readLog(path);
  // The text from the start of the line of the next event on: a diagnostic prints its whole line.
  let window = '';
  let windowStart = 0;
  reader.onText = (s) => {
    window += s;
  };
  let events = 0;
  let errors = 0;
  let warnings = 0;
  for await (const { event, diagnostics } of entriesOf(reader)) {
    events++;
    // Diagnostics lie within their event and events come in text order: sorted per event, they come out sorted.
    for (const d of [...diagnostics].sort((a, b) => a.offset - b.offset)) {
      out.stdout(formatDiagnostic(window, { ...d, offset: d.offset - windowStart }));
      if (d.severity === 'error') errors++;
      else warnings++;
    }
    // The next event may share this event's last line (a Log Viewer record head, run-on messages): keep that line.
    let cut = (event.source?.end ?? windowStart) - windowStart;
    while (cut > 0 && window[cut - 1] !== '\n' && window[cut - 1] !== '\r') cut--;
    if (cut > 0) {
      window = window.slice(cut);
      windowStart += cut;
    }
  }
  out.stdout(`${events} events, ${errors} errors, ${warnings} warnings`);
  return errors > 0 ? 1 : 0;
}

/** `oaklog explain <log>`: each line of the log followed by what it means. */
export async function explainCommand(path: string, out: Output): Promise<number> {
  for await (const { event } of entriesOf(readLog(path))) {
    const meaning = explain(event);
    const line = event.source ? String(event.source.line).padStart(5) : '     ';
    out.stdout(`${line}  ${(event.source?.raw ?? '').replace(/\r?\n$|\r$/, '')}`);
    if (meaning) out.stdout(`       ${meaning}`);
  }
  return 0;
}
