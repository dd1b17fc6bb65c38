/**
 * Decryption throughput against a plain copy of the same bytes, in one run: vitest prints how many times slower
 * CBC decryption (and the whole per-message path: decode, IV chain, decrypt, payload decode) is than a memcpy.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, decode, decodePlaintext, ExchangeType, encode } from '@oaklog/isakmp';
import { readCaptureBytes } from '@oaklog/pcap';
import { bench, describe } from 'vitest';
import { cbcDecrypt, cipherSpec, createMessageDecryptor, decryptMessages, parseWiresharkKeyTable } from '../src/index';

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

// 1000 wrong keys under one cookie (the repro capture): every key is tried on every message. The baseline is what
// each trial used to cost, a full decryption and payload decode per key (with one IV only, so a lower bound of
// the old path); the decryptor rules most keys out on the first block.
const fixture = (name: string) =>
  new Uint8Array(readFileSync(fileURLToPath(new URL(`../test/fixtures/${name}`, import.meta.url))));
const wrongKeys = parseWiresharkKeyTable(new TextDecoder().decode(fixture('same-cookie-1000-wrong-keys.table'))).ikeSas;
const randomCapture = [...readCaptureBytes(fixture('encrypted-random-1000.pcap'))]
  .flatMap((d) => (d.kind === 'ike' ? [d.bytes] : []))
  .slice(0, 14);

describe(`${randomCapture.length - 4} random quick modes x ${wrongKeys[0]?.encryptionKeys.length} wrong keys`, () => {
  bench('baseline: full decrypt + decode per key (the old per-trial work, one IV)', () => {
    const spec = cipherSpec('3des-cbc');
    for (const bytes of randomCapture.slice(4)) {
      const m = decode(bytes);
      const body = m.encrypted ?? new Uint8Array(0);
      for (const key of wrongKeys[0]?.encryptionKeys ?? []) {
        const plaintext = cbcDecrypt(spec, key.subarray(0, 24), body.subarray(0, 8), body);
        try {
          decodePlaintext(plaintext, m.header.nextPayload);
        } catch {
          // a wrong key: expected
        }
      }
    }
  });
  bench('decryptor: first-block check, then evidence', () => {
    decryptMessages(randomCapture, wrongKeys);
  });
});
