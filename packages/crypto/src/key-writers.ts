/**
 * Writers for the two key file formats `key-files.ts` reads: our per-IKE-SA JSON and Wireshark's
 * `ikev1_decryption_table`. What they write reads back (`parseKeysJson(formatKeysJson(x)).ikeSas` equals `x`, the
 * table keeps each SA's cookie and keys).
 */
import { toHex } from '@oaklog/common';
import type { IkeSaKeys } from './ike-sa';

/**
 * One IKE SA as the corpus `keys.json` records it: what the daemons logged, per side where the sides can differ.
 * Bytes are bytes; the JSON writes them as lower-case hex.
 */
export interface KeyRecord {
  readonly initiatorCookie: Uint8Array;
  readonly responderCookie?: Uint8Array;
  /** Our cipher name (`3des-cbc`, `aes-cbc-256`, ...), or the daemon's own name when we have none for it. */
  readonly encryption?: string;
  /** Our hash name (`sha1`, `sha2-256`, ...), or the daemon's PRF name lower-cased. */
  readonly hash?: string;
  /** The DH group, e.g. `modp2048`. */
  readonly group?: string;
  /** Ka as each side logged it. */
  readonly encryptionKey: { readonly initiator?: Uint8Array; readonly responder?: Uint8Array };
  readonly skeyid?: Uint8Array;
  readonly skeyidD?: Uint8Array;
  readonly skeyidA?: Uint8Array;
  readonly skeyidE?: Uint8Array;
  readonly initialIv?: Uint8Array;
  /** g^xy. */
  readonly sharedSecret?: Uint8Array;
  /** The pre-shared key(s) of the configuration (not in any log: given by the caller). */
  readonly psk?: string;
  readonly pskResponder?: string;
  /** `<side>.<field>` of the side whose values differ from the one the record speaks for (a PSK mismatch). */
  readonly responderDiffers?: Readonly<Record<string, Uint8Array>>;
  /** Which logs gave this SA: `<log label> (<daemon's IKE SA id>)`. */
  readonly loggedBy?: readonly string[];
}

/** Options of `formatKeysJson`. */
export interface FormatKeysJsonOptions {
  /** The file's `source` line: where the keys came from. */
  readonly source?: string;
}

function isKeyRecord(x: IkeSaKeys | KeyRecord): x is KeyRecord {
  return !('encryptionKeys' in x);
}

/** Side names for the keys of an `IkeSaKeys` (the parser accepts any name; the first two are the usual ones). */
function sideName(i: number): string {
  return i === 0 ? 'initiator' : i === 1 ? 'responder' : `key${i + 1}`;
}

function recordJson(r: KeyRecord): Record<string, unknown> {
  const hex = (b: Uint8Array | undefined) => (b === undefined ? undefined : toHex(b));
  const out: Record<string, unknown> = { initiatorCookie: toHex(r.initiatorCookie) };
  const put = (name: string, value: unknown) => {
    if (value !== undefined) out[name] = value;
  };
  put('responderCookie', hex(r.responderCookie));
  put('encryption', r.encryption);
  put('hash', r.hash);
  put('group', r.group);
  const ka: Record<string, string> = {};
  if (r.encryptionKey.initiator) ka.initiator = toHex(r.encryptionKey.initiator);
  if (r.encryptionKey.responder) ka.responder = toHex(r.encryptionKey.responder);
  out.encryptionKey = ka;
  put('skeyid', hex(r.skeyid));
  put('skeyidD', hex(r.skeyidD));
  put('skeyidA', hex(r.skeyidA));
  put('skeyidE', hex(r.skeyidE));
  put('initialIv', hex(r.initialIv));
  put('sharedSecret', hex(r.sharedSecret));
  put('psk', r.psk);
  put('pskResponder', r.pskResponder);
  if (r.responderDiffers && Object.keys(r.responderDiffers).length > 0)
    out.responderDiffers = Object.fromEntries(Object.entries(r.responderDiffers).map(([k, v]) => [k, toHex(v)]));
  if (r.loggedBy) out.loggedBy = [...r.loggedBy];
  return out;
}

function ikeSaJson(s: IkeSaKeys): Record<string, unknown> {
  const out: Record<string, unknown> = { initiatorCookie: toHex(s.initiatorCookie) };
  if (s.responderCookie) out.responderCookie = toHex(s.responderCookie);
  if (s.cipher) out.encryption = s.cipher;
  if (s.hash) out.hash = s.hash;
  out.encryptionKey = Object.fromEntries(s.encryptionKeys.map((k, i) => [sideName(i), toHex(k)]));
  const auth = s.authenticationKeys ?? [];
  if (auth.some((a) => a !== undefined))
    out.authenticationKey = Object.fromEntries(
      auth.flatMap((a, i) => (a === undefined || i >= s.encryptionKeys.length ? [] : [[sideName(i), toHex(a)]])),
    );
  if (s.initialIv) out.initialIv = toHex(s.initialIv);
  if (s.gxi) out.gxi = toHex(s.gxi);
  if (s.gxr) out.gxr = toHex(s.gxr);
  return out;
}

/**
 * Our key JSON (`{ "source"?, "ikeSas": [...] }`, two-space indented, newline-terminated) for decryption keys
 * (`IkeSaKeys`, as the parsers return them) or for logged records (`KeyRecord`, as `combineKeyLogs` returns them).
 */
export function formatKeysJson(
  ikeSas: readonly (IkeSaKeys | KeyRecord)[],
  options: FormatKeysJsonOptions = {},
): string {
  const file = {
    ...(options.source === undefined ? {} : { source: options.source }),
    ikeSas: ikeSas.map((x) => (isKeyRecord(x) ? recordJson(x) : ikeSaJson(x))),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** The decryption keys of a record, initiator's Ka first, each distinct key once. */
export function keyRecordToIkeSaKeys(r: KeyRecord): IkeSaKeys {
  const keys: Uint8Array[] = [];
  for (const k of [r.encryptionKey.initiator, r.encryptionKey.responder])
    if (k && !keys.some((e) => toHex(e) === toHex(k))) keys.push(k);
  return {
    initiatorCookie: r.initiatorCookie,
    ...(r.responderCookie ? { responderCookie: r.responderCookie } : {}),
    encryptionKeys: keys,
    ...(r.initialIv ? { initialIv: r.initialIv } : {}),
  };
}

/**
 * Wireshark's `ikev1_decryption_table`: one `<initiator cookie>,<Ka>` line per key, unquoted lower-case hex as
 * Wireshark's own `uat.c` writes it. An SA with several keys (the two peers disagree) gives one line per key, the
 * initiator's first; Wireshark uses one of them, `parseWiresharkKeyTable` all.
 */
export function formatWiresharkKeyTable(ikeSas: readonly (IkeSaKeys | KeyRecord)[]): string {
  let out = '';
  for (const x of ikeSas) {
    const s = isKeyRecord(x) ? keyRecordToIkeSaKeys(x) : x;
    for (const k of s.encryptionKeys) out += `${toHex(s.initiatorCookie)},${toHex(k)}\n`;
  }
  return out;
}
