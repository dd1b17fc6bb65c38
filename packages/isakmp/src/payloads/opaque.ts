import type { BodyCodec, Framed } from '../codec';
import { PayloadType } from '../registry';

/** A payload whose body is one opaque value (KE, HASH, SIG, NONCE, vendor ID, NAT-D, GDOI payloads). */
export interface OpaquePayload<T extends number> extends Framed {
  /** Payload type number. */
  type: T;
  /** The body as found. */
  data: Uint8Array;
}

/** Key Exchange payload (4): the public Diffie-Hellman value. */
export type KePayload = OpaquePayload<typeof PayloadType.KE>;
/** Hash payload (8). */
export type HashPayload = OpaquePayload<typeof PayloadType.HASH>;
/** Signature payload (9). */
export type SigPayload = OpaquePayload<typeof PayloadType.SIG>;
/** Nonce payload (10). */
export type NoncePayload = OpaquePayload<typeof PayloadType.NONCE>;
/** Vendor ID payload (13): usually an MD5 of a product or feature string. */
export type VendorIdPayload = OpaquePayload<typeof PayloadType.VENDOR_ID>;
/** NAT discovery payload: RFC 3947 (20) or the draft number (130); the data is a hash of address and port. */
export type NatDPayload = OpaquePayload<typeof PayloadType.NAT_D | typeof PayloadType.NAT_D_DRAFT>;
/** GDOI payloads kept opaque (RFC 3547/6407): SA KEK (15), SA TEK (16), key download (17), POP (19), GAP (22). */
export type GdoiPayload = OpaquePayload<
  | typeof PayloadType.SAK
  | typeof PayloadType.SAT
  | typeof PayloadType.KD
  | typeof PayloadType.POP
  | typeof PayloadType.GAP
>;

/** GDOI sequence number payload (18, RFC 3547 5.7): `sequence` is set when the data is the 4-byte number. */
export interface SeqPayload extends OpaquePayload<typeof PayloadType.SEQ> {
  /** The sequence number, when the data is 4 bytes. */
  sequence?: number;
}

/** A payload type with no codec: the body kept as found. */
export interface UnknownPayload extends Framed {
  /** Payload type number. */
  type: number;
  /** The body as found. */
  raw: Uint8Array;
}

/**
 * Generic opaque payload (KE 3.7, HASH 3.11, SIG 3.12, NONCE 3.13, VID 3.16 of RFC 2408; NAT-D RFC 3947 3.2):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                              Data                             ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
export function opaqueBody<T extends number>(type: T, name: string): BodyCodec<OpaquePayload<T>> {
  return {
    name,
    min: 0,
    decode: (r) => ({ type, data: r.rest() }),
    encode: (w, p) => w.raw(p.data),
    length: (p) => p.data.length,
  };
}

/** Sequence number payload (RFC 3547 5.7): a 4-byte number, anything else stays opaque. */
export const seqBody: BodyCodec<SeqPayload> = {
  name: 'SEQ payload',
  min: 0,
  decode(r) {
    const start = r.mark();
    const sequence = r.remaining === 4 ? r.u32('sequence number') : undefined;
    r.restore(start);
    const p: SeqPayload = { type: PayloadType.SEQ, data: r.rest() };
    if (sequence !== undefined) p.sequence = sequence;
    return p;
  },
  encode: (w, p) => w.raw(p.data),
  length: (p) => p.data.length,
};

/** Body of a payload of type `type` with no codec (the type comes from the previous next-payload byte). */
export function unknownBody(type: number): BodyCodec<UnknownPayload> {
  return {
    name: `payload ${type}`,
    min: 0,
    decode: (r) => ({ type, raw: r.rest() }),
    encode: (w, p) => w.raw(p.raw),
    length: (p) => p.raw.length,
  };
}
