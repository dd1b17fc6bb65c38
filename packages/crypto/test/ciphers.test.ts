import { describe, expect, it } from 'vitest';
import { CIPHER_NAMES, type CipherName, CryptoError, cbcDecrypt, cbcEncrypt, cipherSpec, toHex } from '../src/index';
import { hex } from './helpers';

/** NIST SP 800-38A appendix F.2 (CBC-AES128/192/256), the four-block example. */
const SP800_38A_PLAINTEXT = hex(`
  6bc1bee22e409f96e93d7e117393172a
  ae2d8a571e03ac9c9eb76fac45af8e51
  30c81c46a35ce411e5fbc1191a0a52ef
  f69f2445df4f9b17ad2b417be66c3710`);
const SP800_38A_IV = hex('000102030405060708090a0b0c0d0e0f');

describe('AES-CBC against NIST SP 800-38A F.2', () => {
  it.each([
    {
      name: 'F.2.1 CBC-AES128',
      cipher: 'aes-cbc-128',
      key: '2b7e151628aed2a6abf7158809cf4f3c',
      ciphertext: `7649abac8119b246cee98e9b12e9197d
                   5086cb9b507219ee95db113a917678b2
                   73bed6b8e3c1743b7116e69e22229516
                   3ff1caa1681fac09120eca307586e1a7`,
    },
    {
      name: 'F.2.3 CBC-AES192',
      cipher: 'aes-cbc-192',
      key: '8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b',
      ciphertext: `4f021db243bc633d7178183a9fa071e8
                   b4d9ada9ad7dedf4e5e738763f69145a
                   571b242012fb7ae07fa9baac3df102e0
                   08b0e27988598881d920a9e64f5615cd`,
    },
    {
      name: 'F.2.5 CBC-AES256',
      cipher: 'aes-cbc-256',
      key: '603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4',
      ciphertext: `f58c4c04d6e5f1ba779eabfb5f7bfbd6
                   9cfc4e967edb808d679f777bc6702c7d
                   39f23369a9d9bacfa530e26304231461
                   b2eb05e2c39be9fcda6c19078c6a9d1b`,
    },
  ] as const)('$name encrypts and decrypts (F.2.2/4/6)', ({ cipher, key, ciphertext }) => {
    const spec = cipherSpec(cipher);
    expect(toHex(cbcEncrypt(spec, hex(key), SP800_38A_IV, SP800_38A_PLAINTEXT))).toBe(toHex(hex(ciphertext)));
    expect(toHex(cbcDecrypt(spec, hex(key), SP800_38A_IV, hex(ciphertext)))).toBe(toHex(SP800_38A_PLAINTEXT));
  });
});

describe('DES and 3DES known answers', () => {
  it('DES-CBC: FIPS 81 appendix C "Now is the time for all "', () => {
    const spec = cipherSpec('des-cbc');
    const key = hex('0123456789abcdef');
    const iv = hex('1234567890abcdef');
    const plaintext = hex('4e6f77206973207468652074696d6520666f7220616c6c20');
    const ciphertext = hex('e5c7cdde872bf27c 43e934008c389c0f 683788499a7c05f6');
    expect(toHex(cbcEncrypt(spec, key, iv, plaintext))).toBe(toHex(ciphertext));
    expect(toHex(cbcDecrypt(spec, key, iv, ciphertext))).toBe(toHex(plaintext));
  });

  const tdesKey = hex('0123456789ABCDEF 23456789ABCDEF01 456789ABCDEF0123');
  const tdesPlain = ['5468652071756663', '6B2062726F776E20', '666F78206A756D70'];

  it.each([
    { block: 0, ciphertext: 'A826FD8CE53B855F' },
    { block: 1, ciphertext: 'CCE21C8112256FE6' },
    { block: 2, ciphertext: '68D5C05DD9B6B900' },
  ])('3DES: NIST SP 800-67 TDEA example, block $block (CBC with a zero IV is ECB)', ({ block, ciphertext }) => {
    const spec = cipherSpec('3des-cbc');
    const out = cbcEncrypt(spec, tdesKey, new Uint8Array(8), hex(tdesPlain[block] ?? ''));
    expect(toHex(out)).toBe(ciphertext.toLowerCase());
  });

  it('3DES-CBC chains the three blocks (OpenSSL des-ede3-cbc known answer)', () => {
    const spec = cipherSpec('3des-cbc');
    const iv = hex('0001020304050607');
    const ciphertext = hex('f368d06f3bbd614e 60f2d0245cad3f81 8d5c69f2cb3fd5c7');
    expect(toHex(cbcEncrypt(spec, tdesKey, iv, hex(tdesPlain.join(''))))).toBe(toHex(ciphertext));
    expect(toHex(cbcDecrypt(spec, tdesKey, iv, ciphertext))).toBe(toHex(hex(tdesPlain.join(''))));
  });
});

describe('cipherSpec', () => {
  it.each([
    { id: 1, bits: undefined, name: 'des-cbc', keyLength: 8, blockSize: 8 },
    { id: 5, bits: undefined, name: '3des-cbc', keyLength: 24, blockSize: 8 },
    { id: 7, bits: undefined, name: 'aes-cbc-128', keyLength: 16, blockSize: 16 },
    { id: 7, bits: 192, name: 'aes-cbc-192', keyLength: 24, blockSize: 16 },
    { id: 7, bits: 256, name: 'aes-cbc-256', keyLength: 32, blockSize: 16 },
  ])('Oakley $id with key length $bits is $name', ({ id, bits, name, keyLength, blockSize }) => {
    expect(cipherSpec(id, bits)).toEqual({ name, oakleyId: id, keyLength, blockSize });
    expect(CIPHER_NAMES).toContain(name);
  });

  it.each([
    { id: 2, named: 'IDEA' },
    { id: 3, named: 'BLOWFISH' },
    { id: 4, named: 'RC5' },
    { id: 6, named: 'CAST' },
    { id: 8, named: 'CAMELLIA' },
    { id: 65005, named: 'TWOFISH' },
    { id: 999, named: 'unknown (999)' },
  ])('Oakley $id is UNSUPPORTED_ALGORITHM naming $named', ({ id, named }) => {
    const e = catchError(() => cipherSpec(id));
    expect(e.code).toBe('UNSUPPORTED_ALGORITHM');
    expect(e.message).toContain(named);
  });

  it.each(['constructor', '__proto__', 'toString', 'nope'])(
    'cipher name "%s" is UNSUPPORTED_ALGORITHM, not a prototype member',
    (name) => {
      expect(catchError(() => cipherSpec(name as CipherName)).code).toBe('UNSUPPORTED_ALGORITHM');
    },
  );

  it('AES with a key length other than 128/192/256 is BAD_KEY_LENGTH', () => {
    expect(catchError(() => cipherSpec(7, 64)).code).toBe('BAD_KEY_LENGTH');
  });
});

describe('cipher argument errors are CryptoErrors, never library exceptions', () => {
  const aes = cipherSpec('aes-cbc-128');
  const des3 = cipherSpec('3des-cbc');
  it.each([
    {
      name: 'AES key too short',
      f: () => cbcDecrypt(aes, new Uint8Array(15), new Uint8Array(16), new Uint8Array(16)),
      code: 'BAD_KEY_LENGTH',
      offset: undefined,
    },
    {
      name: '3DES key too short',
      f: () => cbcEncrypt(des3, new Uint8Array(16), new Uint8Array(8), new Uint8Array(8)),
      code: 'BAD_KEY_LENGTH',
      offset: undefined,
    },
    {
      name: 'AES IV of 8 bytes',
      f: () => cbcDecrypt(aes, new Uint8Array(16), new Uint8Array(8), new Uint8Array(16)),
      code: 'BAD_IV_LENGTH',
      offset: undefined,
    },
    {
      name: 'AES body of 20 bytes',
      f: () => cbcDecrypt(aes, new Uint8Array(16), new Uint8Array(16), new Uint8Array(20)),
      code: 'NOT_BLOCK_ALIGNED',
      offset: 16,
    },
    {
      name: '3DES body of 12 bytes',
      f: () => cbcEncrypt(des3, new Uint8Array(24), new Uint8Array(8), new Uint8Array(12)),
      code: 'NOT_BLOCK_ALIGNED',
      offset: 8,
    },
  ])('$name → $code', ({ f, code, offset }) => {
    const e = catchError(f);
    expect(e.code).toBe(code);
    expect(e.offset).toBe(offset);
  });
});

function catchError(f: () => unknown): CryptoError {
  try {
    f();
  } catch (e) {
    if (e instanceof CryptoError) return e;
    throw e;
  }
  throw new Error('expected a CryptoError');
}
