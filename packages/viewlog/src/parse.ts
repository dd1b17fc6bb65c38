/**
 * The line grammar. Every line becomes at least one event; events partition the text, so printing each event's
 * `source.raw` gives the text back. See the README for the EBNF.
 */
import { type DiagnosticCode, makeDiagnostic } from './diagnostics';
import { canonicalLines, hexUpper, linesOf } from './format';
import { noteOf, pasteOf, rowOf } from './frames';
import { looksLikeIke, readIke } from './ike';
import { matchKnown } from './knowledge';
import { notifyNumber } from './tables';
import { f, matchTemplate, type Token } from './template';
import type {
  ClientId,
  ClientIdAddress,
  Diagnostic,
  Dialect,
  GatewayRow,
  LinePrefix,
  LogEvent,
  ParseOptions,
  ParseResult,
} from './types';

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

/** An event with the diagnostics found on its lines. */
export interface Entry {
  readonly event: LogEvent;
  readonly diagnostics: Diagnostic[];
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

/** Iterates the lines of a text with their endings and offsets. */
export function* lines(text: string): Generator<Line> {
  let start = 0;
  let number = 1;
  const n = text.length;
  while (start < n) {
    let i = start;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) break;
      i++;
    }
    let eol = '';
    if (i < n) eol = lineEnding(text, i);
    yield { text: text.slice(start, i), eol, start, number };
    start = i + eol.length;
    number++;
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Dialect detection

// A byte-order mark (Notepad's UTF-8) may open the first line: it is kept in `raw` and otherwise ignored.
const RECORD_HEAD =
  /^\uFEFF?[ \t]*(\d+)[ \t]+(\d{1,2}:\d{2}:\d{2}\.\d{1,3})[ \t]*(\d{1,2}\/\d{1,2}\/\d{2,4})[ \t]*Sev=([A-Za-z]+)\/(\d{1,3})[ \t]*([A-Za-z][A-Za-z0-9_]*)\/0x([0-9A-Fa-f]{1,8})/;
const BANNER =
  /^\uFEFF?[ \t]*(?:Cisco Systems VPN Client Version[ \t]+(\S.*?)[ \t]*$|Copyright \(C\)|Client Type\(s\):|Running on:|Config file directory:)/;

/** Picks the dialect of a log from its first lines (first 64 lines are enough; the rest is not read). */
export function detectDialect(text: string | Iterable<string>): Dialect {
  let count = 0;
  let gateway = false;
  const source = typeof text === 'string' ? lineTexts(text, 64) : text;
  let client = false;
  for (const raw of source) {
    const paste = pasteOf(raw);
    const line = raw.slice(paste.lead.length, raw.length - paste.trail.length);
    if (BANNER.test(line) || RECORD_HEAD.test(line)) return 'cisco-vpnclient';
    if (line.includes('(InitCookie') || rowOf(line) !== undefined) gateway = true;
    else {
      // Without a banner, the family of the messages the knowledge table knows says it.
      const family = matchKnown(line)?.entry.family;
      if (family === 'sonicwall') gateway = true;
      else if (family !== undefined) client = true;
    }
    if (++count >= 64) break;
  }
  return client && !gateway ? 'cisco-vpnclient' : gateway ? 'gateway' : 'safenet';
}

function* lineTexts(text: string, max: number): Generator<string> {
  let k = 0;
  for (const l of lines(text)) {
    yield l.text;
    if (++k >= max) return;
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Message templates

const HEX = /(?:0[xX])?0*[0-9A-Fa-f]{1,8}(?![0-9A-Fa-f])/;
const T_PHASE1: Token[] = ['Initiating IKE Phase 1 (IP ADDR=', f('peer', /[^)]*[^)\s][^)]*/), ')'];
const T_PHASE1_MODE: Token[] = [
  'Initiating IKE Phase 1 (IP ADDR=',
  f('peer', /[^)]*[^)\s][^)]*/),
  ') (',
  f('mode', /[^()]*[^()\s][^()]*/),
  ')',
];
const T_PHASE2: Token[] = ['Initiating IKE Phase 2 with Client IDs (message id: ', f('id', HEX), ')'];
const T_ESTABLISHED: Token[] = ['Established IKE SA'];
const T_LOADING: Token[] = [
  'Loading IPsec SA (Message ID = ',
  f('id', HEX),
  ') OUTBOUND SPI = ',
  f('out', HEX),
  ' INBOUND SPI = ',
  f('in', HEX),
  ')',
];
const T_LOADING_BALANCED: Token[] = [
  'Loading IPsec SA (Message ID = ',
  f('id', HEX),
  ' OUTBOUND SPI = ',
  f('out', HEX),
  ' INBOUND SPI = ',
  f('in', HEX),
  ')',
];
const T_RETRANSMIT: Token[] = ['message not received! Retransmitting!'];
const T_RETRANSMIT_LV: Token[] = ['Retransmitting last packet!'];
const T_LOADING_LV: Token[] = [
  'Loading IPsec SA (MsgID=',
  f('id', HEX),
  ' OUTBOUND SPI = 0x',
  f('out', HEX),
  ' INBOUND SPI = 0x',
  f('in', HEX),
  ')',
];
const T_EXCEEDED1: Token[] = ['Exceeded ', f('n', /\d{1,6}/), ' IKE SA negotiation attempts'];
const T_EXCEEDED2: Token[] = ['Exceeded retry attempts - deleting IPSec Security Association'];
const T_NOTIFY: Token[] = ['Received ', f('notify', /[A-Z][A-Z0-9_-]*(?=[ \t]|$)/), ' message'];
const T_NOTIFY_PERIOD: Token[] = ['Received ', f('notify', /[A-Z][A-Z0-9_-]*(?=[ \t]|$)/), ' message.'];
const T_PACKET: Token[] = ['Received ISAKMP packet: peer = ', f('peer', /\S+/)];
const T_COOKIE: Token[] = [
  f('who', /MY|HIS/),
  ' COOKIE ',
  f('hex', /[0-9A-Fa-f]{16}(?![0-9A-Za-z])|[0-9A-Fa-f]{1,2}(?:[ \t]+[0-9A-Fa-f]{1,2}(?![0-9A-Za-z]))*/),
];
const T_CLIENT_ID: Token[] = [
  f('who', /Initiator|Responder/),
  ' = IP ',
  f('type', /ADDR|SUBNET\/MASK|RANGE/),
  ' = ',
  f('value', /[^,\r\n]*[^,\s]/),
  ' , prot = ',
  f('prot', /\d{1,3}/),
  ' port = ',
  f('port', /\d{1,5}/),
];

const DELETING =
  /^(?:(?:Deleting|Deleted|Discarding|Marking|Removing)[ \t]+(IKE|ISAKMP|IPsec|IPSec|IPSEC)[ \t]+SA\b|(IKE|ISAKMP|IPsec|IPSec|IPSEC)[ \t]+SA\b.*\bdeleted\b)/;
const REASON = /reason[ \t]*=[ \t]*"?([A-Za-z0-9_]+)/;
const SA_UP_1 = /^(?:IKE SA\b.*\bestablished\b|Phase 1 SA established\b|Established Phase 1 SA\b)/i;
const SA_UP_2 =
  /^(?:IPsec SA\b.*\bestablished\b|Phase 2 SA established\b|Established Phase 2 SA\b|Established IPsec SA\b)/i;
/** Status lines, free text to the end of the line. */
const STATUS: readonly (readonly [RegExp, string])[] = [
  [/^Hash verification failed\b/i, 'hash-verification-failed'],
  [/^Key not found\b/i, 'key-not-found'],
  [/^Aggressive mode[ \t]*$/i, 'aggressive-mode'],
  [/^Main mode[ \t]*$/i, 'main-mode'],
];
/** Kinds read as free text to the end of the line: a connection split that reads a typed message wins over them. */
const FREE_TEXT = new Set<string>(['deleting-sa', 'sa-established', 'status', 'known-message']);

/** Templates tried only to find where an unreadable message stopped making sense. */
const PROBES: readonly Token[][] = [
  T_PHASE1,
  T_PHASE2,
  T_ESTABLISHED,
  T_LOADING,
  T_RETRANSMIT,
  T_EXCEEDED1,
  T_EXCEEDED2,
  T_NOTIFY,
  T_PACKET,
];

type Fields = { [key: string]: unknown; kind: LogEvent['kind'] };

interface MsgNote {
  readonly code: DiagnosticCode;
  readonly at: number;
  readonly length: number;
  readonly message: string;
}

type MsgResult =
  | { readonly ok: true; readonly fields: Fields; readonly notes: MsgNote[]; readonly end: number }
  | {
      readonly ok: false;
      readonly at: number;
      readonly eoi: boolean;
      readonly code: DiagnosticCode;
      readonly message: string;
    };

function hex(s: string | undefined): number {
  return Number.parseInt(s ?? '0', 16) >>> 0;
}

function cookieBytes(text: string): Uint8Array | undefined {
  const t = text.trim();
  // One 16-digit hex string (`1ff5e40d8430f95c`) is the same 8 bytes written without spaces.
  const parts = /^[0-9A-Fa-f]{16}$/.test(t) ? (t.match(/../g) ?? []) : t.split(/[ \t]+/);
  if (parts.length !== 8) return undefined;
  const bytes = new Uint8Array(8);
  for (let i = 0; i < 8; i++) bytes[i] = Number.parseInt(parts[i] ?? '0', 16);
  return bytes;
}

function clientId(type: string, value: string, prot: string, port: string): ClientId | undefined {
  let id: ClientIdAddress;
  const v = value.trim();
  if (type === 'ADDR') id = { type: 'address', address: v };
  else if (type === 'SUBNET/MASK') {
    const slash = v.indexOf('/');
    if (slash <= 0) return undefined;
    id = { type: 'subnet', address: v.slice(0, slash).trim(), mask: v.slice(slash + 1).trim() };
  } else {
    const dash = v.indexOf('-');
    if (dash <= 0) return undefined;
    id = { type: 'range', start: v.slice(0, dash).trim(), end: v.slice(dash + 1).trim() };
  }
  return { id, protocol: Number(prot), port: Number(port) };
}

/**
 * Reads `MY COOKIE …`/`HIS COOKIE …`/`Initiator = …`/`Responder = …` parts continuing a head, from `i` on. With `rest`,
 * reading stops before the first text that is not a part (a run-on line goes on with the next message).
 */
function readParts(
  s: string,
  i: number,
  kind: 'ike-sa-established' | 'phase2-start',
  into: Record<string, unknown>,
  rest = false,
): { ok: true; end: number } | { ok: false; at: number; eoi: boolean; code: DiagnosticCode; message: string } {
  const t = kind === 'ike-sa-established' ? T_COOKIE : T_CLIENT_ID;
  let end = i;
  for (;;) {
    while (s[i] === ' ' || s[i] === '\t') i++;
    if (i >= s.length) return { ok: true, end };
    const m = matchTemplate(t, s, i, true);
    if (!m.ok) {
      if (rest && !m.eoi) return { ok: true, end };
      return {
        ok: false,
        at: m.at,
        eoi: m.eoi,
        code: m.eoi ? 'CLIPPED_LINE' : 'UNKNOWN_LINE',
        message:
          kind === 'ike-sa-established' ? 'expected MY COOKIE or HIS COOKIE' : 'expected Initiator = or Responder =',
      };
    }
    if (kind === 'ike-sa-established') {
      const bytes = cookieBytes(m.caps.hex ?? '');
      if (!bytes) return { ok: false, at: i, eoi: false, code: 'BAD_VALUE', message: 'a cookie has 8 bytes' };
      into[m.caps.who === 'MY' ? 'myCookie' : 'hisCookie'] = bytes;
    } else {
      const c = clientId(m.caps.type ?? '', m.caps.value ?? '', m.caps.prot ?? '', m.caps.port ?? '');
      if (!c || c.protocol > 255 || c.port > 65535)
        return { ok: false, at: i, eoi: false, code: 'BAD_VALUE', message: 'unreadable client ID' };
      into[m.caps.who === 'Initiator' ? 'initiator' : 'responder'] = c;
    }
    i = m.end;
    end = i;
  }
}

type Caps = Record<string, string>;

const FIRST_LETTERS = new Set([...'adehiklmprs'].map((c) => c.charCodeAt(0)));

/** Fixed-phrase messages: template, then the fields it gives (`text` is the matched text). */
const SIMPLE: readonly (readonly [Token[], (c: Caps, text: string) => Fields])[] = [
  // Longer forms first: with `rest` (run-on lines) the shorter one would stop early.
  [T_PHASE1_MODE, (c) => ({ kind: 'phase1-start', peer: (c.peer ?? '').trim(), mode: (c.mode ?? '').trim() })],
  [T_PHASE1, (c) => ({ kind: 'phase1-start', peer: (c.peer ?? '').trim() })],
  [
    T_LOADING,
    (c) => ({ kind: 'loading-ipsec-sa', messageId: hex(c.id), outboundSpi: hex(c.out), inboundSpi: hex(c.in) }),
  ],
  [
    T_LOADING_BALANCED,
    (c) => ({
      kind: 'loading-ipsec-sa',
      style: 'balanced',
      messageId: hex(c.id),
      outboundSpi: hex(c.out),
      inboundSpi: hex(c.in),
    }),
  ],
  [T_RETRANSMIT, () => ({ kind: 'retransmit' })],
  [T_RETRANSMIT_LV, (_c, text) => ({ kind: 'retransmit', text })],
  [
    T_LOADING_LV,
    (c) => ({
      kind: 'loading-ipsec-sa',
      style: 'vpnclient',
      messageId: hex(c.id),
      outboundSpi: hex(c.out),
      inboundSpi: hex(c.in),
    }),
  ],
  [T_EXCEEDED1, (c) => ({ kind: 'exceeded-attempts', phase: 1, attempts: Number(c.n) })],
  [T_EXCEEDED2, () => ({ kind: 'exceeded-attempts', phase: 2 })],
  [T_PACKET, (c) => ({ kind: 'packet-received', peer: c.peer ?? '' })],
  [T_NOTIFY_PERIOD, (c) => ({ kind: 'received-notify', notify: c.notify ?? '', period: true })],
  [T_NOTIFY, (c) => ({ kind: 'received-notify', notify: c.notify ?? '' })],
];

/**
 * Reads a message (the text after time and connection; no line ending). `detail`: on failure, find where the text
 * stopped making sense. `rest`: the message may be followed by more text (a run-on line); `end` says where it stopped.
 */
function readMessage(s: string, detail = true, rest = false): MsgResult {
  // Every message starts with one of these letters (any case): anything else fails at once.
  if (!detail && !FIRST_LETTERS.has(s.charCodeAt(0) | 0x20)) return known(s) ?? NO_MATCH;
  const t = s.trimEnd();
  const c0 = t[0];
  if ((c0 === 'S' || c0 === 'R' || c0 === 's' || c0 === 'r') && looksLikeIke(t)) {
    const r = readIke(s, rest);
    if (r.ok) return { ok: true, fields: { kind: 'ike-message', ...r.fields }, notes: r.notes, end: r.end };
    return { ok: false, at: r.at, eoi: r.eoi, code: r.eoi ? 'CLIPPED_LINE' : 'BAD_IKE_MESSAGE', message: r.message };
  }
  for (const [kind, head] of [
    ['ike-sa-established', T_ESTABLISHED],
    ['phase2-start', T_PHASE2],
  ] as const) {
    const m = matchTemplate(head, t, 0, true);
    if (!m.ok) continue;
    const fields: Fields = kind === 'ike-sa-established' ? { kind } : { kind, messageId: hex(m.caps.id) };
    const parts = readParts(t, m.end, kind, fields, rest);
    if (!parts.ok) return parts;
    if (kind === 'ike-sa-established' ? fields.myCookie || fields.hisCookie : fields.initiator || fields.responder)
      fields.layout = 'inline';
    return { ok: true, fields, notes: [], end: Math.max(parts.end, m.end) };
  }
  for (const [tokens, build] of SIMPLE) {
    const m = matchTemplate(tokens, t, 0, rest);
    if (!m.ok) continue;
    const fields = build(m.caps, t.slice(0, m.end).trim());
    const notes: MsgNote[] = [];
    if (fields.kind === 'received-notify' && notifyNumber(String(fields.notify)) === undefined)
      notes.push({
        code: 'UNKNOWN_NOTIFY',
        at: 9,
        length: String(fields.notify).length,
        message: `notify "${fields.notify}"`,
      });
    return { ok: true, fields, notes, end: m.end };
  }
  // Free-text messages run to the end of the line.
  const del = DELETING.exec(t);
  if (del) {
    const fields: Fields = {
      kind: 'deleting-sa',
      sa: /^(IKE|ISAKMP)$/.test(del[1] ?? del[2] ?? '') ? 'IKE' : 'IPsec',
      text: t,
    };
    const reason = REASON.exec(t);
    if (reason?.[1] !== undefined) fields.reason = reason[1];
    return { ok: true, fields, notes: [], end: t.length };
  }
  if (SA_UP_1.test(t))
    return { ok: true, fields: { kind: 'sa-established', phase: 1, text: t }, notes: [], end: t.length };
  if (SA_UP_2.test(t))
    return { ok: true, fields: { kind: 'sa-established', phase: 2, text: t }, notes: [], end: t.length };
  for (const [re, status] of STATUS)
    if (re.test(t)) return { ok: true, fields: { kind: 'status', status, text: t }, notes: [], end: t.length };
  return known(t) ?? (detail ? probe(t) : NO_MATCH);
}

/** A message the knowledge table knows by its wording; it runs to the end of the line. */
function known(t: string): MsgResult | undefined {
  const k = matchKnown(t);
  if (k === undefined) return undefined;
  const text = t.trim();
  return {
    ok: true,
    fields: { kind: 'known-message', message: k.entry.id, text, values: k.values },
    notes: [],
    end: t.trimEnd().length,
  };
}

const NO_MATCH: MsgResult = { ok: false, at: 0, eoi: false, code: 'UNKNOWN_LINE', message: 'no rule reads this line' };

/** Where did the text stop fitting any template? */
function probe(t: string): MsgResult {
  let best = { at: 0, eoi: false };
  for (const tokens of PROBES) {
    const r = matchTemplate(tokens, t);
    // Progress counts once the template's first word matched whole ("I" of "IKE" is no evidence of "Initiating").
    const firstWord = typeof tokens[0] === 'string' ? (tokens[0].split(' ')[0] ?? '').length : 1;
    const meaningful = r.ok || r.at >= firstWord || (r.eoi && r.at >= Math.min(firstWord, 4));
    if (!r.ok && meaningful && r.at > best.at) best = { at: r.at, eoi: r.eoi };
  }
  if (best.at === 0) return { ok: false, at: 0, eoi: false, code: 'UNKNOWN_LINE', message: 'no rule reads this line' };
  return best.eoi
    ? { ok: false, at: best.at, eoi: true, code: 'CLIPPED_LINE', message: 'the line ends in the middle of a message' }
    : { ok: false, at: best.at, eoi: false, code: 'UNKNOWN_LINE', message: 'the message stops making sense here' };
}

// ---------------------------------------------------------------------------------------------------------------------
// Lines

/**
 * The line stamp: `[` date time `]`, each part optional but the time. Dates: `12/03/2003`, `2003-12-03`, or the
 * NetScreen-Remote/SoftRemote month-day `4-16:`; times: `01:38:02.570`, `01:38:02,570`, `1:38:02 PM`.
 */
const STAMP =
  /[ \t]*(\[[ \t]*)?(?:(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\/\d{1,2}\/\d{2,4}|\d{1,2}-\d{1,2}:)[ \t]*)?(\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,6})?(?:[ \t]*[AaPp][Mm](?=[ \t\]]|$))?)(?![\d.:,])([ \t]*\])?[ \t]*/y;
const STAMP_24 = new RegExp(STAMP.source.replace('(?:[ \\t]*[AaPp][Mm](?=[ \\t\\]]|$))?', ''), 'y');
/** What a connection name never starts with: a date or a time the stamp did not read. */
const STAMP_LIKE = /^\[?[ \t]*(?:\d{1,4}[/-]\d{1,2}[/-]\d{1,4}|\d{1,2}-\d{1,2}:|\d{1,2}:\d{2})/;
const CONTINUATION = /^[ \t]*(?:MY[ \t]*COOKIE|HIS[ \t]*COOKIE|Initiator[ \t]*=|Responder[ \t]*=)/;

interface LineRead {
  readonly fields: Fields;
  readonly notes: MsgNote[];
  /** Where the message ended in the text given (before trailing whitespace). */
  readonly end: number;
}

type LineFail = { at: number; eoi: boolean; code: DiagnosticCode; message: string };

/**
 * Reads `[time] [connection " - "] message` from `from` on, trying the connection split at each dash. With `rest`,
 * more text may follow the message; the reading says where the message ended.
 */
function readPrefixed(text: string, from = 0, rest = false, detail = true): LineRead | LineFail {
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
  const am = tm !== null && /[AaPp][Mm]$/.test(tm[3] ?? '');
  if (tm) {
    if (tm[2] !== undefined) prefix.date = tm[2];
    prefix.time = tm[3] ?? '';
    if (tm[1] !== undefined) prefix.bracketed = true;
    i = stamp.lastIndex;
    // A line cut right after its time.
    if (i >= text.length)
      return { at: text.trimEnd().length, eoi: true, code: 'CLIPPED_LINE', message: 'the line ends after its time' };
  } else while (text[i] === ' ' || text[i] === '\t') i++;
  // First pass: find the reading; only a line nothing reads pays for the second pass that finds where it broke.
  const first = readMessage(text.slice(i), false, rest);
  if (first.ok && !FREE_TEXT.has(first.fields.kind)) return withPrefix(first, prefix, undefined, i);
  for (let k = text.indexOf('-', i), tries = 0; k >= 0 && tries < MAX_DASHES; k = text.indexOf('-', k + 1), tries++) {
    const connection = text.slice(i, k).trim();
    if (connection === '' || STAMP_LIKE.test(connection)) continue;
    let m = k + 1;
    while (text[m] === ' ' || text[m] === '\t') m++;
    if (m >= text.length) continue;
    const r = readMessage(text.slice(m), false, rest);
    // A free-text message (`Deleting IPsec SA test - SENDING>>>> …`) yields to a split that reads a typed one.
    if (r.ok && (!first.ok || !FREE_TEXT.has(r.fields.kind))) return withPrefix(r, prefix, connection, m);
  }
  if (first.ok) return withPrefix(first, prefix, undefined, i);
  if (am) return { ...(NO_MATCH as LineFail), am };
  return detail ? whereItBroke(text, i) : (NO_MATCH as LineFail);
}

/** Connection names hold a few dashes at most; trying every dash of a long line would cost quadratic time. */
const MAX_DASHES = 32;

const RUN_ON_HINT = /[ \t]-[ \t]|[<>()]/;

/** One message of a run-on line: `[from, to)` of the line text. */
interface Segment {
  readonly read: LineRead;
  readonly from: number;
  readonly to: number;
}

/**
 * A line that holds several messages because its line breaks were collapsed into spaces (a flattened paste). Read
 * only when every piece reads; otherwise the line stays one unknown event.
 */
function readRunOn(text: string): Segment[] | undefined {
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
  return { fields, notes, end: base + r.end };
}

/** First index where `src` and `canonical` differ beyond whitespace amount and letter case, or -1. */
export function divergence(src: string, canonical: string): { at: number; spacing: boolean } | undefined {
  const a = src.trimEnd();
  const b = canonical.trimEnd();
  let i = 0;
  let j = 0;
  const ws = (c: string | undefined) => c === ' ' || c === '\t';
  if (a[0] === '\uFEFF') i++;
  while (ws(a[i])) i++;
  while (ws(b[j])) j++;
  for (;;) {
    if (i >= a.length && j >= b.length) return undefined;
    const x = a[i];
    const y = b[j];
    if (ws(x) && ws(y)) {
      while (ws(a[i])) i++;
      while (ws(b[j])) j++;
      continue;
    }
    if (x !== undefined && y !== undefined && (x === y || x.toLowerCase() === y.toLowerCase())) {
      i++;
      j++;
      if (x === '=') {
        while (ws(a[i])) i++;
        while (ws(b[j])) j++;
      }
      continue;
    }
    return { at: i, spacing: ws(x) || ws(y) };
  }
}

interface Pending {
  event: Fields;
  lines: Line[];
  diagnostics: Diagnostic[];
  /** A blank line read while waiting: it joins the event only when a continuation line follows it. */
  blank?: Line;
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

function finish(fields: Fields, used: readonly Line[], diagnostics: Diagnostic[], part?: Part, wrapped = false): Entry {
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
  // `fields` is fresh for every line read, so it becomes the event itself.
  fields.eol = eol;
  fields.source = { line: first.number, endLine: last.number, start, end: start + raw.length, raw };
  const event = fields as unknown as LogEvent;
  if (!UNCHECKED.has(event.kind) && fields.clipped === undefined && !wrapped) {
    // Fields must print back as the source did, up to whitespace amount and letter case: say where they do not.
    const canon = canonicalLines(event);
    // Message ids print padded to 8 digits (`61965C8D`); logs that wrote them unpadded are the client's layout too.
    const unpadded =
      event.kind === 'phase2-start' || event.kind === 'loading-ipsec-sa' ? linesOf(event, hexUpper) : undefined;
    let c = 0; // blank lines inside an event have no canonical line
    for (let k = 0; k < used.length; k++) {
      const l = used[k] as Line;
      if (k > 0 && l.text.trim() === '') continue;
      const from = k === 0 && part ? part.from : 0;
      const to = k === 0 && part ? part.to : l.text.length;
      const src = from === 0 && to === l.text.length ? l.text : l.text.slice(from, to);
      const alt = unpadded?.[c];
      const want = canon[c++] ?? '';
      if (src === want || src === alt) continue;
      if (alt !== undefined && divergence(src, alt) === undefined) continue;
      const d = divergence(src, alt !== undefined && alt.length === src.length ? alt : want);
      if (d === undefined) continue;
      diagnostics.push(
        d.spacing
          ? makeDiagnostic(
              'SPACING',
              'whitespace differs from the client’s own layout here',
              l.number,
              l.start,
              from + d.at,
            )
          : makeDiagnostic(
              'NOT_CANONICAL',
              `written differently from the client’s own layout (${JSON.stringify(want)})`,
              l.number,
              l.start,
              from + d.at,
            ),
      );
    }
  }
  // The frames: typed on the event, and counted in the columns of its diagnostics.
  if (opens && first.quote !== undefined) fields.quote = first.quote;
  if (opens && first.row !== undefined) fields.row = first.row;
  if (closes && last.quoteEnd !== undefined) fields.quoteEnd = last.quoteEnd;
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
    return [finish(p.event, p.lines, p.diagnostics)];
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
      const fields: Fields = { kind: 'banner', text };
      if (banner[1] !== undefined) fields.version = banner[1];
      return [finish(fields, [line], [])];
    }
    const head = RECORD_HEAD.exec(text);
    if (head) {
      // A record head opens a record whatever the dialect: its body lines are the record's message text.
      inRecord = true;
      const fields: Fields = {
        kind: 'record',
        sequence: Number(head[1]),
        time: head[2],
        date: head[3],
        severity: head[4],
        level: Number(head[5]),
        eventClass: head[6],
        eventId: head[7],
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
    const kind = r.fields.kind;
    if ((kind === 'ike-sa-established' || kind === 'phase2-start') && from === 0) {
      const e = r.fields;
      const complete = kind === 'ike-sa-established' ? e.myCookie && e.hisCookie : e.initiator && e.responder;
      // Wait for the indented continuation lines (only when none continued the head line).
      if (!complete && e.layout === undefined) {
        pending = { event: r.fields, lines: [line], diagnostics };
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
    const part = from > 0 ? { from, to: line.text.length, eol: line.eol } : undefined;
    return [finish(r.fields, [line], diagnostics, part)];
  }

  /**
   * Takes a continuation line into the pending event: `true` when it joined, an entry when it is a continuation line
   * that does not read (it stays its own `unknown` event, so printing the events without their source keeps it),
   * `false` when it is no continuation of this event.
   */
  function continuePending(p: Pending, line: Line): boolean | Entry {
    const kind = p.event.kind as 'ike-sa-established' | 'phase2-start';
    const want = kind === 'ike-sa-established' ? /^[ \t]*(MY|HIS)[ \t]*COOKIE/ : /^[ \t]*(Initiator|Responder)[ \t]*=/;
    const w = want.exec(line.text);
    if (!w) return false;
    const key = ({ MY: 'myCookie', HIS: 'hisCookie', Initiator: 'initiator', Responder: 'responder' } as const)[
      w[1] as 'MY' | 'HIS' | 'Initiator' | 'Responder'
    ];
    if (p.event[key] !== undefined) return false;
    const into: Record<string, unknown> = {};
    const r = readParts(line.text, 0, kind, into);
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
  function join(a: Line, b: Line, held: LogEvent): Entry | undefined {
    if (b.text.trim() === '' || 'fields' in readPrefixed(b.text, 0, false, false)) return undefined;
    for (const sep of ['', ' ']) {
      const r = readPrefixed(a.text + sep + b.text, 0, false, false);
      if (!('fields' in r) || r.fields.clipped !== undefined) continue;
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
      return finish(r.fields, [a, b], diagnostics, undefined, true);
    }
    return undefined;
  }

  function pushLine(line: Line): Entry[] {
    if (pending) {
      // One blank line may sit between `Established IKE SA` and its cookies.
      if (pending.blank === undefined && pending.lines.length === 1 && line.text.trim() === '') {
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
