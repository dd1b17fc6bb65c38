import { coloursFor, colourWanted, createProgress, highlight, type Progress, progressWanted } from './terminal';

/** Where a command writes: injected so tests can capture it. */
export interface Output {
  stdout(line: string): void;
  stderr(line: string): void;
  /** A progress line for reading one input, when the output is a terminal that shows one. */
  readonly progress?: (name: string, totalBytes: number | undefined) => Progress;
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
  };
}

/**
 * Output to the process streams. A reader that stops early (`oaklog view x.pcap | head`) closes the pipe: that is the
 * reader's choice, not an error, so once a stream has failed with EPIPE its writes are dropped, the command runs on,
 * and the process still exits with the code the input called for.
 *
 * On a terminal (see `colourWanted`: NO_COLOR and FORCE_COLOR are honoured) lines are coloured, after they were made
 * safe, so the only escape sequences are ours; NDJSON lines never are. A progress line goes to stderr when it is a
 * terminal and not a CI log.
 */
export function createProcessOutput(env: NodeJS.ProcessEnv = process.env): Output {
  const closed = new Set<NodeJS.WriteStream>();
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
      closed.add(stream);
    });
  const writer = (stream: NodeJS.WriteStream, name: 'stdout' | 'stderr') => {
    const colour = colourWanted(stream.isTTY, env);
    const colours = coloursFor(colour);
    return (line: string) => {
      if (!closed.has(stream) && !stream.destroyed) stream.write(`${colour ? highlight(line, name, colours) : line}\n`);
    };
  };
  return {
    stdout: writer(process.stdout, 'stdout'),
    stderr: writer(process.stderr, 'stderr'),
    ...(progressWanted(process.stderr.isTTY, env)
      ? { progress: (name: string, total: number | undefined) => createProgress(name, total, process.stderr) }
      : {}),
  };
}
