import { attributeList, type DataAttribute } from '../attributes';
import type { BodyCodec, Framed } from '../codec';
import { DecodeError } from '../errors';
import { Reader } from '../reader';
import { NotifyType, PayloadType } from '../registry';

/** IPsec DOI RESPONDER-LIFETIME (RFC 2407 4.6.3.1): its data is a list of SA life attributes. */
const RESPONDER_LIFETIME = NotifyType.RESPONDER_LIFETIME;

/** Notification payload (11). `data` is the truth; `attributes` a view of it for RESPONDER-LIFETIME. */
export interface NotificationPayload extends Framed {
  /** Payload type number. */
  type: typeof PayloadType.NOTIFICATION;
  /** Domain of interpretation (`Doi`). */
  doi: number;
  /** Protocol of the SA concerned (`ProtocolId`). */
  protocolId: number;
  /** Notify message type (`NotifyType`). */
  messageType: number;
  /** SPI of the SA concerned; may be empty. */
  spi: Uint8Array;
  /** Notification data as found. */
  data: Uint8Array;
  /** RESPONDER-LIFETIME data read as IPsec SA attributes, when it parses to the last byte. */
  attributes?: DataAttribute[];
}

/** Parses notification data as attributes for the message types that carry them; undefined otherwise. */
export function notificationAttributes(messageType: number, data: Uint8Array): DataAttribute[] | undefined {
  if (messageType !== RESPONDER_LIFETIME) return undefined;
  const r = new Reader(data, 0, data.length, { warnings: [], budget: 0 }, 'BAD_LENGTH');
  try {
    const list = attributeList.decode(r);
    return r.remaining === 0 ? list : undefined;
  } catch (e) {
    if (e instanceof DecodeError) return undefined;
    throw e;
  }
}

/**
 * Notification payload (RFC 2408 3.14):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !              Domain of Interpretation  (DOI)                  !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !  Protocol-ID  !   SPI Size    !      Notify Message Type      !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                Security Parameter Index (SPI)                 ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                       Notification Data                       ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
export const notificationBody: BodyCodec<NotificationPayload> = {
  name: 'notification payload',
  min: 8,
  decode(r) {
    const doi = r.u32();
    const protocolId = r.u8();
    const spiSize = r.u8();
    const messageType = r.u16();
    const spi = r.take(spiSize, 'SPI');
    const at = r.pos;
    const data = r.rest();
    const p: NotificationPayload = { type: PayloadType.NOTIFICATION, doi, protocolId, messageType, spi, data };
    const attributes = notificationAttributes(messageType, data);
    if (attributes) p.attributes = attributes;
    else if (messageType === RESPONDER_LIFETIME)
      r.warn('BAD_NOTIFY_DATA', at, 'RESPONDER-LIFETIME data is not a list of attributes');
    return p;
  },
  encode(w, p) {
    w.u32(p.doi);
    w.u8(p.protocolId);
    w.u8(p.spi.length, 'notification SPI size');
    w.u16(p.messageType, 'notify message type');
    w.raw(p.spi);
    w.raw(p.data);
  },
  length: (p) => 8 + p.spi.length + p.data.length,
};
