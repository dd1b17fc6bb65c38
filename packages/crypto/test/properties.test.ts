import { test } from '@fast-check/vitest';
import { encodePlaintext } from '@oaklog/isakmp';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import {
  CryptoError,
  cbcDecrypt,
  cbcEncrypt,
  decryptBody,
  decryptMessages,
  encryptBody,
  isSanePadding,
  paddingStyle,
  padPlaintext,
  parseKeysJson,
  parseWiresharkKeyTable,
  toHex,
} from '../src/index';
import { chain, keyed, paddingMode } from './arbitraries';

describe('properties', () => {
  test.prop([keyed, chain, paddingMode], { numRuns: 150 })(
    'decrypt(encrypt(x)) == x for payload chains, every cipher and padding mode',
    ({ cipher, key, iv }, payloads, padding) => {
      const sealed = encryptBody({ cipher, key, iv, payloads, padding });
      const opened = decryptBody({
        cipher,
        key,
        iv,
        ciphertext: sealed.ciphertext,
        firstPayload: payloads[0]?.type ?? 0,
      });
      expect(toHex(encodePlaintext({ payloads: opened.payloads }))).toBe(toHex(encodePlaintext({ payloads })));
      expect(toHex(opened.plaintext)).toBe(toHex(sealed.plaintext));
      expect(isSanePadding(opened.padding, cipher.blockSize)).toBe(true);
      expect(toHex(opened.nextIv)).toBe(toHex(sealed.nextIv));
      // A single zero byte is both a zero padding and a pad-length padding counting no bytes before it.
      if (padding === 'pad-length')
        expect(opened.padding.length === 1 ? ['zero'] : ['pad-length']).toContain(opened.paddingStyle);
      else expect(['zero', 'none']).toContain(opened.paddingStyle);
    },
  );

  test.prop([keyed, fc.integer({ min: 0, max: 8 })], { numRuns: 100 })(
    'raw CBC round-trips and the ciphertext changes with the IV',
    ({ cipher, key, iv }, blocks) => {
      const plaintext = new Uint8Array(blocks * cipher.blockSize).map((_, i) => i * 7);
      const c = cbcEncrypt(cipher, key, iv, plaintext);
      expect(c.length).toBe(plaintext.length);
      expect(toHex(cbcDecrypt(cipher, key, iv, c))).toBe(toHex(plaintext));
      if (blocks > 0) {
        const other = iv.slice();
        other[0] = (other[0] ?? 0) ^ 1;
        expect(toHex(cbcEncrypt(cipher, key, other, plaintext))).not.toBe(toHex(c));
      }
    },
  );

  test.prop([fc.uint8Array({ maxLength: 100 }), fc.constantFrom(8, 16), paddingMode])(
    'padding makes whole blocks, adds at most a block (plus the count byte), keeps the chain as a prefix',
    (bytes, blockSize, padding) => {
      const out = padPlaintext(bytes, blockSize, { padding });
      expect(out.length % blockSize).toBe(0);
      expect(toHex(out.subarray(0, bytes.length))).toBe(toHex(bytes));
      const pad = out.subarray(bytes.length);
      expect(pad.length).toBeLessThanOrEqual(blockSize);
      if (padding === 'zero') expect(pad.length).toBeLessThan(blockSize);
      else expect(pad.length).toBeGreaterThan(0);
      if (padding === 'pad-length') expect(paddingStyle(pad)).toBe(pad.length === 1 ? 'zero' : 'pad-length');
    },
  );

  test.prop([fc.string({ maxLength: 300 })], { numRuns: 300 })('key file parsers never throw', (text) => {
    expect(Array.isArray(parseKeysJson(text).diagnostics)).toBe(true);
    expect(Array.isArray(parseWiresharkKeyTable(text).diagnostics)).toBe(true);
  });

  test.prop([keyed, fc.uint8Array({ minLength: 1, maxLength: 80 }), fc.integer({ min: 0, max: 255 })], {
    numRuns: 200,
  })('decrypting arbitrary bytes throws only CryptoError', ({ cipher, key, iv }, body, first) => {
    try {
      decryptBody({ cipher, key, iv, ciphertext: body, firstPayload: first });
    } catch (e) {
      expect(e).toBeInstanceOf(CryptoError);
    }
  });
});

describe('the decryptor never throws', () => {
  const keys = [{ initiatorCookie: new Uint8Array(8), encryptionKeys: [new Uint8Array(16), new Uint8Array(24)] }];
  const header = (flags: number, mid: number, body: Uint8Array) => {
    const out = new Uint8Array(28 + body.length);
    const v = new DataView(out.buffer);
    out[16] = 8;
    out[17] = 0x10;
    out[18] = mid === 0 ? 2 : 32;
    out[19] = flags;
    v.setUint32(20, mid);
    v.setUint32(24, out.length);
    out.set(body, 28);
    return out;
  };

  test.prop([fc.array(fc.uint8Array({ maxLength: 120 }), { maxLength: 12 })], { numRuns: 200 })(
    'on arbitrary datagrams',
    (datagrams) => {
      expect(decryptMessages(datagrams, keys).length).toBe(datagrams.length);
    },
  );

  test.prop(
    [
      fc.array(
        fc.record({
          flags: fc.integer({ min: 0, max: 7 }),
          mid: fc.constantFrom(0, 1, 2),
          body: fc.uint8Array({ maxLength: 96 }),
        }),
        { maxLength: 12 },
      ),
    ],
    { numRuns: 200 },
  )('on well-framed messages with random (encrypted) bodies of the keyed IKE SA', (messages) => {
    const out = decryptMessages(
      messages.map((m) => header(m.flags, m.mid, m.body)),
      keys,
    );
    for (const o of out) expect(['plaintext', 'decrypted', 'not-decrypted', 'failed', 'fragment']).toContain(o.kind);
  });
});
