import { cbc, ecb } from '@noble/ciphers/aes.js';
import { toHex } from '@oaklog/common';
import { OakleyEncryptionAlgorithm, oakleyEncryptionAlgorithmName } from '@oaklog/isakmp';
import { type DesSchedule, desCbcDecrypt, desCbcEncrypt, desEcb, desSchedule } from './des';
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

/**
 * The key schedules of the latest DES and 3DES keys used: an IKE SA decrypts all its messages with one key, and a 3DES
 * schedule costs about what decrypting a 200-byte message does. Bounded, oldest forgotten first.
 */
const schedules = new Map<string, DesSchedule>();
const MAX_SCHEDULES = 256;

function scheduleOf(key: Uint8Array, decrypt: boolean): DesSchedule {
  const id = `${decrypt ? 'd' : 'e'}${toHex(key)}`;
  let schedule = schedules.get(id);
  if (schedule === undefined) {
    schedule = desSchedule(key, decrypt);
    schedules.set(id, schedule);
    if (schedules.size > MAX_SCHEDULES) schedules.delete(schedules.keys().next().value as string);
  }
  return schedule;
}

/** DES and 3DES through `des.ts` (table-driven; des.js ran at about a fifth of its speed). */
function desFamily(type: 'encrypt' | 'decrypt', key: Uint8Array, iv: Uint8Array, data: Uint8Array) {
  if (data.length === 0) return new Uint8Array(0);
  const schedule = scheduleOf(key, type === 'decrypt');
  return type === 'decrypt' ? desCbcDecrypt(schedule, iv, data) : desCbcEncrypt(schedule, iv, data);
}

/** CBC-encrypts whole blocks (no padding is added: IKE pads the payload chain itself). */
export function cbcEncrypt(spec: CipherSpec, key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
  check(spec, key, iv, plaintext);
  if (spec.blockSize === 8) return desFamily('encrypt', key, iv, plaintext);
  return cbc(key, iv, { disablePadding: true }).encrypt(plaintext);
}

/** CBC-decrypts whole blocks (no padding is removed). */
export function cbcDecrypt(spec: CipherSpec, key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  check(spec, key, iv, ciphertext);
  if (spec.blockSize === 8) return desFamily('decrypt', key, iv, ciphertext);
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
    const schedule = desSchedule(key, true);
    return (block) => {
      check(spec, key, iv, block);
      return desEcb(schedule, block);
    };
  }
  const d = ecb(key, { disablePadding: true });
  return (block) => {
    check(spec, key, iv, block);
    return d.decrypt(block);
  };
}
