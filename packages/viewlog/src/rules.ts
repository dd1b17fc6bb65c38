/**
 * The message rules: templates and free-text patterns that read one message (the text after the line's time and
 * connection) into an event's fields, then the knowledge table; and, for a message nothing reads, where it stopped
 * making sense.
 */
import type { DiagnosticCode } from './diagnostics';
import { looksLikeIke, readIke } from './ike';
import { matchKnown } from './knowledge';
import { notifyNumber } from './tables';
import { f, matchTemplate, type Token } from './template';
import type { ClientId, ClientIdAddress, EventBase, LogEvent, LogEventKind, StatusEvent } from './types';

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
const STATUS: readonly (readonly [RegExp, StatusEvent['status']])[] = [
  [/^Hash verification failed\b/i, 'hash-verification-failed'],
  [/^Key not found\b/i, 'key-not-found'],
  [/^Aggressive mode[ \t]*$/i, 'aggressive-mode'],
  [/^Main mode[ \t]*$/i, 'main-mode'],
];
/** Kinds read as free text to the end of the line: a connection split that reads a typed message wins over them. */
export const FREE_TEXT = new Set<string>(['deleting-sa', 'sa-established', 'status', 'known-message']);

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

/** What `finish` adds to the fields a rule read: where the event came from, and the frames around its lines. */
type FramingKey = keyof EventBase;

type Writable<T> = { -readonly [P in keyof T]: T[P] };

/** One event type as a rule builds it: its own fields, writable, without the framing `finish` adds. */
type DraftOf<E> = E extends LogEvent ? Writable<Omit<E, FramingKey>> : never;

/**
 * The fields a rule reads for an event of kind `K` (any kind by default); `finish` adds the framing, and the object
 * becomes the event itself.
 */
export type Draft<K extends LogEventKind = LogEventKind> = DraftOf<Extract<LogEvent, { readonly kind: K }>>;

/** The kinds a message rule reads: each has the line prefix (`withPrefix` adds time and connection). */
export type MessageKind =
  | 'ike-message'
  | 'phase1-start'
  | 'ike-sa-established'
  | 'phase2-start'
  | 'loading-ipsec-sa'
  | 'retransmit'
  | 'exceeded-attempts'
  | 'received-notify'
  | 'deleting-sa'
  | 'status'
  | 'packet-received'
  | 'sa-established'
  | 'known-message';

/** The fields read from a message; `finish` turns them into the event. */
export type MessageDraft = Draft<MessageKind>;

/** What continuation parts fill: the cookies of `Established IKE SA`, the client IDs of a phase-2 head. */
export type Parts =
  | Pick<Draft<'ike-sa-established'>, 'kind' | 'myCookie' | 'hisCookie'>
  | Pick<Draft<'phase2-start'>, 'kind' | 'initiator' | 'responder'>;

/** A diagnostic found while reading a message, at an index of the message. */
export interface MsgNote {
  readonly code: DiagnosticCode;
  readonly at: number;
  readonly length: number;
  readonly message: string;
}

/** What reading a message gives: its fields, or where it broke. */
export type MsgResult =
  | { readonly ok: true; readonly fields: MessageDraft; readonly notes: MsgNote[]; readonly end: number }
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
 * Reads `MY COOKIE …`/`HIS COOKIE …`/`Initiator = …`/`Responder = …` parts continuing a head, from `i` on, into the
 * fields of `into` (whose `kind` says which parts it takes). With `rest`, reading stops before the first text that is
 * not a part (a run-on line goes on with the next message).
 */
export function readParts(
  s: string,
  i: number,
  into: Parts,
  rest = false,
): { ok: true; end: number } | { ok: false; at: number; eoi: boolean; code: DiagnosticCode; message: string } {
  const kind = into.kind;
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
    if (into.kind === 'ike-sa-established') {
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
const SIMPLE: readonly (readonly [Token[], (c: Caps, text: string) => MessageDraft])[] = [
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

/** Messages whose head may be followed by parts (cookies, client IDs) on the same or the next lines. */
const HEADS_WITH_PARTS = [
  ['ike-sa-established', T_ESTABLISHED],
  ['phase2-start', T_PHASE2],
] as const;

/**
 * The dispatch key of a message: its first character in lower case when it is ASCII (a literal compares without regard
 * to case, and no ASCII letter has another ASCII letter as its case pair), else `undefined` (every rule is tried).
 */
function firstKey(s: string): number | undefined {
  const c = s.charCodeAt(0);
  return c < 0x80 ? c | 0x20 : undefined;
}

/**
 * Each rule of `rules` under the key of its template's first literal character, in table order: a message is tried
 * only against the rules its first character can start (the dispatch a hand-written parser would compile).
 */
function byFirstKey<R>(
  rules: readonly R[],
  tokensOf: (rule: R) => readonly Token[],
): ReadonlyMap<number, readonly R[]> {
  const map = new Map<number, R[]>();
  for (const rule of rules) {
    const first = tokensOf(rule)[0];
    // Every template of these tables starts with a literal letter; the others could not be dispatched this way.
    if (typeof first !== 'string' || !/^[A-Za-z]/.test(first)) throw new Error(`no dispatch for template ${first}`);
    const key = firstKey(first) as number;
    map.set(key, [...(map.get(key) ?? []), rule]);
  }
  return map;
}

const SIMPLE_BY_KEY = byFirstKey(SIMPLE, ([tokens]) => tokens);
const HEADS_BY_KEY = byFirstKey(HEADS_WITH_PARTS, ([, head]) => head);
const NO_RULES: readonly never[] = [];

/** The rules of a table a message may match: those under its first character, or all of them when it is not ASCII. */
function candidates<R>(all: readonly R[], byKey: ReadonlyMap<number, readonly R[]>, s: string): readonly R[] {
  const key = firstKey(s);
  return key === undefined ? all : (byKey.get(key) ?? NO_RULES);
}

/**
 * Reads a message (the text after time and connection; no line ending). `detail`: on failure, find where the text
 * stopped making sense. `rest`: the message may be followed by more text (a run-on line); `end` says where it stopped.
 */
export function readMessage(s: string, detail = true, rest = false, withKnown = true): MsgResult {
  // Every message starts with one of these letters (any case): anything else fails at once.
  if (!detail && !FIRST_LETTERS.has(s.charCodeAt(0) | 0x20)) return (withKnown ? known(s) : undefined) ?? NO_MATCH;
  const t = s.trimEnd();
  const c0 = t[0];
  if ((c0 === 'S' || c0 === 'R' || c0 === 's' || c0 === 'r') && looksLikeIke(t)) {
    const r = readIke(s, rest);
    if (r.ok) return { ok: true, fields: r.fields, notes: r.notes, end: r.end };
    return { ok: false, at: r.at, eoi: r.eoi, code: r.eoi ? 'CLIPPED_LINE' : 'BAD_IKE_MESSAGE', message: r.message };
  }
  for (const [kind, head] of candidates(HEADS_WITH_PARTS, HEADS_BY_KEY, t)) {
    const m = matchTemplate(head, t, 0, true);
    if (!m.ok) continue;
    const fields: Draft<'ike-sa-established' | 'phase2-start'> =
      kind === 'ike-sa-established' ? { kind } : { kind, messageId: hex(m.caps.id) };
    const parts = readParts(t, m.end, fields, rest);
    if (!parts.ok) return parts;
    if (
      fields.kind === 'ike-sa-established' ? fields.myCookie || fields.hisCookie : fields.initiator || fields.responder
    )
      fields.layout = 'inline';
    return { ok: true, fields, notes: [], end: Math.max(parts.end, m.end) };
  }
  for (const [tokens, build] of candidates(SIMPLE, SIMPLE_BY_KEY, t)) {
    const m = matchTemplate(tokens, t, 0, rest);
    if (!m.ok) continue;
    const fields = build(m.caps, t.slice(0, m.end).trim());
    const notes: MsgNote[] = [];
    if (fields.kind === 'received-notify' && notifyNumber(fields.notify) === undefined)
      notes.push({
        code: 'UNKNOWN_NOTIFY',
        at: 9,
        length: fields.notify.length,
        message: `notify "${fields.notify}"`,
      });
    return { ok: true, fields, notes, end: m.end };
  }
  // Free-text messages run to the end of the line.
  const del = DELETING.exec(t);
  if (del) {
    const fields: Draft<'deleting-sa'> = {
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
  return (withKnown ? known(t) : undefined) ?? (detail ? probe(t) : NO_MATCH);
}

/** A message the knowledge table knows by its wording; it runs to the end of the line. */
export function known(t: string): MsgResult | undefined {
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

/** No rule reads the message. */
export const NO_MATCH: MsgResult = {
  ok: false,
  at: 0,
  eoi: false,
  code: 'UNKNOWN_LINE',
  message: 'no rule reads this line',
};

/**
 * Each probe with the length of its first word: progress counts once that word matched whole ("I" of "IKE" is no
 * evidence of "Initiating").
 */
const PROBE_WORDS: readonly (readonly [Token[], number])[] = PROBES.map((tokens) => [
  tokens,
  typeof tokens[0] === 'string' ? (tokens[0].split(' ')[0] ?? '').length : 1,
]);

/** Where did the text stop fitting any template? */
function probe(t: string): MsgResult {
  let best = { at: 0, eoi: false };
  for (const [tokens, firstWord] of PROBE_WORDS) {
    const r = matchTemplate(tokens, t);
    const meaningful = r.ok || r.at >= firstWord || (r.eoi && r.at >= Math.min(firstWord, 4));
    if (!r.ok && meaningful && r.at > best.at) best = { at: r.at, eoi: r.eoi };
  }
  if (best.at === 0) return { ok: false, at: 0, eoi: false, code: 'UNKNOWN_LINE', message: 'no rule reads this line' };
  return best.eoi
    ? { ok: false, at: best.at, eoi: true, code: 'CLIPPED_LINE', message: 'the line ends in the middle of a message' }
    : { ok: false, at: best.at, eoi: false, code: 'UNKNOWN_LINE', message: 'the message stops making sense here' };
}
