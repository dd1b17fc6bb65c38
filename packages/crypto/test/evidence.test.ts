/**
 * Wrong keys must not "decrypt": random ciphertext under wrong keys, a wrong key for a real capture, and a real
 * message with one byte changed (its HASH no longer verifies) all come out `not-decrypted`, never as plaintext.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from '@fast-check/vitest';
import { decode, ExchangeType, HeaderFlag, PayloadType } from '@oaklog/isakmp';
import { type IkeDatagram, readCaptureBytes } from '@oaklog/pcap';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockDecryptor } from '../src/ciphers';
import {
  type CaptureOutcome,
  cbcDecrypt,
  cbcEncrypt,
  cipherSpec,
  decryptMessages,
  type MessageInput,
  parseWiresharkKeyTable,
} from '../src/index';
import { keyedCaptures } from './corpus';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(fileURLToPath(new URL(`fixtures/${name}`, import.meta.url))));
const inputsOf = (pcap: Uint8Array): MessageInput[] =>
  [...readCaptureBytes(pcap)]
    .filter((i): i is IkeDatagram => i.kind === 'ike')
    .map((d) => ({ bytes: d.bytes, sender: `${d.src}:${d.srcPort}` }));
const kinds = (out: CaptureOutcome[]) => out.map((o) => o.kind);

describe('wrong keys are not-decrypted', () => {
  it('encrypted-random-1000.pcap with 1000 wrong keys under its cookie: nothing is accepted', () => {
    const inputs = inputsOf(fixture('encrypted-random-1000.pcap'));
    const keys = parseWiresharkKeyTable(new TextDecoder().decode(fixture('same-cookie-1000-wrong-keys.table')));
    expect(keys.ikeSas[0]?.encryptionKeys.length).toBe(1000);
    // The phase-1 messages, then the quick modes the old decryptor took as real (it accepted 8 of the 1000 with
    // some key, e.g. M-ID 3441847977) among the first 40: every key is tried on each.
    const accepted = new Set([
      3441847977, 2820142119, 647913629, 875788915, 4204660887, 1650313707, 1052928391, 2050136891,
    ]);
    const subset = inputs.filter((x, i) => i < 40 || accepted.has(decode(x.bytes).header.messageId));
    expect(subset.length).toBeGreaterThanOrEqual(44);
    const out = decryptMessages(subset, keys.ikeSas);
    expect(out.filter((o) => o.kind === 'decrypted')).toEqual([]);
    expect(out.filter((o) => o.kind === 'not-decrypted').length).toBe(subset.length - 4);
  });

  it('wrong-key.table on strongswan-mm-psk-3des-sha1-modp1024: every encrypted message is not-decrypted', () => {
    const c = keyedCaptures().find((x) => x.name === 'strongswan-mm-psk-3des-sha1-modp1024');
    expect(c).toBeDefined();
    const keys = parseWiresharkKeyTable(new TextDecoder().decode(fixture('wrong-key.table')));
    expect(keys.diagnostics).toEqual([]);
    const out = decryptMessages(c?.inputs ?? [], keys.ikeSas);
    const encrypted = out.filter((o) => 'message' in o && o.message && o.message.header.flags & HeaderFlag.ENCRYPTION);
    expect(encrypted.length).toBeGreaterThan(0);
    expect(new Set(kinds(encrypted))).toEqual(new Set(['not-decrypted']));
  });

  const exchanges = [
    { type: ExchangeType.QUICK_MODE, first: PayloadType.HASH },
    { type: ExchangeType.INFORMATIONAL, first: PayloadType.HASH },
    { type: ExchangeType.TRANSACTION, first: PayloadType.HASH },
    { type: ExchangeType.IDENTITY_PROTECTION, first: PayloadType.ID },
    { type: ExchangeType.AGGRESSIVE, first: PayloadType.NAT_D },
  ];
  test.prop(
    [
      fc.constantFrom('3des-cbc' as const, 'aes-cbc-128' as const),
      fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { minLength: 1, maxLength: 8 }),
      fc.array(
        fc.record({
          exchange: fc.constantFrom(...exchanges),
          mid: fc.integer({ min: 0, max: 3 }),
          blocks: fc.integer({ min: 1, max: 12 }),
          seed: fc.uint8Array({ minLength: 192, maxLength: 192 }),
        }),
        { minLength: 1, maxLength: 6 },
      ),
    ],
    { numRuns: 60 },
  )('random ciphertext under random keys is never accepted', (cipher, keys, messages) => {
    const bs = cipherSpec(cipher).blockSize;
    const cookie = new Uint8Array(8).fill(1);
    const datagrams = messages.map((m) => {
      const body = m.seed.subarray(0, m.blocks * bs);
      const b = new Uint8Array(28 + body.length);
      b.set(cookie, 0);
      b.fill(2, 8, 16);
      b[16] = m.exchange.first;
      b[17] = 0x10;
      b[18] = m.exchange.type;
      b[19] = HeaderFlag.ENCRYPTION;
      new DataView(b.buffer).setUint32(20, m.mid === 0 ? 0 : m.mid * 0x01010101);
      new DataView(b.buffer).setUint32(24, b.length);
      b.set(body, 28);
      return b;
    });
    const sa = { initiatorCookie: cookie, encryptionKeys: keys, cipher, initialIv: new Uint8Array(bs).fill(9) };
    const out = decryptMessages(datagrams, [sa]);
    expect(out.filter((o) => o.kind === 'decrypted')).toEqual([]);
  });
});

describe('with SKEYID_a from the key JSON, the HASH must verify', () => {
  const captures = keyedCaptures();

  it('the corpus key files pair SKEYID_a with the Ka it was logged with', () => {
    const paired = captures.flatMap((c) => c.json.ikeSas).filter((s) => s.authenticationKeys?.some((a) => a));
    expect(paired.length).toBeGreaterThan(0);
  });

  it('a real message with one HASH byte changed is not-decrypted (hash-mismatch); the original decrypts', () => {
    let tampered = 0;
    for (const c of captures) {
      const outcomes = decryptMessages(c.inputs, c.json.ikeSas);
      const firstOfId = new Set<number>();
      for (const [i, o] of outcomes.entries()) {
        if (o.kind !== 'decrypted') continue;
        const { exchangeType, messageId } = o.message.header;
        const isFirst = !firstOfId.has(messageId);
        firstOfId.add(messageId);
        // HASH(1) of a quick mode's first message cannot be told from HASH(2) without Ni_b: checked from QM2 on.
        const checkable =
          exchangeType === ExchangeType.INFORMATIONAL ||
          exchangeType === ExchangeType.TRANSACTION ||
          (exchangeType === ExchangeType.QUICK_MODE && !isFirst);
        if (!checkable || o.retransmission) continue;
        const sa = c.json.ikeSas.find((s) =>
          s.initiatorCookie.every((b, j) => b === o.message.header.initiatorCookie[j]),
        );
        const k = sa?.encryptionKeys.findIndex((key) => {
          const spec = cipherSpec(o.cipher);
          const ct = o.message.encrypted ?? new Uint8Array(0);
          return cbcDecrypt(spec, key.subarray(0, spec.keyLength), o.body.iv, ct).every(
            (b, j) => b === o.body.plaintext[j],
          );
        });
        if (!sa || k === undefined || k < 0 || !sa.authenticationKeys?.[k]) continue;
        const spec = cipherSpec(o.cipher);
        const plaintext = o.body.plaintext.slice();
        // A byte of the HASH data itself: the chain decodes exactly as before, only the HASH no longer matches.
        plaintext[4] = (plaintext[4] ?? 0) ^ 0x01;
        const key = (sa.encryptionKeys[k] ?? new Uint8Array(0)).subarray(0, spec.keyLength);
        const ciphertext = cbcEncrypt(spec, key, o.body.iv, plaintext);
        const bytes = c.inputs[i]?.bytes.slice() ?? new Uint8Array(0);
        bytes.set(ciphertext, bytes.length - ciphertext.length);
        const inputs = c.inputs.map((x, j) => (j === i ? { ...x, bytes } : x));
        const again = decryptMessages(inputs.slice(0, i + 1), c.json.ikeSas)[i];
        expect(again?.kind, `${c.name} message ${i}`).toBe('not-decrypted');
        if (again?.kind === 'not-decrypted') expect(again.reason, `${c.name} message ${i}`).toBe('hash-mismatch');
        tampered += 1;
      }
    }
    expect(tampered).toBeGreaterThan(10);
  });
});

describe('blockDecryptor', () => {
  it.each(['des-cbc', '3des-cbc', 'aes-cbc-128', 'aes-cbc-256'] as const)(
    '%s: one block equals CBC decryption with a zero IV, and it can be called again',
    (name) => {
      const spec = cipherSpec(name);
      const key = new Uint8Array(spec.keyLength).map((_, i) => i * 13 + 5);
      const blocks = new Uint8Array(spec.blockSize * 2).map((_, i) => i * 31);
      const d = blockDecryptor(spec, key);
      for (const at of [0, spec.blockSize]) {
        const block = blocks.subarray(at, at + spec.blockSize);
        expect(d(block)).toEqual(cbcDecrypt(spec, key, new Uint8Array(spec.blockSize), block));
      }
    },
  );
});
