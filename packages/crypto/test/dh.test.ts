import { describe, expect, it } from 'vitest';
import {
  bigintToBytes,
  bytesToBigint,
  CryptoError,
  dhKeyPair,
  dhSharedSecret,
  modPow,
  modpGroup,
  toHex,
} from '../src/index';
import { hex } from './helpers';

/** RFC 2409 section 6.1 and 6.2, hex as printed there. */
const GROUP_1 = `FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1
  29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD
  EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245
  E485B576 625E7EC6 F44C42E9 A63A3620 FFFFFFFF FFFFFFFF`;
const GROUP_2 = `FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1
  29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD
  EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245
  E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED
  EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE65381
  FFFFFFFF FFFFFFFF`;

/** Miller-Rabin with fixed small-prime bases: enough to catch a mistyped prime. */
function probablyPrime(n: bigint): boolean {
  let d = n - 1n;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s += 1;
  }
  for (const a of [2n, 3n, 5n, 7n]) {
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    let composite = true;
    for (let r = 1; r < s; r++) {
      x = (x * x) % n;
      if (x === n - 1n) {
        composite = false;
        break;
      }
    }
    if (composite) return false;
  }
  return true;
}

describe('MODP groups', () => {
  it.each([
    { id: 1, rfcHex: GROUP_1 },
    { id: 2, rfcHex: GROUP_2 },
  ])('group $id equals the RFC 2409 hex', ({ id, rfcHex }) => {
    const g = modpGroup(id);
    expect(toHex(bigintToBytes(g.prime, g.byteLength))).toBe(toHex(hex(rfcHex)));
    expect(g.generator).toBe(2n);
  });

  it.each([
    { id: 5, bits: 1536, tail: 'ca237327ffffffffffffffff' },
    { id: 14, bits: 2048, tail: '8aacaa68ffffffffffffffff' },
  ])('group $id is the $bits-bit RFC 3526 prime (head, tail, size)', ({ id, bits, tail }) => {
    const g = modpGroup(id);
    const h = toHex(bigintToBytes(g.prime, g.byteLength));
    expect(g.prime.toString(2).length).toBe(bits);
    expect(h.startsWith('ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd1')).toBe(true);
    expect(h.endsWith(tail)).toBe(true);
  });

  it.each([1, 2, 5])('group %i is a safe prime (p and (p-1)/2 pass Miller-Rabin)', (id) => {
    const p = modpGroup(id).prime;
    expect(probablyPrime(p)).toBe(true);
    expect(probablyPrime((p - 1n) / 2n)).toBe(true);
    expect(probablyPrime(p + 2n)).toBe(false);
  });

  it('other groups (ECP 19) are UNSUPPORTED_ALGORITHM', () => {
    expect(() => modpGroup(19)).toThrow(CryptoError);
  });
});

describe('Diffie-Hellman', () => {
  it('modPow on small numbers', () => {
    expect(modPow(4n, 13n, 497n)).toBe(445n);
    expect(modPow(2n, 0n, 7n)).toBe(1n);
    expect(modPow(-3n, 3n, 7n)).toBe(1n); // (-27) mod 7 = 1
  });

  it.each([1, 2, 14])('group %i: both sides reach the same g^xy, as long as the prime', (id) => {
    const a = dhKeyPair(id, hex('0102030405060708090a0b0c0d0e0f10'));
    const b = dhKeyPair(id, hex('f1f2f3f4f5f6f7f8f9fafbfcfdfeff00'));
    const ab = dhSharedSecret(a, b.publicKey);
    expect(a.publicKey.length).toBe(a.group.byteLength);
    expect(toHex(ab)).toBe(toHex(dhSharedSecret(b, a.publicKey)));
    expect(ab.length).toBe(a.group.byteLength);
    expect(toHex(ab)).not.toBe(toHex(a.publicKey));
  });

  it('rejects peer values 0, 1 and p-1 with BAD_INPUT', () => {
    const a = dhKeyPair(2, hex('01'));
    const p = a.group.prime;
    for (const y of [0n, 1n, p - 1n]) {
      let code: string | undefined;
      try {
        dhSharedSecret(a, bigintToBytes(y, 128));
      } catch (e) {
        code = (e as CryptoError).code;
      }
      expect(code).toBe('BAD_INPUT');
    }
  });

  it('bigint/bytes conversion round-trips and refuses values too wide', () => {
    expect(bytesToBigint(bigintToBytes(0x1234n, 4))).toBe(0x1234n);
    expect(toHex(bigintToBytes(0x1234n, 4))).toBe('00001234');
    expect(() => bigintToBytes(0x10000n, 2)).toThrow(CryptoError);
  });
});
