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
import {
  createFragmentReassembler,
  DecodeError,
  decode,
  type FragmentPayload,
  HeaderFlag,
  isPayload,
  type Message,
  type Payload,
  PayloadType,
  ProtocolId,
  protocolIdName,
  type SaPayload,
} from '@oaklog/isakmp';
import type { CaptureTime } from '@oaklog/pcap';
import {
  type ClientId,
  canonicalLines,
  type Direction,
  formatCookie,
  isErrorNotify,
  type LogEvent,
  notifyName,
} from '@oaklog/viewlog';
import { linePrefix, messageEvent } from './render';

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
  /** Minutes east of UTC for printed times; default 0. */
  readonly utcOffsetMinutes?: number;
  /** Print `HH:MM:SS.mmm` times (when datagrams carry them); default true. */
  readonly timestamps?: boolean;
}

/** A datagram the session could not read; it printed nothing for it. */
export interface SessionProblem {
  /** 0-based index of the datagram among those pushed. */
  readonly index: number;
  /** The decoder's error code and byte offset (in the reassembled message, for a fragment that completed one). */
  readonly code: string;
  readonly offset: number;
  readonly message: string;
}

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
   * Ends the capture: the `Exceeded … attempts` lines for negotiations we retransmitted and never completed, at `time`
   * (e.g. when the capture ended); by default at the time of the last datagram, the latest moment the capture shows.
   */
  finish(time?: CaptureTime): string[];
  /** As {@link Session.finish}, as viewlog events. */
  finishEvents(time?: CaptureTime): LogEvent[];
  /** Datagrams that did not decode. */
  readonly problems: readonly SessionProblem[];
}

/** Messages of each phase-1 exchange type (RFC 2408 4.4, 4.5, 4.7; RFC 2409 5). */
const PHASE1_MESSAGES: Readonly<Partial<Record<number, number>>> = { 1: 4, 2: 6, 3: 3, 4: 3 };
const QUICK_MODE = 32;
const INFORMATIONAL = 5;

interface IkeSa {
  readonly initiatorCookie: Uint8Array;
  /** Address of the phase-1 initiator, when the first message was seen. */
  initiator: string | undefined;
  responderCookie: Uint8Array | undefined;
  messages: number;
  started: boolean;
  established: boolean;
  /** Times we sent a phase-1 datagram again. */
  retransmissions: number;
}

interface OfferedSpi {
  readonly number: number;
  readonly protocolId: number;
  readonly spi: Uint8Array;
}

function offeredSpis(sa: SaPayload): OfferedSpi[] {
  return sa.proposals.map((p) => ({ number: p.number, protocolId: p.protocolId, spi: p.spi.slice() }));
}

interface QuickMode {
  readonly messageId: number;
  /** Address of the quick-mode initiator (sender of the first message seen). */
  readonly initiator: string;
  messages: number;
  commit: boolean;
  /** The proposals of the initiator's and the responder's SA payloads (number, protocol, SPI: all Loading needs). */
  initiatorSa: readonly OfferedSpi[] | undefined;
  responderSa: readonly OfferedSpi[] | undefined;
  loaded: boolean;
  retransmissions: number;
  /** Its `Exceeded retry attempts` line was written. */
  gaveUp: boolean;
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

function isZero(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** FNV-1a over the bytes: a bucket key for finding retransmissions; equality is then checked byte for byte. */
function fingerprint(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193);
  return `${bytes.length}:${h >>> 0}`;
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

/** Creates a session that turns a capture's ISAKMP datagrams, in order, into View Log lines. */
export function createSession(options: SessionOptions = {}): Session {
  let local = options.local;
  let connection = options.connection;
  const timestamps = options.timestamps !== false;
  const seen = new Map<string, Uint8Array[]>();
  const ikeSas = new Map<string, IkeSa>();
  const quickModes = new Map<string, QuickMode>();
  const problems: SessionProblem[] = [];
  // Any fragment number the one-byte field holds; memory stays bounded by the reassembler's byte and pending limits.
  const fragments = createFragmentReassembler({ maxFragments: 255 });
  /** Datagram (hex) → the whole message it completed, to print its retransmissions. */
  const completedBy = new Map<string, Uint8Array>();
  let index = 0;
  let lastTime: CaptureTime | undefined;

  function prefix(time: CaptureTime | undefined, withConnection = true) {
    const meta: { connection?: string; time?: CaptureTime; utcOffsetMinutes?: number } = {};
    if (withConnection && connection !== undefined) meta.connection = connection;
    if (timestamps && time !== undefined) meta.time = time;
    if (options.utcOffsetMinutes !== undefined) meta.utcOffsetMinutes = options.utcOffsetMinutes;
    return linePrefix(meta);
  }

  function isRetransmission(bytes: Uint8Array): boolean {
    const key = fingerprint(bytes);
    const bucket = seen.get(key);
    if (bucket === undefined) {
      seen.set(key, [bytes.slice()]);
      return false;
    }
    if (bucket.some((b) => sameBytes(b, bytes))) return true;
    bucket.push(bytes.slice());
    return false;
  }

  /**
   * The whole message an IKE fragment datagram belongs to, once this datagram completes it (or is a copy of the one
   * that did); undefined while fragments are missing, and for copies of the others.
   */
  function reassembled(
    fragment: FragmentPayload,
    m: Message,
    d: SessionDatagram,
    retransmitted: boolean,
  ): Uint8Array | undefined {
    const key = `${hex(m.header.initiatorCookie)}:${hex(m.header.responderCookie)}:${d.src}`;
    const result = fragments.push(fragment, key);
    if (result.status !== 'complete') return retransmitted ? completedBy.get(hex(d.bytes)) : undefined;
    completedBy.set(hex(d.bytes), result.message);
    return result.message;
  }

  function ikeSaOf(m: Message, d: SessionDatagram): IkeSa {
    const key = hex(m.header.initiatorCookie);
    let sa = ikeSas.get(key);
    if (sa === undefined) {
      sa = {
        // Copies: decoded fields are views into the caller's buffer, which may be reused.
        initiatorCookie: m.header.initiatorCookie.slice(),
        initiator: isZero(m.header.responderCookie) ? d.src : undefined,
        responderCookie: undefined,
        messages: 0,
        started: false,
        established: false,
        retransmissions: 0,
      };
      ikeSas.set(key, sa);
    }
    if (sa.responderCookie === undefined && !isZero(m.header.responderCookie))
      sa.responderCookie = m.header.responderCookie.slice();
    return sa;
  }

  function phase1(m: Message, d: SessionDatagram, direction: Direction, retransmitted: boolean) {
    const before: LogEvent[] = [];
    const after: LogEvent[] = [];
    const total = PHASE1_MESSAGES[m.header.exchangeType];
    if (total === undefined || m.header.messageId !== 0) return { before, after };
    const sa = ikeSaOf(m, d);
    if (retransmitted) {
      if (direction === 'sent') sa.retransmissions += 1;
      return { before, after };
    }
    if (!sa.started && direction === 'sent' && isZero(m.header.responderCookie)) {
      // A new phase 1 from us gives up the quick modes still being resent: the client said so then, once each.
      before.push(...abandonedQuickModes(d.time, true));
      before.push({ kind: 'phase1-start', ...prefix(d.time), peer: d.dst });
    }
    sa.started = true;
    sa.messages += 1;
    if (!sa.established && sa.messages >= total) {
      sa.established = true;
      const weInitiated = (sa.initiator ?? local) === local;
      const theirs = sa.responderCookie ?? m.header.responderCookie;
      after.push({
        kind: 'ike-sa-established',
        ...prefix(d.time),
        myCookie: weInitiated ? sa.initiatorCookie : theirs,
        hisCookie: weInitiated ? theirs : sa.initiatorCookie,
      });
    }
    return { before, after };
  }

  function quickMode(
    m: Message,
    d: SessionDatagram,
    direction: Direction,
    retransmitted: boolean,
    chain: readonly Payload[] | undefined,
  ) {
    const before: LogEvent[] = [];
    const after: LogEvent[] = [];
    const key = `${hex(m.header.initiatorCookie)}:${m.header.messageId}`;
    let qm = quickModes.get(key);
    if (qm === undefined) {
      qm = {
        messageId: m.header.messageId,
        initiator: d.src,
        messages: 0,
        commit: false,
        initiatorSa: undefined,
        responderSa: undefined,
        loaded: false,
        retransmissions: 0,
        gaveUp: false,
      };
      quickModes.set(key, qm);
    }
    if (retransmitted) {
      if (direction === 'sent') qm.retransmissions += 1;
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
    if (!qm.loaded && qm.messages >= (qm.commit ? 4 : 3)) {
      qm.loaded = true;
      const spis = spiPair(qm);
      if (spis !== undefined)
        after.push({ kind: 'loading-ipsec-sa', ...prefix(d.time), messageId: qm.messageId, ...spis });
    }
    return { before, after };
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
        if (p.protocolId === ProtocolId.ISAKMP)
          after.push({
            kind: 'deleting-sa',
            ...prefix(d.time),
            sa: 'IKE',
            text: `Deleting IKE SA (IP ADDR=${peer})${deletedCookie(p.spis[0])}`,
          });
        else
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
    const sa = ikeSas.get(hex(spi.subarray(0, 8)));
    if (sa === undefined || !sa.established) return '';
    const mine = (sa.initiator ?? local) === local ? sa.initiatorCookie : sa.responderCookie;
    return mine === undefined ? '' : ` (MY COOKIE ${formatCookie(mine)})`;
  }

  /** The decoded message, or undefined after recording why it did not decode. */
  function decodeAt(bytes: Uint8Array, at: number): Message | undefined {
    try {
      return decode(bytes);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      problems.push({ index: at, code: e.code, offset: e.offset, message: e.message });
      return undefined;
    }
  }

  function pushEvents(d: SessionDatagram, plaintext?: readonly Payload[]): LogEvent[] {
    const at = index++;
    const datagram = decodeAt(d.bytes, at);
    if (datagram === undefined) return [];
    if (local === undefined) local = d.src;
    if (connection === undefined) connection = addressName(d.src === local ? d.dst : d.src);
    if (d.time !== undefined) lastTime = d.time;
    const direction: Direction = d.src === local ? 'sent' : 'received';
    const retransmitted = isRetransmission(d.bytes);
    let m = datagram;
    const fragment = datagram.payloads.find((p): p is FragmentPayload => isPayload(p, PayloadType.FRAGMENT));
    if (fragment !== undefined) {
      const whole = reassembled(fragment, datagram, d, retransmitted);
      const message = whole === undefined ? undefined : decodeAt(whole, at);
      if (message === undefined) return [];
      m = message;
    }
    const encrypted = (m.header.flags & HeaderFlag.ENCRYPTION) !== 0;
    const chain = encrypted ? plaintext : m.payloads;

    const meta: Parameters<typeof messageEvent>[1] = {
      direction,
      retransmission: retransmitted,
      ...(connection !== undefined ? { connection } : {}),
      ...(timestamps && d.time !== undefined ? { time: d.time } : {}),
      ...(options.utcOffsetMinutes !== undefined ? { utcOffsetMinutes: options.utcOffsetMinutes } : {}),
      ...(encrypted && plaintext !== undefined ? { plaintext } : {}),
    };
    const line = messageEvent(m, meta);

    const before: LogEvent[] = [];
    const after: LogEvent[] = [];
    if (retransmitted && direction === 'sent') before.push({ kind: 'retransmit', ...prefix(d.time) });
    const exchange = m.header.exchangeType;
    if (PHASE1_MESSAGES[exchange] !== undefined) {
      const r = phase1(m, d, direction, retransmitted);
      before.push(...r.before);
      after.push(...r.after);
    } else if (exchange === QUICK_MODE) {
      const r = quickMode(m, d, direction, retransmitted, chain);
      before.push(...r.before);
      after.push(...r.after);
    } else if (exchange === INFORMATIONAL && !retransmitted) after.push(...informational(d, direction, chain));
    return [...before, line, ...after];
  }

  function finishEvents(time: CaptureTime | undefined = lastTime): LogEvent[] {
    const out: LogEvent[] = [];
    for (const sa of ikeSas.values())
      if (!sa.established && sa.retransmissions > 0 && (sa.initiator ?? local) === local)
        out.push({
          kind: 'exceeded-attempts',
          ...prefix(time),
          phase: 1,
          attempts: sa.retransmissions,
        });
    out.push(...abandonedQuickModes(time, false));
    return out;
  }

  /**
   * `Exceeded retry attempts` for our resent, unfinished quick modes not yet reported: one line for them all (the
   * client wrote one when it gave up). `settle` records them as reported; `finish` does not, so it can be asked again.
   */
  function abandonedQuickModes(time: CaptureTime | undefined, settle: boolean): LogEvent[] {
    let any = false;
    for (const qm of quickModes.values())
      if (!qm.loaded && !qm.gaveUp && qm.retransmissions > 0 && qm.initiator === local) {
        if (settle) qm.gaveUp = true;
        any = true;
      }
    return any ? [{ kind: 'exceeded-attempts', ...prefix(time, false), phase: 2 }] : [];
  }

  return {
    pushEvents,
    push: (d, plaintext) => pushEvents(d, plaintext).flatMap(canonicalLines),
    finishEvents,
    finish: (time) => finishEvents(time).flatMap(canonicalLines),
    problems,
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
    const d: SessionDatagram = { bytes: item.bytes, src: item.src, dst: item.dst, time: item.time };
    for (const line of session.push(d, options.plaintext?.(d, i))) out += line + eol;
    i++;
  }
  for (const line of session.finish()) out += line + eol;
  return out;
}
