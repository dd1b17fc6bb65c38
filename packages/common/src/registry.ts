/**
 * The ISAKMP registries both the codec (`@oaklog/isakmp`) and the log grammar (`@oaklog/viewlog`) speak: payload,
 * exchange and notify numbers with their registry names. They live here, not in the codec, so the grammar can use them
 * and still not depend on the codec. Each registry is an `as const` name→number map with one derived number→name
 * lookup. Never a switch.
 */

/** Builds the number→name lookup of an `as const` name→number map; the first name of a number wins. */
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
/** A `PayloadType` value. */
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
/** A `ExchangeType` value. */
export type ExchangeType = (typeof ExchangeType)[keyof typeof ExchangeType];
/** Exchange type number → registry name. */
export const exchangeTypeName = invert(ExchangeType);

/** The notify errors RFC 2408 3.14.1 defines (1–30); the View Log clients print these names as they are. */
export const NotifyError = {
  INVALID_PAYLOAD_TYPE: 1,
  DOI_NOT_SUPPORTED: 2,
  SITUATION_NOT_SUPPORTED: 3,
  INVALID_COOKIE: 4,
  INVALID_MAJOR_VERSION: 5,
  INVALID_MINOR_VERSION: 6,
  INVALID_EXCHANGE_TYPE: 7,
  INVALID_FLAGS: 8,
  INVALID_MESSAGE_ID: 9,
  INVALID_PROTOCOL_ID: 10,
  INVALID_SPI: 11,
  INVALID_TRANSFORM_ID: 12,
  ATTRIBUTES_NOT_SUPPORTED: 13,
  NO_PROPOSAL_CHOSEN: 14,
  BAD_PROPOSAL_SYNTAX: 15,
  PAYLOAD_MALFORMED: 16,
  INVALID_KEY_INFORMATION: 17,
  INVALID_ID_INFORMATION: 18,
  INVALID_CERT_ENCODING: 19,
  INVALID_CERTIFICATE: 20,
  CERT_TYPE_UNSUPPORTED: 21,
  INVALID_CERT_AUTHORITY: 22,
  INVALID_HASH_INFORMATION: 23,
  AUTHENTICATION_FAILED: 24,
  INVALID_SIGNATURE: 25,
  ADDRESS_NOTIFICATION: 26,
  NOTIFY_SA_LIFETIME: 27,
  CERTIFICATE_UNAVAILABLE: 28,
  UNSUPPORTED_EXCHANGE_TYPE: 29,
  UNEQUAL_PAYLOAD_LENGTHS: 30,
} as const;

/** The standard notify statuses: RFC 2408 3.14.1 CONNECTED and the RFC 2407 4.6.3 IPsec DOI statuses. */
export const NotifyStatus = {
  CONNECTED: 16384,
  RESPONDER_LIFETIME: 24576,
  REPLAY_STATUS: 24577,
  INITIAL_CONTACT: 24578,
} as const;

/** The dead-peer detection notifies (RFC 3706 5, from the private-use status range). */
export const DpdNotify = {
  R_U_THERE: 36136,
  R_U_THERE_ACK: 36137,
} as const;

/**
 * Notify message types: RFC 2408 3.14.1 errors and status, RFC 2407 4.6.3 IPsec DOI status, RFC 3706 DPD, and the
 * Cisco (30000–30002, 32768/32769, 40501–40503) and Juniper NetScreen (40001) values libreswan and Wireshark know.
 */
export const NotifyType = {
  ...NotifyError,
  ...NotifyStatus,
  CISCO_HELLO: 30000,
  CISCO_WWTEBR: 30001,
  CISCO_SHUT_UP: 30002,
  IOS_KEEP_ALIVE_REQ: 32768,
  IOS_KEEP_ALIVE_ACK: 32769,
  ...DpdNotify,
  NETSCREEN_NHTB_INFORM: 40001,
  UNITY_LOAD_BALANCE: 40501,
  UNITY_UNKNOWN: 40502,
  UNITY_GROUP_HASH: 40503,
} as const;
/** A `NotifyType` value. */
export type NotifyType = (typeof NotifyType)[keyof typeof NotifyType];
/** Notify message type number → name. */
export const notifyTypeName = invert(NotifyType);

/** The first notify status (RFC 2408 3.14.1): 1–8191 are errors, 8192–16383 private-use errors, from here on status. */
export const NOTIFY_STATUS_BASE = 16384;

/** Whether a notify message type is an error (1–16383, RFC 2408 3.14.1) rather than a status (16384–65535). */
export function isErrorNotify(type: number): boolean {
  return type >= 1 && type < NOTIFY_STATUS_BASE;
}

/** Classifies a notify message type by RFC 2408 3.14.1 ranges; undefined for 0 and out-of-range values. */
export function notifyKind(type: number): 'error' | 'status' | undefined {
  if (isErrorNotify(type)) return 'error';
  return type >= NOTIFY_STATUS_BASE && type <= 0xffff ? 'status' : undefined;
}
