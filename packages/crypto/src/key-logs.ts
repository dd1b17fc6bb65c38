/**
 * Key extraction from IKE daemon logs: strongSwan charon's filelog with `ike = 4` (it hex-dumps SKEYID*, Ka, the
 * initial IV, g^xy and the NAT-D hash input, which begins with both cookies). A total parser: any text, bounded time
 * and memory, never throws; what it cannot use comes back as diagnostics with line and column.
 *
 * charon, per IKE SA (tagged `<name|unique-id>` with `ike_name = yes`, `<unique-id>` before the config is known):
 *
 *     14[IKE] <oak|1> encryption key Ka => 24 bytes @ 0x7f324c001b20
 *     14[IKE] <oak|1>    0: F2 33 E1 2C 8A 42 C4 BB 49 15 A9 82 54 7C 2E 89  .3.,.B..I...T|..
 *     14[IKE] <oak|1>   16: 82 41 F7 B5 03 6D 7E D6                          .A...m~.
 *
 * Cookies come from `natd_chunk` (CKY-I | CKY-R | IP | port, RFC 3947 3.2) or, failing that, from the HASH_I / HASH_R
 * input (g^xi | g^xr | CKY-I | CKY-R | ..., RFC 2409 section 5; HASH_R swaps both pairs).
 */
import { equalBytes, toHex } from '@oaklog/common';
import { type CipherName, isCipherName } from './ciphers';
import { type HashName, isHashName } from './hash';
import { KEY_FILE_LIMITS, type KeyFileDiagnostic, makeDiagnostics } from './key-files';
import type { KeyRecord } from './key-writers';

/** What a key log diagnostic is about. */
export type KeyLogDiagnosticCode =
  /** Nothing in the text looks like a charon log line. */
  | 'NOT_A_KEY_LOG'
  /** A charon log, but without key dumps: it was written without `ike = 4`. */
  | 'NO_KEYS_LOGGED'
  /** A hex dump that ends before the size its header announced (the log was cut, or lines were lost). */
  | 'TRUNCATED_DUMP'
  /** A warning: an IKE SA with keys but no cookies (no NAT-D and no HASH_I/HASH_R input logged). */
  | 'NO_COOKIES'
  /** A warning: an IKE SA with cookies but no Ka (phase 1 did not get that far). */
  | 'NO_ENCRYPTION_KEY'
  /** A warning: the selected IKE proposal names an algorithm we have no name for (kept as the daemon wrote it). */
  | 'UNKNOWN_ALGORITHM'
  /** A warning: lines without an IKE SA tag (`ike_name = yes` makes charon write them); keys grouped by order. */
  | 'UNTAGGED'
  /** The text is longer than `maxBytes`: read up to there. */
  | 'TOO_LARGE'
  /** More IKE SAs than `maxIkeSas`: the rest are not kept. */
  | 'TOO_MANY_IKE_SAS';

/** One key log diagnostic, positioned like the key file ones (1-based line and column, 0-based offset). */
export type KeyLogDiagnostic = Omit<KeyFileDiagnostic, 'code'> & {
  readonly code: KeyLogDiagnosticCode | 'TOO_MANY_ERRORS';
};

/** What extracting keys from a log may cost; past a limit the extractor stops with a diagnostic. */
export interface KeyLogLimits {
  /** Longest text read, in UTF-16 code units. Default 64 MiB. */
  readonly maxBytes?: number;
  /** Most IKE SAs kept. Default 100,000. */
  readonly maxIkeSas?: number;
  /** Errors and warnings listed each before the rest are only counted. Default 10. */
  readonly maxErrors?: number;
}

/** The default `KeyLogLimits`. */
export const KEY_LOG_LIMITS: Required<KeyLogLimits> = {
  maxBytes: KEY_FILE_LIMITS.maxBytes,
  maxIkeSas: 100_000,
  maxErrors: KEY_FILE_LIMITS.maxErrors,
};

/** One IKE SA as one daemon logged it. Every field but `id` and `line` may be missing (a partial SA). */
export interface LoggedIkeSa {
  /** The daemon's id for the SA (charon's unique id, e.g. `"1"`; `"?1"`, `"?2"`... for untagged lines). */
  readonly id: string;
  /** The connection name, when the tag gave one. */
  name?: string;
  /** Which end this daemon was, from its `initiating` line. */
  role?: 'initiator' | 'responder';
  /** 1-based line of the SA's first line with a key or cookie. */
  line: number;
  initiatorCookie?: Uint8Array;
  responderCookie?: Uint8Array;
  /** The selected IKE proposal as charon wrote it, e.g. `3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024`. */
  proposal?: string;
  /** From the proposal: our names where we have them (`aes-cbc-256`, `sha2-256`, `modp2048`). */
  encryption?: CipherName | string;
  hash?: HashName | string;
  group?: string;
  encryptionKey?: Uint8Array;
  skeyid?: Uint8Array;
  skeyidD?: Uint8Array;
  skeyidA?: Uint8Array;
  skeyidE?: Uint8Array;
  initialIv?: Uint8Array;
  sharedSecret?: Uint8Array;
}

/** What a log gave: its IKE SAs in the order they first appear, and what was wrong. */
export interface KeyLogResult {
  /** Which daemon wrote the text (`undefined` when it looked like none). */
  readonly family: 'charon' | undefined;
  readonly ikeSas: LoggedIkeSa[];
  readonly diagnostics: KeyLogDiagnostic[];
}

type Field = 'skeyid' | 'skeyidD' | 'skeyidA' | 'skeyidE' | 'encryptionKey' | 'initialIv' | 'sharedSecret';
type Dumped = Field | 'natdChunk' | 'hashIData' | 'hashRData';

const DUMPS: ReadonlyMap<string, Dumped> = new Map<string, Dumped>([
  ['SKEYID', 'skeyid'],
  ['SKEYID_d', 'skeyidD'],
  ['SKEYID_a', 'skeyidA'],
  ['SKEYID_e', 'skeyidE'],
  ['encryption key Ka', 'encryptionKey'],
  ['initial IV', 'initialIv'],
  ['shared Diffie Hellman secret', 'sharedSecret'],
  ['natd_chunk', 'natdChunk'],
  ['HASH_I data', 'hashIData'],
  ['HASH_R data', 'hashRData'],
]);

/** Largest dump kept: g^xy of MODP-8192 is 1,024 bytes, HASH_I data twice that plus IDs. */
const MAX_DUMP = 16 * 1024;
/** Only this much of a line is matched: charon's lines are short, and a regex must not see a megabyte line. */
const MAX_LINE = 4096;

// `10[IKE] <oak|1> message`, after whatever time and host prefix the log format put first.
const LINE = /(?:^|\s)(\d{1,4})\[([A-Z]{3})\] (?:<([^<>]{0,256})> )?(.*)$/;
const DUMP_HEAD = /^(.{1,64}?) => (\d{1,9}) bytes @ (?:0x[0-9a-fA-F]{1,16}|\(nil\))\s*$/;
const DUMP_ROW = /^\s*(\d{1,9}): ((?:[0-9A-F]{2} ){0,15}[0-9A-F]{2})(?: |$)/;
const PROPOSAL = /selected proposal: IKE:(\S{1,200})/;
const INITIATOR = /^initiating (?:Main|Aggressive) Mode IKE_SA /;
const RESPONDER = / is initiating an? (?:Main|Aggressive) Mode IKE_SA/;

const ENCRYPTION: Readonly<Record<string, string>> = {
  '3DES_CBC': '3des-cbc',
  DES_CBC: 'des-cbc',
  BLOWFISH_CBC: 'blowfish-cbc',
  CAST_CBC: 'cast-cbc',
};
const PRF: Readonly<Record<string, string>> = {
  PRF_HMAC_SHA1: 'sha1',
  PRF_HMAC_MD5: 'md5',
  PRF_HMAC_SHA2_256: 'sha2-256',
  PRF_HMAC_SHA2_384: 'sha2-384',
  PRF_HMAC_SHA2_512: 'sha2-512',
};

/** Our algorithm names for a charon IKE proposal (`AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048`). */
export function charonProposalAlgorithms(proposal: string): {
  encryption: string;
  hash: string;
  group: string;
  known: boolean;
} {
  const parts = proposal.split('/');
  const enc = parts[0] ?? '';
  const aes = /^AES_CBC_(\d+)$/.exec(enc);
  const encryption = aes
    ? `aes-cbc-${aes[1]}`
    : Object.hasOwn(ENCRYPTION, enc)
      ? (ENCRYPTION[enc] ?? '')
      : enc.toLowerCase();
  const prf = parts.find((p) => p.startsWith('PRF_')) ?? '';
  const hash = Object.hasOwn(PRF, prf) ? (PRF[prf] ?? '') : prf.toLowerCase();
  const group = (parts.find((p) => /^(?:MODP|ECP|CURVE)_/.test(p)) ?? '').toLowerCase().replace(/_/g, '');
  return { encryption, hash, group, known: isCipherName(encryption) && isHashName(hash) };
}

interface Pending {
  sa: LoggedIkeSa & Partial<Record<'natdChunk' | 'hashIData' | 'hashRData', Uint8Array>>;
  field: Dumped;
  size: number;
  bytes: Uint8Array;
  filled: number;
  offset: number;
  length: number;
}

type WorkingSa = Pending['sa'];

/**
 * Extracts the IKE SAs of a strongSwan charon log (filelog or syslog lines; `ike = 4` for keys, `ike_name = yes` to
 * tell concurrent SAs apart). Partial SAs are returned too (cookies without Ka, Ka without cookies), each with a
 * warning. Never throws.
 */
export function extractCharonKeys(text: string, limits: KeyLogLimits = {}): KeyLogResult {
  const { maxBytes, maxIkeSas, maxErrors } = { ...KEY_LOG_LIMITS, ...limits };
  const d = makeDiagnostics<KeyLogDiagnosticCode>(text, maxErrors);
  const byId = new Map<string, WorkingSa>();
  const order: WorkingSa[] = [];
  const pending = new Map<string, Pending>();
  let charonLines = 0;
  let dumps = 0;
  let untagged = 0;
  let anonymous: WorkingSa | undefined;
  let anonymousCount = 0;
  /** Where each SA's first line starts, for its diagnostics. */
  const offsets = new Map<WorkingSa, number>();
  let full = false;
  let lineNo = 0;

  const end = Math.min(text.length, maxBytes);
  if (text.length > maxBytes)
    d.add('TOO_LARGE', `log is longer than ${maxBytes} characters (maxBytes): read up to there`, maxBytes, 0);

  const saFor = (id: string, name: string | undefined, line: number, offset: number): WorkingSa | undefined => {
    let sa = byId.get(id);
    if (!sa) {
      if (order.length >= maxIkeSas) {
        if (!full) d.add('TOO_MANY_IKE_SAS', `more than ${maxIkeSas} IKE SAs (maxIkeSas): the rest are not kept`, 0, 0);
        full = true;
        return undefined;
      }
      sa = { id, line };
      offsets.set(sa, offset);
      byId.set(id, sa);
      order.push(sa);
    }
    if (name !== undefined && sa.name === undefined) sa.name = name;
    return sa;
  };

  const finish = (p: Pending) => {
    if (p.filled < p.size) {
      d.add(
        'TRUNCATED_DUMP',
        `dump of ${p.size} bytes ends after ${p.filled}: not used`,
        p.offset,
        p.length,
        'warning',
      );
      return;
    }
    // The first value of each field is kept: a later natd_chunk of the same SA names the same cookies.
    if (p.sa[p.field] === undefined) p.sa[p.field] = p.bytes;
  };

  for (let start = 0; start < end; ) {
    const newline = text.indexOf('\n', start);
    const stop = newline < 0 ? text.length : newline;
    if (stop > end) break;
    const lineStart = start;
    start = stop + 1;
    lineNo += 1;
    const raw = text.slice(lineStart, Math.min(stop, lineStart + MAX_LINE));
    const m = LINE.exec(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
    if (!m) continue;
    charonLines += 1;
    const thread = m[1] ?? '';
    const tag = m[3];
    const msg = m[4] ?? '';
    const bar = tag?.lastIndexOf('|') ?? -1;
    // "<oak|1>" and "<1>" (before the config is known) are the same IKE SA.
    const id = tag === undefined ? undefined : tag.slice(bar + 1);
    const name = tag !== undefined && bar > 0 ? tag.slice(0, bar) : undefined;

    const cur = pending.get(thread);
    if (cur) {
      const row = DUMP_ROW.exec(msg);
      const sameSa = id === undefined ? cur.sa.id.startsWith('?') : cur.sa.id === id;
      if (row && sameSa && Number(row[1]) === cur.filled) {
        const digits = (row[2] ?? '').replace(/ /g, '');
        for (let i = 0; i + 1 < digits.length && cur.filled < cur.size; i += 2)
          cur.bytes[cur.filled++] = Number.parseInt(digits.slice(i, i + 2), 16);
        if (cur.filled >= cur.size) {
          finish(cur);
          pending.delete(thread);
        }
        continue;
      }
      finish(cur);
      pending.delete(thread);
    }

    const head = DUMP_HEAD.exec(msg);
    const field = head ? DUMPS.get(head[1] ?? '') : undefined;
    const proposal = field ? undefined : PROPOSAL.exec(msg);
    const role =
      field || proposal ? undefined : INITIATOR.test(msg) ? 'initiator' : RESPONDER.test(msg) ? 'responder' : undefined;
    if (!field && !proposal && !role) continue;

    let sa: WorkingSa | undefined;
    if (id !== undefined) sa = saFor(id, name, lineNo, lineStart);
    else {
      untagged += 1;
      // Without tags, a key field seen again starts the next IKE SA.
      const again = field !== undefined && field !== 'natdChunk' && anonymous?.[field] !== undefined;
      if (!anonymous || again || role === 'initiator' || role === 'responder')
        anonymous = saFor(`?${++anonymousCount}`, undefined, lineNo, lineStart);
      sa = anonymous;
    }
    if (!sa) continue;
    if (field && head) {
      dumps += 1;
      const size = Number(head[2]);
      if (size > 0 && size <= MAX_DUMP)
        pending.set(thread, {
          sa,
          field,
          size,
          bytes: new Uint8Array(size),
          filled: 0,
          offset: lineStart,
          length: stop - lineStart,
        });
    } else if (proposal && sa.proposal === undefined) {
      sa.proposal = proposal[1] ?? '';
      const alg = charonProposalAlgorithms(sa.proposal);
      sa.encryption = alg.encryption;
      sa.hash = alg.hash;
      sa.group = alg.group;
      if (!alg.known)
        d.add(
          'UNKNOWN_ALGORITHM',
          `IKE proposal ${sa.proposal}: no name for its cipher or PRF here (kept as ${alg.encryption}, ${alg.hash})`,
          lineStart + raw.indexOf('selected proposal'),
          msg.length,
          'warning',
        );
    } else if (role && sa.role === undefined) sa.role = role;
  }
  for (const p of pending.values()) finish(p);

  if (charonLines === 0) d.add('NOT_A_KEY_LOG', 'no charon log line (like "10[IKE] <oak|1> ...") in the text', 0, 0);
  else if (dumps === 0)
    d.add(
      'NO_KEYS_LOGGED',
      'a charon log without key dumps: log with "ike = 4" (and "ike_name = yes") in the filelog section',
      0,
      0,
    );
  if (untagged > 0)
    d.add(
      'UNTAGGED',
      'key lines without an IKE SA tag: grouped in order (set "ike_name = yes" to tell IKE SAs apart)',
      0,
      0,
      'warning',
    );

  const ikeSas: LoggedIkeSa[] = [];
  for (const sa of order) {
    const cookies = cookiesOf(sa);
    const { natdChunk: _n, hashIData: _i, hashRData: _r, ...logged } = sa;
    const out: LoggedIkeSa = { ...logged, ...(cookies ?? {}) };
    if (!cookies && !out.encryptionKey && !out.skeyid && !out.sharedSecret) continue; // only a proposal or a role
    const at = offsets.get(sa) ?? 0;
    if (!cookies && out.encryptionKey)
      d.add(
        'NO_COOKIES',
        `IKE SA ${sa.id}: keys without cookies (no natd_chunk or HASH data logged)`,
        at,
        0,
        'warning',
      );
    if (cookies && !out.encryptionKey)
      d.add(
        'NO_ENCRYPTION_KEY',
        `IKE SA ${sa.id}: cookies without Ka (phase 1 did not get that far)`,
        at,
        0,
        'warning',
      );
    ikeSas.push(out);
  }
  return { family: charonLines > 0 ? 'charon' : undefined, ikeSas, diagnostics: d.done() };
}

function cookiesOf(sa: WorkingSa): { initiatorCookie: Uint8Array; responderCookie: Uint8Array } | undefined {
  const pair = (b: Uint8Array, swap: boolean) =>
    swap
      ? { initiatorCookie: b.slice(8, 16), responderCookie: b.slice(0, 8) }
      : { initiatorCookie: b.slice(0, 8), responderCookie: b.slice(8, 16) };
  if (sa.natdChunk && sa.natdChunk.length >= 16) return pair(sa.natdChunk, false);
  if (!sa.sharedSecret) return undefined;
  // One KE value is as long as the MODP g^xy; an ECP one holds both coordinates of the shared x.
  const ke = sa.sharedSecret.length * (sa.group?.startsWith('ecp') ? 2 : 1);
  const data = sa.hashIData ?? sa.hashRData;
  if (!data || data.length < 2 * ke + 16) return undefined;
  return pair(data.subarray(2 * ke, 2 * ke + 16), data === sa.hashRData && !sa.hashIData);
}

/** One log's IKE SAs with the label that names the log in `loggedBy`. */
export interface LabelledKeyLog {
  readonly label: string;
  readonly ikeSas: readonly LoggedIkeSa[];
}

/** Options of `combineKeyLogs`. */
export interface CombineKeyLogsOptions {
  /**
   * The initiator cookies of a capture, in the order they appear there: only the SAs among them are kept, in that
   * order. Without it, every SA with cookies and Ka, in the order the logs name them.
   */
  readonly captureCookies?: readonly Uint8Array[];
  /** The initiator's pre-shared key, recorded as `psk` (logs never hold it). */
  readonly psk?: string;
  /** The responder's, when it differs. */
  readonly pskResponder?: string;
}

/**
 * Joins the logs of both ends (or of one) into one `KeyRecord` per IKE SA that has cookies and a Ka, paired by
 * initiator cookie. The initiator's log speaks for the SA (the responder's where only it is there); the other side's
 * Ka is kept beside it, and its SKEYID_e and initial IV in `responderDiffers` when they differ.
 */
export function combineKeyLogs(logs: readonly LabelledKeyLog[], options: CombineKeyLogsOptions = {}): KeyRecord[] {
  const byCookie = new Map<string, { rcookie: Uint8Array; sides: Map<string, LoggedIkeSa> }>();
  const firstSeen: string[] = [];
  logs.forEach((log, logIndex) => {
    for (const sa of log.ikeSas) {
      if (!sa.initiatorCookie || !sa.responderCookie || !sa.encryptionKey) continue;
      const id = toHex(sa.initiatorCookie);
      let entry = byCookie.get(id);
      if (!entry) {
        entry = { rcookie: sa.responderCookie, sides: new Map() };
        byCookie.set(id, entry);
        firstSeen.push(id);
      }
      // Keyed by label, so the order of loggedBy is that of the labels; the role is that of the daemon.
      const key = `${log.label}\u0000${logIndex}`;
      if (!entry.sides.has(key)) entry.sides.set(key, sa);
    }
  });
  const wanted = options.captureCookies
    ? [...new Set(options.captureCookies.map((c) => toHex(c)))].filter((c) => byCookie.has(c))
    : firstSeen;
  const records: KeyRecord[] = [];
  for (const icookie of wanted) {
    const entry = byCookie.get(icookie);
    if (!entry) continue;
    const sides = [...entry.sides.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const logged = sides.map(([, sa]) => sa);
    // A side with no initiating line is taken for the initiator if it comes first (the capture tool's order).
    const init = logged.find((s) => s.role === 'initiator') ?? logged.find((s) => s.role === undefined);
    const resp = logged.find((s) => s !== init && s.role !== 'initiator');
    const ref = init ?? resp;
    if (!ref) continue;
    const differs: Record<string, Uint8Array> = {};
    for (const [k, v] of [
      ['initiator', init],
      ['responder', resp],
    ] as const) {
      if (!v || v === ref) continue;
      for (const field of ['skeyidE', 'initialIv'] as const) {
        const value = v[field];
        const mine = ref[field];
        if (value && !(mine && equalBytes(mine, value))) differs[`${k}.${field}`] = value;
      }
    }
    const encryptionKey: { initiator?: Uint8Array; responder?: Uint8Array } = {};
    if (init?.encryptionKey) encryptionKey.initiator = init.encryptionKey;
    if (resp?.encryptionKey) encryptionKey.responder = resp.encryptionKey;
    const label = (key: string) => key.slice(0, key.lastIndexOf('\u0000'));
    records.push({
      initiatorCookie: ref.initiatorCookie ?? new Uint8Array(8),
      responderCookie: entry.rcookie,
      encryption: ref.encryption ?? '',
      hash: ref.hash ?? '',
      group: ref.group ?? '',
      encryptionKey,
      ...pick(ref, ['skeyid', 'skeyidD', 'skeyidA', 'skeyidE', 'initialIv', 'sharedSecret']),
      ...(options.psk === undefined ? {} : { psk: options.psk }),
      ...(options.pskResponder === undefined ? {} : { pskResponder: options.pskResponder }),
      ...(Object.keys(differs).length > 0 ? { responderDiffers: differs } : {}),
      loggedBy: sides.filter(([, sa]) => sa === init || sa === resp).map(([key, sa]) => `${label(key)} (${sa.id})`),
    });
  }
  return records;
}

type Secret = Exclude<Field, 'encryptionKey'>;

function pick(sa: LoggedIkeSa, fields: readonly Secret[]): Partial<Record<Secret, Uint8Array>> {
  const out: Partial<Record<Secret, Uint8Array>> = {};
  for (const f of fields) {
    const v = sa[f];
    if (v) out[f] = v;
  }
  return out;
}

/** The `source` line `oaklog keys` writes into a JSON key file made from charon logs. */
export const CHARON_KEYS_SOURCE =
  "charon (strongSwan) filelog with ike = 4: SKEYID*, 'encryption key Ka', 'initial IV', " +
  "'shared Diffie Hellman secret'; cookies from 'natd_chunk' (CKY-I | CKY-R | IP | port). " +
  'Extracted by oaklog keys extract (@oaklog/crypto extractCharonKeys).';
