/**
 * The first stage of every capture → View Log pass: datagram → message. Each datagram is decoded once; IKE fragments
 * (payload 132) are reassembled once, with one set of limits; byte-identical resends are recognised once, by digest.
 * A session reads its datagrams through one reader (`Session.read`), and a composing layer that decrypts between
 * reading and rendering (`@oaklog/pipeline`) uses the same reader through the session, so nothing is done twice.
 */
import { toHex } from '@oaklog/common';
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
      /** A byte-identical copy of a message read before (for a fragmented message: of the reassembled message). */
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
    }
  /** An IKE fragment of a message not complete yet (or a copy of a non-completing fragment): it prints nothing. */
  | {
      readonly kind: 'fragment';
      readonly index: number;
      readonly datagram: SessionDatagram;
      readonly message: Message;
      /** The fragment's own datagram decoded only in part (reported as a problem). */
      readonly unreadable?: SessionProblem;
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
  /** Digests remembered, and fragmented messages remembered to print copies of their completing fragment. */
  stats(): { remembered: number; reassembled: number };
}

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
  let index = 0;

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
  ): { message: Message; unreadable?: SessionProblem } | { ikev2: Ikev2Message } | { problem: SessionProblem } {
    try {
      const any = decodeAny(bytes);
      if (any.version === 'unsupported') return { problem: problemOf(any.error, at, d, whole) };
      if (any.version === 2) return { ikev2: any.message };
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
  ): { bytes: Uint8Array; retransmitted: boolean } | undefined {
    const key = `${toHex(m.header.initiatorCookie)}:${toHex(m.header.responderCookie)}:${d.src}`;
    const result = fragments.push(fragment, key);
    const datagram = digest(d.bytes);
    if (result.status !== 'complete') {
      const whole = completedBy.get(datagram);
      return whole === undefined ? undefined : { bytes: whole, retransmitted: true };
    }
    completedBy.delete(datagram);
    completedBy.set(datagram, result.message);
    if (completedBy.size > MAX_REASSEMBLED) completedBy.delete(completedBy.keys().next().value as string);
    return { bytes: result.message, retransmitted: seen.remember(digest(result.message)) };
  }

  function read(d: SessionDatagram): ReadResult {
    const at = index++;
    const carrier = decodeAt(d.bytes, at, d, false);
    if ('problem' in carrier)
      return { kind: 'problem', index: at, datagram: d, problem: carrier.problem, carrier: false };
    if ('ikev2' in carrier) return { kind: 'ikev2', index: at, datagram: d, message: carrier.ikev2 };
    const fragment = carrier.message.payloads.find((p): p is FragmentPayload => isPayload(p, PayloadType.FRAGMENT));
    if (fragment === undefined)
      return {
        kind: 'message',
        index: at,
        datagram: d,
        message: carrier.message,
        retransmission: seen.remember(digest(d.bytes)),
        reassembled: false,
        ...(carrier.unreadable === undefined ? {} : { unreadable: carrier.unreadable }),
      };
    const whole = reassembled(fragment, carrier.message, d);
    if (whole === undefined)
      return {
        kind: 'fragment',
        index: at,
        datagram: d,
        message: carrier.message,
        ...(carrier.unreadable === undefined ? {} : { unreadable: carrier.unreadable }),
      };
    const m = decodeAt(whole.bytes, at, d, true);
    if ('problem' in m) return { kind: 'problem', index: at, datagram: d, problem: m.problem, carrier: true };
    // An IKEv2 message inside IKEv1 fragments: not a message of this log either.
    if ('ikev2' in m) return { kind: 'ikev2', index: at, datagram: d, message: m.ikev2 };
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

  return { read, stats: () => ({ remembered: seen.size, reassembled: completedBy.size }) };
}
