/**
 * The first stage of every capture → View Log pass: datagram → message. Each datagram is decoded once; IKE fragments
 * (payload 132) are reassembled once, with one set of limits; byte-identical resends are recognised once, by digest.
 * A session reads its datagrams through one reader (`Session.read`), and a composing layer that decrypts between
 * reading and rendering (`@oaklog/pipeline`) uses the same reader through the session, so nothing is done twice.
 */
import { copyBytes, toHex } from '@oaklog/common';
import {
  createFragmentReassembler,
  DecodeError,
  decodeAny,
  type FragmentPayload,
  type Ikev2Message,
  isPayload,
  type Message,
  PayloadType,
} from '@oaklog/isakmp';
import type { SessionDatagram, SessionProblem } from './sa-tracker';

/** What one datagram became. */
export type ReadResult =
  /** A whole message: the datagram's own, or the one its IKE fragment completed (`reassembled`). */
  | {
      readonly kind: 'message';
      readonly index: number;
      readonly datagram: SessionDatagram;
      readonly message: Message;
      /**
       * A byte-identical copy of a message its sender sent before (for a fragmented message: of the reassembled
       * message); the same bytes from the other end are that end's own message.
       */
      readonly retransmission: boolean;
      /** The message was reassembled from IKE fragments, this datagram the one that completed it. */
      readonly reassembled: boolean;
      /**
       * The message decoded only in part: its `payloads` are those before the fault, `message.unreadable` the rest,
       * and this the fault (reported as a problem too). Its line lists the payloads that decoded, then `UNREADABLE`.
       */
      readonly unreadable?: SessionProblem;
    }
  /** An IKEv2 message (the header's major version is 2): no View Log line, the clients never logged IKEv2. */
  | {
      readonly kind: 'ikev2';
      readonly index: number;
      readonly datagram: SessionDatagram;
      readonly message: Ikev2Message;
      /** It decoded only in part (reported as a problem, as `oaklog decode` reports it). */
      readonly unreadable?: SessionProblem;
    }
  /** An IKE fragment of a message not complete yet (or a copy of a non-completing fragment): it prints nothing. */
  | {
      readonly kind: 'fragment';
      readonly index: number;
      readonly datagram: SessionDatagram;
      readonly message: Message;
      /** The fragment's own datagram decoded only in part (reported as a problem). */
      readonly unreadable?: SessionProblem;
      /** The fragment cannot belong to its message (`BAD_FRAGMENT`, reported as a problem) and was not used. */
      readonly refused?: SessionProblem;
    }
  /**
   * Did not decode. `carrier` is true when the datagram itself decoded (an IKE fragment) but the message it
   * completed did not.
   */
  | {
      readonly kind: 'problem';
      readonly index: number;
      readonly datagram: SessionDatagram;
      readonly problem: SessionProblem;
      readonly carrier: boolean;
    };

/** Limits of a reader; each bounds memory. */
export interface MessageReaderOptions {
  /** Most datagrams remembered (as digests) to recognise retransmissions. Default 65536. */
  readonly maxRemembered?: number;
  /** Highest IKE fragment number accepted (most fragments per message). Default: `@oaklog/isakmp`'s, 255. */
  readonly maxFragments?: number;
}

/** The datagram → message stage. */
export interface MessageReader {
  read(datagram: SessionDatagram): ReadResult;
  /**
   * Ends the capture: each message whose IKE fragments never all came is reported (`INCOMPLETE_FRAGMENTS`, at the
   * datagram of its last fragment read), so no fragment goes unaccounted for. Reading on after it starts afresh.
   */
  finish(): void;
  /** Digests remembered, and fragmented messages remembered to print copies of their completing fragment. */
  stats(): { remembered: number; reassembled: number };
}

/** The codes of the reader's own problems (the codec's `DecodeError` codes name the others). */
export const ReaderProblem = {
  /** A message's IKE fragments never all came: dropped to make room for newer ones, or still missing at the end. */
  INCOMPLETE_FRAGMENTS: 'INCOMPLETE_FRAGMENTS',
  /** An IKE fragment that cannot belong to its message: its number is 0 or past the last, it conflicts with one held, or the message would grow too large. */
  BAD_FRAGMENT: 'BAD_FRAGMENT',
} as const;

/** Fragments of one message being reassembled, as far as the reader needs them to report it. */
interface FragmentGroup {
  /** The datagram (and its index) of the group's latest fragment: where the problem is reported. */
  datagram: SessionDatagram;
  index: number;
  /** Fragment number → capture frame (the datagram's index when it has no frame). */
  readonly frames: Map<number, number | undefined>;
  /** Data bytes of each fragment, to tell where in the message the first gap starts. */
  readonly sizes: Map<number, number>;
  last: number | undefined;
  readonly fragmentId: number;
}

/** Most fragment groups tracked: more than the reassembler holds (it evicts, and says which), so none is lost. */
const MAX_GROUPS = 1024;

/** Byte offset of the first fragment payload in an ISAKMP message, walking the generic payload headers. */
function fragmentOffset(bytes: Uint8Array): number {
  let next = bytes[16] ?? 0;
  let at = 28;
  for (let n = 0; next !== 0 && at + 4 <= bytes.length && n < 512; n++) {
    if (next === PayloadType.FRAGMENT) return at;
    const length = ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0);
    if (length < 4) break;
    next = bytes[at] ?? 0;
    at += length;
  }
  return 28;
}

/** Why a fragment was refused, in words. */
const REFUSED: Readonly<Record<string, string>> = {
  conflict: 'it differs from a fragment of the same number already held, or claims to be last when another one is',
  'bad-number': 'its number is 0, past the highest accepted, or past the message’s last fragment',
  'too-large': 'the message it belongs to would grow past the largest reassembled size',
};

/** Bytes of the ISAKMP header (RFC 2408 3.1): the least a message's length field can say. */
const ISAKMP_HEADER_LENGTH = 28;

/** Fragmented messages remembered to print a copy of the fragment that completed one as its retransmission. */
const MAX_REASSEMBLED = 64;

/** The last `max` keys added, oldest forgotten first: a set plus a ring of its keys in order. */
function createMemory(max: number): { remember(key: string): boolean; readonly size: number } {
  const set = new Set<string>();
  const ring: string[] = [];
  let at = 0;
  return {
    /** Adds `key`; true when it was remembered already. */
    remember(key) {
      if (set.has(key)) return true;
      const oldest = ring[at];
      if (oldest !== undefined) set.delete(oldest);
      ring[at] = key;
      at = (at + 1) % max;
      set.add(key);
      return false;
    },
    get size() {
      return set.size;
    },
  };
}

/**
 * A datagram's identity for recognising byte-identical resends: its length and two 32-bit hashes (MurmurHash3's and an
 * FNV-style one) of its 4-byte words, mixed once, in one pass. Fixed size whatever the datagram's, so remembering many
 * costs little; two different datagrams of one length share it with odds of about 2^-64.
 */
export function digest(bytes: Uint8Array): string {
  let a = 0x9747b28c;
  let b = 0x811c9dc5;
  const n = bytes.length;
  for (let i = 0; i < n; i += 4) {
    // The last word is padded with zeros; the length in the digest keeps "ab" and "ab\0" apart.
    let k = (bytes[i] ?? 0) | ((bytes[i + 1] ?? 0) << 8) | ((bytes[i + 2] ?? 0) << 16) | ((bytes[i + 3] ?? 0) << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    a ^= k;
    a = (Math.imul((a << 13) | (a >>> 19), 5) + 0xe6546b64) | 0;
    b = Math.imul(b ^ k, 0x01000193);
  }
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  return `${n}:${(a >>> 0).toString(36)}:${(b >>> 0).toString(36)}`;
}

/**
 * A reader (see the module comment). `report` gets each problem as it happens. Throws `RangeError` for a limit that
 * is not a positive integer.
 */
export function createMessageReader(
  report: (problem: SessionProblem) => void,
  options: MessageReaderOptions = {},
): MessageReader {
  const maxRemembered = options.maxRemembered ?? 65536;
  if (!Number.isSafeInteger(maxRemembered) || maxRemembered < 1)
    throw new RangeError(`maxRemembered ${maxRemembered} is not a positive integer`);
  /** Digests of the datagrams (and reassembled messages) seen, to recognise byte-identical resends. */
  const seen = createMemory(maxRemembered);
  // The codec's limits, the same wherever IKE fragments are joined (crypto's decryptor uses them too).
  const fragments = createFragmentReassembler(
    options.maxFragments === undefined ? {} : { maxFragments: options.maxFragments },
  );
  /** Digest of the datagram that completed a fragmented message → that message, to print its retransmissions. */
  const completedBy = new Map<string, Uint8Array>();
  /** The messages being reassembled, by the reassembler's key, to report those that never complete. */
  const groups = new Map<string, FragmentGroup>();
  let index = 0;

  /** Reports a message whose fragments never all came, and forgets it. */
  function reportIncomplete(key: string, why: string): void {
    const g = groups.get(key);
    if (g === undefined) return;
    groups.delete(key);
    const numbers = [...g.frames.keys()].sort((a, b) => a - b);
    const missing =
      g.last === undefined
        ? 'the last fragment'
        : `fragment${g.last - numbers.length === 1 ? '' : 's'} ${Array.from({ length: g.last }, (_, i) => i + 1)
            .filter((n) => !g.frames.has(n))
            .join(', ')} of ${g.last}`;
    // Where the whole message stops being known: the data bytes before the first missing fragment.
    let offset = 0;
    for (let n = 1; g.sizes.has(n); n++) offset += g.sizes.get(n) ?? 0;
    const frames = numbers.map((n) => {
      const f = g.frames.get(n);
      return f === undefined ? `fragment ${n}` : `fragment ${n} in frame ${f}`;
    });
    const problem: SessionProblem = {
      index: g.index,
      ...(g.datagram.frame === undefined ? {} : { frame: g.datagram.frame }),
      code: ReaderProblem.INCOMPLETE_FRAGMENTS,
      offset,
      // No datagram completed it: the offset is where the whole message stops being known (its first gap).
      reassembled: false,
      message: `${ReaderProblem.INCOMPLETE_FRAGMENTS} at byte ${offset} of the reassembled message: the IKE fragments of message ${g.fragmentId} never all came (${why}; ${missing} missing): ${frames.join(', ')}`,
      datagram: g.datagram,
    };
    report(problem);
  }

  /** Keeps the group of a stored fragment up to date (bounded: the oldest group past the cap is reported). */
  function noteFragment(key: string, fragment: FragmentPayload, datagram: SessionDatagram, at: number): void {
    // A copy: the group outlives the datagram, whose bytes are a view into the capture's 64 KiB read chunk.
    const d = { ...datagram, bytes: copyBytes(datagram.bytes) };
    let g = groups.get(key);
    if (g === undefined) {
      g = {
        datagram: d,
        index: at,
        frames: new Map(),
        sizes: new Map(),
        last: undefined,
        fragmentId: fragment.fragmentId,
      };
      groups.set(key, g);
      if (groups.size > MAX_GROUPS)
        reportIncomplete(groups.keys().next().value as string, 'too many messages in reassembly at once');
    }
    g.datagram = d;
    g.index = at;
    g.frames.set(fragment.fragmentNumber, d.frame);
    g.sizes.set(fragment.fragmentNumber, fragment.data.length);
    if (fragment.last) g.last = fragment.fragmentNumber;
  }

  function problemOf(e: DecodeError, at: number, d: SessionDatagram, whole: boolean): SessionProblem {
    const plain = `${e.code} at byte ${e.offset}: `;
    const message =
      whole && e.message.startsWith(plain)
        ? `${e.code} at byte ${e.offset} of the reassembled message: ${e.message.slice(plain.length)}`
        : e.message;
    const problem: SessionProblem = {
      index: at,
      ...(d.frame === undefined ? {} : { frame: d.frame }),
      code: e.code,
      offset: e.offset,
      reassembled: whole,
      message,
    };
    report(problem);
    return problem;
  }

  /**
   * The message as far as it decodes (with the fault, reported, when it decoded in part), an IKEv2 message, or the
   * problem why nothing decoded: a header that cannot be read, or a major version that is neither 1 nor 2.
   */
  function decodeAt(
    bytes: Uint8Array,
    at: number,
    d: SessionDatagram,
    whole: boolean,
  ):
    | { message: Message; unreadable?: SessionProblem }
    | { ikev2: Ikev2Message; unreadable?: SessionProblem }
    | { problem: SessionProblem } {
    try {
      const any = decodeAny(bytes);
      if (any.version === 'unsupported') return { problem: problemOf(any.error, at, d, whole) };
      if (any.version === 2)
        return any.error === undefined
          ? { ikev2: any.message }
          : { ikev2: any.message, unreadable: problemOf(any.error, at, d, whole) };
      // A header whose length field is below the header's own size frames nothing: no ISAKMP message (tshark calls it
      // UDP data), so no line and no conversation, only the problem.
      if (any.message.header.length < ISAKMP_HEADER_LENGTH && any.error !== undefined)
        return { problem: problemOf(any.error, at, d, whole) };
      return any.error === undefined
        ? { message: any.message }
        : { message: any.message, unreadable: problemOf(any.error, at, d, whole) };
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      return { problem: problemOf(e, at, d, whole) };
    }
  }

  /**
   * The whole message an IKE fragment datagram belongs to, once this datagram completes it (or is a copy of the one
   * that did), and whether that message was seen before; undefined while fragments are missing, and for copies of
   * the others. A resend is judged on the reassembled message: peers reuse fragment IDs (libreswan always sends 1),
   * so a last fragment equal to an earlier one may complete a different message.
   */
  function reassembled(
    fragment: FragmentPayload,
    m: Message,
    d: SessionDatagram,
    at: number,
  ): { bytes: Uint8Array; retransmitted: boolean } | { refused: SessionProblem } | undefined {
    const key = `${toHex(m.header.initiatorCookie)}:${toHex(m.header.responderCookie)}:${d.src}`;
    const result = fragments.push(fragment, key);
    if (result.status !== 'rejected' && result.evicted !== undefined)
      reportIncomplete(result.evicted, 'dropped to make room for newer messages in reassembly');
    // A resend is the same bytes from the same sender: the peer's identical bytes are its own message.
    const datagram = `${d.src} ${digest(d.bytes)}`;
    if (result.status === 'incomplete') noteFragment(result.key, fragment, d, at);
    if (result.status === 'rejected' && result.reason in REFUSED) {
      const offset = fragmentOffset(d.bytes);
      const problem: SessionProblem = {
        index: at,
        ...(d.frame === undefined ? {} : { frame: d.frame }),
        code: ReaderProblem.BAD_FRAGMENT,
        offset,
        reassembled: false,
        message: `${ReaderProblem.BAD_FRAGMENT} at byte ${offset}: IKE fragment ${fragment.fragmentNumber} of message ${fragment.fragmentId} was not used: ${REFUSED[result.reason]}`,
      };
      report(problem);
      return { refused: problem };
    }
    if (result.status !== 'complete') {
      const whole = completedBy.get(datagram);
      return whole === undefined ? undefined : { bytes: whole, retransmitted: true };
    }
    groups.delete(result.key);
    completedBy.delete(datagram);
    completedBy.set(datagram, result.message);
    if (completedBy.size > MAX_REASSEMBLED) completedBy.delete(completedBy.keys().next().value as string);
    return { bytes: result.message, retransmitted: seen.remember(`${d.src} ${digest(result.message)}`) };
  }

  function read(d: SessionDatagram): ReadResult {
    const at = index++;
    const carrier = decodeAt(d.bytes, at, d, false);
    if ('problem' in carrier)
      return { kind: 'problem', index: at, datagram: d, problem: carrier.problem, carrier: false };
    if ('ikev2' in carrier)
      return {
        kind: 'ikev2',
        index: at,
        datagram: d,
        message: carrier.ikev2,
        ...(carrier.unreadable === undefined ? {} : { unreadable: carrier.unreadable }),
      };
    const fragment = carrier.message.payloads.find((p): p is FragmentPayload => isPayload(p, PayloadType.FRAGMENT));
    if (fragment === undefined)
      return {
        kind: 'message',
        index: at,
        datagram: d,
        message: carrier.message,
        retransmission: seen.remember(`${d.src} ${digest(d.bytes)}`),
        reassembled: false,
        ...(carrier.unreadable === undefined ? {} : { unreadable: carrier.unreadable }),
      };
    const whole = reassembled(fragment, carrier.message, d, at);
    if (whole === undefined || 'refused' in whole)
      return {
        kind: 'fragment',
        index: at,
        datagram: d,
        message: carrier.message,
        ...(carrier.unreadable === undefined ? {} : { unreadable: carrier.unreadable }),
        ...(whole === undefined ? {} : { refused: whole.refused }),
      };
    const m = decodeAt(whole.bytes, at, d, true);
    if ('problem' in m) return { kind: 'problem', index: at, datagram: d, problem: m.problem, carrier: true };
    // An IKEv2 message inside IKEv1 fragments: not a message of this log either.
    if ('ikev2' in m)
      return {
        kind: 'ikev2',
        index: at,
        datagram: d,
        message: m.ikev2,
        ...(m.unreadable === undefined ? {} : { unreadable: m.unreadable }),
      };
    return {
      kind: 'message',
      index: at,
      datagram: d,
      message: m.message,
      retransmission: whole.retransmitted,
      reassembled: true,
      ...(m.unreadable === undefined ? {} : { unreadable: m.unreadable }),
    };
  }

  function finish(): void {
    for (const key of [...groups.keys()]) reportIncomplete(key, 'the capture ends first');
    fragments.clear();
  }

  return { read, finish, stats: () => ({ remembered: seen.size, reassembled: completedBy.size }) };
}
