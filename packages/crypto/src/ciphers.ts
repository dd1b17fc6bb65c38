import { cbc, ecb } from '@noble/ciphers/aes.js';
import { toHex } from '@oaklog/common';
import { OakleyEncryptionAlgorithm, oakleyEncryptionAlgorithmName } from '@oaklog/isakmp';
import desJs from 'des.js';
import { CryptoError } from './errors';

/** CBC ciphers this package implements. */
export type CipherName = 'des-cbc' | '3des-cbc' | 'aes-cbc-128' | 'aes-cbc-192' | 'aes-cbc-256';

/** A CBC cipher with its Oakley number and sizes. */
export interface CipherSpec {
  readonly name: CipherName;
  /** Oakley encryption algorithm number (attribute class 1). */
  readonly oakleyId: number;
  /** Key length in bytes (Ka is cut or expanded to this). */
  readonly keyLength: number;
  /** Block (and IV) length in bytes. */
  readonly blockSize: number;
}

const specs: Readonly<Record<CipherName, CipherSpec>> = {
  'des-cbc': { name: 'des-cbc', oakleyId: OakleyEncryptionAlgorithm.DES_CBC, keyLength: 8, blockSize: 8 },
  '3des-cbc': { name: '3des-cbc', oakleyId: OakleyEncryptionAlgorithm['3DES_CBC'], keyLength: 24, blockSize: 8 },
  'aes-cbc-128': { name: 'aes-cbc-128', oakleyId: OakleyEncryptionAlgorithm.AES_CBC, keyLength: 16, blockSize: 16 },
  'aes-cbc-192': { name: 'aes-cbc-192', oakleyId: OakleyEncryptionAlgorithm.AES_CBC, keyLength: 24, blockSize: 16 },
  'aes-cbc-256': { name: 'aes-cbc-256', oakleyId: OakleyEncryptionAlgorithm.AES_CBC, keyLength: 32, blockSize: 16 },
};

/** Every cipher this package implements. */
export const CIPHER_NAMES: readonly CipherName[] = Object.keys(specs) as CipherName[];

/** Whether `name` is one of `CIPHER_NAMES` (an own key: `"constructor"` and other prototype members are not). */
export function isCipherName(name: string): name is CipherName {
  return Object.hasOwn(specs, name);
}

/**
 * The cipher for an Oakley encryption algorithm number and its key-length attribute (in bits; AES needs one,
 * RFC 3602 section 5.3 lets it default to 128), or for a name. Throws `UNSUPPORTED_ALGORITHM` (naming the
 * algorithm) or `BAD_KEY_LENGTH` (an AES key length other than 128/192/256).
 */
export function cipherSpec(algorithm: number | CipherName, keyLengthBits?: number): CipherSpec {
  if (typeof algorithm === 'string') {
    if (!isCipherName(algorithm))
      throw new CryptoError('UNSUPPORTED_ALGORITHM', `encryption algorithm "${String(algorithm)}" is not supported`);
    return specs[algorithm];
  }
  if (algorithm === OakleyEncryptionAlgorithm.DES_CBC) return specs['des-cbc'];
  if (algorithm === OakleyEncryptionAlgorithm['3DES_CBC']) return specs['3des-cbc'];
  if (algorithm === OakleyEncryptionAlgorithm.AES_CBC) {
    const bits = keyLengthBits ?? 128;
    const spec = bits === 128 || bits === 192 || bits === 256 ? specs[`aes-cbc-${bits}`] : undefined;
    if (spec === undefined)
      throw new CryptoError('BAD_KEY_LENGTH', `AES-CBC key length ${bits} bits is not 128, 192 or 256`);
    return spec;
  }
  const name = oakleyEncryptionAlgorithmName.get(algorithm) ?? 'unknown';
  throw new CryptoError('UNSUPPORTED_ALGORITHM', `encryption algorithm ${name} (${algorithm}) is not supported`);
}

function check(spec: CipherSpec, key: Uint8Array, iv: Uint8Array, data: Uint8Array): void {
  if (key.length !== spec.keyLength)
    throw new CryptoError('BAD_KEY_LENGTH', `${spec.name} needs a ${spec.keyLength}-byte key, got ${key.length}`);
  if (iv.length !== spec.blockSize)
    throw new CryptoError('BAD_IV_LENGTH', `${spec.name} needs a ${spec.blockSize}-byte IV, got ${iv.length}`);
  const partial = data.length % spec.blockSize;
  if (partial !== 0)
    throw new CryptoError(
      'NOT_BLOCK_ALIGNED',
      `${data.length} bytes is not a multiple of the ${spec.blockSize}-byte block`,
      { offset: data.length - partial },
    );
}

/** A des.js block cipher (ECB, no padding) with its key schedule made: reused for every message of its key. */
interface DesBlocks {
  final(data: Uint8Array): number[];
}

/**
 * The des.js ciphers of the latest DES and 3DES keys used: an IKE SA decrypts all its messages with one key, and a
 * 3DES key schedule costs about what decrypting a 200-byte message does. Bounded, oldest forgotten first. The CBC
 * chaining is done here, over des.js's ECB blocks, so the schedule is made once per key rather than once per message.
 */
const desCiphers = new Map<string, DesBlocks>();
const MAX_DES_KEYS = 256;

function desBlocks(spec: CipherSpec, key: Uint8Array, type: 'encrypt' | 'decrypt'): DesBlocks {
  const id = `${type[0]}${toHex(key)}`;
  let blocks = desCiphers.get(id);
  if (blocks === undefined) {
    blocks = (spec.name === 'des-cbc' ? desJs.DES : desJs.EDE).create({ type, key, padding: false }) as DesBlocks;
    desCiphers.set(id, blocks);
    if (desCiphers.size > MAX_DES_KEYS) desCiphers.delete(desCiphers.keys().next().value as string);
  }
  return blocks;
}

/** DES and 3DES CBC through des.js's block cipher. */
function desFamily(spec: CipherSpec, type: 'encrypt' | 'decrypt', key: Uint8Array, iv: Uint8Array, data: Uint8Array) {
  if (data.length === 0) return new Uint8Array(0);
  const blocks = desBlocks(spec, key, type);
  if (type === 'decrypt') {
    // P_i = D(C_i) xor C_(i-1), C_0 = IV: every block is deciphered in one call, then chained.
    const out = Uint8Array.from(blocks.final(data));
    for (let i = out.length - 1; i >= 8; i--) out[i] = (out[i] as number) ^ (data[i - 8] as number);
    for (let i = 0; i < 8; i++) out[i] = (out[i] as number) ^ (iv[i] as number);
    return out;
  }
  // C_i = E(P_i xor C_(i-1)): each block waits for the one before it.
  const out = new Uint8Array(data.length);
  const block = new Uint8Array(8);
  let previous: Uint8Array = iv;
  for (let at = 0; at < data.length; at += 8) {
    for (let i = 0; i < 8; i++) block[i] = (data[at + i] as number) ^ (previous[i] as number);
    out.set(blocks.final(block), at);
    previous = out.subarray(at, at + 8);
  }
  return out;
}

/** CBC-encrypts whole blocks (no padding is added: IKE pads the payload chain itself). */
export function cbcEncrypt(spec: CipherSpec, key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
  check(spec, key, iv, plaintext);
  if (spec.blockSize === 8) return desFamily(spec, 'encrypt', key, iv, plaintext);
  return cbc(key, iv, { disablePadding: true }).encrypt(plaintext);
}

/** CBC-decrypts whole blocks (no padding is removed). */
export function cbcDecrypt(spec: CipherSpec, key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  check(spec, key, iv, ciphertext);
  if (spec.blockSize === 8) return desFamily(spec, 'decrypt', key, iv, ciphertext);
  return cbc(key, iv, { disablePadding: true }).decrypt(ciphertext);
}

/**
 * A raw block decryption with one key (ECB, no chaining), its key schedule made once: trying many keys on a
 * message starts with D(first block), which is the same for every IV (CBC: P1 = D(C1) xor IV). Throws
 * `BAD_KEY_LENGTH` for a key that is not the cipher's length; the returned function `NOT_BLOCK_ALIGNED` for input that
 * is not whole blocks.
 */
export function blockDecryptor(spec: CipherSpec, key: Uint8Array): (block: Uint8Array) => Uint8Array {
  // A zero IV only to satisfy `check`'s IV rule: ECB on one block needs none, and one array serves every call.
  const iv = new Uint8Array(spec.blockSize);
  check(spec, key, iv, new Uint8Array(0));
  if (spec.blockSize === 8) {
    const d = desBlocks(spec, key, 'decrypt');
    return (block) => {
      check(spec, key, iv, block);
      return block.length === 0 ? new Uint8Array(0) : Uint8Array.from(d.final(block));
    };
  }
  const d = ecb(key, { disablePadding: true });
  return (block) => {
    check(spec, key, iv, block);
    return d.decrypt(block);
  };
}
