/**
 * The View Log parser's contract on one text: `parse` never throws; `format(parse(x).events) === x`; the events'
 * sources tile the text in order (each `raw` is its slice, line numbers increase); every diagnostic has a known
 * code with its table severity and a position inside the text whose line and column agree with a line index of
 * the text; `formatDiagnostic` never throws. Printing the events without their sources (canonical style) and
 * parsing that again must reach a fixed point: the canonical print of the re-parse is the same text (unless
 * `format` refuses the events with its typed FormatError).
 */
import {
  createLineIndex,
  DiagnosticCodes,
  FormatError,
  format,
  formatDiagnostic,
  type LogEvent,
  parse,
} from '@oaklog/viewlog';
import { ContractViolation, check } from './bytes';

const DIALECTS = new Set(['safenet', 'cisco-vpnclient', 'gateway']);

function parseOrViolation(text: string, options?: Parameters<typeof parse>[1]): ReturnType<typeof parse> {
  try {
    return parse(text, options);
  } catch (error) {
    const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new ContractViolation(`parse threw ${what}`, { cause: error });
  }
}

function withoutSource(events: readonly LogEvent[]): LogEvent[] {
  return events.map((e) => {
    const { source: _source, ...rest } = e;
    return rest as LogEvent;
  });
}

/** Checks the whole contract on one text. */
export function checkLog(text: string): void {
  const result = parseOrViolation(text);
  check(DIALECTS.has(result.dialect) || /^[a-z][a-z-]*$/.test(result.dialect), () => `dialect ${result.dialect}`);
  const printed = format(result.events);
  check(printed === text, () => {
    let at = 0;
    while (at < text.length && printed[at] === text[at]) at++;
    return `format(parse(x)) differs at offset ${at}: ${JSON.stringify(printed.slice(at, at + 30))} vs ${JSON.stringify(text.slice(at, at + 30))}`;
  });

  const index = createLineIndex(text);
  let end = 0;
  for (const [i, e] of result.events.entries()) {
    const s = e.source;
    check(s !== undefined, () => `event ${i} (${e.kind}) has no source`);
    check(s.start === end, () => `event ${i} (${e.kind}) starts at ${s.start}, the previous one ended at ${end}`);
    check(
      s.end >= s.start && s.raw === text.slice(s.start, s.end),
      () => `event ${i} raw is not text[${s.start}, ${s.end})`,
    );
    const first = index.position(s.start).line;
    const last = index.position(Math.max(s.start, s.raw.replace(/(\r\n|\r|\n)$/, '').length + s.start - 1)).line;
    check(
      s.line === first && s.endLine === last,
      () => `event ${i} (${e.kind}) says lines ${s.line}..${s.endLine}, its text is on lines ${first}..${last}`,
    );
    end = s.end;
  }
  check(end === text.length, () => `events end at ${end}, the text at ${text.length}`);

  for (const d of result.diagnostics) {
    const where = `diagnostic ${d.code} at ${d.offset}`;
    const table = (DiagnosticCodes as Record<string, { severity: string }>)[d.code];
    check(table !== undefined, () => `${where}: unknown code`);
    check(d.severity === table.severity, () => `${where}: severity ${d.severity}, the table says ${table.severity}`);
    check(
      Number.isInteger(d.offset) && Number.isInteger(d.length) && d.offset >= 0 && d.length >= 0,
      () => `${where}: offset/length ${d.offset}/${d.length}`,
    );
    check(
      d.offset + d.length <= text.length,
      () => `${where}: covers past the end (${d.length} chars, text ${text.length})`,
    );
    const position = index.position(d.offset);
    check(
      position.line === d.line && position.column === d.column,
      () => `${where}: says ${d.line}:${d.column}, the text says ${position.line}:${position.column}`,
    );
    check(typeof d.message === 'string' && d.message.length > 0, () => `${where}: empty message`);
    formatDiagnostic(text, d);
    formatDiagnostic(text, d, index);
  }

  // `format` may refuse a built event it cannot print so that it reads back (FormatError): a typed refusal.
  const print = (events: readonly LogEvent[]): string | undefined => {
    try {
      return format(withoutSource(events));
    } catch (error) {
      if (error instanceof FormatError) return undefined;
      throw error;
    }
  };
  const canonical = print(result.events);
  if (canonical === undefined) return;
  const again = parseOrViolation(canonical, { dialect: result.dialect });
  const twice = print(again.events);
  check(twice !== undefined, 'format refuses to print the events parsed from its own canonical print');
  check(twice === canonical, () => {
    let at = 0;
    while (at < canonical.length && twice[at] === canonical[at]) at++;
    return `canonical print is not a fixed point at offset ${at}: ${JSON.stringify(twice.slice(at, at + 40))} vs ${JSON.stringify(canonical.slice(at, at + 40))}`;
  });
}

/** Decodes fuzzer bytes as text: UTF-8 (invalid sequences become U+FFFD, as a file reader would do). */
export function textOf(data: Uint8Array): string {
  return new TextDecoder().decode(data);
}
