/**
 * Prefix and connection splitting: the line's time stamp, then the connection name up to the dash after which a
 * message reads; and run-on lines (several messages whose line breaks were collapsed into spaces).
 */
import type { DiagnosticCode } from './diagnostics';
import { FREE_TEXT, known, type MessageDraft, type MsgNote, type MsgResult, NO_MATCH, readMessage } from './rules';
import type { LinePrefix } from './types';

/**
 * The line stamp: `[` date time `]`, each part optional but the time. Dates: `12/03/2003`, `2003-12-03`, or the
 * NetScreen-Remote/SoftRemote month-day `4-16:`; times: `01:38:02.570`, `01:38:02,570`, `1:38:02 PM`.
 */
const STAMP =
  /[ \t]*(\[[ \t]*)?(?:(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\/\d{1,2}\/\d{2,4}|\d{1,2}-\d{1,2}:)[ \t]*)?(\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,6})?(?:[ \t]*[AaPp][Mm](?=[ \t\]]|$))?)(?![\d.:,])([ \t]*\])?[ \t]*/y;
const STAMP_24 = new RegExp(STAMP.source.replace('(?:[ \\t]*[AaPp][Mm](?=[ \\t\\]]|$))?', ''), 'y');
/** What a connection name never starts with: a date or a time the stamp did not read. */
const STAMP_LIKE = /^\[?[ \t]*(?:\d{1,4}[/-]\d{1,2}[/-]\d{1,4}|\d{1,2}-\d{1,2}:|\d{1,2}:\d{2})/;
/** A continuation line: `MY COOKIE`, `HIS COOKIE`, `Initiator =`, `Responder =`. */
export const CONTINUATION = /^[ \t]*(?:MY[ \t]*COOKIE|HIS[ \t]*COOKIE|Initiator[ \t]*=|Responder[ \t]*=)/;

/** A line read: the message fields with the prefix, the notes, and where the message ended. */
export interface LineRead {
  readonly fields: MessageDraft;
  readonly notes: MsgNote[];
  /** Where the message started in the text given (after time and connection). */
  readonly start: number;
  /** Where the message ended in the text given (before trailing whitespace). */
  readonly end: number;
}

type LineFail = { at: number; eoi: boolean; code: DiagnosticCode; message: string };

/**
 * Reads `[time] [connection " - "] message` from `from` on, trying the connection split at each dash. With `rest`,
 * more text may follow the message; the reading says where the message ended.
 */
export function readPrefixed(text: string, from = 0, rest = false, detail = true): LineRead | LineFail {
  const r = readStamped(text, from, rest, detail, true);
  // `00:00:00.000 PM Office - …`: "PM" may be the start of the connection name after all.
  if (!('fields' in r) && r.am) return readStamped(text, from, rest, detail, false);
  return r;
}

function readStamped(
  text: string,
  from: number,
  rest: boolean,
  detail: boolean,
  ampm: boolean,
): LineRead | (LineFail & { am?: boolean }) {
  let i = from;
  if (from === 0 && text[0] === '\uFEFF') i = 1;
  const stamp = ampm ? STAMP : STAMP_24;
  stamp.lastIndex = i;
  let tm = stamp.exec(text);
  // Brackets come in pairs.
  if (tm && (tm[1] === undefined) !== (tm[4] === undefined)) tm = null;
  const prefix: { date?: string; time?: string; bracketed?: true } = {};
  const time = tm?.[3] ?? '';
  // The time ends in AM or PM (any case): a look at its last two characters, not a regular expression per line.
  const am =
    tm !== null && 'AaPp'.includes(time[time.length - 2] ?? '_') && 'Mm'.includes(time[time.length - 1] ?? '_');
  if (tm) {
    if (tm[2] !== undefined) prefix.date = tm[2];
    prefix.time = tm[3] ?? '';
    if (tm[1] !== undefined) prefix.bracketed = true;
    i = stamp.lastIndex;
    // A line cut right after its time.
    if (i >= text.length)
      return { at: text.trimEnd().length, eoi: true, code: 'CLIPPED_LINE', message: 'the line ends after its time' };
  } else while (text[i] === ' ' || text[i] === '\t') i++;
  // First pass: find the reading; only a line nothing reads pays for the second pass that finds where it broke. The
  // knowledge table is asked last: a split that reads a typed message wins over it, and most lines have one.
  const whole = text.slice(i);
  const first = readMessage(whole, false, rest, false);
  if (first.ok && !FREE_TEXT.has(first.fields.kind)) return withPrefix(first, prefix, undefined, i);
  let wholeKnown: MsgResult | undefined | null = null;
  const knownWhole = () => {
    if (wholeKnown === null) wholeKnown = known(whole);
    return wholeKnown;
  };
  for (let k = text.indexOf('-', i), tries = 0; k >= 0 && tries < MAX_DASHES; k = text.indexOf('-', k + 1), tries++) {
    const connection = text.slice(i, k).trim();
    if (connection === '' || STAMP_LIKE.test(connection)) continue;
    let m = k + 1;
    while (text[m] === ' ' || text[m] === '\t') m++;
    if (m >= text.length) continue;
    const r = readMessage(text.slice(m), false, rest, false);
    // A free-text message (`Deleting IPsec SA test - SENDING>>>> …`) yields to a split that reads a typed one.
    if (r.ok && !FREE_TEXT.has(r.fields.kind)) return withPrefix(r, prefix, connection, m);
    if (first.ok || knownWhole() !== undefined) continue;
    if (r.ok) return withPrefix(r, prefix, connection, m);
    const rk = known(text.slice(m));
    if (rk?.ok) return withPrefix(rk, prefix, connection, m);
  }
  if (first.ok) return withPrefix(first, prefix, undefined, i);
  const wk = knownWhole();
  if (wk?.ok) return withPrefix(wk, prefix, undefined, i);
  if (am) return { ...(NO_MATCH as LineFail), am };
  return detail ? whereItBroke(text, i) : (NO_MATCH as LineFail);
}

/** Connection names hold a few dashes at most; trying every dash of a long line would cost quadratic time. */
const MAX_DASHES = 32;

/** A connection name holding these may be earlier messages whose line breaks were lost. */
export const RUN_ON_HINT = /[ \t]-[ \t]|[<>()]/;

/** One message of a run-on line: `[from, to)` of the line text. */
export interface Segment {
  readonly read: LineRead;
  readonly from: number;
  readonly to: number;
}

/**
 * A line that holds several messages because its line breaks were collapsed into spaces (a flattened paste). Read
 * only when every piece reads; otherwise the line stays one unknown event.
 */
export function readRunOn(text: string): Segment[] | undefined {
  const out: Segment[] = [];
  let p = 0;
  while (p < text.length) {
    const r = readPrefixed(text, p, true, false);
    if (!('fields' in r) || r.end <= p) return undefined;
    let q = r.end;
    while (text[q] === ' ' || text[q] === '\t') q++;
    if (q === r.end && q < text.length) return undefined;
    out.push({ read: r, from: p, to: q < text.length ? r.end : text.length });
    p = q;
  }
  return out.length >= 2 ? out : undefined;
}

function whereItBroke(text: string, i: number): LineFail {
  const first = readMessage(text.slice(i));
  const none = NO_MATCH as LineFail;
  let fail: LineFail = first.ok ? { ...none, at: i } : { ...first, at: first.at + i };
  let progress = !first.ok && first.at > 0;
  for (let k = text.indexOf('-', i), tries = 0; k >= 0 && tries < MAX_DASHES; k = text.indexOf('-', k + 1), tries++) {
    const connection = text.slice(i, k).trim();
    if (connection === '' || STAMP_LIKE.test(connection)) continue;
    let m = k + 1;
    while (text[m] === ' ' || text[m] === '\t') m++;
    if (m >= text.length) continue;
    const r = readMessage(text.slice(m));
    if (r.ok) continue;
    // Prefer the furthest progress; a dash with spaces around it is the likely separator for a line nothing reads.
    if ((r.at > 0 && m + r.at > fail.at) || (!progress && r.at === 0 && /[ \t]-[ \t]/.test(text.slice(k - 1, k + 2)))) {
      fail = { ...r, at: m + r.at };
      progress ||= r.at > 0;
    }
  }
  return fail;
}

function withPrefix(
  r: MsgResult & { ok: true },
  prefix: LinePrefix,
  connection: string | undefined,
  base: number,
): LineRead {
  const fields = r.fields;
  if (prefix.date !== undefined) fields.date = prefix.date;
  if (prefix.time !== undefined) fields.time = prefix.time;
  if (prefix.bracketed) fields.bracketed = true;
  if (connection !== undefined) fields.connection = connection;
  const notes = r.notes.length === 0 ? r.notes : r.notes.map((n) => ({ ...n, at: n.at + base }));
  return { fields, notes, start: base, end: base + r.end };
}
