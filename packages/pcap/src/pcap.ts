/**
 * Classic libpcap files (draft-ietf-opsawg-pcap).
 *
 *  File header, 24 bytes, in the writer's byte order:
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     Magic Number                              |  a1b2c3d4 µs, a1b23c4d ns
 *  +-------------------------------+-------------------------------+
 *  |          Major Version        |         Minor Version         |
 *  +-------------------------------+-------------------------------+
 *  |                     Reserved1 (thiszone)                      |
 *  |                     Reserved2 (sigfigs)                       |
 *  |                     SnapLen                                   |
 *  | FCS |f|0 0 0 0 0 0 0 0 0 0 0 0|         LinkType              |
 *  +---------------------------------------------------------------+
 *
 *  Packet record, 16-byte header then Captured Packet Length bytes:
 *  |  Timestamp (Seconds) | Timestamp (µs or ns) | Captured Packet Length | Original Packet Length |
 */
import { put16, put32, u16, u32 } from './bytes';
import { CaptureError } from './errors';
import type { DecoderState, Step } from './frames';
import { addInterface } from './interfaces';
import { type CaptureTime, isValidTime } from './time';

/** Classic pcap magic, microsecond timestamps. */
export const PCAP_MAGIC_MICROSECONDS = 0xa1b2c3d4;
/** Classic pcap magic, nanosecond timestamps. */
export const PCAP_MAGIC_NANOSECONDS = 0xa1b23c4d;
/** Alexey Kuznetzov's patched libpcap: 8 more bytes (ifindex, protocol, pkt type, pad) in every record header. */
const PCAP_MAGIC_KUZNETZOV = 0xa1b2cd34;

const FILE_HEADER = 24;

/** Per magic: timestamp sub-second unit in ns and record header size. */
const magics = new Map<number, { readonly subsecondNs: number; readonly recordHeader: number }>([
  [PCAP_MAGIC_MICROSECONDS, { subsecondNs: 1000, recordHeader: 16 }],
  [PCAP_MAGIC_NANOSECONDS, { subsecondNs: 1, recordHeader: 16 }],
  [PCAP_MAGIC_KUZNETZOV, { subsecondNs: 1000, recordHeader: 24 }],
]);

/** One step of the classic pcap decoder. */
export function pcapStep(state: DecoderState, buf: Uint8Array, pos: number, base: number): Step {
  const avail = buf.length - pos;
  if (!state.headerDone) {
    if (avail < FILE_HEADER) return { need: FILE_HEADER };
    const be = magics.get(u32(buf, pos, false));
    const le = magics.get(u32(buf, pos, true));
    const kind = be ?? le;
    if (!kind) {
      throw new CaptureError(
        'BAD_MAGIC',
        base + pos,
        `not a pcap or pcapng file (magic ${hex32(u32(buf, pos, false))})`,
      );
    }
    state.le = be === undefined;
    state.subsecondNs = kind.subsecondNs;
    state.recordHeader = kind.recordHeader;
    const major = u16(buf, pos + 4, state.le);
    if (major !== 2) {
      throw new CaptureError('UNSUPPORTED_VERSION', base + pos + 4, `pcap major version ${major}, expected 2`);
    }
    const snaplen = u32(buf, pos + 16, state.le);
    const linkType = u32(buf, pos + 20, state.le) & 0x03ffffff;
    const iface = { linkType, snaplen, tsresol: state.subsecondNs === 1 ? 9 : 6, tsoffset: 0, section: 1 };
    addInterface(state, iface, base + pos);
    state.section = 1;
    state.headerDone = true;
    return { size: FILE_HEADER };
  }
  const hdr = state.recordHeader;
  if (avail < hdr) return { need: hdr };
  const le = state.le;
  const captured = u32(buf, pos + 8, le);
  if (captured > state.maxRecordBytes) {
    throw new CaptureError(
      'ABSURD_LENGTH',
      base + pos + 8,
      `record claims ${captured} captured bytes (limit ${state.maxRecordBytes})`,
      state.frame + 1,
    );
  }
  const size = hdr + captured;
  if (avail < size) return { need: size };
  const seconds = u32(buf, pos, le);
  const sub = u32(buf, pos + 4, le) * state.subsecondNs;
  const time: CaptureTime =
    sub < 1e9 ? { seconds, nanoseconds: sub } : { seconds: seconds + Math.floor(sub / 1e9), nanoseconds: sub % 1e9 };
  state.frame += 1;
  return {
    size,
    event: {
      kind: 'frame',
      frame: state.frame,
      offset: base + pos,
      dataOffset: base + pos + hdr,
      linkType: state.interfaces[0]!.linkType,
      interfaceId: 0,
      time,
      capturedLength: captured,
      originalLength: u32(buf, pos + 12, le),
      data: buf.subarray(pos + hdr, pos + size),
    },
  };
}

function hex32(v: number): string {
  return `0x${v.toString(16).padStart(8, '0')}`;
}

/** Options of the classic pcap writer. */
export interface PcapWriterOptions {
  /** LINKTYPE_* of every frame. Default 1 (Ethernet). */
  readonly linkType?: number;
  /** Write nanosecond timestamps (magic a1b23c4d). Default false (microseconds, rounding down). */
  readonly nanoseconds?: boolean;
  /** Byte order of the file. Default little-endian, as tcpdump writes on x86. */
  readonly bigEndian?: boolean;
  /** SnapLen field. Default 262144. */
  readonly snaplen?: number;
}

/** A packet to write: its bytes as captured, a time, and optionally the original length and pcapng interface. */
export interface WritePacket {
  readonly time: CaptureTime;
  readonly data: Uint8Array;
  /** Wire length; defaults to `data.length`. */
  readonly originalLength?: number;
  /** pcapng interface id; default 0 (ignored by classic pcap). */
  readonly interfaceId?: number;
}

/** Encodes the 24-byte classic pcap file header. */
export function encodePcapHeader(options: PcapWriterOptions = {}): Uint8Array {
  const le = !options.bigEndian;
  const out = new Uint8Array(FILE_HEADER);
  put32(out, 0, options.nanoseconds ? PCAP_MAGIC_NANOSECONDS : PCAP_MAGIC_MICROSECONDS, le);
  put16(out, 4, 2, le);
  put16(out, 6, 4, le);
  put32(out, 16, options.snaplen ?? 262144, le);
  put32(out, 20, options.linkType ?? 1, le);
  return out;
}

/** Encodes one classic pcap record (16-byte header plus data); throws `CaptureError` BAD_INPUT for what it cannot store. */
export function encodePcapRecord(packet: WritePacket, options: PcapWriterOptions = {}): Uint8Array {
  const le = !options.bigEndian;
  // The record has 32 bits of seconds: refuse rather than silently write another time.
  if (!isValidTime(packet.time) || packet.time.seconds > 0xffffffff) {
    throw new CaptureError('BAD_INPUT', 0, `classic pcap cannot store time ${JSON.stringify(packet.time)}`);
  }
  checkOriginalLength(packet);
  const out = new Uint8Array(16 + packet.data.length);
  put32(out, 0, packet.time.seconds, le);
  put32(out, 4, options.nanoseconds ? packet.time.nanoseconds : Math.floor(packet.time.nanoseconds / 1000), le);
  put32(out, 8, packet.data.length, le);
  put32(out, 12, packet.originalLength ?? packet.data.length, le);
  out.set(packet.data, 16);
  return out;
}

/** Refuses an original length that is not a 32-bit count at least as large as the captured data. */
export function checkOriginalLength(packet: WritePacket): void {
  const original = packet.originalLength ?? packet.data.length;
  if (!Number.isInteger(original) || original < packet.data.length || original > 0xffffffff) {
    throw new CaptureError('BAD_INPUT', 0, `original length ${original} with ${packet.data.length} captured bytes`);
  }
}
