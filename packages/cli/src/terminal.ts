/**
 * What a terminal gets beyond the text: colour for directions, errors and verdicts, and a progress line for an input
 * that takes more than a second. Both only for a person at a terminal: never for a pipe or a file, never for NDJSON.
 * picocolors colours; yocto-spinner draws the progress line (it clears and redraws it around every other write to the
 * terminal, so lines printed meanwhile are not torn).
 */
import { createColors } from 'picocolors';
import yoctoSpinner, { type Spinner } from 'yocto-spinner';

type Colours = ReturnType<typeof createColors>;

/** The environment variables that decide colour (https://no-color.org, https://force-color.org). */
export interface ColourEnv {
  readonly NO_COLOR?: string | undefined;
  readonly FORCE_COLOR?: string | undefined;
  readonly TERM?: string | undefined;
}

/**
 * Whether to colour a stream: FORCE_COLOR (any value but `0` or `false`) says yes, NO_COLOR (any non-empty value) says
 * no, and otherwise only a TTY whose TERM is not `dumb`.
 */
export function colourWanted(isTTY: boolean | undefined, env: ColourEnv): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '0' && force !== 'false') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY === true && env.TERM !== 'dumb';
}

/** Whether a progress line may be drawn: a TTY, and not a CI log (which keeps every redraw). */
export function progressWanted(isTTY: boolean | undefined, env: { readonly CI?: string | undefined }): boolean {
  return isTTY === true && (env.CI === undefined || env.CI === '' || env.CI === 'false');
}

/** One rule: the text it colours in a line, and how. */
interface Rule {
  readonly match: RegExp;
  readonly paint: (c: Colours, text: string) => string;
}

/** What stdout lines get: the arrows, the lines that say a phase came up, and those that say it did not. */
const STDOUT_RULES: readonly Rule[] = [
  { match: /SEND(?:ING)?[ \t]*>+/, paint: (c, t) => c.cyan(t) },
  { match: /RECEIV(?:ED|ING)[ \t]*<+/, paint: (c, t) => c.magenta(t) },
  { match: /\b(?:Established IKE SA|Loading IPsec SA)\b/, paint: (c, t) => c.green(c.bold(t)) },
  {
    match: /\b(?:Exceeded .* attempts|message not received! Retransmitting!|Received [A-Z_-]+ message)/,
    paint: (c, t) => c.yellow(t),
  },
  // Verdicts of `diagnose`: `<connection> phase 1: <outcome>`.
  { match: /(?<=phase [12]: )(?:established|deleted)\b/, paint: (c, t) => c.green(c.bold(t)) },
  { match: /(?<=phase [12]: )(?!established|deleted)[a-z-]+/, paint: (c, t) => c.red(c.bold(t)) },
  { match: /^ {2}next step:/, paint: (c, t) => c.bold(t) },
];

/** What stderr lines get: errors red, warnings and notes yellow. */
const STDERR_RULES: readonly Rule[] = [
  { match: /\b(?:error|undecodable)\b|^oaklog: (?:error|cannot)\b/, paint: (c, t) => c.red(t) },
  { match: /\b(?:warning|partly unreadable)\b|^oaklog:/, paint: (c, t) => c.yellow(t) },
];

/**
 * `line` with the first match of each rule painted (rules apply in order, each to text no earlier rule painted).
 * A line that is an NDJSON object (`{…`) is data for a program and stays as it is.
 */
export function highlight(line: string, stream: 'stdout' | 'stderr', colours: Colours): string {
  if (line.startsWith('{')) return line;
  let out = '';
  let rest = line;
  for (const rule of stream === 'stdout' ? STDOUT_RULES : STDERR_RULES) {
    const m = rule.match.exec(rest);
    if (m === null) continue;
    out += rest.slice(0, m.index) + rule.paint(colours, m[0]);
    rest = rest.slice(m.index + m[0].length);
  }
  return out + rest;
}

/** Colours for one stream, on or off. */
export function coloursFor(enabled: boolean): Colours {
  return createColors(enabled);
}

/** A progress line for one input. */
export interface Progress {
  /** `bytes` of the input read so far. */
  read(bytes: number): void;
  /** The input is read: the line goes away for good. */
  done(): void;
}

/** No progress line (not a terminal). */
export const NO_PROGRESS: Progress = { read() {}, done() {} };

/** Milliseconds an input may take before its progress is shown, and between redraws. */
const PROGRESS_AFTER_MS = 1000;
const REDRAW_MS = 100;

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/**
 * A progress line on `stream` for reading `name` (`total` bytes when known): drawn once reading has taken more than a
 * second, updated at most ten times a second. `now` is injectable for tests.
 */
export function createProgress(
  name: string,
  total: number | undefined,
  stream: NodeJS.WriteStream,
  now: () => number = Date.now,
): Progress {
  const started = now();
  let spinner: Spinner | undefined;
  let drawn = 0;
  let finished = false;
  const text = (bytes: number) =>
    total !== undefined && total > 0
      ? `reading ${name}: ${megabytes(bytes)} of ${megabytes(total)} (${Math.min(100, Math.floor((bytes / total) * 100))}%)`
      : `reading ${name}: ${megabytes(bytes)}`;
  return {
    read(bytes) {
      const t = now();
      if (finished || t - started < PROGRESS_AFTER_MS || t - drawn < REDRAW_MS) return;
      drawn = t;
      if (spinner === undefined) spinner = yoctoSpinner({ text: text(bytes), stream }).start();
      else spinner.text = text(bytes);
    },
    done() {
      finished = true;
      spinner?.clear();
      spinner?.stop();
      spinner = undefined;
    },
  };
}
