/**
 * IANA "Magic Numbers for ISAKMP Protocol" and "IKE Attributes" registries, plus the private numbers real peers send.
 * Each registry is an `as const` name→number map with one derived number→name lookup. Never a switch.
 *
 * (Skeleton: the complete tables land with the registry work; these names and values are fixed.)
 */

/** Builds the number→name lookup of an `as const` name→number map. */
export function invert<const T extends Record<string, number>>(table: T): ReadonlyMap<number, keyof T & string> {
  const reverse = new Map<number, keyof T & string>();
  for (const [name, value] of Object.entries(table))
    if (!reverse.has(value)) reverse.set(value, name as keyof T & string);
  return reverse;
}

/** ISAKMP next-payload values (RFC 2408 3.1, RFC 3547, RFC 3947, draft NAT-T, Cisco/strongSwan fragmentation). */
export const PayloadType = {
  NONE: 0,
  SA: 1,
  PROPOSAL: 2,
  TRANSFORM: 3,
  KE: 4,
  ID: 5,
  CERT: 6,
  CR: 7,
  HASH: 8,
  SIG: 9,
  NONCE: 10,
  NOTIFICATION: 11,
  DELETE: 12,
  VENDOR_ID: 13,
  ATTRIBUTES: 14,
  SAK: 15,
  SAT: 16,
  KD: 17,
  SEQ: 18,
  POP: 19,
  NAT_D: 20,
  NAT_OA: 21,
  GAP: 22,
  NAT_D_DRAFT: 130,
  NAT_OA_DRAFT: 131,
  FRAGMENT: 132,
} as const;
export type PayloadType = (typeof PayloadType)[keyof typeof PayloadType];
/** Payload type number → registry name. */
export const payloadTypeName = invert(PayloadType);

/** ISAKMP exchange types (RFC 2408 4.1, RFC 2409, RFC 3547). */
export const ExchangeType = {
  NONE: 0,
  BASE: 1,
  IDENTITY_PROTECTION: 2,
  AUTHENTICATION_ONLY: 3,
  AGGRESSIVE: 4,
  INFORMATIONAL: 5,
  TRANSACTION: 6,
  QUICK_MODE: 32,
  NEW_GROUP_MODE: 33,
} as const;
export type ExchangeType = (typeof ExchangeType)[keyof typeof ExchangeType];
/** Exchange type number → registry name. */
export const exchangeTypeName = invert(ExchangeType);

/** Protocol identifiers (RFC 2407 4.4.1). */
export const ProtocolId = { RESERVED: 0, ISAKMP: 1, IPSEC_AH: 2, IPSEC_ESP: 3, IPCOMP: 4 } as const;
export type ProtocolId = (typeof ProtocolId)[keyof typeof ProtocolId];
/** Protocol id number → registry name. */
export const protocolIdName = invert(ProtocolId);

/** Identification types (RFC 2407 4.6.2.1). */
export const IdType = {
  RESERVED: 0,
  IPV4_ADDR: 1,
  FQDN: 2,
  USER_FQDN: 3,
  IPV4_ADDR_SUBNET: 4,
  IPV6_ADDR: 5,
  IPV6_ADDR_SUBNET: 6,
  IPV4_ADDR_RANGE: 7,
  IPV6_ADDR_RANGE: 8,
  DER_ASN1_DN: 9,
  DER_ASN1_GN: 10,
  KEY_ID: 11,
  LIST: 12,
} as const;
export type IdType = (typeof IdType)[keyof typeof IdType];
/** ID type number → registry name. */
export const idTypeName = invert(IdType);
