import { hmac } from '@noble/hashes/hmac.js';
import { md5, sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { concatBytes } from '@oaklog/common';
import { OakleyHashAlgorithm, oakleyHashAlgorithmName } from '@oaklog/isakmp';
import { CryptoError } from './errors';

/** Hash algorithms IKEv1 negotiates for its PRF and IVs. */
export type HashName = 'md5' | 'sha1' | 'sha2-256' | 'sha2-384' | 'sha2-512';

/** A hash algorithm with its Oakley number (RFC 2409 appendix A, RFC 4868) and output size. */
export interface HashSpec {
  readonly name: HashName;
  /** Oakley hash algorithm number (attribute class 2). */
  readonly oakleyId: number;
  /** Output length in bytes. */
  readonly outputLength: number;
}

type Fn = typeof sha1;

const table: Readonly<Record<HashName, HashSpec & { fn: Fn }>> = {
  md5: { name: 'md5', oakleyId: OakleyHashAlgorithm.MD5, outputLength: 16, fn: md5 },
  sha1: { name: 'sha1', oakleyId: OakleyHashAlgorithm.SHA, outputLength: 20, fn: sha1 },
  'sha2-256': { name: 'sha2-256', oakleyId: OakleyHashAlgorithm.SHA2_256, outputLength: 32, fn: sha256 as Fn },
  'sha2-384': { name: 'sha2-384', oakleyId: OakleyHashAlgorithm.SHA2_384, outputLength: 48, fn: sha384 as Fn },
  'sha2-512': { name: 'sha2-512', oakleyId: OakleyHashAlgorithm.SHA2_512, outputLength: 64, fn: sha512 as Fn },
};

const byId = new Map<number, HashName>(Object.values(table).map((h) => [h.oakleyId, h.name]));

/** Every hash this package implements. */
export const HASH_NAMES: readonly HashName[] = Object.keys(table) as HashName[];

/** Whether `name` is one of `HASH_NAMES` (an own key: `"constructor"` and other prototype members are not). */
export function isHashName(name: string): name is HashName {
  return Object.hasOwn(table, name);
}

function entry(algorithm: number | HashName): HashSpec & { fn: Fn } {
  const name = typeof algorithm === 'number' ? byId.get(algorithm) : algorithm;
  if (name === undefined || typeof name !== 'string' || !isHashName(name)) {
    const label =
      typeof algorithm === 'number'
        ? `${oakleyHashAlgorithmName.get(algorithm) ?? 'unknown'} (${algorithm})`
        : `"${String(algorithm)}"`;
    throw new CryptoError('UNSUPPORTED_ALGORITHM', `hash algorithm ${label} is not supported`);
  }
  return table[name];
}

/** The hash spec for an Oakley hash number or a name; throws `UNSUPPORTED_ALGORITHM` for anything else. */
export function hashSpec(algorithm: number | HashName): HashSpec {
  const { fn: _fn, ...plain } = entry(algorithm);
  return plain;
}

function fnOf(hash: HashSpec | HashName): Fn {
  return entry(typeof hash === 'string' ? hash : hash.name).fn;
}

/** The hash of the concatenation of `parts`. */
export function digest(hash: HashSpec | HashName, ...parts: readonly Uint8Array[]): Uint8Array {
  return fnOf(hash)(concatBytes(parts));
}

/**
 * IKEv1's prf: HMAC with the negotiated hash (RFC 2409 section 4, "the HMAC version of the negotiated hash"),
 * keyed by `key`, over the concatenation of `parts`.
 */
export function prf(hash: HashSpec | HashName, key: Uint8Array, ...parts: readonly Uint8Array[]): Uint8Array {
  return hmac(fnOf(hash), key, concatBytes(parts));
}
