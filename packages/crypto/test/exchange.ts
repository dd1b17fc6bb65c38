/**
 * A synthesized IKEv1 exchange built with the isakmp builders and this package's DH and key derivation:
 * main or aggressive mode, then quick mode and an informational delete, encrypted by two `IkeSaState`s.
 */
import { build, ExchangeType, encode, IdType, type Message, type Payload, ProtocolId } from '@oaklog/isakmp';
import {
  type CipherName,
  cipherSpec,
  createIkeSaState,
  derivePhase1Keys,
  dhKeyPair,
  dhSharedSecret,
  type HashName,
  hashSpec,
  type IkeSaKeys,
  type IkeSaState,
  type PaddingMode,
} from '../src/index';
import { ascii, hex } from './helpers';

export interface Exchange {
  /** Every datagram in send order, with who sent it. */
  readonly wire: { bytes: Uint8Array; sender: 'i' | 'r'; label: string; payloads: Payload[] }[];
  readonly keys: IkeSaKeys;
  readonly gxi: Uint8Array;
  readonly gxr: Uint8Array;
  readonly initiatorCookie: Uint8Array;
  readonly responderCookie: Uint8Array;
  readonly qmId: number;
  readonly infoId: number;
}

export interface ExchangeOptions {
  cipher: CipherName;
  hash: HashName;
  group: 1 | 2 | 5 | 14;
  aggressive?: boolean;
  /** Aggressive mode only: whether the initiator encrypts its third message. */
  encryptThird?: boolean;
  padding?: PaddingMode;
}

const ci = hex('0011223344556677');
const cr = hex('8899aabbccddeeff');

function phase1Sa(o: ExchangeOptions) {
  const c = cipherSpec(o.cipher);
  const attributes = [
    build.attr.tv(1, c.oakleyId),
    ...(c.oakleyId === 7 ? [build.attr.tv(14, c.keyLength * 8)] : []),
    build.attr.tv(2, hashSpec(o.hash).oakleyId),
    build.attr.tv(3, 1),
    build.attr.tv(4, o.group),
    build.attr.tv(11, 1),
    build.attr.number(12, 28800),
  ];
  return build.sa({ proposals: [build.proposal({ transforms: [build.transform({ id: 1, attributes })] })] });
}

export function synthesize(o: ExchangeOptions): Exchange {
  const ni = hex('a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3');
  const nr = hex('c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3');
  const a = dhKeyPair(o.group, hex('1234567890abcdef1234567890abcdef'));
  const b = dhKeyPair(o.group, hex('fedcba0987654321fedcba0987654321'));
  const gxy = dhSharedSecret(a, b.publicKey);
  const cipher = cipherSpec(o.cipher);
  const phase1 = derivePhase1Keys(o.hash, cipher, {
    skeyid: { method: 'psk', psk: ascii('synthesized-psk'), nonceI: ni, nonceR: nr },
    sharedSecret: gxy,
    initiatorCookie: ci,
    responderCookie: cr,
  });
  const keys: IkeSaKeys = {
    initiatorCookie: ci,
    responderCookie: cr,
    encryptionKeys: [phase1.encryptionKey],
    cipher: o.cipher,
    hash: o.hash,
    gxi: a.publicKey,
    gxr: b.publicKey,
  };
  const initiator = createIkeSaState(keys);
  const responder = createIkeSaState(keys);
  const wire: Exchange['wire'] = [];
  const zero = new Uint8Array(8);
  const plain = (label: string, sender: 'i' | 'r', exchangeType: number, payloads: Payload[], rcookie = cr) => {
    const m = build.message({ initiatorCookie: ci, responderCookie: rcookie, exchangeType, payloads });
    wire.push({ bytes: encode(m), sender, label, payloads });
  };
  const sealed = (
    label: string,
    sender: 'i' | 'r',
    exchangeType: number,
    messageId: number,
    payloads: Payload[],
  ): Message => {
    const [own, peer]: [IkeSaState, IkeSaState] = sender === 'i' ? [initiator, responder] : [responder, initiator];
    const padding = o.padding ? { padding: o.padding } : {};
    const { message } = own.encrypt({ exchangeType, messageId, payloads }, padding);
    const bytes = encode(message);
    const seen = peer.push(bytes);
    if (seen.kind !== 'decrypted') throw new Error(`${label}: the peer state did not decrypt it (${seen.kind})`);
    wire.push({ bytes, sender, label, payloads });
    return message;
  };
  const idI = build.id({ idType: IdType.FQDN, data: ascii('a.example') });
  const idR = build.id({ idType: IdType.FQDN, data: ascii('b.example') });
  const hash = (n: number) => build.hash(new Uint8Array(hashSpec(o.hash).outputLength).fill(n));
  const mm = ExchangeType.IDENTITY_PROTECTION;
  const ag = ExchangeType.AGGRESSIVE;
  if (!o.aggressive) {
    plain('MM1', 'i', mm, [phase1Sa(o), build.vendorId(hex('afcad71368a1f1c96b8696fc77570100'))], zero);
    plain('MM2', 'r', mm, [phase1Sa(o)]);
    plain('MM3', 'i', mm, [build.ke(a.publicKey), build.nonce(ni)]);
    plain('MM4', 'r', mm, [build.ke(b.publicKey), build.nonce(nr)]);
    for (const s of [initiator, responder]) for (const w of wire) s.push(w.bytes);
    sealed('MM5', 'i', mm, 0, [idI, hash(1)]);
    sealed('MM6', 'r', mm, 0, [idR, hash(2)]);
  } else {
    plain('AG1', 'i', ag, [phase1Sa(o), build.ke(a.publicKey), build.nonce(ni), idI], zero);
    plain('AG2', 'r', ag, [phase1Sa(o), build.ke(b.publicKey), build.nonce(nr), idR, hash(2)]);
    for (const s of [initiator, responder]) for (const w of wire) s.push(w.bytes);
    if (o.encryptThird) sealed('AG3', 'i', ag, 0, [hash(1)]);
    else plain('AG3', 'i', ag, [hash(1)]);
  }
  const qmId = 0x5eed1234;
  const espSa = build.sa({
    proposals: [
      build.proposal({
        protocolId: ProtocolId.IPSEC_ESP,
        spi: hex('c0ffee01'),
        transforms: [build.transform({ id: 12, attributes: [build.attr.tv(6, 128), build.attr.tv(5, 2)] })],
      }),
    ],
  });
  const tsI = build.id({ idType: IdType.IPV4_ADDR, value: { address: '10.1.0.1' } });
  sealed('QM1', 'i', ExchangeType.QUICK_MODE, qmId, [hash(3), espSa, build.nonce(ni), tsI, tsI]);
  sealed('QM2', 'r', ExchangeType.QUICK_MODE, qmId, [hash(4), espSa, build.nonce(nr), tsI, tsI]);
  sealed('QM3', 'i', ExchangeType.QUICK_MODE, qmId, [hash(5)]);
  const infoId = 0x0badcafe;
  const del = build.delete({ protocolId: ProtocolId.IPSEC_ESP, spis: [hex('c0ffee01')] });
  sealed('INFO', 'i', ExchangeType.INFORMATIONAL, infoId, [hash(6), del]);
  return { wire, keys, gxi: a.publicKey, gxr: b.publicKey, initiatorCookie: ci, responderCookie: cr, qmId, infoId };
}
