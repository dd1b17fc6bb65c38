import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, it } from 'vitest';
import { PayloadType } from '../src/index';

it('numbers payload types as RFC 2408 does', () => {
  expect(PayloadType.SA).toBe(1);
});

it.skipIf(!existsSync(new URL('../dist/index.cjs', import.meta.url)))(
  'a DecodeError thrown by the CJS build is instanceof the ESM build’s DecodeError and vice versa',
  async () => {
    const cjs = createRequire(import.meta.url)('../dist/index.cjs') as typeof import('../src/index');
    const esm = (await import(new URL('../dist/index.js', import.meta.url).href)) as typeof import('../src/index');
    expect(cjs.DecodeError).not.toBe(esm.DecodeError);
    const thrown = (lib: typeof import('../src/index')) => {
      try {
        lib.decode(new Uint8Array(3));
      } catch (e) {
        return e;
      }
    };
    expect(thrown(cjs) instanceof esm.DecodeError).toBe(true);
    expect(thrown(esm) instanceof cjs.DecodeError).toBe(true);
    expect(esm.isDecodeError(thrown(cjs))).toBe(true);
  },
);
