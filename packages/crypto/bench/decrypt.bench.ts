/**
 * Decryption throughput against a plain copy of the same bytes, in one run: vitest prints how many times slower
 * CBC decryption (and the whole per-message path: decode, IV chain, decrypt, payload decode) is than a memcpy.
 */
import { build, ExchangeType, encode } from '@oaklog/isakmp';
import { bench, describe } from 'vitest';
import { cbcDecrypt, cipherSpec, createMessageDecryptor } from '../src/index';

const BODY = 64 * 1024;
const body = new Uint8Array(BODY).map((_, i) => (i * 31) & 0xff);
const aes = cipherSpec('aes-cbc-128');
const tdes = cipherSpec('3des-cbc');
const aesKey = new Uint8Array(16).fill(1);
const tdesKey = new Uint8Array(24).map((_, i) => i + 1);
const aesIv = new Uint8Array(16);
const tdesIv = new Uint8Array(8);

describe(`CBC over ${BODY / 1024} KiB`, () => {
  bench('baseline: copy the bytes', () => {
    new Uint8Array(body);
  });
  bench('AES-128-CBC decrypt (@noble/ciphers)', () => {
    cbcDecrypt(aes, aesKey, aesIv, body);
  });
  bench('3DES-CBC decrypt (des.js)', () => {
    cbcDecrypt(tdes, tdesKey, tdesIv, body);
  });
});

// 200 informational messages of one IKE SA, each with its own message ID (so each needs a phase-2 IV hash).
const cookie = new Uint8Array(8).fill(0xab);
const responder = new Uint8Array(8).fill(0xcd);
const lastPhase1 = new Uint8Array(16).fill(9);
const messages: Uint8Array[] = [];
{
  const keys = {
    initiatorCookie: cookie,
    responderCookie: responder,
    encryptionKeys: [aesKey],
    cipher: 'aes-cbc-128',
    hash: 'sha1',
    initialIv: lastPhase1,
  } as const;
  const d = createMessageDecryptor([keys]);
  const state = d.states[0];
  for (let i = 1; i <= 200; i++) {
    const { message } = state!.encrypt({
      exchangeType: ExchangeType.INFORMATIONAL,
      messageId: i,
      payloads: [
        build.hash(new Uint8Array(20).fill(i)),
        build.notification({ messageType: 36136, data: new Uint8Array(4) }),
      ],
    });
    messages.push(encode(message));
  }
}
const total = messages.reduce((n, m) => n + m.length, 0);

describe(`200 DPD-sized messages (${total} bytes)`, () => {
  bench('baseline: copy the bytes', () => {
    for (const m of messages) new Uint8Array(m);
  });
  bench('decryptor: decode, IV, AES-128 decrypt, payload decode', () => {
    const d = createMessageDecryptor([
      {
        initiatorCookie: cookie,
        responderCookie: responder,
        encryptionKeys: [aesKey],
        cipher: 'aes-cbc-128',
        hash: 'sha1',
        initialIv: lastPhase1,
      },
    ]);
    for (const m of messages) d.push(m);
  });
});
