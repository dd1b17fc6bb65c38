/**
 * IP fragment reassembly for IPv4 and IPv6, bounded in memory (datagrams in flight, bytes buffered, pieces per datagram)
 * and time (every push is linear in its own length plus the pieces of one datagram; old datagrams expire by capture time).
 *
 * Overlaps that repeat the same bytes (retransmitted or duplicated fragments) are accepted; overlaps with different bytes
 * discard the whole datagram, as RFC 5722 requires for IPv6 and as is safest for IPv4.
 */
import type { IpFragmentInfo, IpHeader } from './ip';

/** Limits of a reassembler; all are per reassembler. */
export interface ReassemblyOptions {
  /** Datagrams in flight at once; the oldest is evicted beyond this. Default 256. */
  readonly maxDatagrams?: number;
  /** Largest reassembled payload. Default 65535. */
  readonly maxDatagramBytes?: number;
  /** Pieces kept per datagram. Default 256. */
  readonly maxFragments?: number;
  /** Bytes buffered across all datagrams; the oldest are evicted beyond this. Default 4 MiB. */
  readonly maxBufferedBytes?: number;
  /** A datagram not completed this many capture-seconds after its first piece is discarded. Default 60. */
  readonly timeoutSeconds?: number;
  /** Called for every datagram discarded without completing. */
  readonly onDiscard?: (discarded: DiscardedDatagram) => void;
}

/** One piece of a datagram. */
export interface FragmentPiece {
  /** Identifies the datagram: version, addresses, identification and (IPv4) protocol. */
  readonly key: string;
  /** Byte offset of the piece in the reassembled payload. */
  readonly offset: number;
  /** More-fragments flag: false on the last piece. */
  readonly more: boolean;
  /** The piece's bytes. */
  readonly payload: Uint8Array;
  /** Upper-layer protocol announced by this piece (the one from offset 0 wins). */
  readonly protocol: number;
  /** Frame number the piece came from. */
  readonly frame: number;
  /** Capture time in seconds, for expiry; omit when unknown. */
  readonly time?: number;
}

/** Why a datagram was discarded as soon as a piece arrived. */
export type ReassemblyDropReason = 'overlap-conflict' | 'too-large' | 'too-many-fragments' | 'inconsistent-length';

/** Outcome of pushing one piece. */
export type ReassemblyResult =
  | { readonly status: 'held' }
  | {
      readonly status: 'complete';
      readonly payload: Uint8Array;
      readonly protocol: number;
      readonly frames: readonly number[];
    }
  | { readonly status: 'dropped'; readonly reason: ReassemblyDropReason; readonly frames: readonly number[] };

/** A datagram discarded without completing. */
export interface DiscardedDatagram {
  readonly key: string;
  readonly reason: ReassemblyDropReason | 'timeout' | 'evicted' | 'end-of-capture';
  /** Frames whose pieces were held. */
  readonly frames: readonly number[];
}

/**
 * The reassembly piece for a parsed IP fragment (`data` is the buffer `ip` was parsed from), keyed as RFC 791/8200 say:
 * addresses, identification and, for IPv4, the protocol. `undefined` when `ip` is not a fragment.
 */
export function fragmentPiece(ip: IpHeader, data: Uint8Array, frame: number, time?: number): FragmentPiece | undefined {
  return ip.fragment ? pieceOf(ip, ip.fragment, data, frame, time) : undefined;
}

/** The reassembly piece for `ip`, whose fragment fields are `f`. */
export function pieceOf(
  ip: IpHeader,
  f: IpFragmentInfo,
  data: Uint8Array,
  frame: number,
  time: number | undefined,
): FragmentPiece {
  return {
    key: `${ip.version}|${ip.src}|${ip.dst}|${f.id}|${ip.version === 4 ? ip.protocol : ''}`,
    offset: f.offset,
    more: f.more,
    payload: data.subarray(ip.payloadOffset, ip.payloadEnd),
    protocol: ip.protocol,
    frame,
    ...(time === undefined ? {} : { time }),
  };
}

/** A stateful reassembler; see `createIpReassembler`. */
export interface IpReassembler {
  /** Adds a piece; returns the datagram when it is complete. */
  push(piece: FragmentPiece): ReassemblyResult;
  /** Discards datagrams older than the timeout at capture time `now` (seconds). */
  expire(now: number): void;
  /** Discards every incomplete datagram (end of capture). */
  flush(): void;
  /** Datagrams in flight (including discarded ones remembered to absorb their late pieces). */
  readonly pending: number;
  /** Bytes currently buffered (copies of the pieces, never more than `maxBufferedBytes`). */
  readonly bufferedBytes: number;
  /** Bytes compared against held pieces so far: a deterministic measure of the work done, linear in the bytes pushed. */
  readonly comparedBytes: number;
}

interface Piece {
  readonly start: number;
  readonly end: number;
  readonly bytes: Uint8Array;
}

interface Entry {
  readonly key: string;
  readonly time: number;
  pieces: Piece[];
  frames: number[];
  total: number | undefined;
  protocol: number;
  bytes: number;
  dead: ReassemblyDropReason | undefined;
}

/** Creates an IP reassembler with the given limits. */
export function createIpReassembler(options: ReassemblyOptions = {}): IpReassembler {
  const maxDatagrams = options.maxDatagrams ?? 256;
  const maxDatagramBytes = options.maxDatagramBytes ?? 65535;
  const maxFragments = options.maxFragments ?? 256;
  const maxBuffered = options.maxBufferedBytes ?? 4 * 1024 * 1024;
  const timeout = options.timeoutSeconds ?? 60;
  const onDiscard = options.onDiscard;
  const entries = new Map<string, Entry>();
  let buffered = 0;
  let lastTime = 0;
  let compared = 0;

  function remove(entry: Entry, reason: DiscardedDatagram['reason'] | undefined): void {
    entries.delete(entry.key);
    buffered -= entry.bytes;
    if (reason !== undefined && entry.dead === undefined) onDiscard?.({ key: entry.key, reason, frames: entry.frames });
  }

  function kill(entry: Entry, reason: ReassemblyDropReason, frame: number): ReassemblyResult {
    entry.frames.push(frame);
    const frames = entry.frames;
    onDiscard?.({ key: entry.key, reason, frames });
    buffered -= entry.bytes;
    entry.dead = reason;
    entry.pieces = [];
    entry.bytes = 0;
    entry.frames = [];
    return { status: 'dropped', reason, frames };
  }

  function newEntry(p: FragmentPiece, now: number): Entry {
    return {
      key: p.key,
      time: now,
      pieces: [],
      frames: [],
      total: undefined,
      protocol: p.protocol,
      bytes: 0,
      dead: undefined,
    };
  }

  function expire(now: number): void {
    for (const entry of entries.values()) {
      if (!(now - entry.time > timeout)) break;
      remove(entry, 'timeout');
    }
  }

  function push(p: FragmentPiece): ReassemblyResult {
    const now = p.time ?? lastTime;
    lastTime = now;
    expire(now);
    let entry = entries.get(p.key);
    if (entry?.dead && p.offset === 0) {
      // A new first fragment under a killed datagram's key: the id was reused, so start over rather than swallow the
      // new datagram until the timeout.
      entries.delete(entry.key);
      entry = undefined;
    }
    if (!entry) {
      while (entries.size >= maxDatagrams) remove(entries.values().next().value!, 'evicted');
      entry = newEntry(p, now);
      entries.set(p.key, entry);
    }
    if (entry.dead) return { status: 'dropped', reason: entry.dead, frames: [p.frame] };
    const start = p.offset;
    const end = p.offset + p.payload.length;
    if (end > maxDatagramBytes) return kill(entry, 'too-large', p.frame);
    if (!p.more) {
      if (entry.total !== undefined && entry.total !== end) return kill(entry, 'inconsistent-length', p.frame);
      // An end below bytes already held is the same lie seen from the other side.
      if (entry.pieces.some((q) => q.end > end)) return kill(entry, 'inconsistent-length', p.frame);
      entry.total = end;
    }
    if (entry.total !== undefined && end > entry.total) return kill(entry, 'inconsistent-length', p.frame);
    // Held pieces never overlap: compare the new piece only with the bytes already held in its range (each byte once),
    // and keep copies of just the bytes that are new, so the work per piece is linear in its length and a datagram never
    // holds more than its own size, however many times its pieces repeat or overlap.
    const fresh: Piece[] = [];
    let cursor = start;
    for (const q of entry.pieces) {
      if (q.end <= start) continue;
      if (q.start >= end) break;
      if (q.start > cursor)
        fresh.push({ start: cursor, end: q.start, bytes: p.payload.slice(cursor - start, q.start - start) });
      const lo = Math.max(start, q.start);
      const hi = Math.min(end, q.end);
      compared += hi - lo;
      for (let k = lo; k < hi; k++) {
        if (p.payload[k - start] !== q.bytes[k - q.start]) return kill(entry, 'overlap-conflict', p.frame);
      }
      cursor = hi;
    }
    if (cursor < end) fresh.push({ start: cursor, end, bytes: p.payload.slice(cursor - start) });
    if (fresh.length > 0) {
      if (entry.pieces.length + fresh.length > maxFragments) return kill(entry, 'too-many-fragments', p.frame);
      let added = 0;
      for (const q of fresh) added += q.end - q.start;
      for (const old of entries.values()) {
        if (buffered + added <= maxBuffered) break;
        if (old !== entry) remove(old, 'evicted');
      }
      // Evicting every other datagram was not enough: this one alone exceeds the budget.
      if (buffered + added > maxBuffered) return kill(entry, 'too-large', p.frame);
      entry.pieces.push(...fresh);
      entry.pieces.sort((a, b) => a.start - b.start);
      entry.bytes += added;
      buffered += added;
    }
    entry.frames.push(p.frame);
    if (start === 0) entry.protocol = p.protocol;
    return complete(entry);
  }

  function complete(entry: Entry): ReassemblyResult {
    const total = entry.total;
    if (total === undefined) return { status: 'held' };
    let covered = 0;
    for (const q of entry.pieces) {
      if (q.start > covered) return { status: 'held' };
      covered = Math.max(covered, q.end);
    }
    if (covered < total) return { status: 'held' };
    const payload = new Uint8Array(total);
    for (const q of entry.pieces) payload.set(q.bytes, q.start);
    remove(entry, undefined);
    return { status: 'complete', payload, protocol: entry.protocol, frames: entry.frames };
  }

  return {
    push,
    expire,
    flush() {
      for (const entry of [...entries.values()]) remove(entry, 'end-of-capture');
    },
    get pending() {
      return entries.size;
    },
    get bufferedBytes() {
      return buffered;
    },
    get comparedBytes() {
      return compared;
    },
  };
}
