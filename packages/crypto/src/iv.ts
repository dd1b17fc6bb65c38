/** IVs of IKEv1 encryption, RFC 2409 appendix B. */
import { copyBytes } from '@oaklog/common';
import { u32be } from './bytes';
import { CryptoError } from './errors';
import { digest, type HashName, type HashSpec } from './hash';

/** Phase 1 IV: hash(g^xi | g^xr) cut to the cipher block size (RFC 2409 appendix B). */
export function phase1Iv(hash: HashSpec | HashName, gxi: Uint8Array, gxr: Uint8Array, blockSize: number): Uint8Array {
  return digest(hash, gxi, gxr).slice(0, blockSize);
}

/**
 * First IV of a phase 2 (quick mode) or informational exchange: hash(last phase-1 CBC output block | M-ID), with
 * the message ID as 4 bytes in network order, cut to the block size (RFC 2409 appendix B). Throws `BAD_INPUT` for a
 * message ID that is not an integer in 0..2^32-1.
 */
export function phase2Iv(
  hash: HashSpec | HashName,
  lastPhase1Block: Uint8Array,
  messageId: number,
  blockSize: number,
): Uint8Array {
  if (!Number.isInteger(messageId) || messageId < 0 || messageId > 0xffffffff)
    throw new CryptoError('BAD_INPUT', `message ID ${messageId} is not a 32-bit unsigned integer`);
  return digest(hash, lastPhase1Block, u32be(messageId)).slice(0, blockSize);
}

/** The IV that follows a ciphertext in its chain: its last block. */
export function lastBlock(ciphertext: Uint8Array, blockSize: number): Uint8Array {
  return copyBytes(ciphertext, ciphertext.length - blockSize);
}
