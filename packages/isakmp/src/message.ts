import type { Codec } from './codec';
import { decodeEnvelope, type Envelope, encodeEnvelope, envelopeLength, type PartialDecode } from './envelope';
import { DecodeError, type DecodeWarning } from './errors';
import { headerCodec } from './header';
import { encodeIkev2Message, type Ikev2Message, ikev2Chain, ikev2MessageLength } from './ikev2';
import { decodePayloadChain, encodePayloadChain, ikev1Chain, type Payload, payloadChainLength } from './payload';
import { Reader } from './reader';
import { Writer } from './writer';

/** A whole ISAKMP (IKEv1) message. */
export interface Message extends Envelope<Payload> {
  /** The payload chain; empty when the body is encrypted. */
  payloads: Payload[];
  /** The ciphertext body (everything after the header inside its length), when the encryption flag is set. */
  encrypted?: Uint8Array;
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
  decode: (r) => decodeEnvelope(r, ikev1Chain, false).message,
  encode: (w, m) => encodeEnvelope(w, ikev1Chain, m),
  length: (m) => envelopeLength(ikev1Chain, m),
};

/** A reader over the datagram `bytes[offset..]`, with fresh limits. */
function datagramReader(bytes: Uint8Array, offset: number, options: DecodeOptions | undefined): Reader {
  const ctx = context(options);
  const datagram = slice(bytes, offset);
  return new Reader(datagram, 0, datagram.length, ctx);
}

/**
 * Decodes one ISAKMP message with the IKEv1 grammar, whatever its version byte says (`decodeAny` lets the version
 * decide): `bytes` from `offset` to the end is the datagram (skip a port-4500 non-ESP marker first). Throws only
 * `DecodeError`; its offsets (and the warnings') count from the message start, `offset`.
 */
export function decode(bytes: Uint8Array, offset = 0, options?: DecodeOptions): Message {
  return messageCodec.decode(datagramReader(bytes, offset, options));
}

/**
 * Decodes an IKEv1 message as far as it can: the payloads before the first one that fails, the rest kept as
 * `message.unreadable`, and that failure as `error` (so `encode(message)` still gives the datagram back byte for
 * byte). A header length that disagrees with the datagram is the error, the body read as far as both allow. Throws
 * `DecodeError` only when the 28-byte header itself cannot be read (or for `BAD_INPUT`/`BAD_OFFSET`).
 */
export function decodePartial(bytes: Uint8Array, offset = 0, options?: DecodeOptions): PartialDecode<Message> {
  return decodeEnvelope(datagramReader(bytes, offset, options), ikev1Chain, true);
}

/** The IKEv2 grammar over a datagram reader, the message tagged `version: 2`. */
function ikev2Envelope(r: Reader, partial: boolean): PartialDecode<Ikev2Message> {
  const { message, error } = decodeEnvelope(r, ikev2Chain, partial);
  const m: Ikev2Message = { version: 2, ...message };
  return error ? { message: m, error } : { message: m };
}

/** Decodes one message with the IKEv2 grammar (RFC 7296), whatever its version byte says: throws the first `DecodeError`. */
export function decodeIkev2(bytes: Uint8Array, offset = 0, options?: DecodeOptions): Ikev2Message {
  return ikev2Envelope(datagramReader(bytes, offset, options), false).message;
}

/**
 * Decodes one message with the IKEv2 grammar, whatever its version byte says, as far as it can, like
 * `decodePartial`: header, generic payload chain, SK/SKF contents opaque.
 */
export function decodeIkev2Partial(
  bytes: Uint8Array,
  offset = 0,
  options?: DecodeOptions,
): PartialDecode<Ikev2Message> {
  return ikev2Envelope(datagramReader(bytes, offset, options), true);
}

/** A message of a major version this codec has no grammar for: its version, and the `UNSUPPORTED_VERSION` error. */
export interface UnsupportedVersion {
  /** The discriminant. */
  version: 'unsupported';
  /** High nibble of the version byte. */
  majorVersion: number;
  /** Low nibble of the version byte. */
  minorVersion: number;
  /** `UNSUPPORTED_VERSION` at offset 17, the version byte. */
  error: DecodeError;
}

/** What `decodeAny` found, discriminated by `version`: an IKEv1 or IKEv2 partial decoding, or an unsupported version. */
export type AnyMessage =
  | ({ version: 1 } & PartialDecode<Message>)
  | ({ version: 2 } & PartialDecode<Ikev2Message>)
  | UnsupportedVersion;

/** Offset of the version byte in both headers. */
const VERSION_OFFSET = 17;

/** Each major version's partial grammar: the only dispatch on the version. */
const grammars: Partial<Record<number, (r: Reader) => AnyMessage>> = {
  1: (r) => ({ version: 1, ...decodeEnvelope(r, ikev1Chain, true) }),
  2: (r) => ({ version: 2, ...ikev2Envelope(r, true) }),
};

/**
 * Decodes one datagram with the grammar its major version names: 1 is IKEv1 (as `decodePartial`), 2 is IKEv2 (as
 * `decodeIkev2Partial`), anything else is `{ version: 'unsupported' }` with an `UNSUPPORTED_VERSION` error at
 * offset 17. Never throws for a bad payload; throws `DecodeError` only when the header cannot be read (`TRUNCATED`
 * inside the 28 bytes, as for `decode`).
 */
export function decodeAny(bytes: Uint8Array, offset = 0, options?: DecodeOptions): AnyMessage {
  const r = datagramReader(bytes, offset, options);
  const { majorVersion, minorVersion } = headerCodec.decode(r);
  r.pos = 0;
  const grammar = grammars[majorVersion];
  if (grammar) return grammar(r);
  const error = new DecodeError(
    'UNSUPPORTED_VERSION',
    VERSION_OFFSET,
    `major version ${majorVersion} (version ${majorVersion}.${minorVersion}) is neither IKEv1 nor IKEv2`,
  );
  return { version: 'unsupported', majorVersion, minorVersion, error };
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

/** True for an IKEv2 message (as against an IKEv1 `Message`). */
export function isIkev2(message: Message | Ikev2Message): message is Ikev2Message {
  return 'version' in message && message.version === 2;
}

/** Size of `encode(message)`. */
export function encodingLength(message: Message | Ikev2Message): number {
  return isIkev2(message) ? ikev2MessageLength(message) : messageCodec.length(message);
}

function encodeAt(w: Writer, message: Message | Ikev2Message): void {
  if (isIkev2(message)) encodeIkev2Message(w, message);
  else messageCodec.encode(w, message);
}

/**
 * Encodes an IKEv1 or IKEv2 message byte for byte as described: header fields as given (the length too: after an
 * edit, encode `finalize(message)`), lengths inside computed, a partial decode's `unreadable` rest as found. Throws
 * `RangeError` for a value that does not fit its field.
 */
export function encode(message: Message | Ikev2Message): Uint8Array {
  const out = new Uint8Array(encodingLength(message));
  encodeAt(new Writer(out), message);
  return out;
}

/** Encodes into `out` at `offset` and returns the number of bytes written; throws `RangeError` when it does not fit. */
export function encodeInto(message: Message | Ikev2Message, out: Uint8Array, offset = 0): number {
  const n = encodingLength(message);
  if (!Number.isInteger(offset) || offset < 0 || offset + n > out.length)
    throw new RangeError(`message of ${n} bytes does not fit at offset ${offset} of ${out.length}`);
  encodeAt(new Writer(out, offset), message);
  return n;
}
