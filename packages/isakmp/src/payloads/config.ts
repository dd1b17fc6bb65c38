import { attributeList, type DataAttribute } from '../attributes';
import type { BodyCodec, Framed } from '../codec';
import { PayloadType } from '../registry';

/** Attributes payload (14): a mode-config or XAUTH message (REQUEST 1, REPLY 2, SET 3, ACK 4) and its attributes. */
export interface AttributesPayload extends Framed {
  /** Payload type number. */
  type: typeof PayloadType.ATTRIBUTES;
  /** ISAKMP_CFG message type. */
  cfgType: number;
  /** Identifier matching a reply to its request. */
  identifier: number;
  /** Configuration attributes (`CfgAttribute`), in wire order and form. */
  attributes: DataAttribute[];
  /** The RESERVED byte after the message type, when not zero. */
  reserved2?: number;
}

/**
 * Attribute payload (draft-ietf-ipsec-isakmp-mode-cfg-05 3.2):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !     Type      !   RESERVED    !           Identifier          !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                           Attributes                          ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
export const attributesBody: BodyCodec<AttributesPayload> = {
  name: 'attributes payload',
  min: 4,
  decode(r) {
    const cfgType = r.u8();
    const reserved2 = r.u8();
    const identifier = r.u16();
    const p: AttributesPayload = {
      type: PayloadType.ATTRIBUTES,
      cfgType,
      identifier,
      attributes: attributeList.decode(r),
    };
    if (reserved2) p.reserved2 = reserved2;
    return p;
  },
  encode(w, p) {
    w.u8(p.cfgType);
    w.u8(p.reserved2 ?? 0);
    w.u16(p.identifier);
    attributeList.encode(w, p.attributes);
  },
  length: (p) => 4 + attributeList.length(p.attributes),
};
