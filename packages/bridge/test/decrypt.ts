/**
 * A test-only IKEv1 decryptor for the corpus, so the bridge's plaintext path meets real traffic. It uses node:crypto and
 * the keys charon logged (keys.json: encryption key Ka and the phase 1 initial IV); the bridge itself never decrypts —
 * callers hand it decrypted chains, as these tests do.
 *
 * IVs (RFC 2409 appendix B): phase 1 starts from the logged initial IV and chains from the last ciphertext block of the
 * previous encrypted phase 1 message; every later exchange (quick mode, informational, transaction) starts from
 * hash(last phase 1 block | message id) cut to the block size and chains within its message id.
 */
import { createDecipheriv, createHash } from 'node:crypto';
import type { KeysFile } from '@oaklog/corpus';
import { DecodeError, decode, decodePlaintext, HeaderFlag, type Payload } from '@oaklog/isakmp';

const CIPHERS: Readonly<Record<string, { name: string; block: number }>> = {
  '3des-cbc': { name: 'des-ede3-cbc', block: 8 },
  'aes-cbc-128': { name: 'aes-128-cbc', block: 16 },
  'aes-cbc-192': { name: 'aes-192-cbc', block: 16 },
  'aes-cbc-256': { name: 'aes-256-cbc', block: 16 },
};
const HASHES: Readonly<Record<string, string>> = {
  sha1: 'sha1',
  md5: 'md5',
  'sha2-256': 'sha256',
  'sha2-384': 'sha384',
  'sha2-512': 'sha512',
};

const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex');

interface SaState {
  cipher: { name: string; block: number };
  hash: string;
  key: Buffer;
  phase1Iv: Buffer;
  /** Next IV per message id (phase 2 and informational exchanges). */
  ivs: Map<number, Buffer>;
}

/**
 * A function giving the decrypted chain of each encrypted datagram of one capture, pushed in capture order; undefined
 * when the datagram is in clear, its IKE SA has no keys, or the plaintext does not decode (e.g. inside IKE fragments).
 */
export function createDecryptor(keys: KeysFile): (bytes: Uint8Array) => Payload[] | undefined {
  const sas = new Map<string, SaState>();
  const done = new Map<string, Payload[] | undefined>();
  for (const k of keys.ikeSas) {
    const cipher = CIPHERS[k.encryption];
    const hash = HASHES[k.hash];
    const key = k.encryptionKey.initiator ?? k.encryptionKey.responder;
    if (!cipher || !hash || !key || !k.initialIv) continue;
    sas.set(k.initiatorCookie.toLowerCase(), {
      cipher,
      hash,
      key: Buffer.from(key, 'hex'),
      phase1Iv: Buffer.from(k.initialIv, 'hex'),
      ivs: new Map(),
    });
  }

  return (bytes) => {
    const seen = hexOf(bytes);
    if (done.has(seen)) return done.get(seen); // a retransmission: same ciphertext, same plaintext, IVs untouched
    let result: Payload[] | undefined;
    try {
      const m = decode(bytes);
      const sa = sas.get(hexOf(m.header.initiatorCookie));
      if (sa && (m.header.flags & HeaderFlag.ENCRYPTION) !== 0 && m.encrypted && m.encrypted.length > 0) {
        const body = Buffer.from(m.encrypted);
        const mid = m.header.messageId;
        const lastBlock = body.subarray(body.length - sa.cipher.block);
        let iv: Buffer;
        if (mid === 0) {
          iv = sa.phase1Iv;
          sa.phase1Iv = Buffer.from(lastBlock);
        } else {
          iv =
            sa.ivs.get(mid) ??
            createHash(sa.hash)
              .update(sa.phase1Iv)
              .update(Buffer.of(mid >>> 24, (mid >>> 16) & 0xff, (mid >>> 8) & 0xff, mid & 0xff))
              .digest()
              .subarray(0, sa.cipher.block);
          sa.ivs.set(mid, Buffer.from(lastBlock));
        }
        if (body.length % sa.cipher.block === 0) {
          const d = createDecipheriv(sa.cipher.name, sa.key, iv).setAutoPadding(false);
          const plain = new Uint8Array(Buffer.concat([d.update(body), d.final()]));
          result = decodePlaintext(plain, m.header.nextPayload).payloads;
        }
      }
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      result = undefined;
    }
    done.set(seen, result);
    return result;
  };
}
