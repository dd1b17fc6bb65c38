/**
 * Name tables between ISAKMP numbers and the words the clients print. The numbers, and the notify names the clients
 * print as the RFCs spell them, come from `@oaklog/common`'s registries (the codec's too, bundled into this package so
 * the grammar stays dependency-free); the abbreviations and the clients' own spellings are here. Each table is an
 * `as const` word→number map with one derived number→word lookup.
 */
import {
  DpdNotify,
  ExchangeType,
  invert,
  isErrorNotify,
  NOTIFY_STATUS_BASE,
  NotifyError,
  NotifyStatus,
  NotifyType,
  PayloadType,
} from '@oaklog/common';

export { isErrorNotify, NOTIFY_STATUS_BASE };

/** Exchange abbreviations after `ISAKMP OAK` (RFC 2408 4.1, RFC 2409 5 and 9.1; `TRANS` is the config-mode exchange). */
export const Exchange = {
  BASE: ExchangeType.BASE,
  MM: ExchangeType.IDENTITY_PROTECTION,
  AUTH: ExchangeType.AUTHENTICATION_ONLY,
  AG: ExchangeType.AGGRESSIVE,
  INFO: ExchangeType.INFORMATIONAL,
  TRANS: ExchangeType.TRANSACTION,
  QM: ExchangeType.QUICK_MODE,
  NGM: ExchangeType.NEW_GROUP_MODE,
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
  SA: PayloadType.SA,
  P: PayloadType.PROPOSAL,
  T: PayloadType.TRANSFORM,
  KE: PayloadType.KE,
  ID: PayloadType.ID,
  CERT: PayloadType.CERT,
  CERT_REQ: PayloadType.CR,
  HASH: PayloadType.HASH,
  SIG: PayloadType.SIG,
  NON: PayloadType.NONCE,
  NOTIFY: PayloadType.NOTIFICATION,
  DEL: PayloadType.DELETE,
  VID: PayloadType.VENDOR_ID,
  ATTR: PayloadType.ATTRIBUTES,
  'NAT-D': PayloadType.NAT_D,
  'NAT-OA': PayloadType.NAT_OA,
  FRAG: PayloadType.FRAGMENT,
  NATD: PayloadType.NAT_D,
  'NAT-OA-DRAFT': PayloadType.NAT_OA_DRAFT,
  'NAT-D-DRAFT': PayloadType.NAT_D_DRAFT,
  CR: PayloadType.CR,
  NONCE: PayloadType.NONCE,
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
 * Notify message types in the SafeNet client's style. The client prints the RFC 2408 3.14.1 errors 1–30 as the RFC
 * names them (underscores for its hyphens) and the Cisco Unity statuses the 3.x–5.x client knows by their registry
 * names; its own spellings of the standard statuses come first, so they are the canonical names, and the registry
 * names of those statuses read as aliases.
 */
export const Notify = {
  ...NotifyError,
  NOTIFY_CONNECTED: NotifyStatus.CONNECTED,
  STATUS_RESP_LIFETIME: NotifyStatus.RESPONDER_LIFETIME,
  STATUS_REPLAY_STATUS: NotifyStatus.REPLAY_STATUS,
  STATUS_INITIAL_CONTACT: NotifyStatus.INITIAL_CONTACT,
  DPD_R_U_THERE: DpdNotify.R_U_THERE,
  DPD_R_U_THERE_ACK: DpdNotify.R_U_THERE_ACK,
  UNITY_LOAD_BALANCE: NotifyType.UNITY_LOAD_BALANCE,
  UNITY_GROUP_HASH: NotifyType.UNITY_GROUP_HASH,
  ...NotifyStatus,
  ...DpdNotify,
  DPD_REQUEST: DpdNotify.R_U_THERE,
  DPD_ACK: DpdNotify.R_U_THERE_ACK,
  /** SonicWALL's spelling (`Received notify: INVALID_ID_INFO`). */
  INVALID_ID_INFO: NotifyError.INVALID_ID_INFORMATION,
} as const;
/** A notify name in the table (canonical or alias). */
export type NotifyName = keyof typeof Notify;
const notifyByNumber = invert(Notify);

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
  // Most names are printed as the table spells them: found without building the normalised key.
  if (Object.hasOwn(Notify, name)) return Notify[name as NotifyName];
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
