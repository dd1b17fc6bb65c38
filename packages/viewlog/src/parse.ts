/**
 * The line parser: reads lines (split by lines.ts, their frames cut by frames.ts) into events with the rules of
 * rules.ts and prefix.ts, holds multi-line events until their continuation lines came, and checks each typed line
 * against its canonical form (canonical.ts). Every line becomes at least one event; events partition the text, so
 * printing each event's `source.raw` gives the text back. See the README for the EBNF.
 */
import { type CanonicalMessages, canonicalCheck } from './canonical';
import { makeDiagnostic } from './diagnostics';
import { BANNER, detectDialect, RECORD_HEAD } from './dialect';
import { noteOf, unframe } from './frames';
import { type Line, lines } from './lines';
import { CONTINUATION, type LineRead, RUN_ON_HINT, readPrefixed, readRunOn, type Segment } from './prefix';
import { type Draft, FREE_TEXT, type Parts, readParts } from './rules';
import type { Diagnostic, Dialect, EventBase, LogEvent, ParseOptions, ParseResult } from './types';

export { detectDialect } from './dialect';
export { splitLines } from './lines';

/** An event with the diagnostics found on its lines. */
export interface Entry {
  readonly event: LogEvent;
  readonly diagnostics: Diagnostic[];
}

interface Pending {
  event: Draft<'ike-sa-established' | 'phase2-start'>;
  lines: Line[];
  diagnostics: Diagnostic[];
  /** A blank line read while waiting: it joins the event only when a continuation line follows it. */
  blank?: Line;
  /** The head was cut and continued on the next line (a wrapped paste): two head lines, no canonical check. */
  wrapped?: true;
}

/** Part of one line: `[from, to)` of its text, followed by `eol` (the line ending or the spacing before the next event). */
interface Part {
  readonly from: number;
  readonly to: number;
  readonly eol: string;
}

/** The incremental line parser behind `parse` and `parseStream`: push lines, take finished entries. */
export interface LineParser {
  /** The dialect read so far: a detected dialect turns `cisco-vpnclient` at the first banner or record head. */
  readonly dialect: Dialect;
  push(line: Line): Entry[];
  end(): Entry[];
}

const UNCHECKED = new Set<LogEvent['kind']>(['unknown', 'blank', 'message-text', 'banner', 'known-message', 'note']);

/** The framing `finish` writes on a draft. */
type WritableBase = { -readonly [P in keyof EventBase]: EventBase[P] };

function finish(
  fields: Draft,
  used: readonly Line[],
  diagnostics: Diagnostic[],
  part?: Part,
  wrapped = false,
  messageStart?: number,
  canonical?: CanonicalMessages,
): Entry {
  const first = used[0] as Line;
  const last = used[used.length - 1] as Line;
  let raw = '';
  let start = first.start;
  let eol = last.eol;
  const opens = part === undefined || part.from === 0;
  const closes = part === undefined || part.to === last.text.length;
  if (part !== undefined) {
    raw = first.text.slice(part.from, part.to) + part.eol;
    if (opens) raw = (first.lead ?? '') + raw;
    if (closes) raw = raw.slice(0, raw.length - part.eol.length) + (first.trail ?? '') + part.eol;
    start += part.from;
    eol = part.eol;
  } else for (const l of used) raw += (l.lead ?? '') + l.text + (l.trail ?? '') + l.eol;
  if (opens) start -= first.lead?.length ?? 0;
  // `fields` is fresh for every line read, so it becomes the event itself: a draft has every field of its kind but the
  // framing, which is written here.
  const event: Draft & WritableBase = fields;
  event.eol = eol;
  event.source = { line: first.number, endLine: last.number, start, end: start + raw.length, raw };
  if (!UNCHECKED.has(event.kind) && (event.kind !== 'ike-message' || event.clipped === undefined) && !wrapped)
    for (const d of canonicalCheck(event, used, part, messageStart, canonical)) diagnostics.push(d);
  // The frames: typed on the event, and counted in the columns of its diagnostics.
  if (opens && first.quote !== undefined) event.quote = first.quote;
  if (opens && first.row !== undefined) event.row = first.row;
  if (closes && last.quoteEnd !== undefined) event.quoteEnd = last.quoteEnd;
  const framed = used.some((l) => l.lead !== undefined);
  const shifted = !framed
    ? diagnostics
    : diagnostics.map((d) => {
        const l = used.find((u) => u.number === d.line);
        return l?.lead === undefined ? d : { ...d, column: d.column + l.lead.length };
      });
  return { event, diagnostics: shifted };
}

/** Creates an incremental parser for one dialect. */
export function createLineParser(dialect: Dialect, auto = false): LineParser {
  let pending: Pending | undefined;
  let inRecord = false;
  const canonical: CanonicalMessages = new Set();

  function flushPending(): Entry[] {
    if (!pending) return [];
    const p = pending;
    pending = undefined;
    const head = p.lines[0] as Line;
    const missing =
      p.event.kind === 'ike-sa-established'
        ? [!p.event.myCookie && 'MY COOKIE', !p.event.hisCookie && 'HIS COOKIE']
        : [!p.event.initiator && 'Initiator', !p.event.responder && 'Responder'];
    const names = missing.filter((x): x is string => typeof x === 'string');
    if (names.length > 0)
      p.diagnostics.push(
        makeDiagnostic(
          'INCOMPLETE_EVENT',
          `no ${names.join(' or ')} line follows`,
          head.number,
          head.start,
          head.text.length,
        ),
      );
    return [finish(p.event, p.lines, p.diagnostics, undefined, p.wrapped === true)];
  }

  function readLine(line: Line): Entry[] {
    const text = line.text;
    if (text.trim() === '') {
      inRecord = false;
      return [finish({ kind: 'blank', text }, [line], [])];
    }
    const note = noteOf(text);
    if (note !== undefined) return [finish({ kind: 'note', note, text }, [line], [])];
    if (CONTINUATION.test(text)) {
      const at = text.search(/\S/);
      const d = makeDiagnostic(
        'ORPHAN_CONTINUATION',
        'no Established IKE SA or Phase 2 line before this one',
        line.number,
        line.start,
        at,
      );
      return [finish({ kind: 'unknown', text }, [line], [d])];
    }
    const banner = BANNER.exec(text);
    // A detected (not forced) dialect gives way when a Log Viewer banner or record shows up after the detection window.
    if (auto && dialect !== 'cisco-vpnclient' && (banner || RECORD_HEAD.test(text))) dialect = 'cisco-vpnclient';
    if (banner) {
      const fields: Draft<'banner'> = { kind: 'banner', text };
      if (banner[1] !== undefined) fields.version = banner[1];
      return [finish(fields, [line], [])];
    }
    const head = RECORD_HEAD.exec(text);
    if (head) {
      // A record head opens a record whatever the dialect: its body lines are the record's message text.
      inRecord = true;
      // Every group of RECORD_HEAD takes part in a match: the `?? ''` only tells TypeScript so.
      const fields: Draft<'record'> = {
        kind: 'record',
        sequence: Number(head[1]),
        time: head[2] ?? '',
        date: head[3] ?? '',
        severity: head[4] ?? '',
        level: Number(head[5]),
        eventClass: head[6] ?? '',
        eventId: head[7] ?? '',
      };
      const headEnd = head[0].length;
      let cut = headEnd;
      while (text[cut] === ' ' || text[cut] === '\t') cut++;
      if (cut >= text.length) return [finish(fields, [line], [])];
      // The message continues on the head line: two events share it; the separator is the record's `eol`.
      return [
        finish(fields, [line], [], { from: 0, to: headEnd, eol: text.slice(headEnd, cut) }),
        ...readBody(line, cut),
      ];
    }
    // A gateway row's message column is the gateway's own message, whatever it says.
    if (inRecord || line.row !== undefined) return readBody(line, 0);
    const r = readPrefixed(text);
    // A "connection name" holding dashes and brackets may be earlier messages whose line breaks were lost.
    const suspect =
      !('fields' in r) || (typeof r.fields.connection === 'string' && RUN_ON_HINT.test(r.fields.connection));
    const runOn = suspect ? readRunOn(text) : undefined;
    if (runOn) return runOnEntries(line, runOn);
    if ('fields' in r) return finishRead(r, line, 0);
    // A gateway prints its own messages (`IKE Responder: No response - remote party timeout …`) between OAK lines.
    if (dialect === 'gateway' && r.code !== 'BAD_IKE_MESSAGE' && !/ISAKMP[ \t]+OAK/i.test(text))
      return [finish({ kind: 'message-text', text }, [line], [])];
    const d = makeDiagnostic(r.code, r.message, line.number, line.start, r.at);
    return [finish({ kind: 'unknown', text }, [line], [d])];
  }

  /** A Log Viewer message line (or the rest of a head line from `from`). */
  function readBody(line: Line, from: number): Entry[] {
    const s = line.text.slice(from);
    const r = readPrefixed(s);
    if ('fields' in r) return finishRead(r, line, from);
    const part = from > 0 ? { from, to: line.text.length, eol: line.eol } : undefined;
    if (r.code !== 'BAD_IKE_MESSAGE') return [finish({ kind: 'message-text', text: s }, [line], [], part)];
    const d = makeDiagnostic(r.code, r.message, line.number, line.start, from + r.at);
    return [finish({ kind: 'unknown', text: s }, [line], [d], part)];
  }

  function runOnEntries(line: Line, segments: Segment[]): Entry[] {
    return segments.map((seg, k) => {
      const next = segments[k + 1];
      const eol = next === undefined ? line.eol : line.text.slice(seg.to, next.from);
      const diagnostics = seg.read.notes.map((n) =>
        makeDiagnostic(n.code, n.message, line.number, line.start, n.at, n.length),
      );
      if (k > 0)
        diagnostics.unshift(
          makeDiagnostic(
            'SPACING',
            'another message starts here: a line break was collapsed into a space',
            line.number,
            line.start,
            seg.from,
          ),
        );
      return finish(seg.read.fields, [line], diagnostics, { from: seg.from, to: seg.to, eol });
    });
  }

  function finishRead(r: LineRead, line: Line, from: number): Entry[] {
    const diagnostics = r.notes.map((n) =>
      makeDiagnostic(n.code, n.message, line.number, line.start, from + n.at, n.length),
    );
    const e = r.fields;
    const kind = e.kind;
    if ((e.kind === 'ike-sa-established' || e.kind === 'phase2-start') && from === 0) {
      const complete = e.kind === 'ike-sa-established' ? e.myCookie && e.hisCookie : e.initiator && e.responder;
      // Wait for the indented continuation lines (only when none continued the head line).
      if (!complete && e.layout === undefined) {
        pending = { event: e, lines: [line], diagnostics };
        return [];
      }
      if (!complete)
        diagnostics.push(
          makeDiagnostic(
            'INCOMPLETE_EVENT',
            kind === 'ike-sa-established'
              ? 'one of the two cookies is missing'
              : 'one of the two client IDs is missing',
            line.number,
            line.start,
            line.text.trimEnd().length,
          ),
        );
    }
    if (from > 0) return [finish(r.fields, [line], diagnostics, { from, to: line.text.length, eol: line.eol })];
    return [finish(r.fields, [line], diagnostics, undefined, false, r.start, canonical)];
  }

  /**
   * Takes a continuation line into the pending event: `true` when it joined, an entry when it is a continuation line
   * that does not read (it stays its own `unknown` event, so printing the events without their source keeps it),
   * `false` when it is no continuation of this event.
   */
  function continuePending(p: Pending, line: Line): boolean | Entry {
    const e = p.event;
    const kind = e.kind;
    const want = kind === 'ike-sa-established' ? /^[ \t]*(MY|HIS)[ \t]*COOKIE/ : /^[ \t]*(Initiator|Responder)[ \t]*=/;
    const w = want.exec(line.text);
    if (!w) return false;
    // The part the line starts with is already there: the line is no continuation of this event.
    const had =
      e.kind === 'ike-sa-established'
        ? w[1] === 'MY'
          ? e.myCookie
          : e.hisCookie
        : w[1] === 'Initiator'
          ? e.initiator
          : e.responder;
    if (had !== undefined) return false;
    // Read into a fresh object: a line that fails half-way leaves the pending event as it was.
    const into: Parts = { kind };
    const r = readParts(line.text, 0, into);
    if (!r.ok) {
      // Absorbed, its text would be in the event's source but not in its data: a canonical print would drop it.
      const d = makeDiagnostic(
        r.code === 'UNKNOWN_LINE' ? 'BAD_VALUE' : r.code,
        r.message,
        line.number,
        line.start,
        r.at,
      );
      return finish({ kind: 'unknown', text: line.text }, [line], [d]);
    }
    if (p.blank !== undefined) {
      p.lines.push(p.blank);
      p.diagnostics.push(makeDiagnostic('SPACING', 'a blank line splits this event', p.blank.number, p.blank.start, 0));
      delete p.blank;
    }
    p.lines.push(line);
    Object.assign(p.event, into);
    return true;
  }

  function isComplete(p: Pending): boolean {
    const e = p.event;
    return e.kind === 'ike-sa-established' ? !!(e.myCookie && e.hisCookie) : !!(e.initiator && e.responder);
  }

  /** Flushes the pending event, then the blank line it held back. */
  function flushAll(): Entry[] {
    const blank = pending?.blank;
    const out = flushPending();
    if (blank !== undefined) out.push(...readLine(blank));
    return out;
  }

  /** A clipped line, held back in case the next line completes it (a paste wrapped at a fixed width). */
  let wrap: { line: Line; entries: Entry[] } | undefined;

  function isClipped(entries: Entry[]): boolean {
    if (entries.length !== 1) return false;
    const { event, diagnostics } = entries[0] as Entry;
    if (event.kind === 'ike-message') return event.clipped !== undefined;
    return event.kind === 'unknown' && diagnostics.some((d) => d.code === 'CLIPPED_LINE');
  }

  /** Reads a clipped line and the line after it as one event, when the second completes the first. */
  function join(a: Line, b: Line, held: LogEvent): Entry | 'pending' | undefined {
    if (b.text.trim() === '' || 'fields' in readPrefixed(b.text, 0, false, false)) return undefined;
    for (const sep of ['', ' ']) {
      const r = readPrefixed(a.text + sep + b.text, 0, false, false);
      if (!('fields' in r) || (r.fields.kind === 'ike-message' && r.fields.clipped !== undefined)) continue;
      // The continuation completes the cut message: free text that swallows both lines does not count.
      if (FREE_TEXT.has(r.fields.kind) || (held.kind !== 'unknown' && r.fields.kind !== held.kind)) continue;
      const cut = a.text.length + sep.length;
      const diagnostics = r.notes.map((n) =>
        n.at < cut
          ? makeDiagnostic(n.code, n.message, a.number, a.start, n.at, n.length)
          : makeDiagnostic(n.code, n.message, b.number, b.start, n.at - cut, n.length),
      );
      diagnostics.unshift(
        makeDiagnostic(
          'WRAPPED_LINE',
          'the line is cut here and continues on the next line (wrapped when pasted): read as one event',
          a.number,
          a.start,
          a.text.length,
        ),
      );
      const e = r.fields;
      // A wrapped `Established IKE SA` or phase-2 head waits for its continuation lines like an unwrapped one.
      const waits =
        (e.kind === 'ike-sa-established' && !(e.myCookie && e.hisCookie)) ||
        (e.kind === 'phase2-start' && !(e.initiator && e.responder));
      if (waits && e.layout === undefined) {
        pending = { event: e, lines: [a, b], diagnostics, wrapped: true };
        return 'pending';
      }
      return finish(e, [a, b], diagnostics, undefined, true);
    }
    return undefined;
  }

  function pushLine(line: Line): Entry[] {
    if (pending) {
      // One blank line may sit between `Established IKE SA` and its cookies.
      if (
        pending.blank === undefined &&
        pending.lines.length === (pending.wrapped ? 2 : 1) &&
        line.text.trim() === ''
      ) {
        pending.blank = line;
        return [];
      }
      const taken = continuePending(pending, line);
      if (taken === true) return isComplete(pending) ? flushPending() : [];
      if (taken !== false) return flushAll().concat([taken]);
      // A run-on line can hold any number of events: concat, never spread them into arguments.
      return flushAll().concat(readLine(line));
    }
    return readLine(line);
  }

  return {
    get dialect() {
      return dialect;
    },
    push(line) {
      if (wrap !== undefined) {
        const held = wrap;
        wrap = undefined;
        const joined = join(held.line, unframe(line), (held.entries[0] as Entry).event);
        if (joined === 'pending') return [];
        if (joined !== undefined) return [joined];
        return held.entries.concat(this.push(line));
      }
      const framed = unframe(line);
      const entries = pushLine(framed);
      if (!inRecord && pending === undefined && isClipped(entries)) {
        wrap = { line: framed, entries };
        return [];
      }
      return entries;
    },
    end() {
      const held = wrap?.entries ?? [];
      wrap = undefined;
      return held.concat(flushAll());
    },
  };
}

/** Parses a whole log. Total: never throws; every line becomes an event; problems come back as diagnostics. */
export function parse(text: string, options: ParseOptions = {}): ParseResult {
  const parser = createLineParser(options.dialect ?? detectDialect(text), options.dialect === undefined);
  const events: LogEvent[] = [];
  const diagnostics: Diagnostic[] = [];
  const take = (entries: Entry[]) => {
    for (const e of entries) {
      events.push(e.event);
      for (const d of e.diagnostics) diagnostics.push(d);
    }
  };
  for (const line of lines(text)) take(parser.push(line));
  take(parser.end());
  diagnostics.sort((a, b) => a.offset - b.offset);
  return { dialect: parser.dialect, events, diagnostics };
}
