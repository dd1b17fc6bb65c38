import type { Codec } from './codec';
import { DecodeError, type DecodeWarning } from './errors';
import { HEADER_LENGTH, type Header, HeaderFlag, headerCodec } from './header';
import { decodePayloadChain, encodePayloadChain, type Payload, payloadChainLength } from './payload';
import { Reader } from './reader';
import { Writer } from './writer';

/** A whole ISAKMP message. */
export interface Message {
  /** The fixed header, as found. */
  header: Header;
  /** The payload chain; empty when the body is encrypted. */
  payloads: Payload[];
  /** The ciphertext body (everything after the header inside its length), when the encryption flag is set. */
  encrypted?: Uint8Array;
  /** Bytes after the last payload: inside the header length, and any datagram bytes beyond it. */
  trailing?: Uint8Array;
  /** What decoding found odd but kept; absent when nothing was. */
  warnings?: DecodeWarning[];
}

/** Decoding limits. */
export interface DecodeOptions {
  /** Most payloads, proposals and transforms one message may hold (a guard against count bombs). Default 512. */
  maxPayloads?: number;
}

/** Default for `DecodeOptions.maxPayloads`. */
export const DEFAULT_MAX_PAYLOADS = 512;

/** A decrypted body: its payloads and the bytes after the last one (usually CBC padding). */
export interface Plaintext {
  /** The payload chain. */
  payloads: Payload[];
  /** Bytes after the last payload (usually CBC padding). */
  trailing?: Uint8Array;
  /** What decoding found odd but kept; absent when nothing was. */
  warnings?: DecodeWarning[];
}

function context(options: DecodeOptions | undefined) {
  const budget = options?.maxPayloads ?? DEFAULT_MAX_PAYLOADS;
  if (!Number.isInteger(budget) || budget < 0) throw new RangeError(`maxPayloads ${budget} is not a whole number`);
  return { warnings: [] as DecodeWarning[], budget };
}

/** The input from `offset` on; errors are reported at 0, the start of the message that was asked for. */
function slice(bytes: Uint8Array, offset: number): Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new DecodeError('BAD_INPUT', 0, 'the input is not a Uint8Array');
  if (!Number.isInteger(offset) || offset < 0 || offset > bytes.length)
    throw new DecodeError('BAD_OFFSET', 0, `offset ${offset} is not inside the ${bytes.length} input bytes`);
  return bytes.subarray(offset);
}

/** The whole message codec over a reader that spans exactly one datagram. */
export const messageCodec: Codec<Message> = {
  decode(r) {
    const start = r.pos;
    const header = headerCodec.decode(r);
    const available = r.end - start;
    if (header.length > available)
      throw new DecodeError('TRUNCATED', start + 24, `header length ${header.length} > ${available} bytes received`);
    if (header.length < HEADER_LENGTH)
      throw new DecodeError('BAD_LENGTH', start + 24, `header length ${header.length} < ${HEADER_LENGTH}`);
    const body = new Reader(r.bytes, r.pos, start + header.length, r.ctx, 'BAD_LENGTH');
    const m: Message = { header, payloads: [] };
    if (header.flags & HeaderFlag.ENCRYPTION) m.encrypted = body.rest();
    else {
      m.payloads = decodePayloadChain(body, header.nextPayload);
      if (body.remaining > 0) r.warn('TRAILING_DATA', body.pos, `${body.remaining} bytes after the last payload`);
    }
    if (header.length < available)
      r.warn('HEADER_LENGTH_MISMATCH', start + 24, `header length ${header.length} < ${available} bytes received`);
    r.pos = body.pos;
    if (r.remaining > 0) m.trailing = r.rest();
    if (r.ctx.warnings.length > 0) m.warnings = r.ctx.warnings;
    return m;
  },
  encode(w, m) {
    headerCodec.encode(w, m.header);
    if (m.encrypted) w.raw(m.encrypted);
    else encodePayloadChain(w, m.payloads);
    if (m.trailing) w.raw(m.trailing);
  },
  length(m) {
    const body = m.encrypted ? m.encrypted.length : payloadChainLength(m.payloads);
    return HEADER_LENGTH + body + (m.trailing?.length ?? 0);
  },
};

/**
 * Decodes one ISAKMP message: `bytes` from `offset` to the end is the datagram (skip a port-4500 non-ESP marker
 * first). Throws only `DecodeError`; its offsets (and the warnings') count from the message start, `offset`.
 */
export function decode(bytes: Uint8Array, offset = 0, options?: DecodeOptions): Message {
  const ctx = context(options);
  const datagram = slice(bytes, offset);
  return messageCodec.decode(new Reader(datagram, 0, datagram.length, ctx));
}

/** Decodes a decrypted body (header excluded) whose first payload has type `firstPayload`. Throws only `DecodeError`. */
export function decodePlaintext(
  bytes: Uint8Array,
  firstPayload: number,
  offset = 0,
  options?: DecodeOptions,
): Plaintext {
  const ctx = context(options);
  const body = slice(bytes, offset);
  const r = new Reader(body, 0, body.length, ctx, 'BAD_LENGTH');
  const p: Plaintext = { payloads: decodePayloadChain(r, firstPayload) };
  if (r.remaining > 0) p.trailing = r.rest();
  if (r.ctx.warnings.length > 0) p.warnings = r.ctx.warnings;
  return p;
}

/** Encodes a decrypted body's payloads (and trailing padding), the inverse of `decodePlaintext`. */
export function encodePlaintext(plaintext: Plaintext): Uint8Array {
  const out = new Uint8Array(payloadChainLength(plaintext.payloads) + (plaintext.trailing?.length ?? 0));
  const w = new Writer(out);
  encodePayloadChain(w, plaintext.payloads);
  if (plaintext.trailing) w.raw(plaintext.trailing);
  return out;
}

/** Size of `encode(message)`. */
export function encodingLength(message: Message): number {
  return messageCodec.length(message);
}

/**
 * Encodes a message byte for byte as described: header fields as given (the length too: after an edit, encode
 * `finalize(message)`), lengths inside computed. Throws `RangeError` for a value that does not fit its field.
 */
export function encode(message: Message): Uint8Array {
  const out = new Uint8Array(messageCodec.length(message));
  messageCodec.encode(new Writer(out), message);
  return out;
}

/** Encodes into `out` at `offset` and returns the number of bytes written; throws `RangeError` when it does not fit. */
export function encodeInto(message: Message, out: Uint8Array, offset = 0): number {
  const n = messageCodec.length(message);
  if (!Number.isInteger(offset) || offset < 0 || offset + n > out.length)
    throw new RangeError(`message of ${n} bytes does not fit at offset ${offset} of ${out.length}`);
  messageCodec.encode(new Writer(out, offset), message);
  return n;
}
