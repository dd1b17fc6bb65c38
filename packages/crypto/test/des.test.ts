/**
 * The table-driven DES (`src/des.ts`) against des.js, the implementation it replaced, on random keys, IVs and data,
 * and against published known answers.
 */
import { test } from '@fast-check/vitest';
import desJs from 'des.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { desCbcDecrypt, desCbcEncrypt, desEcb, desSchedule } from '../src/des';
import { fromHex, toHex } from '../src/index';

const hex = (h: string) => fromHex(h.replace(/\s/g, '')) as Uint8Array;

describe('known answers', () => {
  it('DES: the worked example of FIPS 46 tutorials (key 133457799BBCDFF1)', () => {
    const key = hex('133457799bbcdff1');
    const ciphertext = desEcb(desSchedule(key, false), hex('0123456789abcdef'));
    expect(toHex(ciphertext)).toBe('85e813540f0ab405');
    expect(toHex(desEcb(desSchedule(key, true), ciphertext))).toBe('0123456789abcdef');
  });

  it('3DES: the example of NIST SP 800-67 (three keys, ECB)', () => {
    const key = hex('0123456789abcdef 23456789abcdef01 456789abcdef0123');
    const plaintext = new TextEncoder().encode('The qufck brown fox jump');
    const ciphertext = desEcb(desSchedule(key, false), plaintext);
    expect(toHex(ciphertext)).toBe('a826fd8ce53b855fcce21c8112256fe668d5c05dd9b6b900');
    expect(desEcb(desSchedule(key, true), ciphertext)).toEqual(plaintext);
  });
});

const blocks = fc.integer({ min: 0, max: 24 }).chain((n) => fc.uint8Array({ minLength: 8 * n, maxLength: 8 * n }));
const keyOf = fc.oneof(fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.uint8Array({ minLength: 24, maxLength: 24 }));
const iv = fc.uint8Array({ minLength: 8, maxLength: 8 });
const reference = (key: Uint8Array) => (key.length === 8 ? desJs.DES : desJs.EDE);

describe('against des.js', () => {
  test.prop([keyOf, iv, blocks], { numRuns: 200 })('CBC decryption and encryption', (key, v, data) => {
    const cbc = desJs.CBC.instantiate(reference(key));
    const theirs = (type: 'encrypt' | 'decrypt') =>
      data.length === 0
        ? new Uint8Array(0)
        : Uint8Array.from(cbc.create({ type, key, iv: v, padding: false }).final(data));
    expect(toHex(desCbcDecrypt(desSchedule(key, true), v, data))).toBe(toHex(theirs('decrypt')));
    expect(toHex(desCbcEncrypt(desSchedule(key, false), v, data))).toBe(toHex(theirs('encrypt')));
  });

  test.prop([keyOf, blocks], { numRuns: 100 })('ECB both ways', (key, data) => {
    for (const type of ['encrypt', 'decrypt'] as const) {
      const theirs =
        data.length === 0
          ? new Uint8Array(0)
          : Uint8Array.from(reference(key).create({ type, key, padding: false }).final(data));
      expect(toHex(desEcb(desSchedule(key, type === 'decrypt'), data))).toBe(toHex(theirs));
    }
  });
});
