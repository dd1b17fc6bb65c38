/**
 * Frames around a log line: what a paste adds (list markers, quote marks, BBCode) and the columns of a gateway's log
 * row (SonicWALL's export, its space-separated copy, its syslog). A frame is cut off before the line's message is
 * read, kept exactly in the event's source, and typed as the event's `quote`/`quoteEnd` and `row` fields.
 */
import type { Line } from './lines';
import type { GatewayRow, NoteKind } from './types';

/** BBCode tags forums wrap pastes in. */
const TAG = String.raw`\[\/?(?:code|quote|size|indent|color|font|i|b|u|pre|tt|left|list|\*)(?:=[^\]\r\n]*)?\]`;
/**
 * A paste's line prefix: `- ` (pastebin's list rendering), `> ` (a quoted reply), `12. ` (a numbered list), BBCode
 * opening tags, in any combination; the whitespace after a marker belongs to it.
 */
const LEAD = new RegExp(String.raw`^(?:[ \t]*(?:(?:${TAG})+|>+|-(?=[ \t])|\d{1,4}\.(?=[ \t]))[ \t]?)+`, 'i');
/** Closing BBCode tags at the end of a line (`…disabled[/INDENT][/SIZE]`). */
const TRAIL = new RegExp(String.raw`(?:${TAG})+[ \t]*$`, 'i');
const ONLY_TAGS = new RegExp(String.raw`^[ \t]*(?:${TAG}[ \t]*)+$`, 'i');

/** What a paste put around a line. */
export interface Paste {
  readonly lead: string;
  readonly trail: string;
}

const NONE: Paste = { lead: '', trail: '' };

/** The paste prefix and suffix of a line (both `''` when it has none). A line of tags only is a note, not framed. */
export function pasteOf(text: string): Paste {
  // Most lines carry no paste marks: a look at their first character and for a `[` says so.
  let i = 0;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  const c = text.charCodeAt(i);
  const bracket = text.includes('[');
  if (!bracket && c !== 45 && c !== 62 && !(c >= 48 && c <= 57)) return NONE;
  if (bracket && ONLY_TAGS.test(text)) return NONE;
  const lead = LEAD.exec(text)?.[0] ?? '';
  // A lone `-` or `>` is a marker only when something follows it.
  const rest = text.slice(lead.length);
  const trail = bracket ? (TRAIL.exec(rest)?.[0] ?? '') : '';
  if (lead !== '' && /^[ \t]*-[ \t]?$/.test(lead) && rest.trim() === '') return { lead: '', trail: '' };
  return { lead, trail };
}

/** Human additions inside a paste: read as notes, not as log messages. */
export const NOTES: readonly (readonly [RegExp, NoteKind])[] = [
  [ONLY_TAGS, 'markup'],
  [
    /^[ \t]*(?:\.{3,}|…|\[\s*(?:\.{3}|…|snip(?:ped)?)\s*\]|<\s*snip(?:ped)?\s*>|-{2,}\s*snip(?:ped)?\s*-{2,})[ \t]*$/i,
    'elision',
  ],
  // `[These last two appear three times each]`: bracketed words with a space (a stamp has no letters).
  [/^[ \t]*\[[^[\]\r\n]*[A-Za-z]{2}[^[\]\r\n]* [^[\]\r\n]*\][ \t]*$/, 'comment'],
  [
    /^[ \t]*(?:\*\*[^*\r\n]+ (?:said|wrote):?\*\*|[^:\r\n]{1,60} (?:said|wrote):|Quote(?: from [^:\r\n]+)?:)[ \t]*$/i,
    'quote-header',
  ],
];

/**
 * Whether a line may be a note: every pattern of `NOTES` starts (past blanks) with one of `.…[<-` or ends with `:` or
 * `*`. Most lines are no note, and this says so without running four regular expressions over them.
 */
export function mayBeNote(text: string): boolean {
  let i = 0;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  const first = text[i];
  if (first === '.' || first === '…' || first === '[' || first === '<' || first === '-') return true;
  let j = text.length - 1;
  while (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9) j--;
  return text[j] === ':' || text[j] === '*';
}

/** The note a line is, when it is one. */
export function noteOf(text: string): NoteKind | undefined {
  if (!mayBeNote(text)) return undefined;
  for (const [re, kind] of NOTES) if (re.test(text)) return kind;
  return undefined;
}

const PRIORITIES = /^(?:Emergency|Alert|Critical|Error|Warning|Notice|Info|Inform|Informational|Debug)$/i;
const DATE_TIME = /^(\d{1,2}\/\d{1,2}\/\d{2,4}) (\d{1,2}:\d{2}:\d{2}(?:\.\d{1,6})?)$/;
/** How a row starts: an optional row number, then its date and time. */
const ROW_START = /^(?:\d{1,9}(?:\t| +))?\d{1,2}\/\d{1,2}\/\d{2,4} \d{1,2}:/;
/** Columns of an exported row: tabs, or runs of two or more spaces (single spaces sit inside fields: `VPN IKE`). */
const SEPARATOR = /\t| {2,}/g;

/** A row's frame: its fields, and where its message column starts and ends in the text. */
export interface RowFrame {
  readonly row: GatewayRow;
  readonly from: number;
  readonly to: number;
}

/**
 * Reads a SonicWALL log row around its message:
 * ```
 * [row TAB] MM/DD/YYYY HH:MM:SS.mmm TAB priority TAB category TAB message TAB source TAB destination TAB notes
 * ```
 * (tabs, or runs of spaces), or its syslog form `… id=firewall sn=… time="…" … msg="message" … src=… dst=…`.
 */
export function rowOf(text: string): RowFrame | undefined {
  if (text.includes('id=firewall')) return syslogRow(text);
  if (!ROW_START.test(text)) return undefined;
  const cols: { from: number; to: number }[] = [];
  let at = 0;
  SEPARATOR.lastIndex = 0;
  for (let m = SEPARATOR.exec(text); m !== null && cols.length < 9; m = SEPARATOR.exec(text)) {
    cols.push({ from: at, to: m.index });
    at = m.index + m[0].length;
  }
  cols.push({ from: at, to: text.length });
  const col = (k: number) => {
    const c = cols[k];
    return c === undefined ? undefined : text.slice(c.from, c.to);
  };
  let k = 0;
  const number = /^\d{1,9}$/.test(col(0) ?? '') ? Number(col(k++)) : undefined;
  const stamp = DATE_TIME.exec(col(k) ?? '');
  if (stamp === null || !PRIORITIES.test(col(k + 1) ?? '') || (col(k + 2) ?? '') === '') return collapsedRow(text);
  const message = cols[k + 3];
  if (message === undefined) return undefined;
  const tabs = text[cols[k]?.to ?? 0] === '\t';
  const row: GatewayRow = {
    layout: tabs ? 'tabs' : 'spaces',
    lead: text.slice(0, message.from),
    trail: text.slice(message.to),
    ...(number !== undefined ? { number } : {}),
    date: stamp[1] ?? '',
    time: stamp[2] ?? '',
    priority: col(k + 1) ?? '',
    category: col(k + 2) ?? '',
    ...optional('source', col(k + 4)),
    ...optional('destination', col(k + 5)),
    ...optional('notes', col(k + 6)),
  };
  return { row, from: message.from, to: message.to };
}

/**
 * A row whose column separators a paste collapsed into single spaces: only the category words SonicWALL's IKE rows use
 * tell where the message starts; source, destination and notes stay glued to it.
 */
const COLLAPSED =
  /^(?:(\d{1,9}) )?(\d{1,2}\/\d{1,2}\/\d{2,4}) (\d{1,2}:\d{2}:\d{2}(?:\.\d{1,6})?) (Emergency|Alert|Critical|Error|Warning|Notice|Info|Inform|Informational|Debug) (VPN IKE|VPN IPsec|VPN Client|VPN) (?=\S)/i;

function collapsedRow(text: string): RowFrame | undefined {
  const m = COLLAPSED.exec(text);
  if (m === null) return undefined;
  const from = m[0].length;
  const row: GatewayRow = {
    layout: 'collapsed',
    lead: m[0],
    trail: '',
    ...(m[1] !== undefined ? { number: Number(m[1]) } : {}),
    date: m[2] ?? '',
    time: m[3] ?? '',
    priority: m[4] ?? '',
    category: m[5] ?? '',
  };
  return { row, from, to: text.length };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  const v = value?.trim();
  return (v === undefined || v === '' ? {} : { [key]: v }) as { [P in K]?: string };
}

const PAIR = /([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g;

function syslogRow(text: string): RowFrame | undefined {
  const msg = /(?:^|[ \t])msg="([^"]*)"/.exec(text);
  if (msg === null) return undefined;
  const from = msg.index + msg[0].length - 1 - (msg[1] ?? '').length;
  const to = from + (msg[1] ?? '').length;
  const pairs: Record<string, string> = {};
  PAIR.lastIndex = 0;
  for (let m = PAIR.exec(text); m !== null; m = PAIR.exec(text)) {
    const key = m[1] ?? '';
    if (!(key in pairs)) pairs[key] = (m[2] ?? '').replace(/^"|"$/g, '');
  }
  const time = /^(\S+) (\S+)/.exec(pairs.time ?? '');
  const row: GatewayRow = {
    layout: 'syslog',
    lead: text.slice(0, from),
    trail: text.slice(to),
    ...(time ? { date: time[1] ?? '', time: time[2] ?? '' } : {}),
    ...optional('priority', pairs.pri),
    ...optional('category', pairs.c),
    ...optional('eventId', pairs.m),
    ...optional('source', pairs.src),
    ...optional('destination', pairs.dst),
    ...optional('notes', pairs.note),
  };
  return { row, from, to };
}

/** Cuts a line's frames (paste marks, a gateway row's columns) off its message; a line without frames comes back as is. */
export function unframe(line: Line): Line {
  const paste = pasteOf(line.text);
  const inner = line.text.slice(paste.lead.length, line.text.length - paste.trail.length);
  const frame = rowOf(inner);
  if (paste.lead === '' && paste.trail === '' && frame === undefined) return line;
  const text = frame === undefined ? inner : inner.slice(frame.from, frame.to);
  const lead = paste.lead + (frame?.row.lead ?? '');
  const trail = (frame?.row.trail ?? '') + paste.trail;
  return {
    text,
    eol: line.eol,
    start: line.start + lead.length,
    number: line.number,
    lead,
    trail,
    ...(paste.lead !== '' ? { quote: paste.lead } : {}),
    ...(paste.trail !== '' ? { quoteEnd: paste.trail } : {}),
    ...(frame !== undefined ? { row: frame.row } : {}),
  };
}
