import { DecodeError } from './errors';
import type { Reader } from './reader';
import type { Writer } from './writer';

/** One wire structure: decode from a cursor, encode to a cursor, and the encoded size. */
export interface Codec<T> {
  /** Reads one value at `r.pos`. */
  decode(r: Reader): T;
  /** Writes `v` at `w.pos`. */
  encode(w: Writer, v: T): void;
  /** Encoded size of `v`. */
  length(v: T): number;
}

/** The body of a structure framed by a generic payload header, with its name and minimum body size. */
export interface BodyCodec<T> extends Codec<T> {
  /** Name used in error messages. */
  readonly name: string;
  /** Smallest body size (fixed fields), header excluded. */
  readonly min: number;
}

/**
 * What every generically framed structure may carry besides its content: a non-zero reserved byte, and bytes
 * inside its length after its content. Both are omitted when absent, so that lengths are always computed.
 */
export interface Framed {
  /** The generic header's RESERVED byte, when not zero. */
  reserved?: number;
  /** Bytes inside the payload length after the content, kept for the round trip. */
  trailing?: Uint8Array;
}

/** A framed structure inside a chain (proposals, transforms) that may carry an unexpected next-payload value. */
export interface Chained extends Framed {
  /** The next-payload byte as found, only when it is not the expected one (2 or 3 before more, 0 on the last). */
  next?: number;
}

/**
 * Generic payload header (RFC 2408 3.2):
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Reads one framed structure at `r.pos` and returns it with the next-payload byte it carried.
 */
export function decodeFrame<T extends Framed>(r: Reader, c: BodyCodec<T>): [T, number] {
  const start = r.pos;
  r.count(start);
  r.need(4, `${c.name} header`);
  const next = r.u8();
  const reserved = r.u8();
  const length = r.u16();
  if (length < 4 + c.min) throw new DecodeError('BAD_LENGTH', start, `${c.name} length ${length} < ${4 + c.min}`);
  const body = r.sub(length - 4, `${c.name} body`, start);
  const v = c.decode(body);
  if (reserved !== 0) v.reserved = reserved;
  if (body.remaining > 0) {
    r.warn('TRAILING_DATA', body.pos, `${body.remaining} bytes after the ${c.name} content`);
    v.trailing = body.rest();
  }
  return [v, next];
}

/** Encoded size of a framed structure, header included. */
export function frameLength<T extends Framed>(c: BodyCodec<T>, v: T): number {
  return 4 + c.length(v) + (v.trailing?.length ?? 0);
}

/** Writes a framed structure with the given next-payload byte; the length is patched in once the body is written. */
export function encodeFrame<T extends Framed>(w: Writer, c: BodyCodec<T>, v: T, next: number): void {
  const start = w.pos;
  w.u8(next, 'next payload');
  w.u8(v.reserved ?? 0, `${c.name} reserved`);
  w.u16(0);
  c.encode(w, v);
  if (v.trailing) w.raw(v.trailing);
  const length = w.pos - start;
  w.patch16(start + 2, length, `${c.name} length`);
}

/**
 * Reads a chain of same-kind structures (proposals in an SA, transforms in a proposal) linked by `link`, until a
 * next-payload of 0 or the end of the container. Unexpected links are kept on the item and reported.
 */
export function decodeChain<T extends Chained>(r: Reader, c: BodyCodec<T>, link: number): T[] {
  const items: T[] = [];
  while (r.remaining > 0) {
    const start = r.pos;
    const [item, next] = decodeFrame(r, c);
    items.push(item);
    if (next === 0) break;
    if (next !== link || r.remaining === 0) {
      item.next = next;
      r.warn('BAD_NEXT_PAYLOAD', start, `${c.name} next payload ${next}, expected ${r.remaining === 0 ? 0 : link}`);
    }
  }
  return items;
}

/** Writes a chain, each item linked to the next by `link` and the last by 0, unless it kept its own value. */
export function encodeChain<T extends Chained>(w: Writer, c: BodyCodec<T>, items: readonly T[], link: number): void {
  const last = items.length - 1;
  for (let i = 0; i <= last; i++) {
    const item = items[i]!;
    encodeFrame(w, c, item, item.next ?? (i === last ? 0 : link));
  }
}

/** Encoded size of a chain. */
export function chainLength<T extends Chained>(c: BodyCodec<T>, items: readonly T[]): number {
  let n = 0;
  for (const item of items) n += frameLength(c, item);
  return n;
}

/** What `readChain` found: the payloads that decoded, and where and why it stopped early, if it did. */
export interface ChainRead<P> {
  /** The payloads that decoded, in order. */
  payloads: P[];
  /** The payload that failed (partial reading only): the type its predecessor named and the error. */
  stop?: { type: number; error: DecodeError };
}

/**
 * Reads a payload chain from type `first` until a next payload of 0, one `step` (one framed payload, returning it
 * with the next type) at a time. When `partial`, the first payload that fails is not thrown: the reader, warnings
 * and budget go back to where that payload started, and the chain ends there with `stop`.
 */
export function readChain<P>(
  r: Reader,
  first: number,
  step: (r: Reader, type: number) => [P, number],
  partial: boolean,
): ChainRead<P> {
  const payloads: P[] = [];
  let type = first;
  while (type !== 0) {
    const mark = partial ? r.mark() : undefined;
    try {
      const [p, next] = step(r, type);
      payloads.push(p);
      type = next;
    } catch (e) {
      if (!mark || !(e instanceof DecodeError)) throw e;
      r.restore(mark);
      return { payloads, stop: { type, error: e } };
    }
  }
  return { payloads };
}
