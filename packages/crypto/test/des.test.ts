/**
 * DES and 3DES: the CBC chaining `ciphers.ts` does over des.js's ECB blocks (so a key schedule is made once per key,
 * not once per message) against des.js's own CBC mode on random keys, IVs and data, and against published known
 * answers.
 */
import { test } from '@fast-check/vitest';
import desJs from 'des.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockDecryptor } from '../src/ciphers';
import { cbcDecrypt, cbcEncrypt, cipherSpec, fromHex, toHex } from '../src/index';

const hex = (h: string) => fromHex(h.replace(/\s/g, '')) as Uint8Array;
const des = cipherSpec('des-cbc');
const ede = cipherSpec('3des-cbc');
const zeroIv = new Uint8Array(8);

describe('known answers', () => {
  it('DES: the worked example of FIPS 46 tutorials (key 133457799BBCDFF1); one block of CBC with a zero IV is ECB', () => {
    const key = hex('133457799bbcdff1');
    const ciphertext = cbcEncrypt(des, key, zeroIv, hex('0123456789abcdef'));
    expect(toHex(ciphertext)).toBe('85e813540f0ab405');
    expect(toHex(cbcDecrypt(des, key, zeroIv, ciphertext))).toBe('0123456789abcdef');
    expect(toHex(blockDecryptor(des, key)(ciphertext))).toBe('0123456789abcdef');
  });

  it('3DES: the example of NIST SP 800-67 (three keys), block by block', () => {
    const key = hex('0123456789abcdef 23456789abcdef01 456789abcdef0123');
    const plaintext = new TextEncoder().encode('The qufck brown fox jump');
    const expected = ['a826fd8ce53b855f', 'cce21c8112256fe6', '68d5c05dd9b6b900'];
    for (let i = 0; i < 3; i++)
      expect(toHex(cbcEncrypt(ede, key, zeroIv, plaintext.subarray(8 * i, 8 * i + 8)))).toBe(expected[i]);
  });
});

const blocks = (max: number) =>
  fc.integer({ min: 1, max }).chain((n) => fc.uint8Array({ minLength: 8 * n, maxLength: 8 * n }));

describe('CBC over des.js blocks equals des.js CBC', () => {
  const reference = (
    name: 'des-cbc' | '3des-cbc',
    type: 'encrypt' | 'decrypt',
    key: Uint8Array,
    iv: Uint8Array,
    data: Uint8Array,
  ) =>
    Uint8Array.from(
      desJs.CBC.instantiate(name === 'des-cbc' ? desJs.DES : desJs.EDE)
        .create({ type, key, iv, padding: false })
        .final(data),
    );

  test.prop(
    [
      fc.constantFrom('des-cbc' as const, '3des-cbc' as const),
      fc.uint8Array({ minLength: 24, maxLength: 24 }),
      fc.uint8Array({ minLength: 8, maxLength: 8 }),
      blocks(12),
    ],
    {
      numRuns: 60,
    },
  )('both ways, any key, IV and data, with the key schedule reused across calls', (name, key24, iv, data) => {
    const spec = cipherSpec(name);
    const key = key24.subarray(0, spec.keyLength);
    const ciphertext = cbcEncrypt(spec, key, iv, data);
    expect(ciphertext).toEqual(reference(name, 'encrypt', key, iv, data));
    expect(cbcDecrypt(spec, key, iv, ciphertext)).toEqual(data);
    // Again with the cached schedule, on another IV: no state carries over from the call before.
    const iv2 = iv.map((b) => b ^ 0x5a);
    expect(cbcDecrypt(spec, key, iv2, ciphertext)).toEqual(reference(name, 'decrypt', key, iv2, ciphertext));
  });
});
