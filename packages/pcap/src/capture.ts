/**
 * The whole pipeline: frames → link layer → IP (with reassembly) → UDP → IKE datagrams, with exactly one item per frame so
 * that nothing is dropped silently, and a summary counting every frame by outcome.
 */
import {
  type CaptureFrame,
  type CaptureInput,
  type CaptureInterface,
  createFrameDecoder,
  decodeFrameBatches,
  type FrameDecoder,
  type FrameEvent,
  type FrameReaderOptions,
  framesOf,
} from './frames';
import { type IpFragmentInfo, type IpHeader, IpProtocol, parseIpHeader, walkIpv6Extensions } from './ip';
import { decodeLinkLayer } from './link';
import {
  createIpReassembler,
  type DiscardedDatagram,
  type IpReassembler,
  pieceOf,
  type ReassemblyOptions,
} from './reassembly';
import type { CaptureTime } from './time';
import { demuxUdp, type IkePorts, quotedIke } from './udp';

/** An ISAKMP message as carried by UDP, ready for the IKE decoder. */
export interface IkeDatagram {
  readonly kind: 'ike';
  /** Frame number (for a reassembled datagram, the frame that completed it). */
  readonly frame: number;
  /** Capture time of that frame; `undefined` only for pcapng simple packet blocks. */
  readonly time: CaptureTime | undefined;
  /** Source IP address, printed (dotted quad or RFC 5952). */
  readonly src: string;
  /** Destination IP address, printed. */
  readonly dst: string;
  /** UDP source port. */
  readonly srcPort: number;
  /** UDP destination port. */
  readonly dstPort: number;
  /** True when the datagram came on a NAT-T port behind the 4-byte zero marker, which `bytes` excludes. */
  readonly nonEspMarker: boolean;
  /** The ISAKMP message. */
  readonly bytes: Uint8Array;
  /** File offset of `bytes[0]`; for a reassembled datagram, of the completing fragment's IP header. */
  readonly offset: number;
  /** True when the snapshot length cut the datagram short, so `bytes` is a prefix. */
  readonly truncated: boolean;
  /** Frames whose IP fragments formed this datagram, when it was reassembled. */
  readonly fragments: readonly number[] | undefined;
  /** LINKTYPE_* of the frame's interface. */
  readonly linkType: number;
  /** pcapng interface id of the frame (0 for classic pcap). */
  readonly interfaceId: number;
}

/** Every reason a frame is skipped: nothing is wrong with it, but it carries no live IKE datagram. */
export const skipReasons = [
  'unsupported-link-type',
  'non-ip',
  'not-udp',
  'other-port',
  'esp',
  'nat-keepalive',
  'icmp-quoted-ike',
  'ip-fragment',
  'custom-block',
] as const;
/** Why a frame was not handed on although nothing is wrong with it. */
export type SkipReason = (typeof skipReasons)[number];

/** Every reason a frame (or the record cut by the end of the file) is malformed. */
export const malformedReasons = [
  'unknown-interface',
  'bad-captured-length',
  'truncated-record',
  'truncated',
  'bad-ip-header',
  'bad-udp-length',
  'bad-nat-t-payload',
  'short-ike',
  'overlap-conflict',
  'too-large',
  'too-many-fragments',
  'inconsistent-length',
] as const;
/** Why a frame could not be read. */
export type MalformedReason = (typeof malformedReasons)[number];

/** A frame not handed on: `reason` says why, `offset` is the file offset of the deciding header. */
export interface SkippedRecord {
  readonly kind: 'skipped';
  readonly frame: number;
  /** The frame's timestamp, when it has one: a capture that goes on past the IKE traffic shows the silence after it. */
  readonly time?: CaptureTime;
  readonly reason: SkipReason;
  readonly offset: number;
  readonly detail: string;
}

/** A frame that could not be read: `offset` is the file offset of the offending byte. */
export interface MalformedRecord {
  readonly kind: 'malformed';
  readonly frame: number;
  readonly reason: MalformedReason;
  readonly offset: number;
  readonly detail: string;
}

/** What `readCapture` yields: one item per frame, plus a final `truncated-record` item (not a frame) when the file is cut mid-record. */
export type CaptureItem = IkeDatagram | SkippedRecord | MalformedRecord;

/** Counts of everything read; `frames === ike + skipped + malformed` always holds. */
export interface CaptureSummary {
  /** Detected container format. */
  readonly format: 'pcap' | 'pcapng' | undefined;
  /** Packet records read (a record cut off by the end of the file is not counted; see `truncated`). */
  readonly frames: number;
  /** Frames handed on as IKE datagrams. */
  readonly ike: number;
  /** Of `ike`, those that came behind a non-ESP marker. */
  readonly nonEspMarker: number;
  readonly skipped: number;
  readonly malformed: number;
  /** The first malformed frames (up to 20, in frame order), so a report can name them without keeping every item. */
  readonly firstMalformed: readonly MalformedRecord[];
  /** Frames per skip or malformed reason. */
  readonly reasons: Readonly<Partial<Record<SkipReason | MalformedReason, number>>>;
  /** Datagrams completed by reassembly. */
  readonly reassembled: number;
  /** Datagrams whose fragments were held but never completed (first 1000 listed). */
  readonly discarded: readonly DiscardedDatagram[];
  readonly discardedCount: number;
  /** pcapng sections (1 for classic pcap). */
  readonly sections: number;
  /** The interfaces described, in order (first 1000 listed; identical descriptions may share one object). */
  readonly interfaces: readonly CaptureInterface[];
  /** Interfaces described in the whole file. */
  readonly interfaceCount: number;
  /** True when the file ended inside a record. */
  readonly truncated: boolean;
  /** True once the whole input has been read. */
  readonly done: boolean;
}

/** Options of `readCapture`. */
export interface ReadCaptureOptions extends FrameReaderOptions {
  /** Ports treated as IKE and NAT-T. */
  readonly ports?: IkePorts;
  /** Reassembly limits, or `false` to report fragments as skipped without reassembling. */
  readonly reassembly?: ReassemblyOptions | false;
}

/** The result of `readCapture`: iterate it once; `summary` fills in as it goes and is final when iteration ends. */
export interface CaptureReader extends AsyncIterable<CaptureItem> {
  readonly summary: CaptureSummary;
}

/** The synchronous counterpart of `CaptureReader`, for a capture already in memory. */
export interface CaptureBytesReader extends Iterable<CaptureItem> {
  readonly summary: CaptureSummary;
}

const MAX_DISCARDED_LISTED = 1000;
const MAX_MALFORMED_LISTED = 20;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface Demux {
  readonly summary: CaptureSummary;
  frame(event: FrameEvent): CaptureItem;
  finish(): void;
}

function createDemux(decoder: FrameDecoder, options: ReadCaptureOptions): Demux {
  const reasons: Partial<Record<SkipReason | MalformedReason, number>> = {};
  const discarded: DiscardedDatagram[] = [];
  const firstMalformed: MalformedRecord[] = [];
  const summary: Mutable<CaptureSummary> = {
    format: undefined,
    frames: 0,
    ike: 0,
    nonEspMarker: 0,
    skipped: 0,
    malformed: 0,
    firstMalformed,
    reasons,
    reassembled: 0,
    discarded,
    discardedCount: 0,
    sections: 0,
    interfaces: decoder.state.allInterfaces,
    interfaceCount: 0,
    truncated: false,
    done: false,
  };
  const ports = options.ports ?? {};
  const limits = options.reassembly;
  const reassembler: IpReassembler | undefined =
    limits === false
      ? undefined
      : createIpReassembler({
          ...limits,
          onDiscard(d) {
            summary.discardedCount += 1;
            if (discarded.length < MAX_DISCARDED_LISTED) discarded.push(d);
            limits?.onDiscard?.(d);
          },
        });

  function count(kind: 'skipped' | 'malformed', reason: SkipReason | MalformedReason): void {
    summary[kind] += 1;
    reasons[reason] = (reasons[reason] ?? 0) + 1;
  }

  function skip(
    f: { readonly frame: number; readonly time?: CaptureTime | undefined },
    reason: SkipReason,
    offset: number,
    detail: string,
  ): SkippedRecord {
    count('skipped', reason);
    const record: Mutable<SkippedRecord> = { kind: 'skipped', frame: f.frame, reason, offset, detail };
    if (f.time !== undefined) record.time = f.time;
    return record;
  }

  function malformed(frame: number, reason: MalformedReason, offset: number, detail: string): MalformedRecord {
    count('malformed', reason);
    const record: MalformedRecord = { kind: 'malformed', frame, reason, offset, detail };
    if (firstMalformed.length < MAX_MALFORMED_LISTED) firstMalformed.push(record);
    return record;
  }

  /** Upper layer of a packet: `d[at..end)` is the IP payload; `fileAt` maps a buffer offset to a file offset. */
  function upper(
    f: CaptureFrame,
    d: Uint8Array,
    ip: IpHeader,
    protocol: number,
    at: number,
    end: number,
    cut: boolean,
    fileAt: (o: number) => number,
    fragments: readonly number[] | undefined,
  ): CaptureItem {
    if (protocol === IpProtocol.UDP) {
      const u = demuxUdp(d, at, end, cut, ports);
      if (u.kind === 'skipped') return skip(f, u.reason, fileAt(u.offset), u.detail);
      if (u.kind === 'malformed') return malformed(f.frame, u.reason, fileAt(u.offset), u.detail);
      summary.ike += 1;
      if (u.nonEspMarker) summary.nonEspMarker += 1;
      return {
        kind: 'ike',
        frame: f.frame,
        time: f.time,
        src: ip.src,
        dst: ip.dst,
        srcPort: u.srcPort,
        dstPort: u.dstPort,
        nonEspMarker: u.nonEspMarker,
        bytes: d.subarray(u.offset, u.end),
        offset: fileAt(u.offset),
        truncated: u.truncated,
        fragments,
        linkType: f.linkType,
        interfaceId: f.interfaceId,
      };
    }
    if (protocol === IpProtocol.ICMP || protocol === IpProtocol.ICMPV6) {
      const q = quotedIke(d, at, end, ip, ports);
      if (q) {
        const detail = `ICMP type ${q.icmpType} quoting ${q.src}:${q.srcPort} → ${q.dst}:${q.dstPort}`;
        return skip(f, 'icmp-quoted-ike', fileAt(at), detail);
      }
    }
    return skip(f, 'not-udp', fileAt(at), `IP protocol ${protocol}`);
  }

  function fragment(f: CaptureFrame, ip: IpHeader, info: IpFragmentInfo, fileAt: (o: number) => number): CaptureItem {
    const at = fileAt(ip.offset);
    if (!reassembler) return skip(f, 'ip-fragment', at, 'reassembly disabled');
    if (ip.cut) {
      // A cut fragment can never be reassembled. Like Wireshark, read an IPv4 first fragment's upper layer as a truncated
      // datagram (its UDP header and the start of the message are there); other cut pieces are malformed.
      if (ip.version === 4 && info.offset === 0) {
        return upper(f, f.data, ip, ip.protocol, ip.payloadOffset, ip.payloadEnd, true, fileAt, undefined);
      }
      return malformed(f.frame, 'truncated', at, 'fragment cut by the snapshot length');
    }
    const r = reassembler.push(
      pieceOf(ip, info, f.data, f.frame, f.time ? f.time.seconds + f.time.nanoseconds / 1e9 : undefined),
    );
    if (r.status === 'held') {
      return skip(f, 'ip-fragment', at, `fragment id ${info.id} offset ${info.offset} held`);
    }
    if (r.status === 'dropped') {
      return malformed(f.frame, r.reason, at, `fragment id ${info.id} offset ${info.offset}: ${r.reason}`);
    }
    summary.reassembled += 1;
    const whole = r.payload;
    const fixed = () => at;
    let protocol = r.protocol;
    let start = 0;
    if (ip.version === 6) {
      const chain = walkIpv6Extensions(whole, 0, whole.length, protocol);
      if (chain.kind === 'malformed') return malformed(f.frame, chain.reason, at, chain.detail);
      if (chain.kind === 'fragment') {
        return malformed(f.frame, 'bad-ip-header', at, 'a second fragment header inside a reassembled datagram');
      }
      protocol = chain.protocol;
      start = chain.offset;
    }
    return upper(f, whole, ip, protocol, start, whole.length, false, fixed, r.frames);
  }

  function onFrame(f: CaptureFrame): CaptureItem {
    const fileAt = (o: number) => f.dataOffset + o;
    const link = decodeLinkLayer(f.linkType, f.data);
    if (link.kind === 'skipped') return skip(f, link.reason, fileAt(link.offset), link.detail);
    if (link.kind === 'malformed') return malformed(f.frame, link.reason, fileAt(link.offset), link.detail);
    const ip = parseIpHeader(f.data, link.offset, link.version, Math.max(f.originalLength, f.data.length));
    if (ip.kind !== 'ip') {
      const detail = f.capturedLength < f.originalLength ? `${ip.detail} (snapshot length)` : ip.detail;
      return malformed(f.frame, ip.reason, fileAt(ip.offset), detail);
    }
    if (ip.fragment) return fragment(f, ip, ip.fragment, fileAt);
    return upper(f, f.data, ip, ip.protocol, ip.payloadOffset, ip.payloadEnd, ip.cut, fileAt, undefined);
  }

  return {
    summary,
    frame(event) {
      summary.format = decoder.state.format;
      summary.sections = decoder.state.section;
      summary.interfaceCount = decoder.state.interfaceCount;
      if (event.kind === 'malformed' && event.reason === 'truncated-record') {
        // Not a frame: the file ended inside this record (tshark does not count it either).
        summary.truncated = true;
        return event;
      }
      summary.frames += 1;
      if (event.kind === 'malformed') return malformed(event.frame, event.reason, event.offset, event.detail);
      if (event.kind === 'skipped') return skip({ frame: event.frame }, event.reason, event.offset, event.detail);
      return onFrame(event);
    },
    finish() {
      reassembler?.flush();
      summary.format = decoder.state.format;
      summary.sections = decoder.state.section;
      summary.interfaceCount = decoder.state.interfaceCount;
      summary.done = true;
    },
  };
}

/**
 * Reads a capture (classic pcap or pcapng, from a buffer, an iterable or async iterable of chunks, or a `ReadableStream`)
 * and yields one item per frame: the IKE datagram it carries, or why it carries none. Throws `CaptureError` when the file
 * structure is unreadable; a file cut off mid-record ends with one `truncated-record` item, which is not a frame.
 */
export function readCapture(input: CaptureInput, options: ReadCaptureOptions = {}): CaptureReader {
  const decoder = createFrameDecoder(options);
  const demux = createDemux(decoder, options);
  let started = false;
  return {
    summary: demux.summary,
    async *[Symbol.asyncIterator]() {
      if (started) throw new TypeError('a CaptureReader can be iterated only once');
      started = true;
      for await (const batch of decodeFrameBatches(input, decoder)) {
        for (const event of batch) yield demux.frame(event);
      }
      demux.finish();
    },
  };
}

/** Synchronous `readCapture` over a capture held in one buffer (handy for fuzzing and small files). */
export function readCaptureBytes(bytes: Uint8Array, options: ReadCaptureOptions = {}): CaptureBytesReader {
  const decoder = createFrameDecoder(options);
  const demux = createDemux(decoder, options);
  let started = false;
  return {
    summary: demux.summary,
    *[Symbol.iterator]() {
      if (started) throw new TypeError('a CaptureBytesReader can be iterated only once');
      started = true;
      for (const event of framesOf(bytes, decoder)) yield demux.frame(event);
      demux.finish();
    },
  };
}
