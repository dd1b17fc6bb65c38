/**
 * RFC 2409 key derivation against what strongSwan logged for the corpus captures: SKEYID from the pre-shared key
 * (or g^xy for signatures) and the nonces on the wire, SKEYID_d/a/e from g^xy and the cookies, Ka by appendix B
 * expansion, and the phase-1 IV from the KE payloads on the wire.
 */
import { createHmac } from 'node:crypto';
import { decode, type Message, oakleyAttributes, PayloadType } from '@oaklog/isakmp';
import { describe, expect, it } from 'vitest';
import {
  cipherSpec,
  derivePhase1Keys,
  deriveSkeyid,
  deriveSkeyidSet,
  digest,
  encryptionKey,
  expandKey,
  phase1Iv,
  prf,
  toHex,
} from '../src/index';
import { type KeyedCapture, keyedCaptures, type RawIkeSa } from './corpus';
import { ascii, hex } from './helpers';

const captures = keyedCaptures();

interface Observed {
  gxi?: Uint8Array;
  gxr?: Uint8Array;
  nonceI?: Uint8Array;
  nonceR?: Uint8Array;
  authMethod?: number | undefined;
}

/** What the plaintext phase-1 messages of one IKE SA show, told apart by sender. */
function observe(c: KeyedCapture, sa: RawIkeSa): Observed {
  const seen: Observed = {};
  let initiator: string | undefined;
  for (const input of c.inputs) {
    let m: Message;
    try {
      m = decode(input.bytes);
    } catch {
      continue;
    }
    if (toHex(m.header.initiatorCookie) !== sa.initiatorCookie || m.header.messageId !== 0 || m.encrypted) continue;
    initiator ??= input.sender;
    const fromInitiator = input.sender === initiator;
    for (const p of m.payloads) {
      if (p.type === PayloadType.KE && 'data' in p) seen[fromInitiator ? 'gxi' : 'gxr'] ??= p.data;
      if (p.type === PayloadType.NONCE && 'data' in p) seen[fromInitiator ? 'nonceI' : 'nonceR'] ??= p.data;
      if (p.type === PayloadType.SA && 'proposals' in p && !fromInitiator) {
        const t = p.proposals[0]?.transforms[0];
        seen.authMethod = oakleyAttributes(t?.attributes ?? []).authenticationMethod;
      }
    }
  }
  return seen;
}

const sas = captures.flatMap((c) =>
  c.raw.ikeSas.map((sa) => ({ name: `${c.name} ${sa.initiatorCookie}`, c, sa, seen: observe(c, sa) })),
);

/** Oakley authentication methods whose SKEYID is the pre-shared key formula (PSK and its XAUTH variants). */
const PSK_METHODS = new Set([1, 65001, 65002]);
/** Signature methods (DSS, RSA and their XAUTH/hybrid variants). */
const SIGNATURE_METHODS = new Set([2, 3, 65003, 65004, 65005, 65006]);

describe('derivation against the corpus key logs', () => {
  it('has IKE SAs with logged SKEYIDs to check', () => {
    expect(sas.filter((s) => s.sa.skeyid && s.sa.sharedSecret).length).toBeGreaterThanOrEqual(5);
  });

  it.each(sas.filter((s) => s.sa.initialIv))(
    '$name: phase-1 IV = hash(g^xi | g^xr) from the KE payloads',
    ({ sa, seen }) => {
      expect(seen.gxi && seen.gxr).toBeTruthy();
      const cipher = cipherSpec(sa.encryption as 'aes-cbc-128');
      const iv = phase1Iv(
        sa.hash as 'sha1',
        seen.gxi ?? new Uint8Array(0),
        seen.gxr ?? new Uint8Array(0),
        cipher.blockSize,
      );
      expect(toHex(iv)).toBe(sa.initialIv);
    },
  );

  it.each(sas.filter((s) => s.sa.skeyid && s.sa.sharedSecret))(
    '$name: SKEYID_d/a/e from SKEYID, g^xy and the cookies; Ka by appendix B',
    ({ sa }) => {
      const set = deriveSkeyidSet(sa.hash as 'sha1', {
        skeyid: hex(sa.skeyid ?? ''),
        sharedSecret: hex(sa.sharedSecret ?? ''),
        initiatorCookie: hex(sa.initiatorCookie),
        responderCookie: hex(sa.responderCookie),
      });
      expect(toHex(set.skeyidD)).toBe(sa.skeyidD);
      expect(toHex(set.skeyidA)).toBe(sa.skeyidA);
      expect(toHex(set.skeyidE)).toBe(sa.skeyidE);
      const cipher = cipherSpec(sa.encryption as 'aes-cbc-128');
      const ka = toHex(encryptionKey(sa.hash as 'sha1', cipher, set.skeyidE));
      const logged = sa.encryptionKey.initiator ?? sa.encryptionKey.responder;
      expect(ka).toBe(logged);
    },
  );

  it.each(sas.filter((s) => s.sa.skeyid && s.seen.nonceI && s.seen.nonceR))(
    '$name: SKEYID from the authentication method, the nonces on the wire and the PSK or g^xy',
    ({ sa, seen }) => {
      const method = seen.authMethod ?? -1;
      const nonces = { nonceI: seen.nonceI ?? new Uint8Array(0), nonceR: seen.nonceR ?? new Uint8Array(0) };
      let skeyid: Uint8Array;
      if (PSK_METHODS.has(method)) {
        expect(sa.psk, 'a PSK capture logs its key').toBeDefined();
        skeyid = deriveSkeyid(sa.hash as 'sha1', { method: 'psk', psk: ascii(sa.psk ?? ''), ...nonces });
      } else {
        expect(SIGNATURE_METHODS.has(method), `auth method ${method}`).toBe(true);
        skeyid = deriveSkeyid(sa.hash as 'sha1', {
          method: 'signature',
          sharedSecret: hex(sa.sharedSecret ?? ''),
          ...nonces,
        });
      }
      expect(toHex(skeyid)).toBe(sa.skeyid);
    },
  );

  it.each(sas.filter((s) => s.sa.pskResponder && s.sa.mismatch?.['responder.skeyidE']))(
    '$name: a PSK mismatch gives the responder its own SKEYID_e and Ka',
    ({ sa, seen }) => {
      const hash = sa.hash as 'sha1';
      const cipher = cipherSpec(sa.encryption as 'aes-cbc-128');
      const keys = derivePhase1Keys(hash, cipher, {
        skeyid: {
          method: 'psk',
          psk: ascii(sa.pskResponder ?? ''),
          nonceI: seen.nonceI ?? new Uint8Array(0),
          nonceR: seen.nonceR ?? new Uint8Array(0),
        },
        sharedSecret: hex(sa.sharedSecret ?? ''),
        initiatorCookie: hex(sa.initiatorCookie),
        responderCookie: hex(sa.responderCookie),
      });
      expect(toHex(keys.skeyidE)).toBe(sa.mismatch?.['responder.skeyidE']);
      expect(toHex(keys.encryptionKey)).toBe(sa.encryptionKey.responder);
      expect(toHex(keys.encryptionKey)).not.toBe(sa.encryptionKey.initiator);
    },
  );
});

describe('appendix B key expansion', () => {
  // strongswan-mm-psk-3des-sha1-modp1024/keys.json: what charon logged ("SKEYID_e", "encryption key Ka").
  const skeyidE = hex('05a14074be27eb749e5510f70fe36efed015c6aa');
  const charonKa = '2f9c33cb0b9aaa1107f90f56b908f316b7c716ca4f3ec2b7';
  /** HMAC by node:crypto, independent of the implementation under test. */
  const nodeHmac = (hash: string, key: Uint8Array, data: Uint8Array) =>
    new Uint8Array(createHmac(hash, key).update(data).digest());

  it('cuts SKEYID_e when it is long enough (AES-128 from SHA-1)', () => {
    expect(toHex(expandKey('sha1', skeyidE, 16))).toBe(toHex(skeyidE.subarray(0, 16)));
  });

  it('expands with K1 = prf(SKEYID_e, 0), K2 = prf(SKEYID_e, K1) when it is short (3DES from SHA-1)', () => {
    const k1 = nodeHmac('sha1', skeyidE, Uint8Array.of(0));
    const k2 = nodeHmac('sha1', skeyidE, k1);
    const ka = expandKey('sha1', skeyidE, 24);
    expect(toHex(ka)).toBe(toHex(new Uint8Array([...k1, ...k2]).subarray(0, 24)));
    // strongSwan 5.9.8 logged exactly this Ka for this SKEYID_e (corpus case strongswan-mm-psk-3des-sha1-modp1024).
    expect(toHex(ka)).toBe(charonKa);
  });

  it('expands AES-256 from MD5 to K1 | K2 (two 16-byte blocks), checked against node:crypto HMAC-MD5', () => {
    const ka = expandKey('md5', skeyidE, 32);
    const k1 = nodeHmac('md5', skeyidE, Uint8Array.of(0));
    const k2 = nodeHmac('md5', skeyidE, k1);
    expect(toHex(ka)).toBe(toHex(new Uint8Array([...k1, ...k2])));
  });

  it('public-key encryption SKEYID = prf(hash(Ni | Nr), CKY-I | CKY-R)', () => {
    const ni = hex('0102030405060708');
    const nr = hex('1112131415161718');
    const ci = hex('a1a2a3a4a5a6a7a8');
    const cr = hex('b1b2b3b4b5b6b7b8');
    const expected = prf('sha1', digest('sha1', ni, nr), ci, cr);
    const got = deriveSkeyid('sha1', {
      method: 'public-key',
      nonceI: ni,
      nonceR: nr,
      initiatorCookie: ci,
      responderCookie: cr,
    });
    expect(toHex(got)).toBe(toHex(expected));
    expect(toHex(got)).not.toBe(
      toHex(deriveSkeyid('sha1', { method: 'signature', nonceI: ni, nonceR: nr, sharedSecret: ci })),
    );
  });
});
