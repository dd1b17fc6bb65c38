import { stat } from 'node:fs/promises';
import {
  createDiagnoser,
  createLogDecoder,
  type Entry,
  explain,
  formatDiagnostic,
  type LogEncoding,
  type LogEvent,
  parseStream,
} from '@oaklog/viewlog';
import { UsageError } from '../errors';
import { bytesOf, inputName, isStdin } from '../input';

export { bytesOf } from '../input';

import type { Output } from '../output';
import { looksLikeCapture } from './capture';
import { failedPhase } from './diagnose';

/**
 * Text read but not yet given back as events (a line, the 64 lines the dialect is detected from, an event waiting for
 * its continuation lines) that makes a file unreadable: View Log lines are short, so this much is not a View Log.
 */
const MAX_HELD_CHARS = 16 * 1024 * 1024;

/** How far into a log a NUL character marks it binary (and refuses it). */
const BINARY_PROBE_CHARS = 1024 * 1024;

/** A log read chunk by chunk: its text, and how far the events taken from it have come. */
export interface LogReader {
  /** The decoded text in chunks, for `parseStream`. */
  readonly chunks: AsyncGenerator<string>;
  /** Called with each chunk as it is read (before `parseStream` sees it). */
  onText?: (text: string) => void;
  /** Offset just past the last event taken (in the decoded text). */
  done: number;
}

/**
 * The encoding `decodeLogBytes` would pick for the whole file: a file that is UTF-8 up to its last byte can only be
 * told from one that turns out windows-1252 near its end by reading it all, so a first pass decides (it stops as
 * soon as the answer is known). A pipe cannot be read twice: its encoding is decided as it streams.
 */
async function encodingOf(path: string): Promise<LogEncoding | undefined> {
  if (isStdin(path) || !(await stat(path)).isFile()) return undefined;
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
        // A View Log holds no NUL (in any of its encodings); a binary file (an image, random bytes) soon does.
        if (read < BINARY_PROBE_CHARS) {
          const nul = s.indexOf('\u0000');
          if (nul >= 0)
            throw new UsageError(
              `${inputName(path)}: binary data (a NUL character at character ${read + nul}, read as ${decoder.encoding ?? 'text'}), not a View Log`,
            );
        }
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
            throw new UsageError(`${inputName(path)} looks like a packet capture, not a log: use oaklog view ${path}`);
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

/** Options of the log commands. */
export interface LogCommandOptions {
  /** NDJSON on stdout. */
  readonly json?: boolean;
  /** Exit 1 when a phase failed (as `diagnose` judges it). */
  readonly strict?: boolean;
}

/** With `strict`, a diagnoser fed every event, to tell at the end whether a phase failed; else nothing. */
function strictJudge(options: LogCommandOptions): { push(event: LogEvent): void; failed(): boolean } {
  if (!options.strict) return { push: () => {}, failed: () => false };
  const diagnoser = createDiagnoser();
  return { push: (event) => diagnoser.push(event), failed: () => failedPhase(diagnoser.finish()) };
}

/** `oaklog check <log>`: parse a View Log and print every diagnostic with a caret under the spot. */
export async function checkCommand(path: string, options: LogCommandOptions, out: Output): Promise<number> {
  const reader = readLog(path);
  const judge = strictJudge(options);
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
    judge.push(event);
    // Diagnostics lie within their event and events come in text order: sorted per event, they come out sorted. Most
    // events have none: only those with several pay for a sorted copy.
    const sorted = diagnostics.length > 1 ? [...diagnostics].sort((a, b) => a.offset - b.offset) : diagnostics;
    for (const d of sorted) {
      out.stdout(
        options.json
          ? JSON.stringify({
              schema: 'oaklog.check/1',
              type: 'diagnostic',
              file: inputName(path),
              line: d.line,
              column: d.column,
              offset: d.offset,
              length: d.length,
              severity: d.severity,
              code: d.code,
              message: d.message,
            })
          : formatDiagnostic(window, { ...d, offset: d.offset - windowStart }),
      );
      if (d.severity === 'error') errors++;
      else warnings++;
    }
    // A reader slower than the log is parsed (a pipe to a pager) is waited for, not queued in memory; no wait (not
    // even a microtask) while stdout has room.
    const full = out.drain?.();
    if (full !== undefined) await full;
    // The next event may share this event's last line (a Log Viewer record head, run-on messages): keep that line.
    let cut = (event.source?.end ?? windowStart) - windowStart;
    while (cut > 0 && window[cut - 1] !== '\n' && window[cut - 1] !== '\r') cut--;
    if (cut > 0) {
      window = window.slice(cut);
      windowStart += cut;
    }
  }
  out.stdout(
    options.json
      ? JSON.stringify({ schema: 'oaklog.check/1', type: 'summary', file: inputName(path), events, errors, warnings })
      : `${events} events, ${errors} errors, ${warnings} warnings`,
  );
  return errors > 0 || judge.failed() ? 1 : 0;
}

/** `oaklog explain <log>`: each line of the log followed by what it means. */
export async function explainCommand(path: string, options: LogCommandOptions, out: Output): Promise<number> {
  const judge = strictJudge(options);
  for await (const { event } of entriesOf(readLog(path))) {
    judge.push(event);
    const meaning = explain(event);
    const raw = (event.source?.raw ?? '').replace(/\r?\n$|\r$/, '');
    if (options.json) {
      out.stdout(
        JSON.stringify({
          schema: 'oaklog.explain/1',
          type: 'event',
          file: inputName(path),
          line: event.source?.line ?? null,
          kind: event.kind,
          text: raw,
          meaning: meaning ?? null,
        }),
      );
    } else {
      const line = event.source ? String(event.source.line).padStart(5) : '     ';
      out.stdout(`${line}  ${raw}`);
      if (meaning) out.stdout(`       ${meaning}`);
    }
    const full = out.drain?.();
    if (full !== undefined) await full;
  }
  return judge.failed() ? 1 : 0;
}
