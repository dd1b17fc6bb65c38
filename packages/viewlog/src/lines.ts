/** Line splitting: the physical lines of a log, each with its ending and offset. */
import type { GatewayRow } from './types';

/** One physical line of input. */
export interface Line {
  /** The line without its ending. */
  readonly text: string;
  /** `\n`, `\r\n`, `\r`, `\r\r\n` (CRLF converted twice), or `''` for a last line without one. */
  readonly eol: string;
  /** 0-based offset of the line in the whole text. */
  readonly start: number;
  /** 1-based line number. */
  readonly number: number;
  /** A frame cut off before `text`: paste marks, then a gateway row's columns (`start` is where `text` starts). */
  readonly lead?: string;
  /** The frame after `text`: a gateway row's columns, then closing paste marks. */
  readonly trail?: string;
  /** The paste marks before the line. */
  readonly quote?: string;
  /** The paste marks after the line. */
  readonly quoteEnd?: string;
  /** The gateway row the line's message stands in. */
  readonly row?: GatewayRow;
}

/** Splits a View Log into lines, keeping each line ending. */
export function splitLines(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\r\n|\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

/**
 * The line ending at `i` (a `\r` or `\n`): `\r\n`, `\r\r\n` (a CRLF file converted to CRLF again: one ending, not a
 * blank line in between), or the single character.
 */
export function lineEnding(text: string, i: number): string {
  if (text.charCodeAt(i) !== 13) return text[i] ?? '';
  if (text.charCodeAt(i + 1) === 10) return '\r\n';
  if (text.charCodeAt(i + 1) === 13 && text.charCodeAt(i + 2) === 10) return '\r\r\n';
  return '\r';
}

/**
 * The line breaks of one text, found in order: `next(from)` is the index of the first `\r` or `\n` at or after `from`
 * (the text's length when none), for offsets that never decrease and stay within the text. Each kind is found by
 * `indexOf`, which scans natively, and found again only once passed, so finding every break costs one pass over the
 * text whatever the calls.
 */
export function lineBreaks(text: string): (from: number) => number {
  let lf = -2; // not searched yet
  let cr = -2;
  return (from) => {
    if (lf !== -1 && lf < from) lf = text.indexOf('\n', from);
    if (cr !== -1 && cr < from) cr = text.indexOf('\r', from);
    if (lf === -1) return cr === -1 ? text.length : cr;
    return cr === -1 || lf < cr ? lf : cr;
  };
}

/** Iterates the lines of a text with their endings and offsets. */
export function* lines(text: string): Generator<Line> {
  let start = 0;
  let number = 1;
  const n = text.length;
  const next = lineBreaks(text);
  while (start < n) {
    const i = next(start);
    let eol = '';
    if (i < n) eol = lineEnding(text, i);
    yield { text: text.slice(start, i), eol, start, number };
    start = i + eol.length;
    number++;
  }
}

/**
 * A copy of `s` that does not share the memory of the text it was cut from: V8 keeps a substring as a view of its
 * parent, so remembering one short line of a streamed chunk would keep the whole chunk alive.
 */
export function detached(s: string): string {
  return ` ${s}`.slice(1);
}
