/**
 * The IKE message grammar, read with a cursor so a failure names its column:
 *
 *   ike-message = arrow ws "ISAKMP" ws "OAK" ws exchange ws [gateway ws] ["*"] "(" list ")" [tail]
 *   exchange    = word | "EXCHANGE_" number       (number: 0–255, decimal, no leading zero; oaklog's words for numbers
 *                                                   no client named, as UNREADABLE is its mark for a partial message)
 *   arrow       = "SENDING" ws ">"+ | ("RECEIVED" | "RECEIVING") ws "<"+
 *   gateway     = "(InitCookie" ws "0x" hex "," ws "MsgID:" ws "0x" hex ")"
 *   list        = "Retransmission" | [item {"," ws item}]
 *   item        = "NOTIFY:" name | "VID(" vendor ")" | "UNREADABLE" | "PAYLOAD_" number | word
 *   tail        = ws ("to" | "from") ws address | {ws address "," ws port}
 */
import {
  Exchange,
  exchangeNumber,
  notifyNumber,
  payloadName,
  payloadNumber,
  payloadWord,
  UNREADABLE,
  UNREADABLE_ITEM,
} from './tables';
import type { Direction, Endpoint, GatewayHeader, PayloadItem } from './types';

/** A finding of the IKE reader, at an index of the message text. */
export interface IkeNote {
  readonly code: 'UNKNOWN_EXCHANGE' | 'UNKNOWN_PAYLOAD' | 'UNKNOWN_NOTIFY' | 'CLIPPED_LINE';
  readonly at: number;
  readonly length: number;
  readonly message: string;
}

/** What the IKE reader found: the fields of an `ike-message` event, so the reading becomes the event itself. */
export interface IkeFields {
  kind: 'ike-message';
  direction: Direction;
  arrow: string;
  exchange: string;
  encrypted: boolean;
  gateway?: GatewayHeader;
  items: PayloadItem[];
  retransmission: boolean;
  peer?: string;
  endpoints?: Endpoint[];
  clipped?: string;
}

/** Success, or the index where the text stopped being an IKE message (`eoi`: because the text ended there). */
export type IkeResult =
  | { readonly ok: true; readonly fields: IkeFields; readonly notes: IkeNote[]; readonly end: number }
  | { readonly ok: false; readonly at: number; readonly eoi: boolean; readonly message: string };

const ARROW = /(SENDING|RECEIVED|RECEIVING)[ \t]*(>+|<+)/iy;
const NOTIFY_NAME = /[A-Za-z0-9_-]+/y;
// Vendor names may hold one level of parentheses: `VID(Microsoft Windows 2000 (5.0))`.
const VENDOR = /(?:[^()\r\n]|\([^()\r\n]*\))*/y;
const GATEWAY = /\(InitCookie[ \t]*0x([0-9A-Fa-f]+)[ \t]*,[ \t]*MsgID:[ \t]*0x([0-9A-Fa-f]+)[ \t]*\)/y;
// Gateways print addresses, host names or redactions (`sonicwall.ip, 500`, `x.x.x.x, 500`).
const ENDPOINT = /([^\s,()]+)[ \t]*,[ \t]*(\d{1,5})(?![0-9A-Za-z])/y;
const PEER = /[^\s]+/y;

function sticky(re: RegExp, s: string, i: number): RegExpExecArray | null {
  re.lastIndex = i;
  return re.exec(s);
}

const isLetter = (c: number) => (c | 0x20) >= 97 && (c | 0x20) <= 122;

/**
 * The word (`[A-Za-z][A-Za-z0-9_-]*`) at `i`, or `undefined` when none starts there: scanned, since a match array per
 * word was a good part of the reader's time.
 */
export function wordAt(s: string, i: number): string | undefined {
  if (!isLetter(s.charCodeAt(i))) return undefined;
  let j = i + 1;
  for (;;) {
    const c = s.charCodeAt(j);
    if (isLetter(c) || (c >= 48 && c <= 57) || c === 95 || c === 45) j++;
    else return s.slice(i, j);
  }
}

/**
 * `s` in upper case. The words of a message (`SENDING`, `MM`, `SA`) almost always are already, and looking costs far
 * less than `toUpperCase`, which copies the string (the profile put a third of `readIke` in it).
 */
export function upperCase(s: string): string {
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if ((c >= 97 && c <= 122) || c >= 128) return s.toUpperCase();
  }
  return s;
}

/** Payload words with no ISAKMP payload number that clients print: Cisco's delete-with-reason. */
export const EXTRA_PAYLOADS: ReadonlySet<string> = new Set(['DWR']);

/** True when `s` starts at `i` with an arrow, i.e. the text means to be an IKE message. */
export function looksLikeIke(s: string, i = 0): boolean {
  return sticky(ARROW, s, i) !== null || /^(SENDING|RECEIV)/.test(s.slice(i, i + 9));
}

/**
 * Reads `s` (the message text, no line ending) as an IKE message. Never throws. With `rest`, text may follow the
 * message (a run-on line); `end` says where the message stopped.
 */
export function readIke(s: string, rest = false): IkeResult {
  const n = s.length;
  let i = 0;
  const notes: IkeNote[] = [];
  const ws = () => {
    for (let c = s.charCodeAt(i); c === 32 || c === 9; c = s.charCodeAt(++i));
  };
  const fail = (message: string): IkeResult =>
    i >= n
      ? { ok: false, at: i, eoi: true, message: `the line ends here: ${message}` }
      : { ok: false, at: i, eoi: false, message };
  const literal = (word: string): IkeResult | undefined => {
    for (let k = 0; k < word.length; k++, i++) {
      if (i >= n) return fail(`the line ends before "${word}"`);
      const c = s.charCodeAt(i);
      // `word` is upper-case ASCII; a lower-case letter matches its capital (non-ASCII: as `toUpperCase` says).
      if (
        c !== word.charCodeAt(k) &&
        !(c >= 97 && c <= 122 && c - 32 === word.charCodeAt(k)) &&
        (c < 128 || upperCase(s[i] ?? '') !== word[k])
      )
        return fail(`expected "${word}"`);
    }
    return undefined;
  };

  const arrow = sticky(ARROW, s, 0);
  if (arrow === null) {
    const head = /^(SENDING|RECEIVED|RECEIVING)[ \t]*/i.exec(s);
    if (head !== null) {
      i = head[0].length;
      return fail('expected an arrow (">>>" after SENDING, "<<<" after RECEIVED)');
    }
    return fail('expected SENDING or RECEIVED');
  }
  const direction: Direction = upperCase(arrow[1] ?? '') === 'SENDING' ? 'sent' : 'received';
  if ((direction === 'sent') !== (arrow[2]?.[0] === '>')) {
    i = arrow.index + (arrow[1]?.length ?? 0);
    while (s[i] === ' ' || s[i] === '\t') i++;
    return fail('the arrow points the wrong way for this direction');
  }
  i = arrow[0].length;
  ws();
  const l1 = literal('ISAKMP');
  if (l1) return l1;
  ws();
  const l2 = literal('OAK');
  if (l2) return l2;
  ws();
  const ex = wordAt(s, i);
  if (ex === undefined) return fail('expected an exchange (MM, AG, QM, INFO)');
  // Literal words compare without regard to case: a known exchange reads as its table name. `EXCHANGE_<n>` (a
  // number no client printed) reads as that number, as spelled.
  const exchangeUpper = upperCase(ex);
  const exchange = Object.hasOwn(Exchange, exchangeUpper) ? exchangeUpper : ex;
  if (exchangeNumber(exchange) === undefined)
    notes.push({ code: 'UNKNOWN_EXCHANGE', at: i, length: exchange.length, message: `exchange "${exchange}"` });
  i += ex.length;
  ws();
  let gateway: GatewayHeader | undefined;
  if (
    s.startsWith('(InitCookie', i) ||
    (s[i] === '(' && 'InitCookie'.startsWith(s.slice(i + 1, i + 11)) && i + 1 < n)
  ) {
    const g = sticky(GATEWAY, s, i);
    if (g === null) {
      const close = s.indexOf(')', i);
      if (close < 0) {
        i = n;
        return fail('the line ends inside the (InitCookie …, MsgID: …) group');
      }
      return fail('expected (InitCookie 0x<hex>, MsgID: 0x<hex>)');
    }
    gateway = { initCookie: g[1] ?? '', msgId: g[2] ?? '' };
    i += g[0].length;
    ws();
  }
  let encrypted = false;
  if (s[i] === '*') {
    encrypted = true;
    i++;
    ws();
  }
  if (i >= n) return fail('the line ends before the payload list');
  if (s[i] !== '(') return fail('expected "(" to open the payload list');
  const open = i;
  i++;
  const items: PayloadItem[] = [];
  let retransmission = false;
  let lastEnd = i; // index just past the last complete item (or the "(")
  ws();
  const ret = /Retransmission[ \t]*\)/iy;
  ret.lastIndex = i;
  if (ret.test(s)) {
    retransmission = true;
    i = ret.lastIndex;
  } else if (s[i] === ')') {
    i++;
  } else {
    for (;;) {
      ws();
      const itemStart = i;
      const word = wordAt(s, i);
      if (word === undefined) {
        if (i >= n) return clippedAt(lastEnd);
        return fail('expected a payload word');
      }
      i += word.length;
      let item: PayloadItem;
      let note: IkeNote | undefined;
      const upper = upperCase(word);
      if (upper === 'NOTIFY' && s[i] === ':') {
        i++;
        const name = sticky(NOTIFY_NAME, s, i);
        if (name === null) {
          if (i >= n) return clippedAt(lastEnd);
          return fail('expected a notify name after "NOTIFY:"');
        }
        i += name[0].length;
        item = { payload: 'NOTIFY', notify: name[0] };
        if (notifyNumber(name[0]) === undefined)
          note = { code: 'UNKNOWN_NOTIFY', at: itemStart + 7, length: name[0].length, message: `notify "${name[0]}"` };
      } else if (upper === 'VID' && s[i] === '(') {
        const vendor = sticky(VENDOR, s, i + 1);
        const vEnd = i + 1 + (vendor?.[0].length ?? 0);
        if (s[vEnd] !== ')') {
          i = vEnd;
          if (i >= n) return clippedAt(lastEnd);
          return fail('expected ")" after the vendor ID name');
        }
        item = { payload: 'VID', vendor: vendor?.[0] ?? '' };
        i = vEnd + 1;
      } else {
        const num = payloadNumber(word) ?? payloadNumber(upper);
        const canonical = num === undefined ? undefined : (payloadName(num) ?? payloadWord(num));
        if (word === UNREADABLE) {
          item = UNREADABLE_ITEM;
        } else if (canonical === undefined && EXTRA_PAYLOADS.has(upper)) {
          item = upper === word ? { payload: upper } : { payload: upper, spelling: word };
        } else if (canonical === undefined) {
          item = { payload: word };
          note = { code: 'UNKNOWN_PAYLOAD', at: itemStart, length: word.length, message: `payload "${word}"` };
        } else item = canonical === word ? { payload: canonical } : { payload: canonical, spelling: word };
      }
      // A word that runs into the end of the line may be cut short ("NO" for "NON"): it counts only when closed.
      const afterWord = i;
      ws();
      if (i >= n) return clippedAt(lastEnd);
      if (s[i] !== ',' && s[i] !== ')') return fail('expected "," or ")" in the payload list');
      items.push(item);
      if (note) notes.push(note);
      lastEnd = afterWord;
      if (s[i++] === ')') break;
    }
  }
  const fields: IkeFields = {
    kind: 'ike-message',
    direction,
    arrow: arrow[0],
    exchange,
    encrypted,
    items,
    retransmission,
  };
  if (gateway) fields.gateway = gateway;

  let end = i;
  ws();
  if (i < n) {
    const prep = /(to|from)[ \t]+/y;
    prep.lastIndex = i;
    const p = prep.exec(s);
    const endpoint = sticky(ENDPOINT, s, i);
    if (p !== null) {
      i += p[0].length;
      const peer = sticky(PEER, s, i);
      if (peer === null) return fail('expected the peer address');
      fields.peer = peer[0];
      i += peer[0].length;
      end = i;
    } else if (endpoint !== null) {
      const endpoints: Endpoint[] = [];
      for (;;) {
        const e = sticky(ENDPOINT, s, i);
        if (e === null) break;
        endpoints.push({ address: e[1] ?? '', port: Number(e[2]) });
        i += e[0].length;
        end = i;
        ws();
      }
      fields.endpoints = endpoints;
    } else if (!rest) return fail('unexpected text after the payload list');
    i = end;
    ws();
    if (i < n && !rest) return fail('unexpected text at the end of the IKE message');
  }
  return { ok: true, fields, notes, end };

  function clippedAt(end: number): IkeResult {
    const fieldsClipped: IkeFields = {
      kind: 'ike-message',
      direction,
      arrow: arrow?.[0] ?? '',
      exchange,
      encrypted,
      items,
      retransmission: false,
      clipped: s.slice(end),
    };
    if (gateway) fieldsClipped.gateway = gateway;
    notes.push({
      code: 'CLIPPED_LINE',
      at: n,
      length: 0,
      message: `the line ends inside the payload list opened at column ${open + 1}`,
    });
    return { ok: true, fields: fieldsClipped, notes, end: n };
  }
}
