/**
 * pcapng (draft-ietf-opsawg-pcapng). Every block shares one frame:
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                          Block Type                           |
 *  |                      Block Total Length                       |
 *  /                          Block Body                           /  (padded to 32 bits, then options)
 *  |                      Block Total Length                       |
 *  +---------------------------------------------------------------+
 *
 * The section header block (0x0A0D0D0A, a palindrome) carries the byte-order magic 0x1A2B3C4D that fixes the byte order of
 * every later block of its section; interface ids restart in each section.
 */
import { put16, put32, u16, u32 } from './bytes';
import { CaptureError } from './errors';
import type { CaptureInterface, DecoderState, FrameEvent, Step } from './frames';
import { addInterface } from './interfaces';
import { checkOriginalLength, type WritePacket } from './pcap';
import { type CaptureTime, DEFAULT_TSRESOL, ticksToTime, timeToTicks } from './time';

/** Block type of the section header block. */
export const PCAPNG_SHB = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const MIN_BLOCK = 12;
const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;

/** pcapng block type numbers this reader interprets; every other block is skipped by its length. */
export const PcapngBlockType = {
  SECTION_HEADER: PCAPNG_SHB,
  INTERFACE_DESCRIPTION: 1,
  PACKET: 2,
  SIMPLE_PACKET: 3,
  ENHANCED_PACKET: 6,
  CUSTOM: 0x00000bad,
  CUSTOM_NO_COPY: 0x40000bad,
} as const;

type BlockHandler = (
  state: DecoderState,
  buf: Uint8Array,
  pos: number,
  len: number,
  base: number,
) => FrameEvent | undefined;

/** Block handlers by type; a missing entry means "skip the block". */
const blockHandlers: Readonly<Record<number, BlockHandler>> = {
  [PcapngBlockType.INTERFACE_DESCRIPTION]: readInterface,
  [PcapngBlockType.ENHANCED_PACKET]: (s, b, p, l, base) => readPacket(s, b, p, l, base, 'epb'),
  [PcapngBlockType.PACKET]: (s, b, p, l, base) => readPacket(s, b, p, l, base, 'pb'),
  [PcapngBlockType.SIMPLE_PACKET]: readSimplePacket,
  [PcapngBlockType.CUSTOM]: readCustom,
  [PcapngBlockType.CUSTOM_NO_COPY]: readCustom,
};

/*
 *  Custom Block body: | Private Enterprise Number | Custom Data (variable) | Options |
 *  Wireshark numbers custom blocks as frames, so they take a frame number here too (as a skipped frame).
 */
function readCustom(state: DecoderState, buf: Uint8Array, pos: number, len: number, base: number): FrameEvent {
  state.frame += 1;
  const pen = len >= 16 ? ` (PEN ${u32(buf, pos + 8, state.le)})` : '';
  return {
    kind: 'skipped',
    frame: state.frame,
    offset: base + pos,
    reason: 'custom-block',
    detail: `custom block 0x${u32(buf, pos, state.le).toString(16).padStart(8, '0')}${pen}`,
  };
}

/** One step of the pcapng decoder: one whole block per step. */
export function pcapngStep(state: DecoderState, buf: Uint8Array, pos: number, base: number): Step {
  if (buf.length - pos < MIN_BLOCK) return { need: MIN_BLOCK };
  const isShb = u32(buf, pos, false) === PCAPNG_SHB;
  if (isShb) {
    const bom = u32(buf, pos + 8, false);
    if (bom === BYTE_ORDER_MAGIC) state.le = false;
    else if (u32(buf, pos + 8, true) === BYTE_ORDER_MAGIC) state.le = true;
    else throw new CaptureError('BAD_MAGIC', base + pos + 8, `bad byte-order magic 0x${bom.toString(16)}`);
  }
  const len = u32(buf, pos + 4, state.le);
  if (len < (isShb ? 28 : MIN_BLOCK) || len % 4 !== 0) {
    throw new CaptureError('BAD_BLOCK_LENGTH', base + pos + 4, `block total length ${len}`, state.frame + 1);
  }
  if (len > state.maxRecordBytes) {
    throw new CaptureError(
      'ABSURD_LENGTH',
      base + pos + 4,
      `block claims ${len} bytes (limit ${state.maxRecordBytes})`,
      state.frame + 1,
    );
  }
  if (buf.length - pos < len) return { need: len };
  const trailer = u32(buf, pos + len - 4, state.le);
  if (trailer !== len) {
    throw new CaptureError(
      'BLOCK_LENGTH_MISMATCH',
      base + pos + len - 4,
      `block starts with length ${len} but ends with ${trailer}`,
      state.frame + 1,
    );
  }
  if (isShb) {
    const major = u16(buf, pos + 12, state.le);
    if (major !== 1) throw new CaptureError('UNSUPPORTED_VERSION', base + pos + 12, `pcapng major version ${major}`);
    // Interface ids restart in each section: drop the previous section's interfaces.
    state.interfaces.length = 0;
    state.interned.clear();
    state.section += 1;
    state.headerDone = true;
    return { size: len };
  }
  const handler = blockHandlers[u32(buf, pos, state.le)];
  const event = handler?.(state, buf, pos, len, base);
  return event ? { size: len, event } : { size: len };
}

/** Walks a block's options, calling `visit(code, valueOffset, valueLength)` until opt_endofopt or the end. */
function forEachOption(
  buf: Uint8Array,
  at: number,
  end: number,
  le: boolean,
  visit: (code: number, value: number, length: number) => void,
): void {
  while (at + 4 <= end) {
    const code = u16(buf, at, le);
    const length = u16(buf, at + 2, le);
    if (code === 0 || at + 4 + length > end) return;
    visit(code, at + 4, length);
    at += 4 + ((length + 3) & ~3);
  }
}

/*
 *  Interface Description Block body:
 *  |           LinkType            |           Reserved            |
 *  |                            SnapLen                            |
 *  /                      Options (variable)                       /
 */
function readInterface(state: DecoderState, buf: Uint8Array, pos: number, len: number, base: number): undefined {
  if (len < 20) throw new CaptureError('BAD_BLOCK_LENGTH', base + pos + 4, `interface block of ${len} bytes`);
  let tsresol = DEFAULT_TSRESOL;
  let tsoffset = 0;
  forEachOption(buf, pos + 16, pos + len - 4, state.le, (code, value, length) => {
    if (code === OPT_IF_TSRESOL && length >= 1) tsresol = buf[value]!;
    if (code === OPT_IF_TSOFFSET && length >= 8) {
      const lo = u32(buf, value + (state.le ? 0 : 4), state.le);
      const hi = u32(buf, value + (state.le ? 4 : 0), state.le) | 0;
      tsoffset = hi * 0x1_0000_0000 + lo;
    }
  });
  const iface: CaptureInterface = {
    linkType: u16(buf, pos + 8, state.le),
    snaplen: u32(buf, pos + 12, state.le),
    tsresol,
    tsoffset,
    section: state.section,
  };
  addInterface(state, iface, base + pos);
  return undefined;
}

/*
 *  Enhanced Packet Block body:          Packet Block body (obsolete):
 *  |          Interface ID          |   | Interface ID (16) | Drops Count (16) |
 *  |     Timestamp (High)           |   |     Timestamp (High)                 |
 *  |     Timestamp (Low)            |   |     Timestamp (Low)                  |
 *  |  Captured Packet Length        |   |  Captured Packet Length              |
 *  |  Original Packet Length        |   |  Original Packet Length              |
 *  /  Packet Data (padded)          /   /  Packet Data (padded)                /
 *  /  Options                       /   /  Options                             /
 */
function readPacket(
  state: DecoderState,
  buf: Uint8Array,
  pos: number,
  len: number,
  base: number,
  kind: 'epb' | 'pb',
): FrameEvent {
  state.frame += 1;
  const frame = state.frame;
  const offset = base + pos;
  if (len < 32) return problem(frame, offset, 'bad-captured-length', `packet block of ${len} bytes`);
  const le = state.le;
  const id = kind === 'epb' ? u32(buf, pos + 8, le) : u16(buf, pos + 8, le);
  const captured = u32(buf, pos + 20, le);
  if (28 + captured + 4 > len) {
    return problem(frame, offset, 'bad-captured-length', `captured length ${captured} exceeds the ${len}-byte block`);
  }
  const iface = state.interfaces[id];
  if (!iface) return problem(frame, offset, 'unknown-interface', `interface ${id} not described in this section`);
  return {
    kind: 'frame',
    frame,
    offset,
    dataOffset: offset + 28,
    linkType: iface.linkType,
    interfaceId: id,
    time: ticksToTime(u32(buf, pos + 12, le), u32(buf, pos + 16, le), iface.tsresol, iface.tsoffset),
    capturedLength: captured,
    originalLength: u32(buf, pos + 24, le),
    data: buf.subarray(pos + 28, pos + 28 + captured),
  };
}

/*
 *  Simple Packet Block body: | Original Packet Length | Packet Data (padded) |
 *  The captured length is implied: min(original length, body space, interface 0 SnapLen).
 */
function readSimplePacket(state: DecoderState, buf: Uint8Array, pos: number, len: number, base: number): FrameEvent {
  state.frame += 1;
  const frame = state.frame;
  const offset = base + pos;
  if (len < 16) return problem(frame, offset, 'bad-captured-length', `simple packet block of ${len} bytes`);
  const iface = state.interfaces[0];
  if (!iface) return problem(frame, offset, 'unknown-interface', 'simple packet block without interface 0');
  const original = u32(buf, pos + 8, state.le);
  let captured = Math.min(original, len - 16);
  if (iface.snaplen > 0) captured = Math.min(captured, iface.snaplen);
  return {
    kind: 'frame',
    frame,
    offset,
    dataOffset: offset + 12,
    linkType: iface.linkType,
    interfaceId: 0,
    time: undefined,
    capturedLength: captured,
    originalLength: original,
    data: buf.subarray(pos + 12, pos + 12 + captured),
  };
}

function problem(
  frame: number,
  offset: number,
  reason: 'unknown-interface' | 'bad-captured-length',
  detail: string,
): FrameEvent {
  return { kind: 'malformed', frame, offset, reason, detail };
}

/** One interface for the pcapng writer. */
export interface PcapngInterfaceOptions {
  /** LINKTYPE_* of the interface. */
  readonly linkType: number;
  /** SnapLen; default 0 (no limit). */
  readonly snaplen?: number;
  /** Raw `if_tsresol` byte (6 = µs, 9 = ns, 0x80|n = 2^-n). Default 9. */
  readonly tsresol?: number;
}

/** Options of the pcapng writer. */
export interface PcapngWriterOptions {
  /** Interfaces of the single section, in id order. Default one Ethernet interface. */
  readonly interfaces?: readonly PcapngInterfaceOptions[];
  /** Byte order of the section. Default little-endian. */
  readonly bigEndian?: boolean;
}

function block(type: number, body: Uint8Array, le: boolean): Uint8Array {
  const len = 12 + ((body.length + 3) & ~3);
  const out = new Uint8Array(len);
  put32(out, 0, type, le);
  put32(out, 4, len, le);
  out.set(body, 8);
  put32(out, len - 4, len, le);
  return out;
}

/** Encodes a section header block (version 1.0, section length unknown). */
export function encodePcapngSectionHeader(options: PcapngWriterOptions = {}): Uint8Array {
  const le = !options.bigEndian;
  const body = new Uint8Array(16);
  put32(body, 0, BYTE_ORDER_MAGIC, le);
  put16(body, 4, 1, le);
  put16(body, 6, 0, le);
  body.fill(0xff, 8, 16);
  return block(PCAPNG_SHB, body, le);
}

/** Encodes an interface description block, with an `if_tsresol` option unless the resolution is the default µs. */
export function encodePcapngInterface(iface: PcapngInterfaceOptions, options: PcapngWriterOptions = {}): Uint8Array {
  const le = !options.bigEndian;
  const tsresol = iface.tsresol ?? 9;
  const body = new Uint8Array(tsresol === DEFAULT_TSRESOL ? 8 : 20);
  put16(body, 0, iface.linkType, le);
  put32(body, 4, iface.snaplen ?? 0, le);
  if (tsresol !== DEFAULT_TSRESOL) {
    put16(body, 8, OPT_IF_TSRESOL, le);
    put16(body, 10, 1, le);
    body[12] = tsresol;
    // bytes 16..19: opt_endofopt
  }
  return block(PcapngBlockType.INTERFACE_DESCRIPTION, body, le);
}

/** Encodes an enhanced packet block, time in the interface's `if_tsresol` (rounding down); throws BAD_INPUT if it cannot. */
export function encodePcapngPacket(packet: WritePacket, tsresol = 9, options: PcapngWriterOptions = {}): Uint8Array {
  const le = !options.bigEndian;
  checkOriginalLength(packet);
  const body = new Uint8Array(20 + packet.data.length);
  const [high, low] = timeToTicks(packet.time, tsresol);
  put32(body, 0, packet.interfaceId ?? 0, le);
  put32(body, 4, high, le);
  put32(body, 8, low, le);
  put32(body, 12, packet.data.length, le);
  put32(body, 16, packet.originalLength ?? packet.data.length, le);
  body.set(packet.data, 20);
  return block(PcapngBlockType.ENHANCED_PACKET, body, le);
}

/** The time a packet written at `tsresol` reads back as. */
export function timeAtResolution(time: CaptureTime, tsresol: number): CaptureTime {
  const [high, low] = timeToTicks(time, tsresol);
  return ticksToTime(high, low, tsresol);
}
