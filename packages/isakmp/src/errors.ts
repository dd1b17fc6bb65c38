/**
 * The one error type decoding may throw, and the warnings it records when it can go on.
 */

/** Why decoding stopped. */
export type DecodeErrorCode =
  /** The input ends before a field the message needs (including a header length larger than the datagram). */
  | 'TRUNCATED'
  /** A length field is below its structure's minimum or reaches past its container. */
  | 'BAD_LENGTH'
  /** A count times an element size reaches past its payload (delete SPIs). */
  | 'BAD_COUNT'
  /** More payloads, proposals and transforms than `maxPayloads` allows. */
  | 'TOO_MANY_PAYLOADS'
  /** The `offset` argument is not an integer inside the input (reported at offset 0). */
  | 'BAD_OFFSET'
  /** The input is not a `Uint8Array` (reported at offset 0). */
  | 'BAD_INPUT'
  /** The header's major version is neither 1 (IKEv1) nor 2 (IKEv2): reported at offset 17, the version byte. */
  | 'UNSUPPORTED_VERSION';

/** Something decoding found odd but could keep, byte for byte. */
export type DecodeWarningCode =
  /** Bytes after the last structure inside a length (after the last payload, proposal, transform or attribute). */
  | 'TRAILING_DATA'
  /** The header length is smaller than the datagram: the extra bytes are kept in `trailing`. */
  | 'HEADER_LENGTH_MISMATCH'
  /** A count field (transforms, SPIs) disagrees with what is present. */
  | 'COUNT_MISMATCH'
  /** A proposal or transform chains with a next-payload value other than the expected 2/3 or 0. */
  | 'BAD_NEXT_PAYLOAD'
  /** An ID (or NAT-OA) of an address type whose data length does not fit that type: only the raw data is kept. */
  | 'ID_DATA_LENGTH'
  /**
   * An IPsec SA whose situation has SIT_SECRECY/SIT_INTEGRITY but whose labeled-domain parts cannot be read: the
   * proposals were read right after the situation instead (as tshark does), and `labeledDomain` is absent.
   */
  | 'BAD_LABELED_DOMAIN'
  /** A notification that should carry attributes (RESPONDER-LIFETIME) whose data does not parse as attributes. */
  | 'BAD_NOTIFY_DATA';

/** A non-fatal finding: what, where (byte offset from the message start), and a readable sentence. */
export interface DecodeWarning {
  /** What was found. */
  readonly code: DecodeWarningCode;
  /** Byte offset from the message start. */
  readonly offset: number;
  /** A readable sentence. */
  readonly message: string;
}

const BRAND = Symbol.for('oaklog.isakmp.DecodeError');

/**
 * Thrown by `decode` and nothing else: `code` says why, `offset` where (bytes from the message start, that is from
 * the `offset` argument). `instanceof` also recognises a DecodeError from another copy of this package (the CJS and
 * ESM builds both loaded): each carries a `Symbol.for` brand.
 */
export class DecodeError extends Error {
  /** Machine-readable reason. */
  readonly code: DecodeErrorCode;
  /** Byte offset, from the start of the message, of the field or structure at fault. */
  readonly offset: number;

  /** An error of `code` at `offset`, with `detail` for the message. */
  constructor(code: DecodeErrorCode, offset: number, detail: string) {
    super(`${code} at byte ${offset}: ${detail}`);
    this.name = 'DecodeError';
    this.code = code;
    this.offset = offset;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** True for a DecodeError from any copy of this package (see `isDecodeError`). */
  static override [Symbol.hasInstance](x: unknown): boolean {
    return isDecodeError(x);
  }
}

/** True when `x` is a `DecodeError` from any copy of this package (CJS or ESM build). */
export function isDecodeError(x: unknown): x is DecodeError {
  return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[BRAND] === true;
}
