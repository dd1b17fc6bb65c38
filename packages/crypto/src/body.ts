/** Decrypting and encrypting one message body with a known cipher, key and IV. */

import { concatBytes } from '@oaklog/common';
import {
  DecodeError,
  type DecodeOptions,
  type DecodeWarning,
  decode,
  decodePlaintext,
  encodePlaintext,
  type Message,
  type Payload,
} from '@oaklog/isakmp';
import { type CipherSpec, cbcDecrypt, cbcEncrypt } from './ciphers';
import { CryptoError } from './errors';
import { lastBlock } from './iv';

/**
 * How the bytes after the last payload look. `zero`: all zero (strongSwan, RFC 2408 3.5 "padding ... zero");
 * `pad-length`: the last byte counts the padding bytes before it (or all of them), the rest is anything (racoon,
 * libreswan, Cisco); `none`: no padding; `other`: neither.
 */
export type PaddingStyle = 'none' | 'zero' | 'pad-length' | 'other';

/** Classifies padding bytes (see `PaddingStyle`). */
export function paddingStyle(padding: Uint8Array): PaddingStyle {
  const n = padding.length;
  if (n === 0) return 'none';
  if (padding.every((b) => b === 0)) return 'zero';
  const last = padding[n - 1];
  if (last === n - 1 || last === n) return 'pad-length';
  return 'other';
}

/**
 * Whether padding is what a CBC sender adds: at most a block (strongSwan adds a whole block of zeros to an aligned
 * chain), or a `pad-length` padding (which may run to 256 bytes). More of anything else suggests a wrong key or IV.
 */
export function isSanePadding(padding: Uint8Array, blockSize: number): boolean {
  if (padding.length <= blockSize) return true;
  return paddingStyle(padding) === 'pad-length' && padding.length <= 256;
}

/** A decrypted body, decoded. */
export interface DecryptedBody {
  /** The whole decrypted body, padding included. */
  readonly plaintext: Uint8Array;
  /** Its payload chain, decoded with `@oaklog/isakmp`'s `decodePlaintext`. */
  readonly payloads: Payload[];
  /** Bytes after the last payload. */
  readonly padding: Uint8Array;
  readonly paddingStyle: PaddingStyle;
  /** The IV the body was decrypted with. */
  readonly iv: Uint8Array;
  /** The last ciphertext block: the IV of the next message in the same chain. */
  readonly nextIv: Uint8Array;
  /** The codec's warnings about the payload chain, when any. */
  readonly warnings?: DecodeWarning[];
}

/** Inputs for `decryptBody`. */
export interface DecryptBodyInput {
  readonly cipher: CipherSpec;
  readonly key: Uint8Array;
  readonly iv: Uint8Array;
  /** The ciphertext body (the message after its header). */
  readonly ciphertext: Uint8Array;
  /** Type of the first payload (the header's next-payload byte). */
  readonly firstPayload: number;
  readonly decodeOptions?: DecodeOptions;
}

/**
 * Decrypts a body and decodes its payload chain. Throws `CryptoError`: cipher errors (`BAD_KEY_LENGTH`,
 * `NOT_BLOCK_ALIGNED`, ...) or `DECODE_FAILED` wrapping the codec's `DecodeError` (offset from the body start).
 */
export function decryptBody(input: DecryptBodyInput): DecryptedBody {
  const { cipher, key, iv, ciphertext } = input;
  if (ciphertext.length === 0) throw new CryptoError('NOT_ENCRYPTED', 'empty ciphertext body');
  const plaintext = cbcDecrypt(cipher, key, iv, ciphertext);
  let decoded: ReturnType<typeof decodePlaintext>;
  try {
    decoded = decodePlaintext(plaintext, input.firstPayload, 0, input.decodeOptions);
  } catch (e) {
    if (e instanceof DecodeError)
      throw new CryptoError('DECODE_FAILED', `decrypted body does not decode: ${e.message}`, {
        offset: e.offset,
        decodeError: e,
      });
    throw e;
  }
  const padding = decoded.trailing ?? new Uint8Array(0);
  const body: DecryptedBody = {
    plaintext,
    payloads: decoded.payloads,
    padding,
    paddingStyle: paddingStyle(padding),
    iv,
    nextIv: lastBlock(ciphertext, cipher.blockSize),
  };
  return decoded.warnings ? { ...body, warnings: decoded.warnings } : body;
}

/**
 * Padding for encryption: `zero`, the fewest zero bytes (none when aligned); `zero-block`, 1 to a whole block of
 * zeros (strongSwan); `pad-length`, zeros then a byte counting them (always at least that byte).
 */
export type PaddingMode = 'zero' | 'zero-block' | 'pad-length';

/** Padding options for `padPlaintext` and encryption. */
export interface PaddingOptions {
  /** Default `zero`. */
  readonly padding?: PaddingMode;
  /** Extra whole blocks of padding (for tests of long padding); only with `pad-length`. Default 0. */
  readonly extraBlocks?: number;
}

/**
 * Pads a payload chain to a whole number of blocks (see `PaddingMode`). Throws `BAD_PADDING` when the padding would
 * pass 256 bytes (its count byte could not say so) or `extraBlocks` is used without `pad-length`, `BAD_INPUT` for a
 * block size that is not a positive whole number.
 */
export function padPlaintext(chain: Uint8Array, blockSize: number, options: PaddingOptions = {}): Uint8Array {
  if (!Number.isInteger(blockSize) || blockSize < 1)
    throw new CryptoError('BAD_INPUT', `block size ${blockSize} is not a positive whole number`);
  const mode = options.padding ?? 'zero';
  const extra = options.extraBlocks ?? 0;
  if (!Number.isInteger(extra) || extra < 0 || (extra > 0 && mode !== 'pad-length'))
    throw new CryptoError('BAD_PADDING', 'extraBlocks must be a whole number >= 0, and needs pad-length padding', {
      offset: chain.length,
    });
  let n = (blockSize - (chain.length % blockSize)) % blockSize;
  if (mode !== 'zero' && n === 0) n = blockSize;
  n += extra * blockSize;
  if (n > 256)
    throw new CryptoError('BAD_PADDING', `${n} bytes of padding do not fit a count byte`, { offset: chain.length });
  const padding = new Uint8Array(n);
  if (mode === 'pad-length') padding[n - 1] = n - 1;
  return concatBytes([chain, padding]);
}

/** Inputs for `encryptBody`. */
export interface EncryptBodyInput extends PaddingOptions {
  readonly cipher: CipherSpec;
  readonly key: Uint8Array;
  readonly iv: Uint8Array;
  /** The payloads to encrypt (encoded with `encodePlaintext`), or an already encoded chain. */
  readonly payloads: Payload[] | Uint8Array;
}

/** An encrypted body. */
export interface EncryptedBody {
  readonly ciphertext: Uint8Array;
  /** The padded plaintext that was encrypted. */
  readonly plaintext: Uint8Array;
  readonly iv: Uint8Array;
  /** The last ciphertext block, the IV of the next message in the chain. */
  readonly nextIv: Uint8Array;
}

/** Encodes, pads and CBC-encrypts a payload chain. */
export function encryptBody(input: EncryptBodyInput): EncryptedBody {
  const chain = input.payloads instanceof Uint8Array ? input.payloads : encodePlaintext({ payloads: input.payloads });
  const plaintext = padPlaintext(chain, input.cipher.blockSize, input);
  if (plaintext.length === 0) throw new CryptoError('NOT_ENCRYPTED', 'nothing to encrypt');
  const ciphertext = cbcEncrypt(input.cipher, input.key, input.iv, plaintext);
  return { ciphertext, plaintext, iv: input.iv, nextIv: lastBlock(ciphertext, input.cipher.blockSize) };
}

/** Decodes message bytes with the codec, turning its `DecodeError` into `DECODE_FAILED`. */
export function decodeMessage(bytes: Uint8Array, options?: DecodeOptions): Message {
  try {
    return decode(bytes, 0, options);
  } catch (e) {
    if (e instanceof DecodeError)
      throw new CryptoError('DECODE_FAILED', `message does not decode: ${e.message}`, {
        offset: e.offset,
        decodeError: e,
      });
    throw e;
  }
}
