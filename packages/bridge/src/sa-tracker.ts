/**
 * Follows a whole capture the way the client followed its own negotiations, and writes the lines it wrote around the
 * IKE messages:
 *
 *   Initiating IKE Phase 1 (IP ADDR=<peer>)                 before our first message of a phase-1 exchange
 *   message not received! Retransmitting!                   before a datagram we send again (same bytes)
 *   Established IKE SA / MY COOKIE … / HIS COOKIE …         after the last message of main (6) or aggressive (3) mode
 *   Initiating IKE Phase 2 with Client IDs (message id: …)  before our first quick-mode message, when its IDs are known
 *   Loading IPsec SA (Message ID = …) OUTBOUND SPI = …)     after quick mode completes, when both SPIs are known
 *   Received <NOTIFY> message                               after each error notify of an informational message we receive
 *   Deleting IKE SA … / Deleting IPsec SA …                 after each delete payload
 *   Exceeded … attempts                                     at the end, for what we retransmitted and never finished
 *
 * Quick-mode IDs, SPIs, notifies and deletes of encrypted messages are known only from the decrypted chains the caller
 * passes; without them those lines are left out rather than guessed.
 *
 * IKE fragments (payload 132) are reassembled first, as the client did below its log: the fragments of a message print
 * nothing, and the one that completes it prints the whole message's line (`MM *(ID, CERT, SIG)` once decrypted).
 */

import { type CaptureTime, copyBytes, toHex as hex } from '@oaklog/common';
import {
  ExchangeType,
  HeaderFlag,
  isPayload,
  type Message,
  NotifyType,
  type Payload,
  PayloadType,
  ProtocolId,
  protocolIdName,
  type SaPayload,
} from '@oaklog/isakmp';
import {
  type ClientId,
  canonicalLines,
  type Direction,
  formatCookie,
  isErrorNotify,
  type LogEvent,
  notifyName,
} from '@oaklog/viewlog';
import { createMessageReader, type ReadResult } from './messages';
import { linePrefix, messageEvent, type UtcOffset } from './render';

/** An ISAKMP datagram as the session needs it; `@oaklog/pcap`'s `IkeDatagram` items fit. */
export interface SessionDatagram {
  /** The ISAKMP message (after any non-ESP marker). */
  readonly bytes: Uint8Array;
  /** Source address. */
  readonly src: string;
  /** Destination address. */
  readonly dst: string;
  /** When it was seen. */
  readonly time?: CaptureTime | undefined;
  /** Capture frame number (`@oaklog/pcap`'s `frame`), to name it in problems. */
  readonly frame?: number | undefined;
  /** UDP ports, when known: carried into the problems that name the datagram later (see {@link SessionProblem.datagram}). */
  readonly srcPort?: number | undefined;
  readonly dstPort?: number | undefined;
}

/** How a session prints. */
export interface SessionOptions {
  /** The local side's address ("us"). Default: the sender of the first datagram (the initiator of the first exchange). */
  readonly local?: string;
  /**
   * Connection name of every line. Default: the peer's address (an IPv6 address starting like a time, `12:34::5`, with
   * its first group padded, `0012:34::5`: viewlog reads no name that starts like a time stamp).
   */
  readonly connection?: string;
  /** Minutes east of UTC for printed times, fixed or per instant (a time zone's); default 0. */
  readonly utcOffsetMinutes?: UtcOffset;
  /** Print `HH:MM:SS.mmm` times (when datagrams carry them); default true. */
  readonly timestamps?: boolean;
  /**
   * Seconds of capture time without a datagram after which a conversation (an IKE SA and its quick modes, by initiator
   * cookie) is over and its state released; default 3600. One whose IKE SA was deleted is released 60 seconds (at most
   * this long) after the delete.
   */
  readonly idleTimeoutSeconds?: number;
  /** Most conversations held at once; past it the least recently active is released. Default 10000. */
  readonly maxConversations?: number;
  /** Most quick modes held per conversation; past it the least recently active is released. Default 256. */
  readonly maxQuickModes?: number;
  /** Most datagrams remembered (as digests) to recognise retransmissions; the oldest is forgotten past it. Default 65536. */
  readonly maxRemembered?: number;
  /**
   * Called with each datagram that does not decode, during the `push` that read it. When given, problems go here
   * instead of into `problems` (which then stays empty), so a capture of many bad datagrams costs no memory.
   */
  readonly onProblem?: (problem: SessionProblem) => void;
}

/** What a session holds; every count stays below its limit in {@link SessionOptions}. */
export interface SessionStats {
  /** Conversations (IKE SAs by initiator cookie) held, live or recently deleted. */
  readonly conversations: number;
  /** Quick modes held, over all conversations. */
  readonly quickModes: number;
  /** Datagram digests remembered to recognise retransmissions. */
  readonly remembered: number;
  /** IKE-fragmented messages remembered to print a copy of their completing fragment as a retransmission. */
  readonly reassembled: number;
  /** Conversations released so far (ended, idle or past `maxConversations`). */
  readonly released: number;
  /**
   * Phase-1 negotiations we resent and never finished that got no `Exceeded` line because the capture shows no
   * silence after the last resend (it was cut mid-exchange); after `finish`, including those open at the end.
   */
  readonly cut: number;
}

/**
 * A datagram the session could not read: nothing decoded (it printed nothing for it), or its message decoded only in
 * part (its line lists the payloads that decoded, then `UNREADABLE`; the fault is here).
 */
export interface SessionProblem {
  /** 0-based index of the datagram among those pushed. */
  readonly index: number;
  /** The datagram's capture frame number, when it carried one. */
  readonly frame?: number;
  /** The decoder's error code. */
  readonly code: string;
  /**
   * Byte offset of the fault: in the datagram's ISAKMP message, or in the reassembled message (`reassembled`); for
   * `INCOMPLETE_FRAGMENTS`, where the message its fragments would have made stops being known (its first gap).
   */
  readonly offset: number;
  /** True when the message that did not decode was reassembled from IKE fragments this datagram completed. */
  readonly reassembled: boolean;
  /** `CODE at byte N: detail` (`… at byte N of the reassembled message: …` for a reassembled one). */
  readonly message: string;
  /**
   * For a problem found after its datagram was read (`INCOMPLETE_FRAGMENTS`: reported when the reassembler drops the
   * message, or at `finish`): that datagram, the last fragment of the message. Absent for problems reported during
   * the push that read their datagram.
   */
  readonly datagram?: SessionDatagram;
}

/** An event of the log with the capture frame of the datagram that made it (undefined for lines written at the end). */
export interface SessionEvent {
  readonly event: LogEvent;
  readonly frame: number | undefined;
}

/** A main mode's `Established` line waiting for its conversation's next message. */
interface PendingEstablished {
  readonly c: Conversation;
  readonly event: LogEvent;
  /** Capture time (seconds) of its MM6. */
  readonly since: number | undefined;
}

/** Capture seconds an `Established` line waits for a resent MM5 before it stands (clients resend within seconds). */
const SETTLE_SECONDS = 30;
/** Events of other conversations an `Established` line may hold behind it before it stands. */
const MAX_HELD_EVENTS = 256;

/** A stateful View Log writer for one capture. */
export interface Session {
  /**
   * Reads one datagram (with its decrypted chain, when the caller has one) and returns the lines it produced. For the
   * IKE fragment that completes a message, the chain is the reassembled message's; other fragments print nothing.
   */
  push(datagram: SessionDatagram, plaintext?: readonly Payload[]): string[];
  /** As {@link Session.push}, as viewlog events. */
  pushEvents(datagram: SessionDatagram, plaintext?: readonly Payload[]): LogEvent[];
  /**
   * The session's datagram → message stage on its own: decodes the datagram (once), reassembles IKE fragments and
   * recognises resends, reporting problems, and renders nothing. `push(d, p)` is `pushRead(read(d), p)`; a caller that
   * decrypts in between (`@oaklog/pipeline`) reads, decrypts the `message`, then pushes the result with its plaintext.
   * Each result must be pushed once, in the order read (a caller may hold some back briefly and push them later).
   */
  read(datagram: SessionDatagram): ReadResult;
  /** Renders what {@link Session.read} gave, with the decrypted chain of its message when the caller has one. */
  pushRead(read: ReadResult, plaintext?: readonly Payload[]): string[];
  /** As {@link Session.pushRead}, as viewlog events. */
  pushReadEvents(read: ReadResult, plaintext?: readonly Payload[]): LogEvent[];
  /**
   * As {@link Session.pushReadEvents}, each event with the frame of the datagram that made it: a main mode's
   * `Established` line waits for its conversation's next message, and the events after it wait behind it, so the
   * events a push returns may be earlier datagrams'.
   */
  pushReadItems(read: ReadResult, plaintext?: readonly Payload[]): SessionEvent[];
  /**
   * Ends the capture: the `Exceeded … attempts` lines for negotiations we retransmitted and never completed, at `time`
   * (e.g. when the capture ended); by default at the time of the last datagram, the latest moment the capture shows.
   */
  finish(time?: CaptureTime): string[];
  /** As {@link Session.finish}, as viewlog events. */
  finishEvents(time?: CaptureTime): LogEvent[];
  /** As {@link Session.finishEvents}, with frames (the events still waiting have theirs; the end's lines none). */
  finishItems(time?: CaptureTime): SessionEvent[];
  /** Datagrams that did not decode (none when `onProblem` is given: they went there). */
  readonly problems: readonly SessionProblem[];
  /** What the session holds now (for checking that it stays bounded). */
  stats(): SessionStats;
}

/**
 * The evidence that a phase-1 exchange completed (RFC 2408 4.4, 4.5, 4.7; RFC 2409 5): how many distinct messages
 * each side must have sent, and whose the last one is. Main mode: 5 and 6, so three from each side; aggressive mode
 * and authentication only: the initiator's third message; base mode: two from each side.
 */
const PHASE1_EVIDENCE: Readonly<Partial<Record<number, readonly [number, number, 'initiator' | 'either']>>> = {
  1: [2, 2, 'either'],
  2: [3, 3, 'either'],
  3: [2, 1, 'initiator'],
  4: [2, 1, 'initiator'],
};

/**
 * Whether a phase-1 chain proves its side (RFC 2409 5): a HASH or SIG, and in main mode the identity it covers as
 * well (MM5/MM6 are encrypted and carry ID with HASH or SIG; aggressive mode's AM3 carries the HASH alone).
 */
function authenticates(m: Message, chain: readonly Payload[]): boolean {
  const proof = chain.some((p) => p.type === PayloadType.HASH || p.type === PayloadType.SIG);
  if (m.header.exchangeType !== 2) return proof;
  return (m.header.flags & HeaderFlag.ENCRYPTION) !== 0 && proof && chain.some((p) => p.type === PayloadType.ID);
}
const QUICK_MODE = ExchangeType.QUICK_MODE;
const MAIN_MODE = ExchangeType.IDENTITY_PROTECTION;
/** The CONNECTED status notify (RFC 2408 3.14.1), which completes a quick mode sent with the commit bit. */
const CONNECTED = NotifyType.CONNECTED;
const INFORMATIONAL = ExchangeType.INFORMATIONAL;

interface IkeSa {
  /** Order of creation: `finish` reports in it. */
  readonly serial: number;
  readonly initiatorCookie: Uint8Array;
  /** Address of the phase-1 initiator, when the first message was seen. */
  initiator: string | undefined;
  responderCookie: Uint8Array | undefined;
  messages: number;
  /** Distinct phase-1 messages from the initiator and from the responder: the evidence `Established` needs. */
  fromInitiator: number;
  fromResponder: number;
  /** A message said the negotiation failed (an error notify of this IKE SA), or one lacked what it must carry. */
  failed: boolean;
  /**
   * `failed` came from an error notify alone: a new phase-1 message of the SA after it shows the exchange went on
   * regardless (a stray or probing notify), so it no longer stands in the way of `Established`.
   */
  failedByNotify: boolean;
  started: boolean;
  established: boolean;
  /** Times we sent a phase-1 datagram again. */
  retransmissions: number;
  /** Its `Exceeded … attempts` line was written (when we started a new phase 1 with the same peer after the silence). */
  gaveUp: boolean;
  /** Capture time (seconds) of our last phase-1 datagram, and the shortest gap between two: what `Exceeded` needs. */
  lastSent: number | undefined;
  resendInterval: number | undefined;
  /** The conversation's point of view and name, for lines written after it (at `finish`, or when released). */
  readonly local: string;
  readonly connection: string;
}

interface OfferedSpi {
  readonly number: number;
  readonly protocolId: number;
  readonly spi: Uint8Array;
}

function offeredSpis(sa: SaPayload): OfferedSpi[] {
  return sa.proposals.map((p) => ({ number: p.number, protocolId: p.protocolId, spi: copyBytes(p.spi) }));
}

interface QuickMode {
  readonly messageId: number;
  /** Address of the quick-mode initiator (sender of the first message seen). */
  readonly initiator: string;
  messages: number;
  /** Distinct messages from its initiator and its responder: the evidence `Loading IPsec SA` needs. */
  fromInitiator: number;
  fromResponder: number;
  commit: boolean;
  /** The proposals of the initiator's and the responder's SA payloads (number, protocol, SPI: all Loading needs). */
  initiatorSa: readonly OfferedSpi[] | undefined;
  responderSa: readonly OfferedSpi[] | undefined;
  loaded: boolean;
  retransmissions: number;
  /** Its `Exceeded retry attempts` line was written. */
  gaveUp: boolean;
  prev: QuickMode | undefined;
  next: QuickMode | undefined;
}

/**
 * Everything known of one IKE SA, by its cookie pair (the responder cookie once seen): its phase 1 and its quick
 * modes, informational and transaction exchanges. It holds across ports and addresses: the cookies name it.
 */
interface Conversation {
  /** `<initiator cookie>/<responder cookie>` in hex, the responder's empty until seen. */
  key: string;
  readonly initiatorCookie: string;
  /** Whose log it is: the address the conversation's lines are written from, and its connection name. */
  readonly local: string;
  readonly peer: string;
  readonly connection: string;
  ike: IkeSa | undefined;
  /** By message id. */
  readonly quickModes: Map<number, QuickMode>;
  /** The same, least recently active first. */
  readonly quickModeOrder: Queue<QuickMode>;
  /** Capture time (seconds) of its latest datagram, or of the delete that ended it. */
  lastSeen: number | undefined;
  /** Its IKE SA was deleted: the conversation is over and waits out a short grace for the peer's own delete. */
  deleted: boolean;
  prev: Conversation | undefined;
  next: Conversation | undefined;
}

/** An item of a {@link Queue}: the links live in the item, so moving or removing it costs O(1). */
interface Linked<T> {
  prev: T | undefined;
  next: T | undefined;
}

/**
 * Items oldest first, with O(1) push, removal and reading the oldest. (Not a `Map` used as a queue: V8 reads a Map's
 * first entry by skipping every deleted one before it until the table is rehashed, which made eviction quadratic.)
 */
interface Queue<T> {
  readonly first: T | undefined;
  readonly size: number;
  /** Appends `x`, which must not be in a queue. */
  push(x: T): void;
  /** Removes `x`, which must be in this queue. */
  remove(x: T): void;
}

function createQueue<T extends Linked<T>>(): Queue<T> {
  let first: T | undefined;
  let last: T | undefined;
  let size = 0;
  return {
    get first() {
      return first;
    },
    get size() {
      return size;
    },
    push(x) {
      x.prev = last;
      x.next = undefined;
      if (last === undefined) first = x;
      else last.next = x;
      last = x;
      size += 1;
    },
    remove(x) {
      if (x.prev === undefined) first = x.next;
      else x.prev.next = x.next;
      if (x.next === undefined) last = x.prev;
      else x.next.prev = x.prev;
      x.prev = undefined;
      x.next = undefined;
      size -= 1;
    },
  };
}

/** Capture seconds since its last message within which a negotiation of the same name counts as still going. */
const CONCURRENT_SECONDS = 30;
/** How long a deleted conversation is kept for stragglers (the peer's delete naming the same SA). */
const DELETED_GRACE_SECONDS = 60;
function isZero(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0);
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v < 1) throw new RangeError(`${name} ${v} is not a positive integer`);
  return v;
}

function seconds(time: CaptureTime): number {
  return time.seconds + time.nanoseconds / 1e9;
}

/** An SPI as the client prints it: the bytes read as one unsigned number (1 to 4 bytes). */
function spiNumber(spi: Uint8Array): number | undefined {
  if (spi.length < 1 || spi.length > 4) return undefined;
  let n = 0;
  for (const b of spi) n = n * 256 + b;
  return n;
}

/** Client ID of a quick-mode ID payload; undefined for names and other types the client ID line cannot show. */
function clientId(p: Payload): ClientId | undefined {
  if (!isPayload(p, PayloadType.ID) || p.value === undefined) return undefined;
  const v = p.value;
  const base = { protocol: p.protocolId, port: p.port };
  if ('mask' in v) return { id: { type: 'subnet', address: v.address, mask: v.mask }, ...base };
  if ('start' in v) return { id: { type: 'range', start: v.start, end: v.end }, ...base };
  if ('address' in v) return { id: { type: 'address', address: v.address }, ...base };
  return undefined;
}

/**
 * The peer's address as a connection name. A line's name must not start like a time (`12:34`), which an IPv6 address
 * whose first group is one or two decimal digits does; its first group padded to four digits is the same address.
 */
function addressName(address: string): string {
  return address.replace(/^(\d{1,2}):(?=\d{2})/, (_, group: string) => `${group.padStart(4, '0')}:`);
}

/** The protocol word of a delete: `ESP`, `AH`, `IPCOMP`, or the registry name. */
function protocolWord(protocolId: number): string {
  const name = protocolIdName.get(protocolId) ?? `PROTOCOL_${protocolId}`;
  return name.replace(/^IPSEC_/, '');
}

/**
 * Creates a session that turns a capture's ISAKMP datagrams, in order, into View Log lines. Its memory is bounded (see
 * {@link SessionOptions}): conversations that are over are released, and retransmissions are recognised by digest.
 * Throws `RangeError` for a limit that is not a positive integer (`idleTimeoutSeconds`: a positive number).
 */
export function createSession(options: SessionOptions = {}): Session {
  let local = options.local;
  let connection = options.connection;
  const timestamps = options.timestamps !== false;
  const idleTimeout = options.idleTimeoutSeconds ?? 3600;
  if (!(idleTimeout > 0)) throw new RangeError(`idleTimeoutSeconds ${idleTimeout} is not a positive number`);
  const deletedGrace = Math.min(DELETED_GRACE_SECONDS, idleTimeout);
  const maxConversations = positiveInteger(options.maxConversations, 10000, 'maxConversations');
  const maxQuickModes = positiveInteger(options.maxQuickModes, 256, 'maxQuickModes');
  const maxRemembered = positiveInteger(options.maxRemembered, 65536, 'maxRemembered');
  /** Every conversation held, by cookie pair (`<initiator>/<responder>`, hex; the responder's empty until seen). */
  const conversations = new Map<string, Conversation>();
  /** The conversation of each initiator cookie still waiting for its responder cookie. */
  const pendingByIc = new Map<string, Conversation>();
  /** The point of view of the first conversation with each peer address (bounded like the conversations). */
  const localOfPeer = new Map<string, string>();
  /** The latest conversation of each initiator cookie: where a message without a responder cookie goes. */
  const latestByIc = new Map<string, Conversation>();
  /** The latest conversation given each name (before its ` #n`), with its number: see `concurrentOrdinal`. */
  const latestByName = new Map<string, { readonly c: Conversation; readonly ordinal: number }>();
  /** The latest phase 1 we resent, by connection name: what a new phase 1 with the same peer gives up. */
  const resentByName = new Map<string, IkeSa>();
  /** Negotiations we resent and never finished, which the capture shows no silence after: cut, not given up. */
  let cut = 0;
  /**
   * Main modes whose `Established` line waits for their conversation's next IKE message (see `settleEstablished`),
   * oldest first. While one waits, every later event waits behind it in `held`, so the log stays in capture order.
   */
  const pending: PendingEstablished[] = [];
  /** Events not yet handed out: those after (and including) the oldest waiting `Established` line. */
  const held: SessionEvent[] = [];
  /** The `Established` events in `held` that still wait. */
  const waiting = new Set<LogEvent>();
  /** `cut` plus the open negotiations `finish` found cut (what `stats().cut` reports after `finish`). */
  let finishedCut = 0;
  /** Conversations not known to be over, least recently active first. */
  const live = createQueue<Conversation>();
  /** Conversations whose IKE SA was deleted, in the order of their deletes. */
  const ended = createQueue<Conversation>();
  /**
   * Our quick modes that were resent and are neither loaded nor reported: what the next `Exceeded retry attempts`
   * line is about. An index, so a new phase 1 costs what is open, not every quick mode ever seen.
   */
  const openResent = new Set<QuickMode>();
  /** Such a quick mode was released before any line reported it: the next line is still owed. */
  let releasedOpenResent = false;
  let heldQuickModes = 0;
  let released = 0;
  let serial = 0;
  const problems: SessionProblem[] = [];
  /** The datagram → message stage: one decode, one reassembler, one resend memory. */
  const reader = createMessageReader(
    (problem) => {
      if (options.onProblem === undefined) problems.push(problem);
      else options.onProblem(problem);
    },
    { maxRemembered },
  );
  let lastTime: CaptureTime | undefined;
  /** The latest capture time seen (seconds): conversations idle past the limit from it are over. */
  let now: number | undefined;

  function prefix(time: CaptureTime | undefined, withConnection = true, name = connection) {
    const meta: { connection?: string; time?: CaptureTime; utcOffsetMinutes?: UtcOffset } = {};
    if (withConnection && name !== undefined) meta.connection = name;
    if (timestamps && time !== undefined) meta.time = time;
    if (options.utcOffsetMinutes !== undefined) meta.utcOffsetMinutes = options.utcOffsetMinutes;
    return linePrefix(meta);
  }

  /**
   * Negotiated by us, resent and never established, its line not written yet: what `Exceeded <n> IKE SA negotiation
   * attempts` reports.
   */
  function failedPhase1(sa: IkeSa): boolean {
    return !sa.established && !sa.gaveUp && sa.retransmissions > 0 && (sa.initiator ?? sa.local) === sa.local;
  }

  /**
   * The capture shows the client gave up: after our last resend, at least the shortest interval between our sends
   * (and 1 s) passed, up to `time`, without an answer (clients back off: their last wait is the longest). Without
   * times there is no such evidence.
   */
  function silentSince(sa: IkeSa, time: CaptureTime | undefined): boolean {
    if (sa.lastSent === undefined || time === undefined) return false;
    return seconds(time) - sa.lastSent >= Math.max(sa.resendInterval ?? 0, 1);
  }

  function exceededPhase1(sa: IkeSa, time: CaptureTime | undefined): LogEvent {
    return { kind: 'exceeded-attempts', ...prefix(time, true, sa.connection), phase: 1, attempts: sa.retransmissions };
  }

  function dropQuickMode(qm: QuickMode): void {
    if (openResent.delete(qm)) releasedOpenResent = true;
  }

  /**
   * Forgets a conversation that is over. What `finish` would have said about it is said now, at `time`: its failed
   * phase 1's `Exceeded` line, and (at the next phase 1 or `finish`) the quick modes it left resent and unfinished.
   */
  function release(c: Conversation, time: CaptureTime | undefined, out: LogEvent[], evicted = false): void {
    (c.deleted ? ended : live).remove(c);
    conversations.delete(c.key);
    released += 1;
    heldQuickModes -= c.quickModes.size;
    for (const qm of c.quickModes.values()) dropQuickMode(qm);
    // Nothing more of it will come: a waiting `Established` line stands.
    for (const p of pending.filter((x) => x.c === c)) settle(p, true);
    if (c.ike !== undefined && failedPhase1(c.ike)) {
      if (silentSince(c.ike, time)) out.push(exceededPhase1(c.ike, time));
      // Released to make room mid-capture, it was neither given up nor cut by the capture's end: count neither.
      else if (!evicted) cut += 1;
    }
    if (c.ike !== undefined && resentByName.get(c.connection) === c.ike) resentByName.delete(c.connection);
    if (pendingByIc.get(c.initiatorCookie) === c) pendingByIc.delete(c.initiatorCookie);
    if (latestByIc.get(c.initiatorCookie) === c) latestByIc.delete(c.initiatorCookie);
  }

  /** Releases the conversations idle past the limit and those deleted past the grace. */
  function sweep(time: CaptureTime | undefined, out: LogEvent[]): void {
    if (now === undefined) return;
    for (const [queue, limit] of [
      [ended, deletedGrace],
      [live, idleTimeout],
    ] as const)
      for (let c = queue.first; c !== undefined; c = queue.first) {
        // Seen before any datagram carried a time: its idle time counts from the first that did.
        c.lastSeen ??= now;
        if (c.lastSeen > now - limit) break;
        release(c, time, out);
      }
  }

  /** Releases the oldest conversations (deleted ones first) until one more fits under the cap. */
  function makeRoom(time: CaptureTime | undefined, out: LogEvent[]): void {
    while (conversations.size >= maxConversations) {
      const oldest = ended.first ?? live.first;
      if (oldest === undefined) return;
      release(oldest, time, out, true);
    }
  }

  /**
   * Who "we" are in a new conversation: `options.local`, else its IKE SA's initiator (the VPN client's side): the
   * sender of a phase-1 message without a responder cookie, the receiver of a phase-1 response (an SA payload with
   * one); else, for a capture that starts inside an IKE SA, the sender of its first datagram.
   */
  function localOf(m: Message, d: SessionDatagram): string {
    if (options.local !== undefined) return options.local;
    const { exchangeType, messageId, responderCookie, flags } = m.header;
    if (PHASE1_EVIDENCE[exchangeType] !== undefined && messageId === 0) {
      if (isZero(responderCookie)) return d.src;
      if ((flags & HeaderFlag.ENCRYPTION) === 0 && m.payloads.some((p) => p.type === PayloadType.SA)) return d.dst;
    }
    return d.src;
  }

  /**
   * The conversation of a message's cookie pair, created when new and marked as active now. A message without a
   * responder cookie belongs to the latest conversation of its initiator cookie; the first responder cookie seen
   * for a conversation becomes its own, and another one starts another conversation (two IKE SAs, or a reflection
   * of many hosts answering one cookie).
   */
  function conversationOf(m: Message, d: SessionDatagram, out: LogEvent[]): Conversation {
    const ic = hex(m.header.initiatorCookie);
    const zero = isZero(m.header.responderCookie);
    const rc = zero ? '' : hex(m.header.responderCookie);
    let c = zero ? latestByIc.get(ic) : conversations.get(`${ic}/${rc}`);
    if (c === undefined && !zero) {
      const waiting = pendingByIc.get(ic);
      if (waiting !== undefined) {
        pendingByIc.delete(ic);
        conversations.delete(waiting.key);
        waiting.key = `${ic}/${rc}`;
        conversations.set(waiting.key, waiting);
        c = waiting;
      }
    }
    if (c === undefined) {
      makeRoom(d.time, out);
      const us = localOf(m, d);
      const peer = d.src === us ? d.dst : d.src;
      // Several clients of one gateway each see it as their peer: after the first, their lines carry their own
      // address too, so the conversations of one log stay apart (`--local <gateway>` names them by client instead).
      const first = localOfPeer.get(peer);
      if (first === undefined) {
        localOfPeer.set(peer, us);
        if (localOfPeer.size > maxConversations) localOfPeer.delete(localOfPeer.keys().next().value as string);
      }
      const shared = first !== undefined && first !== us;
      const base = shared ? `${addressName(peer)} (${us})` : addressName(peer);
      const ordinal = options.connection === undefined ? concurrentOrdinal(base, d.time) : 1;
      c = {
        key: `${ic}/${rc}`,
        initiatorCookie: ic,
        local: us,
        peer,
        connection: options.connection ?? (ordinal === 1 ? base : `${base} #${ordinal}`),
        ike: undefined,
        quickModes: new Map(),
        quickModeOrder: createQueue(),
        lastSeen: now,
        deleted: false,
        prev: undefined,
        next: undefined,
      };
      conversations.set(c.key, c);
      if (options.connection === undefined) {
        latestByName.delete(base);
        latestByName.set(base, { c, ordinal });
        if (latestByName.size > maxConversations) latestByName.delete(latestByName.keys().next().value as string);
      }
      if (zero) pendingByIc.set(ic, c);
      latestByIc.set(ic, c);
      live.push(c);
    } else if (!c.deleted) {
      live.remove(c);
      live.push(c);
    }
    if (!c.deleted) c.lastSeen = now;
    return c;
  }

  /**
   * The number of a new conversation among those of the same name still negotiating (two IKE SAs between the same
   * hosts at once, or several clients behind one NAT address): the second is `<name> #2`, and so on, so a reader (and
   * `diagnose`) sees two negotiations, not one whose lines interleave. A negotiation counts as still going while its
   * phase 1 has started, is neither established nor failed, and was active in the last `CONCURRENT_SECONDS`; a retry
   * after a failure or a silence keeps the name.
   */
  function concurrentOrdinal(base: string, time: CaptureTime | undefined): number {
    const prev = latestByName.get(base);
    const ike = prev?.c.ike;
    const going =
      prev !== undefined &&
      conversations.get(prev.c.key) === prev.c &&
      ike?.started === true &&
      !ike.established &&
      !ike.failed &&
      !(failedPhase1(ike) && silentSince(ike, time)) &&
      now !== undefined &&
      prev.c.lastSeen !== undefined &&
      now - prev.c.lastSeen <= CONCURRENT_SECONDS;
    return going ? prev.ordinal + 1 : 1;
  }

  /** Ends the conversation an IKE delete names: released after a short grace, for the peer's own delete. */
  function endConversation(key: string): void {
    const c = conversations.get(key);
    if (c === undefined || c.deleted) return;
    live.remove(c);
    c.deleted = true;
    c.lastSeen = now;
    ended.push(c);
  }

  function ikeSaOf(c: Conversation, m: Message, d: SessionDatagram): IkeSa {
    let sa = c.ike;
    if (sa === undefined) {
      sa = {
        serial: serial++,
        // Copies: decoded fields are views into the caller's buffer, which may be reused.
        initiatorCookie: copyBytes(m.header.initiatorCookie),
        initiator: isZero(m.header.responderCookie) ? d.src : c.local === localOf(m, d) ? c.local : undefined,
        responderCookie: undefined,
        messages: 0,
        fromInitiator: 0,
        fromResponder: 0,
        failed: false,
        failedByNotify: false,
        started: false,
        established: false,
        retransmissions: 0,
        lastSent: undefined,
        resendInterval: undefined,
        gaveUp: false,
        local: c.local,
        connection: c.connection,
      };
      c.ike = sa;
    }
    if (sa.responderCookie === undefined && !isZero(m.header.responderCookie))
      sa.responderCookie = copyBytes(m.header.responderCookie);
    return sa;
  }

  /** Our phase-1 datagram at `time`: the last send and the gap before it, for the silence `Exceeded` needs. */
  function noteSent(sa: IkeSa, time: CaptureTime | undefined): void {
    if (time === undefined) return;
    const t = seconds(time);
    if (sa.lastSent !== undefined)
      sa.resendInterval = Math.min(sa.resendInterval ?? Number.POSITIVE_INFINITY, t - sa.lastSent);
    sa.lastSent = t;
  }

  function phase1(
    c: Conversation,
    m: Message,
    d: SessionDatagram,
    direction: Direction,
    retransmitted: boolean,
    chain: readonly Payload[] | undefined,
  ) {
    const before: LogEvent[] = [];
    const after: LogEvent[] = [];
    const needed = PHASE1_EVIDENCE[m.header.exchangeType];
    if (needed === undefined || m.header.messageId !== 0) return { before, after };
    const sa = ikeSaOf(c, m, d);
    if (direction === 'sent') noteSent(sa, d.time);
    if (retransmitted) {
      // Only a resend within the SA that counted the original is an attempt: one whose SA was released since (and
      // made anew by this copy) says nothing about how the negotiation went.
      if (direction === 'sent' && sa.messages > 0) {
        sa.retransmissions += 1;
        if (!sa.established) resentByName.set(c.connection, sa);
      }
      return { before, after };
    }
    if (!sa.started && direction === 'sent' && isZero(m.header.responderCookie)) {
      // A new phase 1 from us gives up the quick modes still being resent: the client said so then, once each.
      before.push(...abandonedQuickModes(d.time, true));
      // And an earlier phase 1 with this peer that we resent and that went unanswered since: the client gave up on
      // it before it started again, so its `Exceeded` line comes now, before this attempt's lines.
      const earlier = resentByName.get(c.connection);
      if (earlier !== undefined && earlier !== sa && failedPhase1(earlier) && silentSince(earlier, d.time)) {
        before.push(exceededPhase1(earlier, d.time));
        earlier.gaveUp = true;
      }
      if (earlier !== undefined) resentByName.delete(c.connection);
      before.push({ kind: 'phase1-start', ...prefix(d.time), peer: d.dst });
    }
    sa.started = true;
    sa.messages += 1;
    if (sa.failedByNotify) {
      // A new message of the exchange after an error notify: the negotiation went on past it.
      sa.failed = false;
      sa.failedByNotify = false;
    }
    const fromInitiator = (direction === 'sent') === ((sa.initiator ?? c.local) === c.local);
    const [fromI, fromR, last] = needed;
    if (fromInitiator) sa.fromInitiator += 1;
    else sa.fromResponder += 1;
    const count = fromInitiator ? sa.fromInitiator : sa.fromResponder;
    // The message that authenticates its side (MM5/MM6, AM2/AM3) carries a HASH or SIG when its plaintext is known:
    // one without (an error, a chain that is not what the exchange sends) is no evidence.
    if (count === (fromInitiator ? fromI : fromR) && chain !== undefined && !authenticates(m, chain)) sa.failed = true;
    if (
      !sa.established &&
      !sa.failed &&
      sa.fromInitiator >= fromI &&
      sa.fromResponder >= fromR &&
      (last === 'either' || (last === 'initiator') === fromInitiator)
    ) {
      sa.established = true;
      const weInitiated = (sa.initiator ?? local) === local;
      const theirs = sa.responderCookie ?? m.header.responderCookie;
      const established: LogEvent = {
        kind: 'ike-sa-established',
        ...prefix(d.time),
        myCookie: weInitiated ? sa.initiatorCookie : theirs,
        hisCookie: weInitiated ? theirs : sa.initiatorCookie,
      };
      // Main mode ends with the responder's MM6, which the initiator may still reject (it then resends MM5, or an
      // error notify follows): the line waits, at its place, for the conversation's next IKE message.
      if (m.header.exchangeType === MAIN_MODE && !fromInitiator) {
        pending.push({ c, event: established, since: now });
        waiting.add(established);
      }
      after.push(established);
    }
    return { before, after };
  }

  /** The quick mode of a message id, created when new, marked most recently active, oldest released past the cap. */
  function quickModeOf(c: Conversation, m: Message, d: SessionDatagram): QuickMode {
    const id = m.header.messageId;
    let qm = c.quickModes.get(id);
    if (qm !== undefined) {
      c.quickModeOrder.remove(qm);
      c.quickModeOrder.push(qm);
      return qm;
    }
    qm = {
      messageId: id,
      initiator: d.src,
      messages: 0,
      fromInitiator: 0,
      fromResponder: 0,
      commit: false,
      initiatorSa: undefined,
      responderSa: undefined,
      loaded: false,
      retransmissions: 0,
      gaveUp: false,
      prev: undefined,
      next: undefined,
    };
    c.quickModes.set(id, qm);
    c.quickModeOrder.push(qm);
    heldQuickModes += 1;
    const oldest = c.quickModeOrder.first;
    if (c.quickModes.size > maxQuickModes && oldest !== undefined) {
      c.quickModes.delete(oldest.messageId);
      c.quickModeOrder.remove(oldest);
      heldQuickModes -= 1;
      dropQuickMode(oldest);
    }
    return qm;
  }

  function quickMode(
    c: Conversation,
    m: Message,
    d: SessionDatagram,
    direction: Direction,
    retransmitted: boolean,
    chain: readonly Payload[] | undefined,
  ) {
    const before: LogEvent[] = [];
    const after: LogEvent[] = [];
    const qm = quickModeOf(c, m, d);
    if (retransmitted) {
      if (direction === 'sent' && qm.messages > 0) {
        qm.retransmissions += 1;
        if (!qm.loaded && !qm.gaveUp && qm.initiator === local) openResent.add(qm);
      }
      return { before, after };
    }
    if ((m.header.flags & HeaderFlag.COMMIT) !== 0) qm.commit = true;
    qm.messages += 1;
    const sa = chain?.find((p): p is SaPayload => isPayload(p, PayloadType.SA));
    const fromInitiator = d.src === qm.initiator;
    if (qm.messages === 1 && chain !== undefined) {
      if (sa) qm.initiatorSa = offeredSpis(sa);
      if (direction === 'sent') {
        const ids = chain.filter((p) => p.type === PayloadType.ID);
        // RFC 2409 5.5: without IDs the exchange is between the ISAKMP peers' own addresses.
        const pair: (ClientId | undefined)[] =
          ids.length === 0
            ? [
                { id: { type: 'address', address: d.src }, protocol: 0, port: 0 },
                { id: { type: 'address', address: d.dst }, protocol: 0, port: 0 },
              ]
            : ids.length === 2
              ? ids.map(clientId)
              : [];
        const [initiator, responder] = pair;
        if (initiator !== undefined && responder !== undefined)
          before.push({ kind: 'phase2-start', ...prefix(d.time), messageId: m.header.messageId, initiator, responder });
      }
    } else if (qm.messages === 2 && !fromInitiator && sa) qm.responderSa = offeredSpis(sa);
    if (fromInitiator) qm.fromInitiator += 1;
    else qm.fromResponder += 1;
    // Loaded on the evidence: the initiator's third message after the responder's answer (with the commit bit, the
    // responder's CONNECTED as well), all in this message ID. Three messages from one side are not a quick mode.
    if (
      !qm.loaded &&
      qm.fromInitiator >= 2 &&
      qm.fromResponder >= (qm.commit ? 2 : 1) &&
      (qm.commit ? !fromInitiator : fromInitiator)
    )
      load(qm, d, after);
    return { before, after };
  }

  /** Marks a quick mode loaded and writes its `Loading IPsec SA` line when both SPIs are known. */
  function load(qm: QuickMode, d: SessionDatagram, after: LogEvent[]): void {
    qm.loaded = true;
    openResent.delete(qm);
    const spis = spiPair(qm);
    if (spis !== undefined)
      after.push({ kind: 'loading-ipsec-sa', ...prefix(d.time), messageId: qm.messageId, ...spis });
  }

  /**
   * With the commit bit, the quick mode is loaded on the informational exchange carrying CONNECTED in its message ID
   * (RFC 2408 3.1), after the initiator's third message.
   */
  function connected(
    c: Conversation,
    m: Message,
    d: SessionDatagram,
    chain: readonly Payload[] | undefined,
    after: LogEvent[],
  ) {
    const qm = c.quickModes.get(m.header.messageId);
    if (qm === undefined || qm.loaded || !qm.commit || qm.fromInitiator < 2 || qm.fromResponder < 1) return;
    if (chain?.some((p) => isPayload(p, PayloadType.NOTIFICATION) && p.messageType === CONNECTED) === true)
      load(qm, d, after);
  }

  /** OUTBOUND is the SPI the peer chose (it receives with it), INBOUND ours; from the chosen proposal. */
  function spiPair(qm: QuickMode): { outboundSpi: number; inboundSpi: number } | undefined {
    const chosen = qm.responderSa?.[0];
    if (chosen === undefined || qm.initiatorSa === undefined) return undefined;
    const offered =
      qm.initiatorSa.find((p) => p.number === chosen.number && p.protocolId === chosen.protocolId) ??
      qm.initiatorSa.find((p) => p.protocolId === chosen.protocolId);
    if (offered === undefined) return undefined;
    const initiatorSpi = spiNumber(offered.spi);
    const responderSpi = spiNumber(chosen.spi);
    if (initiatorSpi === undefined || responderSpi === undefined) return undefined;
    return qm.initiator === local
      ? { outboundSpi: responderSpi, inboundSpi: initiatorSpi }
      : { outboundSpi: initiatorSpi, inboundSpi: responderSpi };
  }

  function informational(d: SessionDatagram, direction: Direction, chain: readonly Payload[] | undefined) {
    const after: LogEvent[] = [];
    if (chain === undefined) return after;
    for (const p of chain) {
      // The documented `Received NO_PROPOSAL_CHOSEN message` follows an error notify; status and DPD notifies
      // (R-U-THERE, RESPONDER-LIFETIME) get no line of their own: the message line already names them.
      if (isPayload(p, PayloadType.NOTIFICATION) && direction === 'received' && isErrorNotify(p.messageType))
        after.push({ kind: 'received-notify', ...prefix(d.time, false), notify: notifyName(p.messageType) });
      if (isPayload(p, PayloadType.DELETE)) {
        const peer = direction === 'sent' ? d.dst : d.src;
        if (p.protocolId === ProtocolId.ISAKMP) {
          after.push({
            kind: 'deleting-sa',
            ...prefix(d.time),
            sa: 'IKE',
            text: `Deleting IKE SA (IP ADDR=${peer})${deletedCookie(p.spis[0])}`,
          });
          const spi = p.spis[0];
          if (spi !== undefined && spi.length === 16)
            endConversation(`${hex(spi.subarray(0, 8))}/${hex(spi.subarray(8))}`);
        } else
          for (const spi of p.spis) {
            const n = spiNumber(spi);
            if (n === undefined) continue;
            // A delete names the SPIs its sender receives with: the peer's are our outbound SAs, ours our inbound.
            const way = direction === 'sent' ? 'INBOUND' : 'OUTBOUND';
            after.push({
              kind: 'deleting-sa',
              ...prefix(d.time),
              sa: 'IPsec',
              text: `Deleting IPsec SA (${protocolWord(p.protocolId)} ${way} SPI = ${n.toString(16).toUpperCase()})`,
            });
          }
      }
    }
    return after;
  }

  /**
   * ` (MY COOKIE …)` naming which IKE SA a delete ends (its SPI is the cookie pair, RFC 2408 3.15), as `Established IKE
   * SA` printed it, so a reader tells an old SA's delete after a rekey from the new one's; empty for an unknown SA.
   */
  function deletedCookie(spi: Uint8Array | undefined): string {
    if (spi === undefined || spi.length !== 16) return '';
    const sa = conversations.get(`${hex(spi.subarray(0, 8))}/${hex(spi.subarray(8))}`)?.ike;
    if (sa === undefined || !sa.established) return '';
    const mine = (sa.initiator ?? local) === local ? sa.initiatorCookie : sa.responderCookie;
    return mine === undefined ? '' : ` (MY COOKIE ${formatCookie(mine)})`;
  }

  /** Decides a waiting `Established` line: it stands, or it is taken out of the log before it was handed out. */
  function settle(p: PendingEstablished, stands: boolean): void {
    pending.splice(pending.indexOf(p), 1);
    waiting.delete(p.event);
    if (stands) return;
    const at = held.findIndex((x) => x.event === p.event);
    if (at >= 0) held.splice(at, 1);
  }

  /**
   * The conversation's next IKE message after a main mode's MM6 decides its `Established` line: the initiator resending
   * MM5 or an error notify of that IKE SA means MM6 was not accepted, and the line is dropped; anything else confirms
   * it. Messages of other conversations decide nothing, but a line waits at most `SETTLE_SECONDS` of capture time and
   * `MAX_HELD_EVENTS` later events (the initiator resends within seconds); then it stands.
   */
  function settleEstablished(
    c: Conversation,
    m: Message,
    direction: Direction,
    retransmitted: boolean,
    plaintext: readonly Payload[] | undefined,
  ): void {
    for (const p of pending.filter((x) => x.since !== undefined && now !== undefined && now - x.since > SETTLE_SECONDS))
      settle(p, true);
    const mine = pending.find((x) => x.c === c);
    if (mine === undefined) return;
    const sa = c.ike;
    if (sa === undefined) {
      settle(mine, true);
      return;
    }
    const fromInitiator = (direction === 'sent') === ((sa.initiator ?? c.local) === c.local);
    const encrypted = (m.header.flags & HeaderFlag.ENCRYPTION) !== 0;
    const chain = encrypted ? plaintext : m.payloads;
    const resentMm5 = retransmitted && fromInitiator && m.header.exchangeType === MAIN_MODE && m.header.messageId === 0;
    const errorNotify =
      m.header.exchangeType === INFORMATIONAL &&
      chain?.some((p) => isPayload(p, PayloadType.NOTIFICATION) && isErrorNotify(p.messageType)) === true;
    if (resentMm5 || errorNotify) {
      // Only a failure the notify alone made is one a later message can undo (not an earlier one it joins).
      sa.failedByNotify = (sa.failedByNotify || !sa.failed) && errorNotify && !resentMm5;
      sa.established = false;
      sa.failed = true;
    }
    settle(mine, !(resentMm5 || errorNotify));
  }

  /**
   * Hands out events in capture order: at once while no `Established` line waits; else behind the oldest waiting one,
   * until it is decided (or held too many events, when it stands).
   */
  function handOut(events: readonly SessionEvent[]): SessionEvent[] {
    if (held.length === 0 && waiting.size === 0) return [...events];
    held.push(...events);
    while (held.length > MAX_HELD_EVENTS && pending.length > 0) settle(pending[0] as PendingEstablished, true);
    let n = 0;
    while (n < held.length && !waiting.has((held[n] as SessionEvent).event)) n++;
    return held.splice(0, n);
  }

  function pushEvents(d: SessionDatagram, plaintext?: readonly Payload[]): LogEvent[] {
    return pushReadEvents(reader.read(d), plaintext);
  }

  function pushReadItems(r: ReadResult, plaintext?: readonly Payload[]): SessionEvent[] {
    const frame = r.datagram.frame;
    return handOut(readEvents(r, plaintext).map((event) => ({ event, frame })));
  }

  function pushReadEvents(r: ReadResult, plaintext?: readonly Payload[]): LogEvent[] {
    return pushReadItems(r, plaintext).map((x) => x.event);
  }

  /** The events one read message makes, in log order (before `handOut` orders them behind waiting lines). */
  function readEvents(r: ReadResult, plaintext?: readonly Payload[]): LogEvent[] {
    if ((r.kind === 'problem' && !r.carrier) || r.kind === 'ikev2') return [];
    const d = r.datagram;
    if (d.time !== undefined) {
      lastTime = d.time;
      now = Math.max(now ?? Number.NEGATIVE_INFINITY, seconds(d.time));
    }
    const before: LogEvent[] = [];
    const after: LogEvent[] = [];
    sweep(d.time, before);
    if (r.kind !== 'message') return before;
    const m = r.message;
    const retransmitted = r.retransmission;
    // The message's own cookies (for a reassembled one, its inner header's): the SA the message says it belongs to.
    const c = conversationOf(m, d, before);
    // Whose log this line is in: the conversation's side, whatever address or port it uses now (NAT-T moves both).
    local = c.local;
    connection = c.connection;
    const direction: Direction =
      d.src === c.local
        ? 'sent'
        : d.dst === c.local || d.src === c.peer
          ? 'received'
          : d.dst === c.peer
            ? 'sent'
            : 'received';
    if (pending.length > 0) settleEstablished(c, m, direction, retransmitted, plaintext);
    const encrypted = (m.header.flags & HeaderFlag.ENCRYPTION) !== 0;
    const chain = encrypted ? plaintext : m.payloads;

    const meta: Parameters<typeof messageEvent>[1] = {
      direction,
      retransmission: retransmitted,
      ...(connection !== undefined ? { connection } : {}),
      ...(timestamps && d.time !== undefined ? { time: d.time } : {}),
      ...(options.utcOffsetMinutes !== undefined ? { utcOffsetMinutes: options.utcOffsetMinutes } : {}),
      ...(encrypted && plaintext !== undefined ? { plaintext } : {}),
      ...(r.unreadable === undefined ? {} : { unreadable: true }),
    };
    const line = messageEvent(m, meta);

    if (retransmitted && direction === 'sent') before.push({ kind: 'retransmit', ...prefix(d.time) });
    const exchange = m.header.exchangeType;
    if (PHASE1_EVIDENCE[exchange] !== undefined) {
      const r = phase1(c, m, d, direction, retransmitted, chain);
      before.push(...r.before);
      after.push(...r.after);
    } else if (exchange === QUICK_MODE) {
      const r = quickMode(c, m, d, direction, retransmitted, chain);
      before.push(...r.before);
      after.push(...r.after);
    } else if (exchange === INFORMATIONAL && !retransmitted) {
      // An error notify before the IKE SA is established says its negotiation failed: no `Established` after it.
      if (
        c.ike !== undefined &&
        !c.ike.established &&
        chain?.some((p) => isPayload(p, PayloadType.NOTIFICATION) && isErrorNotify(p.messageType))
      ) {
        if (!c.ike.failed) c.ike.failedByNotify = true;
        c.ike.failed = true;
      }
      connected(c, m, d, chain, after);
      after.push(...informational(d, direction, chain));
    }
    return [...before, line, ...after];
  }

  function finishEvents(time?: CaptureTime): LogEvent[] {
    return finishItems(time).map((x) => x.event);
  }

  function finishItems(time: CaptureTime | undefined = lastTime): SessionEvent[] {
    // Fragments of messages that never completed are reported, not left unaccounted for.
    reader.finish();
    const failed: IkeSa[] = [];
    let unfinished = 0;
    for (const c of conversations.values())
      if (c.ike !== undefined && failedPhase1(c.ike)) {
        // The capture must show the silence after the last resend; one that ends right after it was cut.
        if (silentSince(c.ike, time)) failed.push(c.ike);
        else unfinished += 1;
      }
    finishedCut = cut + unfinished;
    // The capture ended after an MM6 with nothing against it: that main mode is established.
    for (const p of [...pending]) settle(p, true);
    const out: SessionEvent[] = held.splice(0);
    const ending = [
      ...failed.sort((a, b) => a.serial - b.serial).map((sa) => exceededPhase1(sa, time)),
      ...abandonedQuickModes(time, false),
    ];
    for (const event of ending) out.push({ event, frame: undefined });
    return out;
  }

  /**
   * `Exceeded retry attempts` for our resent, unfinished quick modes not yet reported: one line for them all (the
   * client wrote one when it gave up). `settle` records them as reported; `finish` does not, so it can be asked again.
   */
  function abandonedQuickModes(time: CaptureTime | undefined, settle: boolean): LogEvent[] {
    if (openResent.size === 0 && !releasedOpenResent) return [];
    if (settle) {
      for (const qm of openResent) qm.gaveUp = true;
      openResent.clear();
      releasedOpenResent = false;
    }
    return [{ kind: 'exceeded-attempts', ...prefix(time, false), phase: 2 }];
  }

  return {
    read: reader.read,
    pushRead: (r, plaintext) => pushReadEvents(r, plaintext).flatMap(canonicalLines),
    pushReadEvents,
    pushReadItems,
    pushEvents,
    push: (d, plaintext) => pushEvents(d, plaintext).flatMap(canonicalLines),
    finishEvents,
    finishItems,
    finish: (time) => finishEvents(time).flatMap(canonicalLines),
    problems,
    stats: () => ({
      conversations: conversations.size,
      quickModes: heldQuickModes,
      ...reader.stats(),
      cut: Math.max(cut, finishedCut),
      released,
    }),
  };
}

/** Options of {@link renderCapture}. */
export interface RenderCaptureOptions extends SessionOptions {
  /** Line ending between lines; default `\n` (the client itself wrote `\r\n`). */
  readonly eol?: string;
  /**
   * The decrypted chain of an encrypted datagram, when the caller can decrypt it (for the fragment that completes an
   * IKE-fragmented message, the reassembled message's chain).
   */
  readonly plaintext?: (datagram: SessionDatagram, index: number) => readonly Payload[] | undefined;
}

/**
 * A whole capture as a View Log: every `kind: 'ike'` item of `@oaklog/pcap`'s reader (other items are skipped) through
 * one session, then its end-of-capture lines. Each line ends with `eol`.
 */
export function renderCapture(
  items: Iterable<{ readonly kind: string } & Partial<SessionDatagram>>,
  options: RenderCaptureOptions = {},
): string {
  const session = createSession(options);
  const eol = options.eol ?? '\n';
  let out = '';
  let i = 0;
  for (const item of items) {
    if (item.kind !== 'ike' || item.bytes === undefined || item.src === undefined || item.dst === undefined) continue;
    const d: SessionDatagram = { bytes: item.bytes, src: item.src, dst: item.dst, time: item.time, frame: item.frame };
    for (const line of session.push(d, options.plaintext?.(d, i))) out += line + eol;
    i++;
  }
  for (const line of session.finish()) out += line + eol;
  return out;
}
