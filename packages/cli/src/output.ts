import { coloursFor, colourWanted, createProgress, highlight, type Progress, progressWanted } from './terminal';

/** Where a command writes: injected so tests can capture it. */
export interface Output {
  stdout(line: string): void;
  stderr(line: string): void;
  /** A progress line for reading one input, when the output is a terminal that shows one. */
  readonly progress?: (name: string, totalBytes: number | undefined) => Progress;
  /**
   * A promise while the stream behind stdout is full (its reader is slower than us), resolved once it has room again;
   * undefined when it has room. A command that writes much awaits it now and then, so a slow pipe is not queued in
   * memory. Optional: an output that never fills (a test's array) has none.
   */
  readonly drain?: () => Promise<void> | undefined;
  /** Writes out what is batched and resolves once the streams took it: `run` calls it before it returns. */
  readonly flush?: () => Promise<void>;
}

/*
 * Logs and captures carry text from the other end of a tunnel (ID payloads, vendor strings, pasted log lines). Written
 * raw, an escape sequence in it would drive the reader's terminal: clear the screen, retitle the window, hide lines.
 * Each such character is shown as one visible character instead, so the caret under a diagnostic (placed by code
 * points) still points at the right spot: C0 controls and DEL as their Unicode control pictures (ESC as ␛), C1
 * controls and the bidirectional overrides that reorder a line as U+FFFD. Tab, line feed and a carriage return that
 * ends a line (CRLF output) are layout and stay.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\r(?!\n|$)/g;

function visible(char: string): string {
  const code = char.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return '\ufffd';
}

/** `text` with every character that could control a terminal replaced by a visible one (see above). */
export function visibleControls(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** `out` with every line made safe for a terminal by `visibleControls`. */
export function terminalSafe(out: Output): Output {
  return {
    stdout: (line) => out.stdout(visibleControls(line)),
    stderr: (line) => out.stderr(visibleControls(line)),
    ...(out.progress === undefined ? {} : { progress: out.progress }),
    ...(out.drain === undefined ? {} : { drain: out.drain }),
    ...(out.flush === undefined ? {} : { flush: out.flush }),
  };
}

/** Text gathered for one write: one `write` a line was a third of `oaklog view`'s run, one a 64 KiB chunk is noise. */
export const OUTPUT_CHUNK_CHARS = 64 * 1024;

/** A writable stream as `createStreamOutput` uses it (`process.stdout`, or a test's). */
export interface OutputStream {
  write(text: string): boolean;
  readonly destroyed: boolean;
  readonly isTTY?: boolean;
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
  on(event: 'drain' | 'close', listener: () => void): unknown;
}

/**
 * Lines batched into chunks of about `OUTPUT_CHUNK_CHARS` for one stream. A stream that failed with EPIPE is closed:
 * its writes are dropped. `drain` is a promise after a write the stream could not take at once, until its `drain`
 * event (or its end: a closed or failed stream takes nothing more, and no one waits for it).
 */
function batchedWriter(stream: OutputStream) {
  let pending = '';
  let closed = false;
  let full: Promise<void> | undefined;
  let room: (() => void) | undefined;
  const roomAgain = () => {
    full = undefined;
    room?.();
    room = undefined;
  };
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    closed = true;
    roomAgain();
  });
  stream.on('drain', roomAgain);
  stream.on('close', roomAgain);
  const open = () => !closed && !stream.destroyed;
  const flush = () => {
    if (pending === '') return;
    const text = pending;
    pending = '';
    if (open() && !stream.write(text) && full === undefined)
      full = new Promise((resolve) => {
        room = resolve;
      });
  };
  return {
    write(text: string) {
      pending += text;
      if (pending.length >= OUTPUT_CHUNK_CHARS) flush();
    },
    flush,
    drain: () => (open() ? full : undefined),
  };
}

/**
 * Output to the process streams (see `createStreamOutput`). A progress line goes to stderr when it is a terminal and
 * not a CI log.
 */
export function createProcessOutput(env: NodeJS.ProcessEnv = process.env): Output {
  return {
    ...createStreamOutput(process.stdout, process.stderr, env),
    ...(progressWanted(process.stderr.isTTY, env)
      ? { progress: (name: string, total: number | undefined) => createProgress(name, total, process.stderr) }
      : {}),
  };
}

/**
 * Output to two streams. Lines are batched into chunks of about 64 KiB (`OUTPUT_CHUNK_CHARS`); a line for stderr
 * first writes out what stdout holds, so the two keep their order on a terminal that shows both. `drain` tells when
 * stdout is full; `flush` writes the rest. A reader that stops early (`oaklog view x.pcap | head`) closes the pipe:
 * that is the reader's choice, not an error, so once a stream has failed with EPIPE its writes are dropped, the
 * command runs on, and the process still exits with the code the input called for.
 *
 * On a terminal (see `colourWanted`: NO_COLOR and FORCE_COLOR are honoured) lines are coloured, after they were made
 * safe, so the only escape sequences are ours; NDJSON lines never are.
 */
export function createStreamOutput(stdout: OutputStream, stderr: OutputStream, env: NodeJS.ProcessEnv): Output {
  const out = batchedWriter(stdout);
  const err = batchedWriter(stderr);
  const colour = (stream: OutputStream, name: 'stdout' | 'stderr') => {
    const wanted = colourWanted(stream.isTTY, env);
    const colours = coloursFor(wanted);
    return (line: string) => `${wanted ? highlight(line, name, colours) : line}\n`;
  };
  const outLine = colour(stdout, 'stdout');
  const errLine = colour(stderr, 'stderr');
  return {
    stdout: (line) => out.write(outLine(line)),
    stderr: (line) => {
      out.flush();
      err.write(errLine(line));
      err.flush();
    },
    drain: out.drain,
    flush: async () => {
      out.flush();
      err.flush();
      await Promise.all([out.drain(), err.drain()]);
    },
  };
}
