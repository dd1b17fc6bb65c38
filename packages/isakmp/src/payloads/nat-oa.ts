import { formatIpv4, formatIpv6 } from '../address';
import type { BodyCodec, Framed } from '../codec';
import { IdType, type PayloadType } from '../registry';

/** NAT original address payload: RFC 3947 (21) or the draft number (131). `data` is the truth, `address` its text. */
export interface NatOaPayload extends Framed {
  /** Payload type number: RFC 3947 (21) or draft (131). */
  type: typeof PayloadType.NAT_OA | typeof PayloadType.NAT_OA_DRAFT;
  /** ID_IPV4_ADDR (1) or ID_IPV6_ADDR (5). */
  idType: number;
  /** The address bytes as found. */
  data: Uint8Array;
  /** Text of the address when `idType` and the data length agree. */
  address?: string;
  /** The three RESERVED bytes after the ID type, when not zero. */
  reserved3?: number;
}

/** Text of a NAT-OA address, or undefined when type and length disagree. */
export function natOaAddress(idType: number, data: Uint8Array): string | undefined {
  if (idType === IdType.IPV4_ADDR && data.length === 4) return formatIpv4(data);
  if (idType === IdType.IPV6_ADDR && data.length === 16) return formatIpv6(data);
  return undefined;
}

/**
 * NAT original address payload (RFC 3947 5.2):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !        Payload length         !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !    ID Type    !   RESERVED    !            RESERVED           !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~           IPv4 (4 octets) or IPv6 address (16 octets)         ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
export function natOaBody(type: NatOaPayload['type'], name: string): BodyCodec<NatOaPayload> {
  return {
    name,
    min: 4,
    decode(r) {
      const idType = r.u8();
      const reserved3 = r.u24();
      const at = r.pos;
      const data = r.rest();
      const p: NatOaPayload = { type, idType, data };
      const address = natOaAddress(idType, data);
      if (address !== undefined) p.address = address;
      else r.warn('ID_DATA_LENGTH', at, `NAT-OA ID type ${idType} with ${data.length} bytes of address`);
      if (reserved3) p.reserved3 = reserved3;
      return p;
    },
    encode(w, p) {
      w.u8(p.idType);
      w.u24(p.reserved3 ?? 0);
      w.raw(p.data);
    },
    length: (p) => 4 + p.data.length,
  };
}
