/**
 * Deterministic randomness from a scenario's seed: SHA-256(seed | counter) blocks, so a scenario synthesizes the same
 * bytes every time (cookies, nonces, DH private values, SPIs, message IDs). Not for protecting anything.
 */
import { digest } from '@oaklog/crypto';
import { asciiBytes } from '@oaklog/isakmp';

/** A stream of pseudo-random bytes from a seed. */
export interface Random {
  /** The next `n` bytes. */
  bytes(n: number): Uint8Array;
  /** The next 32-bit unsigned integer. */
  u32(): number;
}

/** The stream of `seed`. */
export function createRandom(seed: string): Random {
  const seedBytes = asciiBytes(seed);
  let counter = 0;
  let pool = new Uint8Array(0);
  const bytes = (n: number): Uint8Array => {
    while (pool.length < n) {
      const block = digest(
        'sha2-256',
        seedBytes,
        Uint8Array.of(counter >>> 24, counter >>> 16, counter >>> 8, counter),
      );
      counter += 1;
      const grown = new Uint8Array(pool.length + block.length);
      grown.set(pool);
      grown.set(block, pool.length);
      pool = grown;
    }
    const out = pool.slice(0, n);
    pool = pool.slice(n);
    return out;
  };
  return {
    bytes,
    u32() {
      const b = bytes(4);
      return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
    },
  };
}
