/**
 * IKEv1 keying material, RFC 2409 section 5 (SKEYID for each authentication method, SKEYID_d/a/e) and appendix B
 * (expanding SKEYID_e to the cipher's key length).
 */
import { concatBytes } from '@oaklog/common';
import type { CipherSpec } from './ciphers';
import { CryptoError } from './errors';
import { digest, type HashName, type HashSpec, prf } from './hash';

/** How phase 1 authenticates, which decides the SKEYID formula (RFC 2409 section 5). */
export type SkeyidInput =
  /** Pre-shared key: SKEYID = prf(pre-shared-key, Ni_b | Nr_b). */
  | { method: 'psk'; psk: Uint8Array; nonceI: Uint8Array; nonceR: Uint8Array }
  /** Signatures (DSS, RSA): SKEYID = prf(Ni_b | Nr_b, g^xy). */
  | { method: 'signature'; nonceI: Uint8Array; nonceR: Uint8Array; sharedSecret: Uint8Array }
  /** Public key encryption (both modes): SKEYID = prf(hash(Ni_b | Nr_b), CKY-I | CKY-R). */
  | {
      method: 'public-key';
      nonceI: Uint8Array;
      nonceR: Uint8Array;
      initiatorCookie: Uint8Array;
      responderCookie: Uint8Array;
    };

/** SKEYID for the given authentication method (RFC 2409 section 5). */
export function deriveSkeyid(hash: HashSpec | HashName, input: SkeyidInput): Uint8Array {
  switch (input.method) {
    case 'psk':
      return prf(hash, input.psk, input.nonceI, input.nonceR);
    case 'signature':
      return prf(hash, concatBytes([input.nonceI, input.nonceR]), input.sharedSecret);
    case 'public-key':
      return prf(hash, digest(hash, input.nonceI, input.nonceR), input.initiatorCookie, input.responderCookie);
  }
}

/** The three keys derived from SKEYID. */
export interface SkeyidSet {
  readonly skeyid: Uint8Array;
  /** Keying material for phase 2 (IPsec SA keys). */
  readonly skeyidD: Uint8Array;
  /** Authentication key for ISAKMP messages (the HASH payloads). */
  readonly skeyidA: Uint8Array;
  /** Encryption keying material for ISAKMP messages. */
  readonly skeyidE: Uint8Array;
}

/**
 * SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0), SKEYID_a = prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1),
 * SKEYID_e = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2) (RFC 2409 section 5).
 */
export function deriveSkeyidSet(
  hash: HashSpec | HashName,
  input: { skeyid: Uint8Array; sharedSecret: Uint8Array; initiatorCookie: Uint8Array; responderCookie: Uint8Array },
): SkeyidSet {
  const { skeyid, sharedSecret, initiatorCookie, responderCookie } = input;
  const skeyidD = prf(hash, skeyid, sharedSecret, initiatorCookie, responderCookie, Uint8Array.of(0));
  const skeyidA = prf(hash, skeyid, skeyidD, sharedSecret, initiatorCookie, responderCookie, Uint8Array.of(1));
  const skeyidE = prf(hash, skeyid, skeyidA, sharedSecret, initiatorCookie, responderCookie, Uint8Array.of(2));
  return { skeyid, skeyidD, skeyidA, skeyidE };
}

/**
 * The encryption key Ka from SKEYID_e (RFC 2409 appendix B): the first `length` bytes of SKEYID_e when it is long
 * enough, else of K1 | K2 | ... with K1 = prf(SKEYID_e, 0), K(n+1) = prf(SKEYID_e, Kn).
 */
export function expandKey(hash: HashSpec | HashName, skeyidE: Uint8Array, length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0) throw new CryptoError('BAD_INPUT', `bad key length ${length}`);
  if (skeyidE.length >= length) return skeyidE.slice(0, length);
  const blocks: Uint8Array[] = [];
  let have = 0;
  let k = prf(hash, skeyidE, Uint8Array.of(0));
  for (;;) {
    blocks.push(k);
    have += k.length;
    if (have >= length) break;
    k = prf(hash, skeyidE, k);
  }
  return concatBytes(blocks).slice(0, length);
}

/** Ka for a cipher: `expandKey` to the cipher's key length. */
export function encryptionKey(hash: HashSpec | HashName, cipher: CipherSpec, skeyidE: Uint8Array): Uint8Array {
  return expandKey(hash, skeyidE, cipher.keyLength);
}

/** Everything phase 1 derives, from the exchange's public values. */
export interface Phase1Keys extends SkeyidSet {
  /** The cipher key Ka. */
  readonly encryptionKey: Uint8Array;
}

/** SKEYID, SKEYID_d/a/e and Ka in one call. */
export function derivePhase1Keys(
  hash: HashSpec | HashName,
  cipher: CipherSpec,
  input: {
    skeyid: SkeyidInput | Uint8Array;
    sharedSecret: Uint8Array;
    initiatorCookie: Uint8Array;
    responderCookie: Uint8Array;
  },
): Phase1Keys {
  const skeyid = input.skeyid instanceof Uint8Array ? input.skeyid : deriveSkeyid(hash, input.skeyid);
  const set = deriveSkeyidSet(hash, { ...input, skeyid });
  return { ...set, encryptionKey: encryptionKey(hash, cipher, set.skeyidE) };
}
