/**
 * The per-IKE-SA state over synthesized exchanges: IVs follow RFC 2409 appendix B exactly, an observer that knows
 * only the cookie and Ka (a Wireshark table) decrypts everything, retransmissions and out-of-order messages are
 * reported rather than breaking the chain, and decryption round-trips encryption.
 */
import { decode, encodePlaintext, type Message } from '@oaklog/isakmp';
import { describe, expect, it } from 'vitest';
import {
  type CaptureOutcome,
  CryptoError,
  cipherSpec,
  createIkeSaState,
  createMessageDecryptor,
  decryptMessages,
  lastBlock,
  type MessageOutcome,
  NOT_DECRYPTED_REASONS,
  padPlaintext,
  phase1Iv,
  phase2Iv,
  toHex,
} from '../src/index';
import { type Exchange, type ExchangeOptions, synthesize } from './exchange';

function decrypted(o: CaptureOutcome | MessageOutcome) {
  if (o.kind !== 'decrypted')
    throw new Error(`expected decrypted, got ${o.kind}${o.kind === 'failed' ? `: ${o.error.message}` : ''}`);
  return o;
}

const byLabel = (x: Exchange, label: string) => {
  const w = x.wire.find((m) => m.label === label);
  if (!w) throw new Error(`no ${label}`);
  return w;
};
const bodyOf = (bytes: Uint8Array) => decode(bytes).encrypted ?? new Uint8Array(0);

const variants: (ExchangeOptions & { name: string })[] = [
  { name: 'MM 3DES/SHA1/group 2', cipher: '3des-cbc', hash: 'sha1', group: 2 },
  { name: 'MM AES-128/SHA1/group 14', cipher: 'aes-cbc-128', hash: 'sha1', group: 14 },
  { name: 'MM AES-256/SHA2-256/group 5', cipher: 'aes-cbc-256', hash: 'sha2-256', group: 5 },
  {
    name: 'MM AES-192/SHA2-512/group 2, pad-length padding',
    cipher: 'aes-cbc-192',
    hash: 'sha2-512',
    group: 2,
    padding: 'pad-length',
  },
  { name: 'MM DES/MD5/group 1', cipher: 'des-cbc', hash: 'md5', group: 1 },
  {
    name: 'MM AES-128/SHA2-384/group 2, zero-block padding',
    cipher: 'aes-cbc-128',
    hash: 'sha2-384',
    group: 2,
    padding: 'zero-block',
  },
  {
    name: 'AG AES-128/SHA1/group 2, encrypted third message',
    cipher: 'aes-cbc-128',
    hash: 'sha1',
    group: 2,
    aggressive: true,
    encryptThird: true,
  },
  {
    name: 'AG 3DES/SHA1/group 2, plaintext third message',
    cipher: '3des-cbc',
    hash: 'sha1',
    group: 2,
    aggressive: true,
  },
];

describe.each(variants)('$name', (v) => {
  const x = synthesize(v);
  const bs = cipherSpec(v.cipher).blockSize;

  it('a Wireshark-style observer (cookie + Ka only) decrypts every message to the payloads that were sent', () => {
    const observer = decryptMessages(
      x.wire.map((w) => w.bytes),
      [{ initiatorCookie: x.initiatorCookie, encryptionKeys: x.keys.encryptionKeys }],
    );
    for (const [i, o] of observer.entries()) {
      const sent = encodePlaintext({ payloads: x.wire[i]?.payloads ?? [] });
      if (o.kind === 'plaintext') continue;
      if (o.kind !== 'decrypted') throw new Error(`${x.wire[i]?.label}: ${o.kind}`);
      expect(toHex(encodePlaintext({ payloads: o.body.payloads })), x.wire[i]?.label).toBe(toHex(sent));
      expect(o.recovered).toBe(false);
      expect(o.body.plaintext.length % bs).toBe(0);
      if (v.padding === 'pad-length') expect(o.body.paddingStyle).toBe('pad-length');
      if (v.padding === 'zero-block') expect(o.body.padding.length).toBeGreaterThan(0);
    }
  });

  it('uses the RFC 2409 appendix B IVs: phase 1 from hash(g^xi | g^xr), phase 2 from hash(last phase-1 block | M-ID)', () => {
    const state = createIkeSaState({ ...x.keys, gxi: undefined as never, gxr: undefined as never });
    const outcomes = new Map(x.wire.map((w) => [w.label, state.push(w.bytes)]));
    const p1 = phase1Iv(v.hash, x.gxi, x.gxr, bs);
    const firstEncrypted = v.aggressive ? (v.encryptThird ? 'AG3' : undefined) : 'MM5';
    let lastP1 = p1;
    if (firstEncrypted) {
      const o = decrypted(outcomes.get(firstEncrypted) as MessageOutcome);
      expect(toHex(o.body.iv)).toBe(toHex(p1));
      expect(o.ivSource).toBe('phase1');
      lastP1 = lastBlock(bodyOf(byLabel(x, firstEncrypted).bytes), bs);
    }
    if (!v.aggressive) {
      const mm6 = decrypted(outcomes.get('MM6') as MessageOutcome);
      expect(mm6.ivSource).toBe('phase1-chain');
      expect(toHex(mm6.body.iv)).toBe(toHex(lastP1));
      lastP1 = lastBlock(bodyOf(byLabel(x, 'MM6').bytes), bs);
    }
    const qm1 = decrypted(outcomes.get('QM1') as MessageOutcome);
    expect(qm1.ivSource).toBe('phase2');
    expect(toHex(qm1.body.iv)).toBe(toHex(phase2Iv(v.hash, lastP1, x.qmId, bs)));
    const qm2 = decrypted(outcomes.get('QM2') as MessageOutcome);
    expect(qm2.ivSource).toBe('phase2-chain');
    expect(toHex(qm2.body.iv)).toBe(toHex(lastBlock(bodyOf(byLabel(x, 'QM1').bytes), bs)));
    const qm3 = decrypted(outcomes.get('QM3') as MessageOutcome);
    expect(toHex(qm3.body.iv)).toBe(toHex(lastBlock(bodyOf(byLabel(x, 'QM2').bytes), bs)));
    const info = decrypted(outcomes.get('INFO') as MessageOutcome);
    expect(toHex(info.body.iv)).toBe(toHex(phase2Iv(v.hash, lastP1, x.infoId, bs)));
    expect(toHex(state.phase1LastBlock ?? new Uint8Array(0))).toBe(toHex(lastP1));
  });
});

describe('robustness', () => {
  const x = synthesize({ cipher: 'aes-cbc-128', hash: 'sha1', group: 2 });
  const wire = (label: string) => byLabel(x, label).bytes;
  const observerKeys = [{ initiatorCookie: x.initiatorCookie, encryptionKeys: x.keys.encryptionKeys }];
  const phase1 = ['MM1', 'MM2', 'MM3', 'MM4', 'MM5', 'MM6'];

  it('retransmissions reuse their first copy’s IV and leave the chains alone', () => {
    const order = [...phase1, 'MM5', 'MM6', 'QM1', 'QM2', 'QM2', 'MM6', 'QM3', 'QM3', 'INFO', 'INFO'];
    const out = decryptMessages(order.map(wire), observerKeys);
    const first = new Map<string, Uint8Array>();
    for (const [i, o] of out.entries()) {
      const label = order[i] ?? '';
      if (o.kind === 'plaintext') continue;
      const d = decrypted(o);
      expect(d.recovered, label).toBe(false);
      const earlier = first.get(label);
      expect(d.retransmission, `${label} #${i}`).toBe(earlier !== undefined);
      if (earlier) expect(toHex(d.body.iv)).toBe(toHex(earlier));
      else first.set(label, d.body.iv);
    }
  });

  it('a message ahead of its predecessor is reported, and the chain recovers', () => {
    const order = [...phase1, 'QM2', 'QM1', 'QM3'];
    const d = createMessageDecryptor(observerKeys);
    const out = order.map((l) => d.push(wire(l)));
    const qm2 = out[6];
    // Its IV (QM1's last block) is not known yet: no key and IV gives evidence, and no noise is kept as plaintext.
    expect(qm2?.kind).toBe('not-decrypted');
    expect(qm2 && 'plaintext' in qm2).toBe(false);
    const qm1 = decrypted(out[7] as CaptureOutcome);
    expect(qm1.recovered).toBe(true);
    expect(qm1.ivSource).toBe('phase2');
    const qm3 = decrypted(out[8] as CaptureOutcome);
    expect(qm3.recovered).toBe(true);
    expect(qm3.ivSource).toBe('phase2-chain');
    // Once QM1 is known, QM2 decrypts from QM1's last block.
    const again = decrypted(d.retry(qm2 as CaptureOutcome));
    expect(again.recovered).toBe(true);
    expect(toHex(again.body.iv)).toBe(toHex(lastBlock(bodyOf(wire('QM1')), 16)));
    expect(toHex(encodePlaintext({ payloads: again.body.payloads }))).toBe(
      toHex(encodePlaintext({ payloads: byLabel(x, 'QM2').payloads })),
    );
  });

  it('decryptMessages retries what failed, so a reordered capture decrypts completely', () => {
    const out = decryptMessages([...phase1, 'QM2', 'QM1', 'QM3', 'INFO'].map(wire), observerKeys);
    expect(out.map((o) => o.kind)).toEqual([...Array(4).fill('plaintext'), ...Array(6).fill('decrypted')]);
    // A retry that still fails (no key fits) comes back unchanged.
    const d = createMessageDecryptor([{ initiatorCookie: x.initiatorCookie, encryptionKeys: [new Uint8Array(16)] }]);
    const failed = phase1.map((l) => d.push(wire(l)))[4] as CaptureOutcome;
    expect(d.retry(failed)).toBe(failed);
  });

  it('a capture that starts after the SA payloads: the hash is found by trying each, and only from hashed IVs', () => {
    const d = createMessageDecryptor(observerKeys);
    const out = ['MM3', 'MM4', 'MM5', 'MM6', 'QM1', 'QM2'].map((l) => d.push(wire(l)));
    expect(out.map((o) => o.kind)).toEqual([
      'plaintext',
      'plaintext',
      'decrypted',
      'decrypted',
      'decrypted',
      'decrypted',
    ]);
    expect(d.states[0]?.hash).toBe('sha1');
  });

  it('a capture that starts at MM5: MM5 has no IV, MM6 chains from it, quick mode finds the hash', () => {
    const d = createMessageDecryptor([{ ...observerKeys[0]!, cipher: 'aes-cbc-128' as const }]);
    const out = ['MM5', 'MM6', 'QM1', 'QM2', 'QM3'].map((l) => d.push(wire(l)));
    expect(out[0]?.kind === 'failed' && out[0].error.code).toBe('NO_IV');
    expect(out.slice(1).map((o) => o.kind)).toEqual(['decrypted', 'decrypted', 'decrypted', 'decrypted']);
    // MM6's IV (MM5's last block) says nothing about the hash; only quick mode's hash(block | M-ID) does.
    expect(d.states[0]?.hash).toBe('sha1');
  });

  it('a key longer than the cipher’s (SKEYID_e itself) is cut, even when the cipher is guessed', () => {
    const longer = new Uint8Array([...(x.keys.encryptionKeys[0] ?? []), 1, 2, 3, 4]);
    const out = decryptMessages(['MM3', 'MM4', 'MM5', 'MM6', 'QM1'].map(wire), [
      { initiatorCookie: x.initiatorCookie, encryptionKeys: [longer] },
    ]);
    expect(out.map((o) => o.kind)).toEqual(['plaintext', 'plaintext', 'decrypted', 'decrypted', 'decrypted']);
    expect(out[2]?.kind === 'decrypted' && out[2].cipher).toBe('aes-cbc-128');
  });

  it('an informational exchange with an unseen message ID starts from hash(phase-1 block | M-ID)', () => {
    const out = decryptMessages([...phase1, 'INFO'].map(wire), observerKeys);
    const info = decrypted(out[6] as CaptureOutcome);
    expect(info.ivSource).toBe('phase2');
    expect(info.recovered).toBe(false);
  });

  it('the phase-2 messages decrypt without MM5/MM6 when the logged IV chain is gone (recovery needs MM6)', () => {
    // Without the phase-1 ciphertexts the last phase-1 block is unknown: reported as failed, never thrown.
    const out = decryptMessages(['MM1', 'MM2', 'MM3', 'MM4', 'QM1'].map(wire), observerKeys);
    expect(out[4]?.kind).toBe('not-decrypted');
  });

  it('a capture that starts after phase 1: a message and its retransmission are both NO_IV, not DECODE_FAILED', () => {
    const out = decryptMessages(['QM1', 'QM1', 'QM2'].map(wire), observerKeys);
    expect(out.map((o) => (o.kind === 'failed' ? o.error.code : o.kind))).toEqual(['NO_IV', 'NO_IV', 'decrypted']);
    expect(out[1]?.kind === 'failed' && out[1].retransmission).toBe(true);
  });

  it('a wrong key is not-decrypted with a reason and no plaintext, and a message of an unknown SA is no-keys', () => {
    const wrong = [{ initiatorCookie: x.initiatorCookie, encryptionKeys: [new Uint8Array(16).fill(7)] }];
    const out = decryptMessages(phase1.map(wire), wrong);
    expect(out[4]?.kind).toBe('not-decrypted');
    if (out[4]?.kind === 'not-decrypted') {
      expect(NOT_DECRYPTED_REASONS).toContain(out[4].reason);
      expect('plaintext' in out[4]).toBe(false);
    }
    const none = decryptMessages(phase1.map(wire), []);
    expect(none.map((o) => o.kind)).toEqual(['plaintext', 'plaintext', 'plaintext', 'plaintext', 'no-keys', 'no-keys']);
  });

  it('garbage is reported (DECODE_FAILED with the codec offset), not thrown', () => {
    const d = createMessageDecryptor(observerKeys);
    const out = d.push(new Uint8Array([1, 2, 3]));
    expect(out.kind).toBe('failed');
    if (out.kind === 'failed') {
      expect(out.error.code).toBe('DECODE_FAILED');
      expect(out.error.offset).toBe(out.error.decodeError?.offset);
    }
  });

  it('a body that is not whole blocks is NOT_BLOCK_ALIGNED', () => {
    const m = decode(wire('MM5'));
    const cut: Message = { ...m, encrypted: (m.encrypted ?? new Uint8Array(0)).subarray(0, 20) };
    const state = createIkeSaState(x.keys);
    const out = state.push(cut);
    expect(out.kind === 'failed' && out.error.code).toBe('NOT_BLOCK_ALIGNED');
  });

  it('with no cipher, hash or g^x given, the cipher and hash are learnt from the responder’s SA', () => {
    const d = createMessageDecryptor(observerKeys);
    for (const l of phase1) d.push(wire(l));
    expect(d.states[0]?.cipher).toBe('aes-cbc-128');
    expect(d.states[0]?.hash).toBe('sha1');
  });

  it('encrypting needs an IV: NO_IV without g^x or a logged IV', () => {
    const state = createIkeSaState({ ...observerKeys[0]!, cipher: 'aes-cbc-128', hash: 'sha1' });
    expect(() => state.encrypt({ exchangeType: 2, payloads: [] })).toThrowError(/NO_IV/);
    expect(() => createIkeSaState({ initiatorCookie: x.initiatorCookie, encryptionKeys: [] })).toThrowError(/NO_KEYS/);
  });
});

describe('hostile captures', () => {
  /** n encrypted messages of random bytes for one SA: none decrypts, each one's block used to become a candidate. */
  function hostile(n: number, messageId: (i: number) => number): Uint8Array[] {
    let seed = 1;
    const next = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed >>> 24;
    };
    return Array.from({ length: n }, (_, i) => {
      const b = new Uint8Array(28 + 64);
      b.fill(1, 0, 8);
      b[8] = 2;
      b[16] = 8;
      b[17] = 0x10;
      b[18] = messageId(i) === 0 ? 2 : 5;
      b[19] = 1;
      new DataView(b.buffer).setUint32(20, messageId(i));
      new DataView(b.buffer).setUint32(24, b.length);
      for (let j = 28; j < b.length; j++) b[j] = next();
      return b;
    });
  }
  const key = { initiatorCookie: new Uint8Array(8).fill(1), encryptionKeys: [new Uint8Array(16)] };
  const known = { ...key, initialIv: new Uint8Array(16), cipher: 'aes-cbc-128', hash: 'sha1' } as const;
  const unknownHash = { ...key, initialIv: new Uint8Array(16), cipher: 'aes-cbc-128' } as const;

  it.each([
    { name: 'all message ID 0', keys: known, messageId: () => 0 },
    { name: 'distinct message IDs', keys: known, messageId: (i: number) => i + 1 },
    { name: 'mixed IDs, hash unknown', keys: unknownHash, messageId: (i: number) => (i % 3 === 0 ? 0 : i % 7) },
  ])(
    'decryption work grows linearly with the number of undecryptable messages: $name',
    ({ keys, messageId }) => {
      const attempts = (n: number) => {
        let count = 0;
        const out = decryptMessages(hostile(n, messageId), [keys], { onAttempt: () => count++ });
        expect(out.filter((o) => o.kind === 'decrypted').length).toBeLessThan(n / 10);
        return count;
      };
      // Most trials stop at the first block, so the sizes can be past the first messages, where the per-message
      // count still grows while the phase-1 window of fallback IVs fills; the ratio is what shows the growth.
      const small = attempts(160);
      const large = attempts(640);
      // 4x the messages: linear work is ~4x (quadratic was ~16x); per message, push + retry try a bounded list of
      // IVs for each of the 5 hash guesses.
      expect(large).toBeLessThanOrEqual(5 * small);
      expect(large / 640).toBeLessThanOrEqual(100);
      // A generous limit: the work is counted above; the clock only guards against a hang on a loaded machine.
    },
    60_000,
  );
});

describe('argument checks', () => {
  it.each([-1, 1.5, 2 ** 32, Number.NaN])('phase2Iv with message ID %s is BAD_INPUT', (mid) => {
    let error: unknown;
    try {
      phase2Iv('sha1', new Uint8Array(16), mid, 16);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CryptoError);
    expect((error as CryptoError).code).toBe('BAD_INPUT');
    expect(phase2Iv('sha1', new Uint8Array(16), 2 ** 32 - 1, 16).length).toBe(16);
  });

  it.each([0, -8, 1.5])('padPlaintext with block size %s is BAD_INPUT, never unpadded output', (bs) => {
    let error: unknown;
    try {
      padPlaintext(new Uint8Array(3), bs);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CryptoError);
    expect((error as CryptoError).code).toBe('BAD_INPUT');
  });
});
