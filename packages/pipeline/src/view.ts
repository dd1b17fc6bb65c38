/**
 * A capture as the VPN client's View Log, in one pass that reads one way:
 *
 *   datagram → message → plaintext → events → lines
 *
 * - datagram → message: the bridge session's reader (`Session.read`) decodes each datagram once, reassembles IKE
 *   fragments once (one reassembler, one set of limits) and recognises byte-identical resends once;
 * - message → plaintext: `@oaklog/crypto`'s decryptor gets each decoded message once (`MessageDecryptor.decrypt`: no
 *   second decode, no second reassembly; resends are not decrypted again, their line shows no payloads);
 * - plaintext → events → lines: the session renders the message with its plaintext (`Session.pushReadEvents`).
 *
 * Out of order: a message whose IV comes from a message captured after it (QM2 before QM1) does not decrypt when it
 * arrives. The pipeline holds it, and the lines after it, for up to `holdDatagrams` datagrams; each time a message of
 * the same IKE SA decrypts, the held ones are tried again, and one that decrypts then is rendered right after the
 * message that gave it its IV, that is in the order the exchange ran (its line keeps its own capture time). A held
 * message that never decrypts is rendered where it was captured, as not decrypted. Holding delays lines; it never
 * drops or duplicates one. Memory: at most `holdDatagrams` + 1 held datagrams, plus the session's bounded state.
 *
 * Only this layer knows everything: the codec knows no keys or text, the grammar no bytes, the bridge no keys.
 * Browser-safe: no `node:` imports, no `Buffer`.
 */
import {
  createSession,
  type ReadResult,
  type SessionDatagram,
  type SessionOptions,
  type SessionProblem,
  type SessionStats,
} from '@oaklog/bridge';
import {
  type CipherName,
  createMessageDecryptor,
  type IkeSaKeys,
  type IvSource,
  type MessageDecryptor,
  type MessageOutcome,
  toHex,
} from '@oaklog/crypto';
import { HeaderFlag, type Payload } from '@oaklog/isakmp';
import type { CaptureItem, CaptureTime, IkeDatagram } from '@oaklog/pcap';
import { canonicalLines, type LogEvent } from '@oaklog/viewlog';

/** Options of a view pipeline: the session's (who "we" are, names, times, limits) plus keys. */
export interface ViewOptions
  extends Pick<
    SessionOptions,
    | 'local'
    | 'connection'
    | 'utcOffsetMinutes'
    | 'timestamps'
    | 'idleTimeoutSeconds'
    | 'maxConversations'
    | 'maxQuickModes'
    | 'maxRemembered'
  > {
  /** Keys of the IKE SAs to decrypt (`@oaklog/crypto`'s key file parsers give them). None: nothing is decrypted. */
  readonly keys?: readonly IkeSaKeys[];
  /** Only the conversations with this peer: datagrams from or to this address (both ends of a conversation count). */
  readonly peer?: string;
  /**
   * Only the conversation(s) of this cookie: 16 hex digits matching the initiator or the responder cookie, or 32
   * for the pair (`<initiator><responder>`, as a delete's SPI and tshark's `isakmp.ispi`/`rspi` show them). Fewer
   * than 16 digits are a prefix of the initiator cookie; 17 to 31 a prefix of the pair.
   */
  readonly cookie?: string;
  /** How many later datagrams a message that did not decrypt yet waits for, waiting for the message that gives its IV. Default 8. */
  readonly holdDatagrams?: number;
}

/** One thing the pipeline tells: a View Log event with its printed lines, or a datagram that did not decode. */
export type ViewItem =
  | {
      readonly kind: 'event';
      /** The event, as `@oaklog/viewlog` types it. */
      readonly event: LogEvent;
      /** Its printed lines (one, or three for `Established IKE SA` with its cookies), without line ends. */
      readonly lines: readonly string[];
      /** Capture frame of the datagram that produced it; undefined for the lines written at the end. */
      readonly frame: number | undefined;
    }
  | {
      readonly kind: 'problem';
      /** Capture frame number (as `oaklog decode` and Wireshark count). */
      readonly frame: number;
      readonly src: string;
      readonly srcPort: number;
      readonly dst: string;
      readonly dstPort: number;
      /** The decoder's error code. */
      readonly code: string;
      /** Byte offset of the fault in the ISAKMP message (or in the reassembled message: `reassembled`). */
      readonly offset: number;
      /** The message that did not decode was reassembled from IKE fragments this frame completed. */
      readonly reassembled: boolean;
      /**
       * The message decoded in part: its line lists the payloads before the fault, then `UNREADABLE` (for an IKE
       * fragment, the message it belongs to prints when complete). False: nothing decoded, no line.
       */
      readonly partial: boolean;
      /** `CODE at byte N: detail`. */
      readonly message: string;
    };

/** What a whole pass saw. */
export interface ViewSummary {
  /** IKE datagrams read. */
  readonly datagrams: number;
  /** Encrypted messages (resends and fragments not counted: a resend's line shows no payloads). */
  readonly encrypted: number;
  /** Of those, decrypted (their line shows the whole payload list). */
  readonly decrypted: number;
  /** Datagrams that did not decode, or only in part (each reported once as a `problem` item). */
  readonly problems: number;
  /** IKEv2 datagrams (left out of the View Log: the clients never logged IKEv2). */
  readonly ikev2: number;
  /** The capture frames of the first of them (at most 20). */
  readonly ikev2Frames: readonly number[];
  /**
   * Negotiations we resent and never finished whose `Exceeded` line is not printed because the capture shows no
   * silence after the last resend: the capture was cut mid-exchange (counted at `finish`). A View Log's count: 0 in
   * `decodeCapture`'s summary, which makes no View Log.
   */
  readonly cut: number;
  /** Datagrams left out by `peer` or `cookie`. */
  readonly filtered: number;
  /** Whether `local`, when given, sent any IKE datagram. */
  readonly localSent: boolean;
  /** Whether keys were given. */
  readonly keys: boolean;
  /**
   * IKE SAs with keys whose decryption state was dropped, least recently used first, to keep the decryptor within its
   * bound (`MessageDecryptorOptions.maxRememberedSas`, default `MAX_REMEMBERED_SAS`): a later message of one decrypts only if it carries
   * what a fresh state needs.
   */
  readonly forgottenSas: number;
}

/** A pipeline pushed one capture item at a time. */
export interface ViewPipeline {
  /** Reads one capture item (items that are not IKE datagrams are ignored) and returns what can be told now. */
  push(item: CaptureItem): ViewItem[];
  /** Ends the capture: what was held, then the lines written at the end, at `time` (default: the last datagram's). */
  finish(time?: CaptureTime): ViewItem[];
  /** Counts so far. */
  readonly summary: ViewSummary;
  /** What the session holds, and how many datagrams are held for decryption. */
  stats(): SessionStats & { readonly held: number };
}

interface Held {
  readonly read: ReadResult;
  /** Initiator cookie (hex) of its message: who may give it its IV. */
  readonly cookie: string | undefined;
  /** Datagrams read before it (its arrival, in datagram counts). */
  readonly arrival: number;
  plaintext: Payload[] | undefined;
  /** Did not decrypt yet, but may once a later message of its IKE SA has. */
  pending: boolean;
  /** The capture item it came from (for `decodeCapture`'s records). */
  readonly item: IkeDatagram;
  /** What decryption made of it (for `decodeCapture`'s records); undefined when not tried. */
  outcome: Decryption | undefined;
}

/** What decryption made of one encrypted message (`decodeCapture`). */
export type Decryption =
  | {
      readonly kind: 'decrypted';
      /** The decrypted payload chain. */
      readonly payloads: readonly Payload[];
      readonly cipher: CipherName;
      /** Which IV rule gave the IV (see `@oaklog/crypto`'s `IvSource`). */
      readonly ivSource: IvSource;
      /** The IV the chain expected did not work; another plausible one did. */
      readonly recovered: boolean;
    }
  /** Keys were tried, but none decrypted it convincingly (wrong key?). */
  | { readonly kind: 'not-decrypted'; readonly reason: string }
  /** Not tried: `code` says why (`NO_IV`, `BAD_KEY_LENGTH`, ...). */
  | { readonly kind: 'failed'; readonly code: string; readonly message: string };

/**
 * One IKE datagram as `decodeCapture` tells it, in capture order: the capture item, what the session's reader made of
 * it (`@oaklog/bridge`'s `ReadResult`: the decoded message, a fragment, IKEv2, or a problem), and its decryption.
 */
export interface DecodedDatagram {
  readonly kind: 'datagram';
  readonly item: IkeDatagram;
  /** Undefined when `peer`/`cookie` left it out (then nothing else is known: it was not read further). */
  readonly read: ReadResult | undefined;
  /**
   * For an encrypted IKEv1 message when keys were given: the outcome. Retransmissions are decrypted too (with their
   * first copy's IV), although the View Log shows no payloads for them.
   */
  readonly decryption: Decryption | undefined;
}

/** What `decodeCapture` yields: each IKE datagram, and every other capture item (skipped, malformed) as it came. */
export type DecodeItem = DecodedDatagram | { readonly kind: 'other'; readonly item: Exclude<CaptureItem, IkeDatagram> };

function decryptionOf(outcome: MessageOutcome | { readonly kind: 'no-keys' }): Decryption | undefined {
  switch (outcome.kind) {
    case 'decrypted':
      return {
        kind: 'decrypted',
        payloads: outcome.body.payloads,
        cipher: outcome.cipher,
        ivSource: outcome.ivSource,
        recovered: outcome.recovered,
      };
    case 'not-decrypted':
      return { kind: 'not-decrypted', reason: String(outcome.reason) };
    case 'failed':
      return { kind: 'failed', code: outcome.error.code, message: outcome.error.message };
    default:
      return undefined;
  }
}

/** Internal: told each IKE datagram once what the pipeline made of it is final (in render order, not capture order). */
type OnDatagram = (record: DecodedDatagram) => void;

/** How many IKEv2 frames the summary lists. */
const MAX_LISTED_FRAMES = 20;

/** Creates a pipeline (see the module comment). Throws `RangeError` for a limit that is not a positive integer. */
export function createViewPipeline(options: ViewOptions = {}): ViewPipeline {
  return createPipeline(options, undefined);
}

/**
 * The pipeline. With `onDatagram` (`decodeCapture`, which reads only the records it hears) the View Log events are
 * not made (they were a quarter of `oaklog decode`'s run), and `push` and `finish` tell only problems.
 */
function createPipeline(options: ViewOptions, onDatagram: OnDatagram | undefined): ViewPipeline {
  const events = onDatagram === undefined;
  const holdDatagrams = options.holdDatagrams ?? 8;
  if (!Number.isSafeInteger(holdDatagrams) || holdDatagrams < 0)
    throw new RangeError(`holdDatagrams ${holdDatagrams} is not a whole number`);
  const { keys, holdDatagrams: _, peer, cookie, ...sessionOptions } = options;
  const cookieFilter = cookie?.toLowerCase().replace(/[^0-9a-f]/g, '');
  if (cookieFilter !== undefined && (cookieFilter.length === 0 || cookieFilter.length > 32))
    throw new RangeError(`cookie ${cookie} is not 1 to 32 hex digits`);
  // Problems come back from `read` with their datagram; those found later (fragments of a message that never
  // completed, named by their last datagram) are collected here and told with the next items. The session keeps none.
  const later: SessionProblem[] = [];
  const session = createSession({
    ...sessionOptions,
    onProblem: (p) => {
      if (p.datagram !== undefined) later.push(p);
    },
  });
  const decryptor: MessageDecryptor | undefined =
    keys !== undefined && keys.length > 0 ? createMessageDecryptor(keys) : undefined;
  const queue: Held[] = [];
  let datagrams = 0;
  /** Time of the last frame read that had one. */
  let lastTime: CaptureTime | undefined;
  let encrypted = 0;
  let decrypted = 0;
  let problems = 0;
  let ikev2 = 0;
  const ikev2Frames: number[] = [];
  let localSent = false;
  let filtered = 0;
  let cut = 0;

  /** Whether a read message belongs to the conversations asked for (`peer`, `cookie`). */
  function wanted(read: ReadResult): boolean {
    if (peer !== undefined && read.datagram.src !== peer && read.datagram.dst !== peer) return false;
    if (cookieFilter === undefined || read.kind === 'problem' || read.kind === 'ikev2') return true;
    return cookieMatches(read.message.header.initiatorCookie, read.message.header.responderCookie);
  }

  /** Whether a cookie pair is the one `cookie` asks for. */
  function cookieMatches(initiator: Uint8Array, responder: Uint8Array): boolean {
    if (cookieFilter === undefined) return true;
    const ic = toHex(initiator);
    if (cookieFilter.length === 16) return cookieFilter === ic || cookieFilter === toHex(responder);
    // Shorter: a prefix of the initiator cookie; longer: a prefix of the pair.
    return cookieFilter.length < 16 ? ic.startsWith(cookieFilter) : (ic + toHex(responder)).startsWith(cookieFilter);
  }

  /** Renders a held item: its events, with the frame of its datagram. */
  function render(h: Held, out: ViewItem[]): void {
    const r = h.read;
    if (r.kind === 'message' && !r.retransmission && (r.message.header.flags & HeaderFlag.ENCRYPTION) !== 0) {
      encrypted += 1;
      if (h.plaintext !== undefined) decrypted += 1;
    }
    // The frame of the datagram that made each event (an `Established` line may wait for a later datagram).
    if (events)
      for (const { event, frame } of session.pushReadItems(r, h.plaintext))
        out.push({ kind: 'event', event, lines: canonicalLines(event), frame });
    onDatagram?.({ kind: 'datagram', item: h.item, read: r, decryption: h.outcome });
  }

  /** Renders from the front every item that waits for nothing any more (all of them when `all`). */
  function flush(out: ViewItem[], all: boolean): void {
    while (queue.length > 0) {
      const h = queue[0] as Held;
      if (h.pending && !all && datagrams - h.arrival < holdDatagrams) return;
      queue.shift();
      render(h, out);
    }
  }

  /**
   * After `by` decrypted: the held messages of its IKE SA tried again; those that decrypt now move to right after it.
   */
  function retryHeld(by: Held): void {
    if (decryptor === undefined) return;
    const moved: Held[] = [];
    for (let i = 0; i < queue.length; i++) {
      const h = queue[i] as Held;
      if (!h.pending || h === by || h.cookie !== by.cookie || h.read.kind !== 'message') continue;
      const again = decryptor.decryptAgain(h.read.message);
      if (again.kind !== 'decrypted') continue;
      h.plaintext = again.body.payloads;
      h.outcome = decryptionOf(again);
      h.pending = false;
      queue.splice(i, 1);
      i -= 1;
      moved.push(h);
    }
    if (moved.length > 0) queue.splice(queue.indexOf(by) + 1, 0, ...moved);
  }

  /** A problem as an item, at the datagram it names. */
  function problemItem(p: SessionProblem, d: SessionDatagram, partial: boolean): ViewItem {
    problems += 1;
    return {
      kind: 'problem',
      frame: d.frame ?? 0,
      src: d.src,
      srcPort: d.srcPort ?? 0,
      dst: d.dst,
      dstPort: d.dstPort ?? 0,
      code: p.code,
      offset: p.offset,
      reassembled: p.reassembled,
      partial,
      message: p.message,
    };
  }

  /** The problems found after their datagrams were read (see `later`), unless filtered out. */
  function tellLater(out: ViewItem[]): void {
    for (const p of later.splice(0)) {
      const d = p.datagram as SessionDatagram;
      if (peer !== undefined && d.src !== peer && d.dst !== peer) continue;
      if (cookieFilter !== undefined && !cookieMatches(d.bytes.subarray(0, 8), d.bytes.subarray(8, 16))) continue;
      out.push(problemItem(p, d, false));
    }
  }

  function push(item: CaptureItem): ViewItem[] {
    // The lines written at the end (`Exceeded …`) carry the time of the capture's last frame, IKE or not: a capture
    // that went on after the last resend shows the silence that made the client give up.
    if (item.kind !== 'malformed' && item.time !== undefined) lastTime = item.time;
    if (item.kind !== 'ike') return [];
    datagrams += 1;
    if (item.src === options.local) localSent = true;
    const datagram: SessionDatagram = {
      bytes: item.bytes,
      src: item.src,
      dst: item.dst,
      time: item.time,
      frame: item.frame,
      srcPort: item.srcPort,
      dstPort: item.dstPort,
    };
    const out: ViewItem[] = [];
    const read = session.read(datagram);
    tellLater(out);
    if (!wanted(read)) {
      filtered += 1;
      onDatagram?.({ kind: 'datagram', item, read: undefined, decryption: undefined });
      flush(out, false);
      return out;
    }
    if (read.kind === 'ikev2') {
      // Not a message of the View Log: counted, with its frame, and a problem when it did not decode whole (as
      // `oaklog decode` reports it), and nothing else.
      ikev2 += 1;
      if (ikev2Frames.length < MAX_LISTED_FRAMES) ikev2Frames.push(item.frame);
      if (read.unreadable !== undefined) out.push(problemItem(read.unreadable, datagram, true));
      onDatagram?.({ kind: 'datagram', item, read, decryption: undefined });
      flush(out, false);
      return out;
    }
    const problem = read.kind === 'problem' ? read.problem : read.unreadable;
    if (problem !== undefined) out.push(problemItem(problem, datagram, read.kind !== 'problem'));
    // One report per datagram: a fragment that is both cut short and refused tells the first.
    else if (read.kind === 'fragment' && read.refused !== undefined)
      out.push(problemItem(read.refused, datagram, false));
    const held: Held = {
      read,
      // Only `retryHeld` reads it, and only with a decryptor.
      cookie:
        decryptor !== undefined && read.kind === 'message' ? toHex(read.message.header.initiatorCookie) : undefined,
      arrival: datagrams,
      plaintext: undefined,
      pending: false,
      item,
      outcome: undefined,
    };
    queue.push(held);
    // Each message once: a resend's line shows no payloads, so it is not decrypted again for the View Log. A
    // `decodeCapture` record shows a resend's payloads too: the decryptor decrypts it with its first copy's IV.
    if (
      onDatagram !== undefined &&
      decryptor !== undefined &&
      read.kind === 'message' &&
      read.retransmission &&
      (read.message.header.flags & HeaderFlag.ENCRYPTION) !== 0
    )
      held.outcome = decryptionOf(decryptor.decrypt(read.message, `${item.src}:${item.srcPort}`));
    if (decryptor !== undefined && read.kind === 'message' && !read.retransmission) {
      const outcome = decryptor.decrypt(read.message, `${item.src}:${item.srcPort}`);
      held.outcome = decryptionOf(outcome);
      if (outcome.kind === 'decrypted') {
        held.plaintext = outcome.body.payloads;
        retryHeld(held);
      } else if (outcome.kind === 'not-decrypted' || (outcome.kind === 'failed' && outcome.error.code === 'NO_IV'))
        held.pending = true;
    }
    flush(out, false);
    return out;
  }

  function finish(time: CaptureTime | undefined = lastTime): ViewItem[] {
    const out: ViewItem[] = [];
    flush(out, true);
    // Also the reader's end: the fragments of messages that never completed are problems, told here.
    const ended = session.finishItems(time);
    tellLater(out);
    if (events)
      for (const { event, frame } of ended) out.push({ kind: 'event', event, lines: canonicalLines(event), frame });
    cut = session.stats().cut;
    return out;
  }

  return {
    push,
    finish,
    get summary() {
      return {
        datagrams,
        encrypted,
        decrypted,
        problems,
        ikev2,
        ikev2Frames: [...ikev2Frames],
        cut,
        filtered,
        localSent,
        keys: decryptor !== undefined,
        forgottenSas: decryptor?.forgotten ?? 0,
      };
    },
    stats: () => ({ ...session.stats(), held: queue.length }),
  };
}

/** A whole pass over a capture: the items as they come, and the summary once they are all read. */
export interface ViewCapture extends AsyncIterable<ViewItem> {
  /** Counts of the pass; complete once iteration has ended. */
  readonly summary: ViewSummary;
}

/**
 * A capture as the View Log: every item of `@oaklog/pcap`'s reader (sync or async: `readCaptureBytes`,
 * `readCaptureStream`, `readCaptureFile`) through one pipeline, then its end. Iterate it once.
 */
export function viewCapture(
  items: Iterable<CaptureItem> | AsyncIterable<CaptureItem>,
  options: ViewOptions = {},
): ViewCapture {
  const pipeline = createViewPipeline(options);
  return {
    async *[Symbol.asyncIterator]() {
      for await (const item of items) yield* pipeline.push(item);
      yield* pipeline.finish();
    },
    get summary() {
      return pipeline.summary;
    },
  };
}

/** The View Log text of a capture held in memory (synchronous): its lines, each ended with `eol` (default `\n`). */
export function viewLog(items: Iterable<CaptureItem>, options: ViewOptions & { readonly eol?: string } = {}): string {
  const pipeline = createViewPipeline(options);
  const eol = options.eol ?? '\n';
  let text = '';
  const add = (xs: readonly ViewItem[]) => {
    for (const x of xs) if (x.kind === 'event') for (const line of x.lines) text += line + eol;
  };
  for (const item of items) add(pipeline.push(item));
  add(pipeline.finish());
  return text;
}

/** A decoding pass over a capture: each item in capture order, and the summary once they are all read. */
export interface DecodeCapture extends AsyncIterable<DecodeItem> {
  /** Counts of the pass (as `viewCapture`'s); complete once iteration has ended. */
  readonly summary: ViewSummary;
}

/**
 * A capture message by message, for a decoder's listing (what `oaklog decode` prints): the same one pass as
 * `viewCapture` (one decode, one reassembly, one decryption per message, the same holding of messages whose IV comes
 * later), but what it yields is each IKE datagram with its decoded message and plaintext, in capture order, and each
 * other capture item as it came. Memory: `viewCapture`'s, plus the records waiting for a held message before them.
 */
export function decodeCapture(
  items: Iterable<CaptureItem> | AsyncIterable<CaptureItem>,
  options: ViewOptions = {},
): DecodeCapture {
  // Each capture item gets a sequence number; records come back in render order and go out in sequence order.
  const ready = new Map<number, DecodeItem>();
  const sequenceOf = new Map<IkeDatagram, number>();
  const pipeline = createPipeline(options, (record) => {
    const n = sequenceOf.get(record.item);
    if (n === undefined) return;
    sequenceOf.delete(record.item);
    ready.set(n, record);
  });
  let next = 0;
  function* drain(): Generator<DecodeItem> {
    for (let r = ready.get(next); r !== undefined; r = ready.get(next)) {
      ready.delete(next);
      next += 1;
      yield r;
    }
  }
  return {
    async *[Symbol.asyncIterator]() {
      let sequence = 0;
      for await (const item of items) {
        const n = sequence++;
        if (item.kind === 'ike') {
          sequenceOf.set(item, n);
          pipeline.push(item);
        } else ready.set(n, { kind: 'other', item });
        yield* drain();
      }
      pipeline.finish();
      yield* drain();
    },
    get summary() {
      return pipeline.summary;
    },
  };
}
