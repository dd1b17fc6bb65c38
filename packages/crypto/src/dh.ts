/**
 * Diffie-Hellman over the Oakley MODP groups, for synthesizing exchanges in tests and tools.
 *
 * NOT CONSTANT-TIME: `modPow` is textbook square-and-multiply over JavaScript bigints, whose running time depends on
 * the exponent. Never use it to protect real traffic; it exists so a test can run a full key derivation end to end.
 */
import { CryptoError } from './errors';

/** MODP groups this package knows (Oakley group description numbers). */
export type ModpGroupId = 1 | 2 | 5 | 14;

/** A MODP group: prime, generator and the byte length of its public values. */
export interface ModpGroup {
  readonly id: ModpGroupId;
  readonly prime: bigint;
  readonly generator: bigint;
  /** Length in bytes of g^x and g^xy on the wire (the prime's length, left-padded with zeros). */
  readonly byteLength: number;
}

/**
 * Every group is p = 2^n - 2^(n-64) - 1 + 2^64 * (floor(2^(n-130) * pi) + k), generator 2
 * (RFC 2409 section 6.1 and 6.2 for groups 1 and 2, RFC 3526 sections 2 and 3 for groups 5 and 14).
 */
const definitions: Readonly<Record<ModpGroupId, { bits: number; k: bigint }>> = {
  1: { bits: 768, k: 149686n },
  2: { bits: 1024, k: 129093n },
  5: { bits: 1536, k: 741804n },
  14: { bits: 2048, k: 124476n },
};

/** arctan(1/x) * 2^bits, by its Taylor series in fixed point. */
function arctanInverse(x: bigint, bits: bigint): bigint {
  const x2 = x * x;
  let term = (1n << bits) / x;
  let sum = term;
  for (let n = 3n, sign = -1n; term !== 0n; n += 2n, sign = -sign) {
    term /= x2;
    sum += (sign * term) / n;
  }
  return sum;
}

/** floor(2^bits * pi), by Machin's formula with guard bits. */
function piTimesPowerOfTwo(bits: number): bigint {
  const guard = 64n;
  const b = BigInt(bits) + guard;
  const pi = 16n * arctanInverse(5n, b) - 4n * arctanInverse(239n, b);
  return pi >> guard;
}

const cache = new Map<ModpGroupId, ModpGroup>();

/** The MODP group with this Oakley number; throws `UNSUPPORTED_ALGORITHM` for other groups (ECP groups included). */
export function modpGroup(id: number): ModpGroup {
  const known = cache.get(id as ModpGroupId);
  if (known) return known;
  const def = definitions[id as ModpGroupId];
  if (def === undefined)
    throw new CryptoError(
      'UNSUPPORTED_ALGORITHM',
      `Diffie-Hellman group ${id} is not supported (MODP 1, 2, 5, 14 are)`,
    );
  const n = BigInt(def.bits);
  const prime = (1n << n) - (1n << (n - 64n)) - 1n + (1n << 64n) * (piTimesPowerOfTwo(def.bits - 130) + def.k);
  const group: ModpGroup = { id: id as ModpGroupId, prime, generator: 2n, byteLength: def.bits / 8 };
  cache.set(group.id, group);
  return group;
}

/** base^exponent mod modulus by square-and-multiply. Not constant-time (see the module comment). */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  if (modulus <= 0n || exponent < 0n)
    throw new CryptoError('BAD_INPUT', 'modPow needs a positive modulus and exponent >= 0');
  let result = 1n % modulus;
  let b = ((base % modulus) + modulus) % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

/** Big-endian unsigned bytes of `n`, left-padded with zeros to `length`. */
export function bigintToBytes(n: bigint, length: number): Uint8Array {
  if (n < 0n || n >= 1n << BigInt(8 * length))
    throw new CryptoError('BAD_INPUT', `value does not fit in ${length} bytes`);
  const out = new Uint8Array(length);
  let v = n;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** The unsigned big-endian number in `bytes`. */
export function bytesToBigint(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

/** A Diffie-Hellman key pair: private exponent and public value g^x as the KE payload carries it. */
export interface DhKeyPair {
  readonly group: ModpGroup;
  readonly privateKey: bigint;
  readonly publicKey: Uint8Array;
}

/**
 * A key pair from a private exponent (supply your own randomness: the bytes become x, reduced into [2, p-2]).
 * Not constant-time; for synthesis and tests only.
 */
export function dhKeyPair(groupId: number, privateBytes: Uint8Array): DhKeyPair {
  const group = modpGroup(groupId);
  if (privateBytes.length === 0) throw new CryptoError('BAD_INPUT', 'empty private key');
  const privateKey = (bytesToBigint(privateBytes) % (group.prime - 3n)) + 2n;
  const publicKey = bigintToBytes(modPow(group.generator, privateKey, group.prime), group.byteLength);
  return { group, privateKey, publicKey };
}

/**
 * g^xy from our key pair and the peer's public value, left-padded to the prime's length as IKEv1 uses it.
 * Throws `BAD_INPUT` for a peer value outside [2, p-2]. Not constant-time; for synthesis and tests only.
 */
export function dhSharedSecret(own: DhKeyPair, peerPublic: Uint8Array): Uint8Array {
  const { prime, byteLength } = own.group;
  const y = bytesToBigint(peerPublic);
  if (y < 2n || y > prime - 2n) throw new CryptoError('BAD_INPUT', 'peer public value is outside [2, p-2]');
  return bigintToBytes(modPow(y, own.privateKey, prime), byteLength);
}
