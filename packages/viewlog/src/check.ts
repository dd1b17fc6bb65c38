/**
 * Printing built events: `format` must not print an event that reads back as something else. `checkEvent` says why an
 * event cannot be printed; `format` and `formatEvent` throw a {@link FormatError} for such built events (parsed events
 * print their `source.raw` and never throw).
 */
import { canonicalLines, formatEventText } from './format';
import { parse } from './parse';
import type { LogEvent } from './types';

/** Thrown by `format`/`formatEvent` for a built event whose canonical text would not read back as that event. */
export class FormatError extends Error {
  readonly code = 'UNPRINTABLE_EVENT' as const;
  readonly event: LogEvent;
  constructor(event: LogEvent, problem: string) {
    super(`cannot print this ${event.kind} event: ${problem}`);
    this.name = 'FormatError';
    this.event = event;
  }
}

/** Kinds whose meaning depends on the lines around them (a record's message text): only line breaks are checked. */
const CONTEXTUAL = new Set<LogEvent['kind']>(['message-text', 'unknown', 'blank', 'banner', 'record']);

function stable(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (x instanceof Uint8Array) return Array.from(x);
    if (x !== null && typeof x === 'object' && !Array.isArray(x))
      return Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)));
    return x;
  });
}

/**
 * Why a built event cannot be printed so that it reads back equal (a connection name that starts with a time or has
 * spaces around it, a vendor ID with an unbalanced `)`, a notify name with a space, a line break inside a field), or
 * `undefined` when it can. Parsed events (with `source`) always print.
 */
export function checkEvent(e: LogEvent): string | undefined {
  if (e.source !== undefined) return undefined;
  const lines = canonicalLines(e);
  if (lines.some((l) => /[\r\n]/.test(l))) return 'a field holds a line break';
  if (e.kind === 'blank') return /^[ \t]*$/.test(e.text) ? undefined : 'a blank line holds only spaces and tabs';
  if (CONTEXTUAL.has(e.kind)) return undefined;
  const r = parse(lines.join('\n'), { dialect: 'safenet' });
  if (r.events.length !== 1) return `it prints as ${r.events.length} events`;
  const { source: _s, eol: _e, ...back } = r.events[0] as LogEvent;
  const { eol: _e2, ...want } = e;
  if (stable(back) !== stable(want)) return `it reads back as ${stable(back)}`;
  return undefined;
}

/** The canonical text of one event (the client's own style), continuation lines joined with its line ending. */
export function formatEvent(e: LogEvent): string {
  const problem = checkEvent(e);
  if (problem !== undefined) throw new FormatError(e, problem);
  return formatEventText(e);
}

/**
 * Prints events back to text: each parsed event's exact source (`source.raw`), each built event in canonical style
 * followed by its `eol` (default `\n`). `format(parse(text).events) === text` for every text. Throws a
 * {@link FormatError} for a built event that would not read back as itself (see {@link checkEvent}).
 */
export function format(events: readonly LogEvent[]): string {
  let out = '';
  for (const e of events) out += e.source !== undefined ? e.source.raw : formatEvent(e) + (e.eol ?? '\n');
  return out;
}
