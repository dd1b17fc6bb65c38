import type { Codec } from './codec';

/** Header flag bits (RFC 2408 3.1). */
export const HeaderFlag = { ENCRYPTION: 0x01, COMMIT: 0x02, AUTHENTICATION_ONLY: 0x04 } as const;

/** The fixed ISAKMP header, field by field as found (the length too, even when it disagrees with the datagram). */
export interface Header {
  /** 8 bytes. */
  initiatorCookie: Uint8Array;
  /** 8 bytes; all zero in the first message. */
  responderCookie: Uint8Array;
  /** Type of the first payload (also for an encrypted body). */
  nextPayload: number;
  /** High nibble of the version byte. */
  majorVersion: number;
  /** Low nibble of the version byte. */
  minorVersion: number;
  /** Exchange type (`ExchangeType`). */
  exchangeType: number;
  /** Bit set of `HeaderFlag`. */
  flags: number;
  /** Message ID; 0 in phase 1. */
  messageId: number;
  /** Length of the whole message as the header states it. */
  length: number;
}

/** Size of the fixed header. */
export const HEADER_LENGTH = 28;

/**
 * ISAKMP header (RFC 2408 3.1):
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                          Initiator                            !
 * !                            Cookie                             !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                          Responder                            !
 * !                            Cookie                             !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !  Next Payload ! MjVer ! MnVer ! Exchange Type !     Flags     !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                          Message ID                           !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                            Length                             !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
export const headerCodec: Codec<Header> = {
  decode(r) {
    const initiatorCookie = r.take(8, 'initiator cookie');
    const responderCookie = r.take(8, 'responder cookie');
    const nextPayload = r.u8('next payload');
    const version = r.u8('version');
    const exchangeType = r.u8('exchange type');
    const flags = r.u8('flags');
    const messageId = r.u32('message id');
    const length = r.u32('length');
    return {
      initiatorCookie,
      responderCookie,
      nextPayload,
      majorVersion: version >> 4,
      minorVersion: version & 0x0f,
      exchangeType,
      flags,
      messageId,
      length,
    };
  },
  encode(w, h) {
    if (h.initiatorCookie.length !== 8 || h.responderCookie.length !== 8)
      throw new RangeError('cookies are 8 bytes each');
    w.raw(h.initiatorCookie);
    w.raw(h.responderCookie);
    w.u8(h.nextPayload, 'next payload');
    w.u4u4(h.majorVersion, h.minorVersion, 'version');
    w.u8(h.exchangeType, 'exchange type');
    w.u8(h.flags, 'flags');
    w.u32(h.messageId, 'message id');
    w.u32(h.length, 'header length');
  },
  length: () => HEADER_LENGTH,
};
