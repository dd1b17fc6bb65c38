import { describe, expect, it } from 'vitest';
import { CryptoError, digest, type HashName, type HashSpec, hashSpec, prf, toHex } from '../src/index';
import { ascii, hex } from './helpers';

const jefe = { key: ascii('Jefe'), data: ascii('what do ya want for nothing?') };

describe('prf = HMAC of the negotiated hash (RFC 2202, RFC 4231)', () => {
  it.each([
    {
      name: 'RFC 2202 HMAC-MD5 case 1',
      hash: 'md5',
      key: new Uint8Array(16).fill(0x0b),
      data: ascii('Hi There'),
      mac: '9294727a3638bb1c13f48ef8158bfc9d',
    },
    { name: 'RFC 2202 HMAC-MD5 case 2', hash: 'md5', ...jefe, mac: '750c783e6ab0b503eaa86e310a5db738' },
    {
      name: 'RFC 2202 HMAC-SHA1 case 1',
      hash: 'sha1',
      key: new Uint8Array(20).fill(0x0b),
      data: ascii('Hi There'),
      mac: 'b617318655057264e28bc0b6fb378c8ef146be00',
    },
    { name: 'RFC 2202 HMAC-SHA1 case 2', hash: 'sha1', ...jefe, mac: 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79' },
    {
      name: 'RFC 4231 HMAC-SHA256 case 1',
      hash: 'sha2-256',
      key: new Uint8Array(20).fill(0x0b),
      data: ascii('Hi There'),
      mac: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    },
    {
      name: 'RFC 4231 HMAC-SHA256 case 2',
      hash: 'sha2-256',
      ...jefe,
      mac: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    },
    {
      name: 'RFC 4231 HMAC-SHA384 case 2',
      hash: 'sha2-384',
      ...jefe,
      mac: 'af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649',
    },
    {
      name: 'RFC 4231 HMAC-SHA512 case 2',
      hash: 'sha2-512',
      ...jefe,
      mac: '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
    },
  ] as const)('$name', ({ hash, key, data, mac }) => {
    expect(toHex(prf(hash, key, data))).toBe(mac);
    // The parts are concatenated: splitting the data anywhere gives the same MAC.
    expect(toHex(prf(hash, key, data.subarray(0, 3), data.subarray(3)))).toBe(mac);
  });
});

describe('hashSpec', () => {
  it.each([
    { id: 1, name: 'md5', outputLength: 16 },
    { id: 2, name: 'sha1', outputLength: 20 },
    { id: 4, name: 'sha2-256', outputLength: 32 },
    { id: 5, name: 'sha2-384', outputLength: 48 },
    { id: 6, name: 'sha2-512', outputLength: 64 },
  ])('Oakley hash $id is $name', ({ id, name, outputLength }) => {
    expect(hashSpec(id)).toEqual({ name, oakleyId: id, outputLength });
    expect(digest(name as 'md5', ascii('abc')).length).toBe(outputLength);
  });

  it('digest of "abc" matches FIPS 180 (SHA-1) and RFC 1321 (MD5)', () => {
    expect(toHex(digest('sha1', ascii('abc')))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(toHex(digest('md5', ascii('abc')))).toBe('900150983cd24fb0d6963f7d28e17f72');
  });

  it.each([
    { id: 3, named: 'TIGER' },
    { id: 20, named: 'SM3' },
    { id: 77, named: 'unknown (77)' },
  ])('Oakley hash $id is UNSUPPORTED_ALGORITHM naming $named', ({ id, named }) => {
    let error: unknown;
    try {
      hashSpec(id);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CryptoError);
    expect((error as CryptoError).code).toBe('UNSUPPORTED_ALGORITHM');
    expect((error as CryptoError).message).toContain(named);
  });

  it.each([
    { name: 'hashSpec("constructor")', f: () => hashSpec('constructor' as HashName) },
    { name: 'hashSpec("__proto__")', f: () => hashSpec('__proto__' as HashName) },
    { name: 'digest("nope")', f: () => digest('nope' as HashName, ascii('abc')) },
    { name: 'digest("toString")', f: () => digest('toString' as HashName, ascii('abc')) },
    { name: 'prf({ name: "x" })', f: () => prf({ name: 'x' } as unknown as HashSpec, ascii('k'), ascii('abc')) },
  ])('$name is UNSUPPORTED_ALGORITHM, not a prototype member or a TypeError', ({ f }) => {
    let error: unknown;
    try {
      f();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CryptoError);
    expect((error as CryptoError).code).toBe('UNSUPPORTED_ALGORITHM');
  });

  it('hex helper sanity: spaced hex reads as bytes', () => {
    expect(toHex(hex('01 02\n 0a'))).toBe('01020a');
  });
});
