/** fast-check arbitraries for payload chains, ciphers and keys. */
import { build, type Payload } from '@oaklog/isakmp';
import fc from 'fast-check';
import { CIPHER_NAMES, type CipherName, cipherSpec, type PaddingMode } from '../src/index';

const data = (max = 64) => fc.uint8Array({ minLength: 0, maxLength: max });

/** Payloads whose encoding is exactly determined by their fields. */
export const payload: fc.Arbitrary<Payload> = fc.oneof(
  data().map((d) => build.hash(d)),
  data().map((d) => build.nonce(d)),
  data().map((d) => build.vendorId(d)),
  data(300).map((d) => build.ke(d)),
  fc
    .record({ messageType: fc.integer({ min: 1, max: 0xffff }), spi: data(16), data: data(32) })
    .map((n) => build.notification(n)),
  fc
    .array(fc.uint8Array({ minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 4 })
    .map((spis) => build.delete({ protocolId: 3, spis })),
);

export const chain = fc.array(payload, { minLength: 1, maxLength: 6 });

/** A cipher with a key and IV of the right sizes. */
export const keyed = fc.constantFrom<CipherName>(...CIPHER_NAMES).chain((name) => {
  const spec = cipherSpec(name);
  return fc.record({
    cipher: fc.constant(spec),
    key: fc.uint8Array({ minLength: spec.keyLength, maxLength: spec.keyLength }),
    iv: fc.uint8Array({ minLength: spec.blockSize, maxLength: spec.blockSize }),
  });
});

export const paddingMode = fc.constantFrom<PaddingMode>('zero', 'zero-block', 'pad-length');
