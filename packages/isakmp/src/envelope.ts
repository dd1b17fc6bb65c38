/**
 * What IKEv1 and IKEv2 messages share: the 28-byte header (one layout in RFC 2408 3.1 and RFC 7296 3.1), the header
 * length that bounds the payload chain, trailing bytes, and partial decoding. The version-specific part is the chain.
 */
import { type ChainRead, readChain } from './codec';
import { DecodeError, type DecodeWarning } from './errors';
import { HEADER_LENGTH, type Header, headerCodec } from './header';
import { Reader } from './reader';
import type { Writer } from './writer';

/**
 * The rest of a payload chain from the first payload that did not decode (see `decodePartial`): kept as found, so
 * that encoding the partial message gives back the original bytes.
 */
export interface Unreadable {
  /** Type of the payload that failed, as the previous next-payload byte (or the header) named it. */
  type: number;
  /** Bytes from that payload's generic header to the end of the body (the header length, or the datagram if shorter). */
  raw: Uint8Array;
}

/** A decoding that went as far as it could: the message, and the first error when it stopped early. */
export interface PartialDecode<M> {
  /** The header, every payload that decoded, and the rest as `unreadable` bytes. */
  message: M;
  /** Why decoding stopped (offset from the message start); absent when the whole message decoded. */
  error?: DecodeError;
}

/** The fields every message kind shares. */
export interface Envelope<P> {
  /** The fixed header, as found. */
  header: Header;
  /** The payload chain. */
  payloads: P[];
  /** Only from a partial decode that stopped early: the payload that failed and everything after it, as found. */
  unreadable?: Unreadable;
  /** Bytes after the last payload: inside the header length, and any datagram bytes beyond it. */
  trailing?: Uint8Array;
  /** What decoding found odd but kept; absent when nothing was. */
  warnings?: DecodeWarning[];
}

/** How one IKE version reads and writes its payload chain. */
export interface ChainGrammar<P> {
  /** Reads one framed payload of `type`; returns it and the type of the next one (0 ends the chain). */
  step(r: Reader, type: number): [P, number];
  /** Writes the chain, the last payload's next-payload byte being `last` (0, or an unreadable payload's type). */
  encode(w: Writer, payloads: readonly P[], last: number): void;
  /** Encoded size of the chain. */
  length(payloads: readonly P[]): number;
  /** The body bytes when the header says they are not a readable chain (IKEv1's encryption flag), else undefined. */
  opaque?(header: Header, body: Reader): Uint8Array | undefined;
}

/** The header-length error, if any: larger than the datagram (TRUNCATED) or smaller than the header (BAD_LENGTH). */
function lengthError(header: Header, start: number, available: number): DecodeError | undefined {
  if (header.length > available)
    return new DecodeError('TRUNCATED', start + 24, `header length ${header.length} > ${available} bytes received`);
  if (header.length < HEADER_LENGTH)
    return new DecodeError('BAD_LENGTH', start + 24, `header length ${header.length} < ${HEADER_LENGTH}`);
  return undefined;
}

/**
 * Decodes one message over a reader spanning exactly one datagram. Strict (`partial` false) throws the first
 * `DecodeError`. Partial throws only when the header cannot be read; a bad header length is reported and the body
 * read as far as the datagram and that length allow, and a payload that fails ends the chain as `unreadable`.
 */
export function decodeEnvelope<P>(
  r: Reader,
  grammar: ChainGrammar<P>,
  partial: boolean,
): { message: Envelope<P> & { encrypted?: Uint8Array }; error?: DecodeError } {
  const start = r.pos;
  const header = headerCodec.decode(r);
  const available = r.end - start;
  let error = lengthError(header, start, available);
  if (error && !partial) throw error;
  const end = start + Math.min(Math.max(header.length, HEADER_LENGTH), available);
  const body = new Reader(r.bytes, r.pos, end, r.ctx, 'BAD_LENGTH');
  const m: Envelope<P> & { encrypted?: Uint8Array } = { header, payloads: [] };
  const opaque = grammar.opaque?.(header, body);
  if (opaque) m.encrypted = opaque;
  else {
    const chain: ChainRead<P> = readChain(body, header.nextPayload, grammar.step, partial);
    m.payloads = chain.payloads;
    if (chain.stop) {
      m.unreadable = { type: chain.stop.type, raw: body.rest() };
      error ??= chain.stop.error;
    } else if (body.remaining > 0) r.warn('TRAILING_DATA', body.pos, `${body.remaining} bytes after the last payload`);
  }
  if (header.length < available)
    r.warn('HEADER_LENGTH_MISMATCH', start + 24, `header length ${header.length} < ${available} bytes received`);
  r.pos = body.pos;
  if (r.remaining > 0) m.trailing = r.rest();
  if (r.ctx.warnings.length > 0) m.warnings = r.ctx.warnings;
  return error ? { message: m, error } : { message: m };
}

/** Writes a message: header as found, the chain (or the opaque body), any unreadable rest, trailing bytes. */
export function encodeEnvelope<P>(
  w: Writer,
  grammar: ChainGrammar<P>,
  m: Envelope<P> & { encrypted?: Uint8Array },
): void {
  headerCodec.encode(w, m.header);
  if (m.encrypted) w.raw(m.encrypted);
  else grammar.encode(w, m.payloads, m.unreadable?.type ?? 0);
  if (m.unreadable) w.raw(m.unreadable.raw);
  if (m.trailing) w.raw(m.trailing);
}

/** Encoded size of a message. */
export function envelopeLength<P>(grammar: ChainGrammar<P>, m: Envelope<P> & { encrypted?: Uint8Array }): number {
  const body = m.encrypted ? m.encrypted.length : grammar.length(m.payloads);
  return HEADER_LENGTH + body + (m.unreadable?.raw.length ?? 0) + (m.trailing?.length ?? 0);
}
