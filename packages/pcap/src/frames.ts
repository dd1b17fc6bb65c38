/**
 * The record layer: turns capture bytes (classic pcap or pcapng) into frames, incrementally. A decoder sees the buffered,
 * unconsumed bytes and either asks for more or consumes one record/block, so memory is bounded by the largest record.
 */

import { u32 } from './bytes';
import { CaptureError } from './errors';
import { pcapStep } from './pcap';
import { PCAPNG_SHB, pcapngStep } from './pcapng';
import type { CaptureTime } from './time';

/** One captured frame (a pcap record or a pcapng EPB/SPB/PB) with its link type and timestamp. */
export interface CaptureFrame {
  readonly kind: 'frame';
  /** 1-based frame number, counting every packet record or packet block in file order. */
  readonly frame: number;
  /** File offset of the record header or block. */
  readonly offset: number;
  /** File offset of `data[0]`. */
  readonly dataOffset: number;
  /** LINKTYPE_* value of the frame's interface. */
  readonly linkType: number;
  /** pcapng interface id (0 for classic pcap). */
  readonly interfaceId: number;
  /** Timestamp; `undefined` only for pcapng simple packet blocks, which carry none. */
  readonly time: CaptureTime | undefined;
  /** Bytes present in the file. */
  readonly capturedLength: number;
  /** Length of the packet on the wire (larger than `capturedLength` when the snapshot length cut it). */
  readonly originalLength: number;
  /** The captured bytes. */
  readonly data: Uint8Array;
}

/** Why a packet record could not be turned into a frame. */
export type FrameProblemReason = 'unknown-interface' | 'bad-captured-length' | 'truncated-record';

/** A packet record that exists in the file but could not be read as a frame. */
export interface FrameProblem {
  readonly kind: 'malformed';
  readonly frame: number;
  readonly offset: number;
  readonly reason: FrameProblemReason;
  readonly detail: string;
}

/** Why a block that counts as a frame carries no packet. */
export type FrameSkipReason = 'custom-block';

/** A block that Wireshark numbers as a frame but that carries no packet (a pcapng custom block). */
export interface FrameSkip {
  readonly kind: 'skipped';
  readonly frame: number;
  readonly offset: number;
  readonly reason: FrameSkipReason;
  readonly detail: string;
}

/** What the record layer yields: a frame, an unreadable packet record, or a block numbered as a frame without a packet. */
export type FrameEvent = CaptureFrame | FrameProblem | FrameSkip;

/** One pcapng interface (or the single implicit interface of a classic pcap file). */
export interface CaptureInterface {
  readonly linkType: number;
  readonly snaplen: number;
  /** Raw `if_tsresol` byte: high bit clear means 10^-n seconds, set means 2^-n. */
  readonly tsresol: number;
  /** `if_tsoffset` in seconds, added to every timestamp. */
  readonly tsoffset: number;
  /** 1-based pcapng section number the interface belongs to. */
  readonly section: number;
}

/** Limits of the record layer. */
export interface FrameReaderOptions {
  /** Largest record or block accepted; a bigger length claim is an `ABSURD_LENGTH` error. Default 16 MiB. */
  readonly maxRecordBytes?: number;
  /**
   * Most interfaces one pcapng section may describe; one more is a `TOO_MANY_INTERFACES` error. Default 65,536: a
   * real capture lists a handful, and the per-section table of descriptions is what this bounds.
   */
  readonly maxInterfaces?: number;
}

/** Mutable state shared by the format decoders. */
export interface DecoderState {
  format: 'pcap' | 'pcapng' | undefined;
  le: boolean;
  /** classic pcap: sub-second field unit in nanoseconds (1000 or 1). */
  subsecondNs: number;
  recordHeader: number;
  headerDone: boolean;
  frame: number;
  section: number;
  /** Interfaces of the current section, by id (identical descriptions share one object). */
  readonly interfaces: CaptureInterface[];
  /** The first MAX_INTERFACES_LISTED interfaces of the file, for the summary. */
  readonly allInterfaces: CaptureInterface[];
  /** Interfaces described in the whole file. */
  interfaceCount: number;
  /** The current section's distinct interface descriptions, so repeated IDBs cost one array slot each. */
  readonly interned: Map<string, CaptureInterface>;
  readonly maxRecordBytes: number;
  readonly maxInterfaces: number;
}

/** A decoder's answer: consume `size` bytes (with an optional event), or wait for `need` bytes. */
export type Step = { readonly need: number } | { readonly size: number; readonly event?: FrameEvent };

/** Incremental frame decoder over buffered bytes. */
export interface FrameDecoder {
  readonly state: DecoderState;
  /** Decodes at `pos` of `buf`, whose byte 0 is at file offset `base`. */
  step(buf: Uint8Array, pos: number, base: number): Step;
  /** Called at end of input with `available` unconsumed bytes at file offset `offset`: the last event or a throw. */
  finish(available: number, offset: number): FrameEvent | undefined;
}

const DEFAULT_MAX_RECORD = 16 * 1024 * 1024;
const DEFAULT_MAX_INTERFACES = 65_536;

/** Creates a decoder that detects classic pcap or pcapng from the first bytes. */
export function createFrameDecoder(options: FrameReaderOptions = {}): FrameDecoder {
  const state: DecoderState = {
    format: undefined,
    le: true,
    subsecondNs: 1000,
    recordHeader: 16,
    headerDone: false,
    frame: 0,
    section: 0,
    interfaces: [],
    allInterfaces: [],
    interfaceCount: 0,
    interned: new Map(),
    maxRecordBytes: options.maxRecordBytes ?? DEFAULT_MAX_RECORD,
    maxInterfaces: options.maxInterfaces ?? DEFAULT_MAX_INTERFACES,
  };
  let pending = 0;
  return {
    state,
    step(buf, pos, base) {
      if (state.format === undefined) {
        if (buf.length - pos < 4) return { need: 4 };
        state.format = u32(buf, pos, false) === PCAPNG_SHB ? 'pcapng' : 'pcap';
      }
      const s = state.format === 'pcap' ? pcapStep(state, buf, pos, base) : pcapngStep(state, buf, pos, base);
      pending = 'need' in s ? s.need : 0;
      return s;
    },
    finish(available, offset) {
      if (available === 0 && state.headerDone) return undefined;
      if (!state.headerDone) {
        throw new CaptureError(
          'TRUNCATED',
          offset + available,
          `file ends inside the ${headerName(state)} (${available} bytes)`,
        );
      }
      return {
        kind: 'malformed',
        frame: state.frame + 1,
        offset,
        reason: 'truncated-record',
        detail: `capture ends ${pending - available} bytes short of a ${pending}-byte record`,
      };
    },
  };
}

function headerName(state: DecoderState): string {
  return state.format === 'pcapng' ? 'section header block' : 'file header';
}

/** Reads every frame of a capture held in one buffer, synchronously. Throws `CaptureError` on unreadable structure. */
export function readFramesFromBytes(bytes: Uint8Array, options: FrameReaderOptions = {}): Generator<FrameEvent> {
  return framesOf(bytes, createFrameDecoder(options));
}

/** Runs `decoder` over one buffer. */
export function* framesOf(bytes: Uint8Array, decoder: FrameDecoder): Generator<FrameEvent> {
  let pos = 0;
  for (;;) {
    const s = decoder.step(bytes, pos, 0);
    if ('need' in s) {
      const last = decoder.finish(bytes.length - pos, pos);
      if (last) yield last;
      return;
    }
    pos += s.size;
    if (s.event) yield s.event;
  }
}

/** A WHATWG `ReadableStream` of bytes, described structurally so the browser-safe build needs no DOM types. */
export interface ByteStreamLike {
  getReader(): {
    read(): Promise<{ done: boolean; value?: Uint8Array | undefined }>;
    releaseLock(): void;
    cancel(reason?: unknown): Promise<void>;
  };
}

/** Anything a capture can be read from: a whole buffer, (async) iterables of chunks, or a `ReadableStream`. */
export type CaptureInput = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array> | ByteStreamLike;

/**
 * The bytes of a chunk as a plain `Uint8Array` (same memory, no copy). Node's `Buffer` is a subclass whose `slice` is
 * a view, not a copy: read through a `Buffer`, every "copy" the layers above keep of a few bytes (a cookie, an IV, a
 * resent datagram) would keep the whole read chunk alive, and a capture's state would pin the file it was read from.
 */
function plain(chunk: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(chunk) === Uint8Array.prototype
    ? chunk
    : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

async function* chunksOf(input: CaptureInput): AsyncGenerator<Uint8Array> {
  if (typeof input !== 'object' || input === null) {
    throw new CaptureError(
      'BAD_INPUT',
      0,
      'input must be a Uint8Array, an (async) iterable of them or a ReadableStream',
    );
  }
  if (input instanceof Uint8Array) {
    yield plain(input);
  } else if (typeof (input as ByteStreamLike).getReader === 'function') {
    const reader = (input as ByteStreamLike).getReader();
    let finished = false;
    try {
      for (;;) {
        const r = await reader.read();
        if (r.done) {
          finished = true;
          return;
        }
        if (!r.value) continue;
        if (!(r.value instanceof Uint8Array))
          throw new CaptureError('BAD_INPUT', 0, 'stream chunks must be Uint8Array');
        yield plain(r.value);
      }
    } finally {
      if (!finished) await reader.cancel().catch(() => undefined);
      reader.releaseLock();
    }
  } else if (Symbol.asyncIterator in input || Symbol.iterator in input) {
    for await (const chunk of input as AsyncIterable<Uint8Array>) {
      if (!(chunk instanceof Uint8Array)) {
        throw new CaptureError('BAD_INPUT', 0, 'input chunks must be Uint8Array');
      }
      yield plain(chunk);
    }
  } else {
    throw new CaptureError(
      'BAD_INPUT',
      0,
      'input must be a Uint8Array, an (async) iterable of them or a ReadableStream',
    );
  }
}

/** Most frames handed on in one batch. */
export const MAX_BATCH_FRAMES = 256;

/**
 * Streams frames from chunked input, in batches (the frames complete in the bytes at hand, at most MAX_BATCH_FRAMES), which saves an
 * asynchronous step per frame. Chunks are consumed as they arrive and records are read in place; only a record that
 * spans chunks is copied (just that record), so memory stays bounded by `maxRecordBytes` plus a chunk or two.
 */
export async function* decodeFrameBatches(input: CaptureInput, decoder: FrameDecoder): AsyncGenerator<FrameEvent[]> {
  let buf: Uint8Array = new Uint8Array(0);
  let pos = 0;
  let base = 0;
  const queue: Uint8Array[] = [];
  let queued = 0;
  let batch: FrameEvent[] = [];
  const source = chunksOf(input);
  try {
    for (;;) {
      let s: Step;
      try {
        s = decoder.step(buf, pos, base);
      } catch (error) {
        // Frames decoded before the bad record are still delivered, then the error.
        if (batch.length > 0) yield batch;
        throw error;
      }
      if (!('need' in s)) {
        pos += s.size;
        if (s.event) batch.push(s.event);
        if (batch.length >= MAX_BATCH_FRAMES) {
          // A whole buffer (or a big chunk) holds every frame at once: cap the batch so the events held stay bounded.
          yield batch;
          batch = [];
        }
        continue;
      }
      if (batch.length > 0) {
        yield batch;
        batch = [];
      }
      const have = buf.length - pos;
      while (have + queued < s.need) {
        const next = await source.next();
        if (next.done) break;
        if (next.value.length === 0) continue;
        queue.push(next.value);
        queued += next.value.length;
      }
      if (have + queued < s.need) {
        const last = decoder.finish(have + queued, base + pos);
        if (last) yield [last];
        return;
      }
      base += pos;
      pos = 0;
      if (have === 0) {
        // The next record starts a chunk: read it in place.
        buf = queue.shift()!;
        queued -= buf.length;
        continue;
      }
      // The record spans chunks: copy exactly the bytes asked for, leaving the rest of the last chunk queued.
      const joined = new Uint8Array(s.need);
      joined.set(buf.subarray(buf.length - have), 0);
      let filled = have;
      while (filled < s.need) {
        const chunk = queue[0]!;
        const take = Math.min(chunk.length, s.need - filled);
        joined.set(chunk.subarray(0, take), filled);
        filled += take;
        queued -= take;
        if (take === chunk.length) queue.shift();
        else queue[0] = chunk.subarray(take);
      }
      buf = joined;
    }
  } finally {
    // Stopping early (or failing) releases the source: a ReadableStream is cancelled, a file stream closed.
    await source.return(undefined);
  }
}

/** Streams every frame of a capture from any supported input. Throws `CaptureError` on unreadable structure. */
export async function* readFrames(input: CaptureInput, options: FrameReaderOptions = {}): AsyncGenerator<FrameEvent> {
  for await (const batch of decodeFrameBatches(input, createFrameDecoder(options))) yield* batch;
}
