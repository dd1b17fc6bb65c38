import { concatBytes } from '@oaklog/common';
import { parseIpv4, parseIpv6 } from './address';
import { attributeList, type DataAttribute, numberAttribute, tlvAttribute, tvAttribute } from './attributes';
import { HeaderFlag } from './header';
import { encodingLength, type Message } from './message';
import type { Payload } from './payload';
import type { CertPayload, CrPayload } from './payloads/cert';
import type { AttributesPayload } from './payloads/config';
import type { DeletePayload } from './payloads/delete';
import { type FragmentPayload, LAST_FRAGMENT } from './payloads/fragment';
import { type IdPayload, type IdValue, idData, idValue } from './payloads/id';
import { type NatOaPayload, natOaAddress } from './payloads/nat-oa';
import { type NotificationPayload, notificationAttributes } from './payloads/notification';
import type { OpaquePayload, SeqPayload, UnknownPayload } from './payloads/opaque';
import type { GdoiSa, LabeledDomain, Proposal, SaPayload, Transform } from './payloads/sa';
import { Doi, IdType, IpsecSituation, PayloadType, ProtocolId } from './registry';
import { Writer } from './writer';

const EMPTY = new Uint8Array(0);

/** Fields of a message to build; lengths, next-payload bytes and the encryption flag are filled in. */
export interface MessageInit {
  /** 8 bytes; zeros unless given. */
  initiatorCookie?: Uint8Array;
  /** 8 bytes; zeros unless given. */
  responderCookie?: Uint8Array;
  /** Exchange type (`ExchangeType`). */
  exchangeType: number;
  /** Header flags (`HeaderFlag`); the encryption bit is added for `encrypted`. */
  flags?: number;
  /** Message ID; 0 unless given. */
  messageId?: number;
  /** Major version; 1 unless given. */
  majorVersion?: number;
  /** Minor version; 0 unless given. */
  minorVersion?: number;
  /** The payload chain, in order. */
  payloads?: Payload[];
  /** Ciphertext body: sets the encryption flag; give `nextPayload` too (the type of the first encrypted payload). */
  encrypted?: Uint8Array;
  /** First payload type; derived from `payloads` when not encrypted. */
  nextPayload?: number;
  /** Bytes after the last payload, inside the header length. */
  trailing?: Uint8Array;
}

/** Recomputes the header's next payload (unless encrypted) and length from the message content. */
export function finalize(m: Message): Message {
  const header = {
    ...m.header,
    nextPayload: m.encrypted ? m.header.nextPayload : (m.payloads[0]?.type ?? PayloadType.NONE),
    length: encodingLength(m),
  };
  return { ...m, header };
}

function bytesOf(n: number, init: Uint8Array | undefined): Uint8Array {
  if (init === undefined) return new Uint8Array(n);
  if (init.length !== n) throw new RangeError(`expected ${n} bytes, got ${init.length}`);
  return init;
}

/** Builders for messages and payloads: each returns plain data in the shape `decode` returns. */
export const build = {
  /** A whole message with its header length and next payload computed. */
  message(init: MessageInit): Message {
    const encrypted = init.encrypted;
    const m: Message = {
      header: {
        initiatorCookie: bytesOf(8, init.initiatorCookie),
        responderCookie: bytesOf(8, init.responderCookie),
        nextPayload: init.nextPayload ?? PayloadType.NONE,
        majorVersion: init.majorVersion ?? 1,
        minorVersion: init.minorVersion ?? 0,
        exchangeType: init.exchangeType,
        flags: (init.flags ?? 0) | (encrypted ? HeaderFlag.ENCRYPTION : 0),
        messageId: init.messageId ?? 0,
        length: 0,
      },
      payloads: encrypted ? [] : (init.payloads ?? []),
    };
    if (encrypted) m.encrypted = encrypted;
    if (init.trailing) m.trailing = init.trailing;
    return finalize(m);
  },

  /** SA payload; IPsec DOI and SIT_IDENTITY_ONLY unless given (a GDOI SA: DOI 2, `gdoi`, no proposals). */
  sa(init: {
    proposals: Proposal[];
    doi?: number;
    situation?: number;
    labeledDomain?: LabeledDomain;
    gdoi?: GdoiSa;
  }): SaPayload {
    const p: SaPayload = {
      type: PayloadType.SA,
      doi: init.doi ?? Doi.IPSEC,
      situation: init.situation ?? IpsecSituation.IDENTITY_ONLY,
      proposals: init.proposals,
    };
    if (init.labeledDomain) p.labeledDomain = init.labeledDomain;
    if (init.gdoi) p.gdoi = init.gdoi;
    return p;
  },

  /** Proposal; number 1, protocol ISAKMP, no SPI unless given. */
  proposal(init: { transforms: Transform[]; number?: number; protocolId?: number; spi?: Uint8Array }): Proposal {
    return {
      number: init.number ?? 1,
      protocolId: init.protocolId ?? ProtocolId.ISAKMP,
      spi: init.spi ?? EMPTY,
      transforms: init.transforms,
    };
  },

  /** Transform; `attributes` in the order and form given (see `build.attr`). */
  transform(init: { id: number; number?: number; attributes?: DataAttribute[] }): Transform {
    return { number: init.number ?? 1, id: init.id, attributes: init.attributes ?? [] };
  },

  /** Data attributes: `tv`, `tlv`, or `number` (TV when it fits 16 bits, else TLV in whole 32-bit words). */
  attr: { tv: tvAttribute, tlv: tlvAttribute, number: numberAttribute },

  /** Key exchange payload. */
  ke: (data: Uint8Array): OpaquePayload<typeof PayloadType.KE> => ({ type: PayloadType.KE, data }),
  /** Hash payload. */
  hash: (data: Uint8Array): OpaquePayload<typeof PayloadType.HASH> => ({ type: PayloadType.HASH, data }),
  /** Signature payload. */
  sig: (data: Uint8Array): OpaquePayload<typeof PayloadType.SIG> => ({ type: PayloadType.SIG, data }),
  /** Nonce payload. */
  nonce: (data: Uint8Array): OpaquePayload<typeof PayloadType.NONCE> => ({ type: PayloadType.NONCE, data }),
  /** Vendor ID payload. */
  vendorId: (data: Uint8Array): OpaquePayload<typeof PayloadType.VENDOR_ID> => ({ type: PayloadType.VENDOR_ID, data }),
  /** NAT-D payload, RFC 3947 number unless `draft`. */
  natD: (data: Uint8Array, draft = false): OpaquePayload<20 | 130> => ({
    type: draft ? PayloadType.NAT_D_DRAFT : PayloadType.NAT_D,
    data,
  }),

  /** NAT-OA payload for an IPv4 or IPv6 address in text, RFC 3947 number unless `draft`. */
  natOa(address: string, draft = false): NatOaPayload {
    const v6 = address.includes(':');
    const idType = v6 ? IdType.IPV6_ADDR : IdType.IPV4_ADDR;
    const data = v6 ? parseIpv6(address) : parseIpv4(address);
    return {
      type: draft ? PayloadType.NAT_OA_DRAFT : PayloadType.NAT_OA,
      idType,
      data,
      address: natOaAddress(idType, data)!,
    };
  },

  /** ID payload from a typed `value` (addresses, subnets, ranges, names) or raw `data`. */
  id(init: { idType: number; value?: IdValue; data?: Uint8Array; protocolId?: number; port?: number }): IdPayload {
    const data = init.data ?? (init.value ? idData(init.idType, init.value) : EMPTY);
    const p: IdPayload = {
      type: PayloadType.ID,
      idType: init.idType,
      protocolId: init.protocolId ?? 0,
      port: init.port ?? 0,
      data,
    };
    const value = idValue(init.idType, data);
    if (value) p.value = value;
    return p;
  },

  /** Certificate payload. */
  cert: (encoding: number, data: Uint8Array): CertPayload => ({ type: PayloadType.CERT, encoding, data }),
  /** Certificate request payload. */
  certRequest: (certType: number, authority: Uint8Array = EMPTY): CrPayload => ({
    type: PayloadType.CR,
    certType,
    authority,
  }),

  /** Notification payload; give `data`, or `attributes` (RESPONDER-LIFETIME) to encode as data. */
  notification(init: {
    messageType: number;
    doi?: number;
    protocolId?: number;
    spi?: Uint8Array;
    data?: Uint8Array;
    attributes?: DataAttribute[];
  }): NotificationPayload {
    let data = init.data ?? EMPTY;
    if (!init.data && init.attributes) {
      data = new Uint8Array(attributeList.length(init.attributes));
      attributeList.encode(new Writer(data), init.attributes);
    }
    const p: NotificationPayload = {
      type: PayloadType.NOTIFICATION,
      doi: init.doi ?? Doi.IPSEC,
      protocolId: init.protocolId ?? ProtocolId.ISAKMP,
      messageType: init.messageType,
      spi: init.spi ?? EMPTY,
      data,
    };
    const attributes = notificationAttributes(p.messageType, data);
    if (attributes) p.attributes = attributes;
    return p;
  },

  /** Delete payload for SPIs of one size. */
  delete(init: { protocolId: number; spis: Uint8Array[]; doi?: number; spiSize?: number }): DeletePayload {
    const spiSize = init.spiSize ?? init.spis[0]?.length ?? 0;
    if (init.spis.some((s) => s.length !== spiSize)) throw new RangeError('delete SPIs must all be spiSize bytes');
    return {
      type: PayloadType.DELETE,
      doi: init.doi ?? Doi.IPSEC,
      protocolId: init.protocolId,
      spiSize,
      spis: init.spis,
    };
  },

  /** Attributes payload (mode config / XAUTH). */
  attributes(init: { cfgType: number; identifier?: number; attributes: DataAttribute[] }): AttributesPayload {
    return {
      type: PayloadType.ATTRIBUTES,
      cfgType: init.cfgType,
      identifier: init.identifier ?? 0,
      attributes: init.attributes,
    };
  },

  /** Fragment payload. */
  fragment(init: { fragmentId: number; fragmentNumber: number; last: boolean; data: Uint8Array }): FragmentPayload {
    return {
      type: PayloadType.FRAGMENT,
      fragmentId: init.fragmentId,
      fragmentNumber: init.fragmentNumber,
      flags: init.last ? LAST_FRAGMENT : 0,
      last: init.last,
      data: init.data,
    };
  },

  /** GDOI sequence number payload. */
  seq(sequence: number): SeqPayload {
    const data = new Uint8Array(4);
    new Writer(data).u32(sequence, 'sequence number');
    return { type: PayloadType.SEQ, data, sequence };
  },

  /** A payload of any type kept as raw body bytes. */
  unknown: (type: number, raw: Uint8Array): UnknownPayload => ({ type, raw }),

  /**
   * Splits an encoded message into fragment payloads of at most `size` data bytes each, numbered from 1, each in
   * its own message with the given header fields (the usual IKEv1 fragmentation).
   */
  fragments(whole: Uint8Array, size: number, init: Omit<MessageInit, 'payloads'> & { fragmentId: number }): Message[] {
    if (size < 1) throw new RangeError('fragment size must be at least 1');
    const out: Message[] = [];
    const count = Math.max(1, Math.ceil(whole.length / size));
    for (let i = 0; i < count; i++) {
      const data = whole.subarray(i * size, (i + 1) * size);
      const { fragmentId, ...rest } = init;
      out.push(
        build.message({
          ...rest,
          payloads: [build.fragment({ fragmentId, fragmentNumber: i + 1, last: i === count - 1, data })],
        }),
      );
    }
    return out;
  },

  /** Concatenates byte arrays (handy for hand-built data). */
  concat: concatBytes,
};
