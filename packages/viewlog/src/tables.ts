/**
 * Name tables between ISAKMP numbers and the words the clients print. They live here (not in the codec package) so the
 * grammar stays dependency-free. Each table is an `as const` word→number map with one derived number→word lookup.
 */

function invert<const T extends Record<string, number>>(table: T): ReadonlyMap<number, keyof T & string> {
  const reverse = new Map<number, keyof T & string>();
  for (const [name, value] of Object.entries(table))
    if (!reverse.has(value)) reverse.set(value, name as keyof T & string);
  return reverse;
}

/** Exchange abbreviations after `ISAKMP OAK` (RFC 2408 4.1, RFC 2409 5 and 9.1; `TRANS` is the config-mode exchange). */
export const Exchange = {
  BASE: 1,
  MM: 2,
  AUTH: 3,
  AG: 4,
  INFO: 5,
  TRANS: 6,
  QM: 32,
  NGM: 33,
} as const;
/** An exchange abbreviation the clients print. */
export type ExchangeName = keyof typeof Exchange;
const exchangeByNumber = invert(Exchange);

/** Exchange number → client abbreviation (`2` → `MM`); undefined for numbers no client prints. */
export function exchangeName(value: number): ExchangeName | undefined {
  return exchangeByNumber.get(value);
}

/**
 * oaklog's word for a payload or exchange number no client printed: `PAYLOAD_<n>`, `EXCHANGE_<n>` (decimal without
 * leading zeros, 0–255: the one-byte field's range). The grammar reads them back as those numbers, without a warning.
 */
const NUMBERED = /^(PAYLOAD|EXCHANGE)_(0|[1-9][0-9]{0,2})$/;

function numbered(word: string, kind: 'PAYLOAD' | 'EXCHANGE'): number | undefined {
  const m = NUMBERED.exec(word);
  if (m === null || m[1] !== kind) return undefined;
  const n = Number(m[2]);
  return n <= 255 ? n : undefined;
}

/** Client exchange abbreviation, or `EXCHANGE_<n>`, → ISAKMP exchange number (`QM` → 32, `EXCHANGE_77` → 77). */
export function exchangeNumber(name: string): number | undefined {
  return Object.hasOwn(Exchange, name) ? Exchange[name as ExchangeName] : numbered(name, 'EXCHANGE');
}

/** The word after `ISAKMP OAK` for an exchange number: the client's abbreviation, else `EXCHANGE_<n>`. */
export function exchangeWord(value: number): string {
  return exchangeName(value) ?? `EXCHANGE_${value}`;
}

/**
 * Payload abbreviations in the parenthesised list (RFC 2408 3.1, RFC 3947 for NAT-D/NAT-OA, the NAT-T drafts' private
 * numbers, Cisco fragmentation). The first spelling of a number is the canonical one; `NATD` and `NAT-D-DRAFT` style aliases
 * map back to the same numbers.
 */
export const Payload = {
  SA: 1,
  P: 2,
  T: 3,
  KE: 4,
  ID: 5,
  CERT: 6,
  CERT_REQ: 7,
  HASH: 8,
  SIG: 9,
  NON: 10,
  NOTIFY: 11,
  DEL: 12,
  VID: 13,
  ATTR: 14,
  'NAT-D': 20,
  'NAT-OA': 21,
  FRAG: 132,
  NATD: 20,
  'NAT-OA-DRAFT': 131,
  'NAT-D-DRAFT': 130,
  CR: 7,
  NONCE: 10,
} as const;
/** A payload word the clients print. */
export type PayloadName = keyof typeof Payload;
const payloadByNumber = invert(Payload);

/** Payload number → the client's canonical abbreviation (`10` → `NON`, `20` → `NAT-D`). */
export function payloadName(value: number): PayloadName | undefined {
  return payloadByNumber.get(value);
}

/** Payload abbreviation (any accepted spelling), or `PAYLOAD_<n>`, → ISAKMP payload number (`NATD` → 20). */
export function payloadNumber(name: string): number | undefined {
  return Object.hasOwn(Payload, name) ? Payload[name as PayloadName] : numbered(name, 'PAYLOAD');
}

/** The list word of a payload number: the client's abbreviation (`NON`, `NAT-D`), else `PAYLOAD_<n>`. */
export function payloadWord(value: number): string {
  return payloadName(value) ?? `PAYLOAD_${value}`;
}

/**
 * oaklog's mark that ends the payload list of a message decoded only in part: `MM (SA, VID, UNREADABLE)` lists the
 * payloads that decoded, then says the rest could not be read. No client printed it; the grammar reads it as the
 * item {@link UNREADABLE_ITEM}.
 */
export const UNREADABLE = 'UNREADABLE';
/** The list item of the {@link UNREADABLE} mark, as the grammar reads it. */
export const UNREADABLE_ITEM: Readonly<{ payload: typeof UNREADABLE; unreadable: true }> = Object.freeze({
  payload: UNREADABLE,
  unreadable: true,
});

/**
 * Notify message types in the SafeNet client's style: RFC 2408 3.14.1 errors 1–30 with underscores, the RFC 2408 status
 * CONNECTED as NOTIFY_CONNECTED, the RFC 2407 4.6.3 DOI statuses as STATUS_*, RFC 3706 dead-peer detection, and the
 * Cisco Unity statuses the 3.x–5.x client prints.
 */
export const Notify = {
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
  NOTIFY_CONNECTED: 16384,
  STATUS_RESP_LIFETIME: 24576,
  STATUS_REPLAY_STATUS: 24577,
  STATUS_INITIAL_CONTACT: 24578,
  DPD_R_U_THERE: 36136,
  DPD_R_U_THERE_ACK: 36137,
  UNITY_LOAD_BALANCE: 40501,
  UNITY_GROUP_HASH: 40503,
  CONNECTED: 16384,
  RESPONDER_LIFETIME: 24576,
  REPLAY_STATUS: 24577,
  INITIAL_CONTACT: 24578,
  R_U_THERE: 36136,
  R_U_THERE_ACK: 36137,
  DPD_REQUEST: 36136,
  DPD_ACK: 36137,
  /** SonicWALL's spelling (`Received notify: INVALID_ID_INFO`). */
  INVALID_ID_INFO: 18,
} as const;
/** A notify name in the table (canonical or alias). */
export type NotifyName = keyof typeof Notify;
const notifyByNumber = invert(Notify);

/** Notify numbers below this are errors (RFC 2408 3.14.1); from here on they are status messages. */
export const NOTIFY_STATUS_BASE = 16384;

/**
 * Notify number → client-style name, for every number 0–65535: table names first, otherwise `ERROR_<n>` below 16384
 * and `STATUS_<n>` from 16384, which {@link notifyNumber} reads back.
 */
export function notifyName(value: number): string {
  const known = notifyByNumber.get(value);
  if (known !== undefined) return known;
  // 0 is reserved (RFC 2408 3.14.1), neither an error nor a status.
  if (value === 0) return 'RESERVED';
  return `${value < NOTIFY_STATUS_BASE ? 'ERROR' : 'STATUS'}_${value}`;
}

/**
 * Client-style notify name → number. Hyphens and underscores are interchangeable (`AUTHENTICATION-FAILED` is RFC 2408's
 * spelling), case is ignored, and `ERROR_<n>`/`STATUS_<n>` read back the fallback names of {@link notifyName}.
 */
export function notifyNumber(name: string): number | undefined {
  const key = name.trim().toUpperCase().replace(/-/g, '_');
  if (Object.hasOwn(Notify, key)) return Notify[key as NotifyName];
  // Some clients print the bare number (`NOTIFY:36136`).
  if (/^\d{1,5}$/.test(key)) {
    const n = Number(key);
    return n <= 65535 ? n : undefined;
  }
  if (key === 'RESERVED') return 0;
  const fallback = /^(ERROR|STATUS)_(\d{1,5})$/.exec(key);
  if (fallback === null) return undefined;
  const value = Number(fallback[2]);
  if (value > 65535) return undefined;
  if ((fallback[1] === 'ERROR') !== value < NOTIFY_STATUS_BASE) return undefined;
  return value;
}

/** True for notify numbers that report an error (RFC 2408 3.14.1: 1–16383). */
export function isErrorNotify(value: number): boolean {
  return value > 0 && value < NOTIFY_STATUS_BASE;
}
