/**
 * The keys in each case's keys.json must follow from the capture itself (RFC 2409 section 5 and appendix B), using
 * only the nonces and KE values tshark decoded, the logged g^xy and the pre-shared key. This checks the key extraction
 * (cookie pairing included) without trusting it, and gives the crypto package vectors it can rely on.
 */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type IkeSaKeys, type KeysFile, listCaptures, readCorpusJson } from '../src/load';

type Layers = Record<string, unknown>;
type Frame = { _source: { layers: Layers } };

const hashName = (h: string): string => ({ sha1: 'sha1', 'sha2-256': 'sha256', md5: 'md5' })[h] ?? h;
const hex = (s: string): Buffer => Buffer.from(s.replaceAll(':', ''), 'hex');
const prf = (hash: string, key: Buffer, ...data: Buffer[]): Buffer =>
  createHmac(hashName(hash), key).update(Buffer.concat(data)).digest();

function keyLength(encryption: string): number {
  if (encryption === '3des-cbc') return 24;
  const m = /^aes-cbc-(\d+)$/.exec(encryption);
  if (m) return Number(m[1]) / 8;
  throw new Error(`unknown cipher ${encryption}`);
}

/** The unencrypted KE and nonce payloads of one IKE SA's phase 1, per sender address, first seen first. */
function phase1Values(frames: readonly Frame[], icookie: string) {
  const bySender = new Map<string, { ke: Buffer; nonce: Buffer }>();
  for (const f of frames) {
    const l = f._source.layers;
    const m = l.isakmp as Layers | undefined;
    if (m === undefined || Array.isArray(m)) continue;
    if (String(m['isakmp.ispi']).replaceAll(':', '') !== icookie) continue;
    if (!['2', '4'].includes(String(m['isakmp.exchangetype']))) continue;
    const tree = m['isakmp.typepayload_tree'];
    const payloads = (Array.isArray(tree) ? tree : [tree]) as Layers[];
    const ke = payloads.find((p) => p !== undefined && 'isakmp.key_exchange.data' in p);
    const nonce = payloads.find((p) => p !== undefined && 'isakmp.nonce' in p);
    const src = String((l.ip as Layers | undefined)?.['ip.src'] ?? (l.ipv6 as Layers | undefined)?.['ipv6.src']);
    if (ke && nonce && !bySender.has(src)) {
      bySender.set(src, {
        ke: hex(String(ke['isakmp.key_exchange.data'])),
        nonce: hex(String(nonce['isakmp.nonce'])),
      });
    }
  }
  return [...bySender.values()];
}

const keyed = listCaptures().filter((c) => c.keys !== undefined && c.tsharkGolden !== undefined);
const rows = keyed.flatMap((c) =>
  readCorpusJson<KeysFile>(c.keys!).ikeSas.map(
    (sa) => [`${c.name} ${sa.initiatorCookie}`, c.tsharkGolden!, sa] as const,
  ),
);

describe.runIf(rows.length > 0)('keys follow from the capture', () => {
  it.each(rows)('%s', (_, golden, sa: IkeSaKeys) => {
    const frames = readCorpusJson<Frame[]>(golden);
    const values = phase1Values(frames, sa.initiatorCookie);
    expect(values.length, 'KE and nonce from both ends').toBe(2);
    const [init, resp] = values as [{ ke: Buffer; nonce: Buffer }, { ke: Buffer; nonce: Buffer }];
    const block = sa.encryption === '3des-cbc' ? 8 : 16;

    // Phase 1 IV = hash(g^xi | g^xr), cut to the block size (RFC 2409 appendix B).
    if (sa.initialIv !== undefined) {
      const iv = createHash(hashName(sa.hash))
        .update(Buffer.concat([init.ke, resp.ke]))
        .digest();
      expect(iv.subarray(0, block).toString('hex')).toBe(sa.initialIv);
    }

    expect(sa.sharedSecret).toBeDefined();
    const gxy = hex(sa.sharedSecret!);
    // SKEYID: prf(pre-shared-key, Ni_b | Nr_b) or, for signatures, prf(Ni_b | Nr_b, g^xy) (RFC 2409 section 5).
    // The SKEYID in keys.json is the initiator's when it logged one, else the responder's (their keys differ when
    // their pre-shared keys do).
    const psk = sa.encryptionKey.initiator === undefined ? (sa.pskResponder ?? sa.psk) : sa.psk;
    const skeyid =
      psk !== undefined
        ? prf(sa.hash, Buffer.from(psk, 'utf8'), init.nonce, resp.nonce)
        : prf(sa.hash, Buffer.concat([init.nonce, resp.nonce]), gxy);
    expect(skeyid.toString('hex')).toBe(sa.skeyid);

    const ci = hex(sa.initiatorCookie);
    const cr = hex(sa.responderCookie);
    const d = prf(sa.hash, skeyid, gxy, ci, cr, Buffer.from([0]));
    const a = prf(sa.hash, skeyid, d, gxy, ci, cr, Buffer.from([1]));
    const e = prf(sa.hash, skeyid, a, gxy, ci, cr, Buffer.from([2]));
    expect([d, a, e].map((b) => b.toString('hex'))).toEqual([sa.skeyidD, sa.skeyidA, sa.skeyidE]);

    // Ka: SKEYID_e cut to the key length, or expanded K1 = prf(SKEYID_e, 0), Kn = prf(SKEYID_e, Kn-1).
    const len = keyLength(sa.encryption);
    let ka = e;
    if (e.length < len) {
      const parts = [prf(sa.hash, e, Buffer.from([0]))];
      while (Buffer.concat(parts).length < len) parts.push(prf(sa.hash, e, parts[parts.length - 1]!));
      ka = Buffer.concat(parts);
    }
    const expected = sa.encryptionKey.initiator ?? sa.encryptionKey.responder;
    expect(ka.subarray(0, len).toString('hex')).toBe(expected);
  });
});
