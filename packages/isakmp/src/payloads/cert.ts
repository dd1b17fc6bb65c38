import type { BodyCodec, Framed } from '../codec';
import { PayloadType } from '../registry';

/** Certificate payload (6): encoding (RFC 2408 3.9 table) and the certificate bytes. */
export interface CertPayload extends Framed {
  /** Payload type number. */
  type: typeof PayloadType.CERT;
  /** Certificate encoding (`CertificateEncoding`). */
  encoding: number;
  /** The certificate data. */
  data: Uint8Array;
}

/** Certificate request payload (7): the certificate type wanted and an optional authority (e.g. a DER DN). */
export interface CrPayload extends Framed {
  /** Payload type number. */
  type: typeof PayloadType.CR;
  /** Requested certificate type (`CertificateEncoding`). */
  certType: number;
  /** Certificate authority (usually a DER distinguished name); may be empty. */
  authority: Uint8Array;
}

/**
 * Certificate payload (RFC 2408 3.9):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Cert Encoding !                                               !
 * +-+-+-+-+-+-+-+-+                                               !
 * ~                       Certificate Data                        ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
export const certBody: BodyCodec<CertPayload> = {
  name: 'CERT payload',
  min: 1,
  decode: (r) => ({ type: PayloadType.CERT, encoding: r.u8(), data: r.rest() }),
  encode(w, p) {
    w.u8(p.encoding);
    w.raw(p.data);
  },
  length: (p) => 1 + p.data.length,
};

/**
 * Certificate request payload (RFC 2408 3.10):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !  Cert. Type   !                                               !
 * +-+-+-+-+-+-+-+-+                                               !
 * ~                    Certificate Authority                      ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
export const crBody: BodyCodec<CrPayload> = {
  name: 'CR payload',
  min: 1,
  decode: (r) => ({ type: PayloadType.CR, certType: r.u8(), authority: r.rest() }),
  encode(w, p) {
    w.u8(p.certType);
    w.raw(p.authority);
  },
  length: (p) => 1 + p.authority.length,
};
