import type { DecodeError } from '@oaklog/isakmp';

/** Why a crypto operation stopped. */
export type CryptoErrorCode =
  /** The Oakley encryption or hash algorithm is not one this package implements (the message names it). */
  | 'UNSUPPORTED_ALGORITHM'
  /** A key is not the length its cipher needs. */
  | 'BAD_KEY_LENGTH'
  /** An IV is not one cipher block long. */
  | 'BAD_IV_LENGTH'
  /** A CBC input is not a whole number of cipher blocks (`offset` is where the partial block starts). */
  | 'NOT_BLOCK_ALIGNED'
  /** No keys (or no usable keys) for this IKE SA. */
  | 'NO_KEYS'
  /** The IV cannot be computed: neither a logged initial IV nor both g^x values and the hash are known. */
  | 'NO_IV'
  /** The message is not encrypted, or its body is empty. */
  | 'NOT_ENCRYPTED'
  /** Padding cannot be applied or removed as asked (`offset` is where the padding starts). */
  | 'BAD_PADDING'
  /** The decrypted body does not decode as a payload chain; `offset` is the codec's, from the body start. */
  | 'DECODE_FAILED'
  /** An argument outside its domain (a Diffie-Hellman value out of range, a negative length). */
  | 'BAD_INPUT';

/** The one error type this package throws: `code` says why, `offset` (when there is one) where. */
export class CryptoError extends Error {
  /** Machine-readable reason. */
  readonly code: CryptoErrorCode;
  /** Byte offset of the fault in the input concerned, when the error has a position. */
  readonly offset: number | undefined;
  /** The codec's error, for `DECODE_FAILED`. */
  readonly decodeError: DecodeError | undefined;

  constructor(code: CryptoErrorCode, detail: string, options: { offset?: number; decodeError?: DecodeError } = {}) {
    super(options.offset === undefined ? `${code}: ${detail}` : `${code} at byte ${options.offset}: ${detail}`);
    this.name = 'CryptoError';
    this.code = code;
    this.offset = options.offset;
    this.decodeError = options.decodeError;
  }
}
