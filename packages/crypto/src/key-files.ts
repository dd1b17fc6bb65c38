/**
 * Total parsers for the two key file formats: our per-IKE-SA JSON (corpus `keys.json`) and Wireshark's
 * `ikev1_decryption_table`. They never throw: problems come back as diagnostics with 1-based line and column.
 */
import { equalBytes, fromHex, toHex } from '@oaklog/common';
import { CIPHER_NAMES, type CipherName, cipherSpec, isCipherName } from './ciphers';
import { HASH_NAMES, type HashName, isHashName } from './hash';
import type { IkeSaKeys } from './ike-sa';
import { deriveSkeyidSet, encryptionKey } from './keys';

/** What a key file diagnostic is about. */
export type KeyFileDiagnosticCode =
  /** The text is not JSON (or not the expected shape at the top). */
  | 'BAD_JSON'
  /** A required field is absent. */
  | 'MISSING_FIELD'
  /** A field holds the wrong kind of value. */
  | 'BAD_FIELD'
  /** A value that should be hex is not (or has the wrong length). */
  | 'BAD_HEX'
  /** An algorithm name this package does not know (the entry is still used; the algorithm is learnt from the capture). */
  | 'UNKNOWN_ALGORITHM'
  /** A decryption table line without two comma-separated fields. */
  | 'BAD_LINE'
  /** A warning: a key longer than the named cipher's key; only its first bytes are used (RFC 2409 appendix B). */
  | 'KEY_TOO_LONG'
  /** The text is longer than `maxBytes`: a table is read up to there, a JSON file not at all. */
  | 'TOO_LARGE'
  /** More keys than `maxKeys`: the rest of the file is not read. */
  | 'TOO_MANY_KEYS'
  /** The last diagnostic when more than `maxErrors` errors were found: it counts the ones not listed. */
  | 'TOO_MANY_ERRORS';

/** What reading a key file may cost; past a limit the parser stops with a diagnostic. */
export interface KeyFileLimits {
  /** Longest text read, in UTF-16 code units (bytes for ASCII files). Default 64 MiB. */
  readonly maxBytes?: number;
  /** Most keys kept. Default 1,000,000: each is tried on every message of its cookie. */
  readonly maxKeys?: number;
  /** Errors listed before the rest are only counted (one `TOO_MANY_ERRORS`). Default 10. */
  readonly maxErrors?: number;
}

/** The default `KeyFileLimits` (a caller can check a file's size against `maxBytes` before reading it). */
export const KEY_FILE_LIMITS: Required<KeyFileLimits> = {
  maxBytes: 64 * 1024 * 1024,
  maxKeys: 1_000_000,
  maxErrors: 10,
};

/** One problem found in a key file. */
export interface KeyFileDiagnostic {
  readonly code: KeyFileDiagnosticCode;
  readonly message: string;
  readonly severity: 'error' | 'warning';
  /** 0-based offset into the text. */
  readonly offset: number;
  readonly length: number;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

/** A parsed key file: the IKE SAs it gave keys for, and what was wrong. */
export interface KeyFileResult {
  readonly ikeSas: IkeSaKeys[];
  readonly diagnostics: KeyFileDiagnostic[];
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * Diagnostics of one file: line starts are found only once a diagnostic needs them (a clean 100 MB table needs
 * none), and past `maxErrors` errors are counted, not kept (a binary file would give one per line).
 */
export function makeDiagnostics<C extends string = KeyFileDiagnosticCode>(text: string, maxErrors: number) {
  let starts: number[] | undefined;
  const list: (Omit<KeyFileDiagnostic, 'code'> & { readonly code: C | 'TOO_MANY_ERRORS' })[] = [];
  let errors = 0;
  let warnings = 0;
  /** Where the first error not listed is: the summary points there. */
  let hidden: { offset: number; length: number } | undefined;
  function push(code: C | 'TOO_MANY_ERRORS', message: string, offset: number, length: number, severity: Severity) {
    starts ??= lineStarts(text);
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    list.push({ code, message, severity, offset, length, line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 });
  }
  function add(code: C, message: string, offset: number, length: number, severity: Severity = 'error') {
    if (severity === 'error' && ++errors > maxErrors) {
      hidden ??= { offset, length };
      return;
    }
    if (severity === 'warning' && ++warnings > maxErrors) return;
    push(code, message, offset, length, severity);
  }
  /** The diagnostics, with the count of errors not listed. */
  function done() {
    if (hidden) {
      const more = errors - maxErrors;
      push(
        'TOO_MANY_ERRORS',
        `${more} more error${more === 1 ? '' : 's'} not listed`,
        hidden.offset,
        hidden.length,
        'error',
      );
      hidden = undefined;
    }
    return list;
  }
  return { add, done };
}

type Severity = 'error' | 'warning';

export function limitsOf(limits: KeyFileLimits): Required<KeyFileLimits> {
  return { ...KEY_FILE_LIMITS, ...limits };
}

// ---------------------------------------------------------------------------------------------------------------
// A small JSON reader that keeps each value's position, so field errors can name their line and column.
// `JSON.parse` cannot: it returns values without offsets, and its syntax errors carry positions only in an
// engine-specific message text.  Keys are kept in a Map, so no key can reach Object.prototype.

type JsonNode =
  | { kind: 'object'; offset: number; end: number; entries: Map<string, JsonNode> }
  | { kind: 'array'; offset: number; end: number; items: JsonNode[] }
  | { kind: 'string'; offset: number; end: number; value: string }
  | { kind: 'number' | 'boolean' | 'null'; offset: number; end: number };

class JsonSyntaxError {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

function parseJson(text: string): JsonNode {
  // A UTF-8 byte-order mark (editors on Windows write one) is not JSON but is no reason to reject the file.
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i] ?? '')) i++;
  };
  const fail = (what: string): never => {
    throw new JsonSyntaxError(i, i >= text.length ? `unexpected end of input, expected ${what}` : `expected ${what}`);
  };
  function str(): JsonNode & { kind: 'string' } {
    const offset = i;
    if (text[i] !== '"') fail('a string');
    i++;
    let value = '';
    for (;;) {
      const ch = text[i];
      if (ch === undefined || ch === '\n') fail('a closing quote');
      if (ch === '"') break;
      if (ch === '\\') {
        const e = text[i + 1];
        const simple: Record<string, string> = {
          '"': '"',
          '\\': '\\',
          '/': '/',
          b: '\b',
          f: '\f',
          n: '\n',
          r: '\r',
          t: '\t',
        };
        if (e !== undefined && Object.hasOwn(simple, e)) {
          value += simple[e];
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          value += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else fail('a valid escape');
      } else {
        value += ch;
        i++;
      }
    }
    i++;
    return { kind: 'string', offset, end: i, value };
  }
  function value(depth: number): JsonNode {
    if (depth > 64) fail('less nesting');
    ws();
    const offset = i;
    const ch = text[i];
    if (ch === '{') {
      i++;
      const entries = new Map<string, JsonNode>();
      ws();
      if (text[i] === '}') {
        i++;
        return { kind: 'object', offset, end: i, entries };
      }
      for (;;) {
        ws();
        const k = str();
        ws();
        if (text[i] !== ':') fail("':'");
        i++;
        entries.set(k.value, value(depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return { kind: 'object', offset, end: i, entries };
        }
        fail("',' or '}'");
      }
    }
    if (ch === '[') {
      i++;
      const items: JsonNode[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { kind: 'array', offset, end: i, items };
      }
      for (;;) {
        items.push(value(depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return { kind: 'array', offset, end: i, items };
        }
        fail("',' or ']'");
      }
    }
    if (ch === '"') return str();
    const lit = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!lit) return fail('a value');
    i += lit[0].length;
    const kind = lit[0] === 'null' ? 'null' : lit[0] === 'true' || lit[0] === 'false' ? 'boolean' : 'number';
    return { kind, offset, end: i };
  }
  const root = value(0);
  ws();
  if (i < text.length) fail('end of input');
  return root;
}

// ---------------------------------------------------------------------------------------------------------------

const CIPHER_ALIASES: Readonly<Record<string, CipherName>> = {
  des: 'des-cbc',
  '3des': '3des-cbc',
  'aes-cbc': 'aes-cbc-128',
  aes128: 'aes-cbc-128',
  aes192: 'aes-cbc-192',
  aes256: 'aes-cbc-256',
};
const HASH_ALIASES: Readonly<Record<string, HashName>> = {
  sha: 'sha1',
  sha256: 'sha2-256',
  sha384: 'sha2-384',
  sha512: 'sha2-512',
};

/**
 * Parses our per-IKE-SA key JSON (`{ "ikeSas": [{ initiatorCookie, responderCookie, encryption, hash,
 * encryptionKey: { initiator, responder }, initialIv, ... }] }`, the corpus `keys.json` format). Without a logged Ka,
 * Ka is derived from `skeyidE`, or from `skeyid`, `sharedSecret` (g^xy) and the cookies. An entry without a usable
 * cookie or key is dropped with an error; unknown algorithm names only warn.
 */
export function parseKeysJson(text: string, limits: KeyFileLimits = {}): KeyFileResult {
  const { maxBytes, maxKeys, maxErrors } = limitsOf(limits);
  const d = makeDiagnostics(text, maxErrors);
  const ikeSas: IkeSaKeys[] = [];
  if (text.length > maxBytes) {
    // JSON cannot be read in part: past the cap the file is refused as a whole.
    d.add('TOO_LARGE', `key file is longer than ${maxBytes} characters (maxBytes)`, maxBytes, 0);
    return { ikeSas, diagnostics: d.done() };
  }
  let root: JsonNode;
  try {
    root = parseJson(text);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    // An unexpected end of input points at the end itself, not at a character past it.
    d.add('BAD_JSON', e.message, e.offset, e.offset < text.length ? 1 : 0);
    return { ikeSas, diagnostics: d.done() };
  }
  const list = root.kind === 'object' ? root.entries.get('ikeSas') : undefined;
  if (list?.kind !== 'array') {
    d.add('BAD_JSON', 'expected an object with an "ikeSas" array', root.offset, root.end - root.offset);
    return { ikeSas, diagnostics: d.done() };
  }
  let keyCount = 0;
  for (const entry of list.items) {
    if (keyCount >= maxKeys) {
      d.add('TOO_MANY_KEYS', `more than ${maxKeys} keys (maxKeys): the rest of the file is not read`, entry.offset, 0);
      break;
    }
    if (entry.kind !== 'object') {
      d.add('BAD_FIELD', 'an IKE SA entry must be an object', entry.offset, entry.end - entry.offset);
      continue;
    }
    const at = (n: JsonNode) => [n.offset, n.end - n.offset] as const;
    const stringField = (name: string, node: JsonNode | undefined = entry.entries.get(name)): string | undefined => {
      if (node === undefined || node.kind === 'null') return undefined;
      if (node.kind !== 'string') {
        d.add('BAD_FIELD', `"${name}" must be a string`, ...at(node));
        return undefined;
      }
      return node.value;
    };
    const hexField = (name: string, lengths?: readonly number[], node = entry.entries.get(name)) => {
      const s = stringField(name, node);
      if (s === undefined || node === undefined) return undefined;
      const bytes = readHex(s);
      if (!bytes || bytes.length === 0 || (lengths && !lengths.includes(bytes.length))) {
        const want = lengths ? `${lengths.join(' or ')} bytes of hex` : 'hex';
        d.add('BAD_HEX', `"${name}" must be ${want}`, ...at(node));
        return undefined;
      }
      return bytes;
    };
    /** An encryption key: 1 to `MAX_KEY_BYTES` bytes, the rule the table format applies too. */
    const keyField = (name: string, node: JsonNode) => {
      const bytes = hexField(name, undefined, node);
      if (bytes === undefined || bytes.length <= MAX_KEY_BYTES) return bytes;
      d.add('BAD_HEX', `"${name}" must be 1 to ${MAX_KEY_BYTES} bytes of hex`, ...at(node));
      return undefined;
    };
    const icookie = hexField('initiatorCookie', [8]);
    if (!icookie && !entry.entries.has('initiatorCookie'))
      d.add('MISSING_FIELD', 'missing "initiatorCookie"', ...at(entry));
    const rcookie = hexField('responderCookie', [8]);
    const keysNode = entry.entries.get('encryptionKey');
    const encryptionKeys: Uint8Array[] = [];
    /** The side name each of `encryptionKeys` was given under, to pair it with `authenticationKey.<side>`. */
    const sides: (string | undefined)[] = [];
    if (keysNode?.kind === 'object') {
      for (const [side, node] of keysNode.entries) {
        const k = keyField(`encryptionKey.${side}`, node);
        if (k && !encryptionKeys.some((e) => equalBytes(e, k))) {
          encryptionKeys.push(k);
          sides.push(side);
        }
      }
    } else if (keysNode?.kind === 'string') {
      const k = keyField('encryptionKey', keysNode);
      if (k) encryptionKeys.push(k);
    } else if (keysNode !== undefined)
      d.add('BAD_FIELD', '"encryptionKey" must be an object or a string', ...at(keysNode));
    const algorithm = <T extends string>(
      name: string,
      known: readonly T[],
      isKnown: (s: string) => s is T,
      aliases: Readonly<Record<string, T>>,
    ) => {
      const node = entry.entries.get(name);
      const s = stringField(name, node)?.toLowerCase();
      if (s === undefined || node === undefined) return undefined;
      // Own keys only: a name like "constructor" or "__proto__" must not find Object.prototype's members.
      const found = isKnown(s) ? s : Object.hasOwn(aliases, s) ? aliases[s] : undefined;
      if (found === undefined)
        d.add('UNKNOWN_ALGORITHM', `${name} "${s}" is not one of ${known.join(', ')}`, ...at(node), 'warning');
      return found;
    };
    const cipher = algorithm('encryption', CIPHER_NAMES, isCipherName, CIPHER_ALIASES);
    const hash = algorithm('hash', HASH_NAMES, isHashName, HASH_ALIASES);
    const initialIv = hexField('initialIv', [8, 16]);
    const gxi = hexField('gxi');
    const gxr = hexField('gxr');
    let skeyidE = hexField('skeyidE');
    let skeyidA = hexField('skeyidA');
    let derivedKa: Uint8Array | undefined;
    if ((encryptionKeys.length === 0 || !skeyidA) && cipher && hash) {
      // No Ka (or SKEYID_a) logged: expand SKEYID_e, or derive both from SKEYID, g^xy and the cookies (RFC 2409 5).
      const needSet = !skeyidE || !skeyidA;
      const skeyid = needSet ? hexField('skeyid') : undefined;
      const sharedSecret = skeyid ? hexField('sharedSecret') : undefined;
      try {
        if (skeyid && sharedSecret && icookie && rcookie) {
          const set = deriveSkeyidSet(hash, {
            skeyid,
            sharedSecret,
            initiatorCookie: icookie,
            responderCookie: rcookie,
          });
          skeyidE ??= set.skeyidE;
          skeyidA ??= set.skeyidA;
        }
        if (skeyidE) derivedKa = encryptionKey(hash, cipherSpec(cipher), skeyidE);
        if (derivedKa && encryptionKeys.length === 0) encryptionKeys.push(derivedKa);
      } catch (e) {
        // The names were checked above, so this is not expected; the parser stays total all the same.
        d.add('BAD_FIELD', `cannot derive Ka: ${e instanceof Error ? e.message : String(e)}`, ...at(entry));
      }
    }
    // SKEYID_a belongs to the peer whose SKEYID_e it was logged with: where the peers disagree (a PSK mismatch),
    // the other peer's HASHes are under another SKEYID_a, so it is paired only with the Ka it matches.
    // `authenticationKey: { <side>: SKEYID_a }` names each side's SKEYID_a outright (what formatKeysJson writes
    // when the SKEYID_a of several keys is known).
    const authNode = entry.entries.get('authenticationKey');
    const sideAuth = new Map<string, Uint8Array>();
    if (authNode?.kind === 'object') {
      for (const [side, node] of authNode.entries) {
        const a = hexField(`authenticationKey.${side}`, undefined, node);
        if (a) sideAuth.set(side, a);
      }
    } else if (authNode !== undefined && authNode.kind !== 'null')
      d.add('BAD_FIELD', '"authenticationKey" must be an object of side: SKEYID_a', ...at(authNode));
    const authenticationKeys = encryptionKeys.map((k, i) => {
      const side = sides[i];
      if (side !== undefined && sideAuth.has(side)) return sideAuth.get(side);
      return skeyidA &&
        (derivedKa ? equalBytes(derivedKa, k.subarray(0, derivedKa.length)) : encryptionKeys.length === 1)
        ? skeyidA
        : undefined;
    });
    const needed = cipher ? cipherSpec(cipher).keyLength : undefined;
    if (needed !== undefined && keysNode && encryptionKeys.some((k) => k.length > needed))
      d.add(
        'KEY_TOO_LONG',
        `"encryptionKey" is longer than the ${needed} bytes ${cipher} uses; only the first ${needed} are used`,
        ...at(keysNode),
        'warning',
      );
    if (encryptionKeys.length === 0 && !(keysNode && keysNode.kind !== 'object'))
      d.add(
        'MISSING_FIELD',
        'no encryption key: give encryptionKey, or skeyidE (or skeyid, sharedSecret and both cookies) with encryption and hash',
        ...at(entry),
      );
    if (!icookie || encryptionKeys.length === 0) continue;
    keyCount += encryptionKeys.length;
    ikeSas.push({
      initiatorCookie: icookie,
      ...(rcookie ? { responderCookie: rcookie } : {}),
      encryptionKeys,
      ...(authenticationKeys.some((a) => a) ? { authenticationKeys } : {}),
      ...(cipher ? { cipher } : {}),
      ...(hash ? { hash } : {}),
      ...(initialIv ? { initialIv } : {}),
      ...(gxi ? { gxi } : {}),
      ...(gxr ? { gxr } : {}),
    });
  }
  return { ikeSas, diagnostics: d.done() };
}

/**
 * One hex rule for both key file formats (it is `fromHex`'s): an even number of hex digits, in either case, with an
 * optional `0x` prefix and colons or whitespace between digits allowed. Undefined when the text is not that.
 */
function readHex(text: string): Uint8Array | undefined {
  return fromHex(text);
}

/** Longest key either format accepts: SKEYID_e of SHA2-512 (a Ka is cut to the cipher's key length). */
const MAX_KEY_BYTES = 64;

const UAT_ESCAPES: Readonly<Record<string, number>> = {
  '\\': 0x5c,
  '"': 0x22,
  "'": 0x27,
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  v: 0x0b,
};

/**
 * The bytes of a quoted UAT string as Wireshark's `uat_unesc` reads it: `\xHH` and octal `\ooo` escapes, the C
 * character escapes, and every other character as its own byte. Undefined for a character above U+00FF or a
 * dangling escape.
 */
function unescapeUat(text: string): Uint8Array | undefined {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch !== 0x5c) {
      if (ch > 0xff) return undefined;
      out.push(ch);
      continue;
    }
    const e = text[i + 1];
    if (e === undefined) return undefined;
    const hexEscape = e === 'x' ? /^[0-9a-fA-F]{1,2}/.exec(text.slice(i + 2, i + 4)) : null;
    const octal = /^[0-7]{1,3}/.exec(text.slice(i + 1, i + 4));
    if (hexEscape) {
      out.push(Number.parseInt(hexEscape[0], 16));
      i += 1 + hexEscape[0].length;
    } else if (octal && Number.parseInt(octal[0], 8) <= 0xff) {
      out.push(Number.parseInt(octal[0], 8));
      i += octal[0].length;
    } else if (Object.hasOwn(UAT_ESCAPES, e)) {
      out.push(UAT_ESCAPES[e] ?? 0);
      i += 1;
    } else return undefined;
  }
  return Uint8Array.from(out);
}

/**
 * Parses Wireshark's `ikev1_decryption_table` (UAT): one `initiator cookie,encryption key` line per IKE SA;
 * `#` comments and blank lines are skipped. Wireshark's `uat.c` writes these byte fields unquoted as `%02x` hex;
 * a quoted field is Wireshark's escaped string (`"\x52\x13..."`, each character or escape one byte), except that
 * a quoted field holding only hex is read as hex (our extension, as people write it by hand). Hex follows one rule in
 * both key formats: `0x` prefix, colons and spaces allowed. Keys are 1 to 64 bytes, as in the JSON format (a longer
 * Ka is cut to the cipher's key length). Keys of the same initiator cookie are merged (Wireshark keeps one; we try each).
 */
export function parseWiresharkKeyTable(text: string, limits: KeyFileLimits = {}): KeyFileResult {
  const { maxBytes, maxKeys, maxErrors } = limitsOf(limits);
  const d = makeDiagnostics(text, maxErrors);
  const byCookie = new Map<string, { initiatorCookie: Uint8Array; encryptionKeys: Uint8Array[] }>();
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const end = Math.min(text.length, maxBytes);
  if (text.length > maxBytes)
    d.add('TOO_LARGE', `key table is longer than ${maxBytes} characters (maxBytes): read up to there`, maxBytes, 0);
  let keys = 0;
  // Line by line with indexOf, not split: a table of millions of lines must not become an array of them first.
  for (let start = bom; start < end; ) {
    const newline = text.indexOf('\n', start);
    const stop = newline < 0 ? text.length : newline;
    // A line cut by maxBytes is not read: half a key is a wrong key.
    if (stop > end) break;
    const raw = text.slice(start, stop);
    const lineStart = start;
    start = stop + 1;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const comma = line.indexOf(',');
    if (comma < 0 || line.indexOf(',', comma + 1) >= 0) {
      d.add('BAD_LINE', 'expected "initiator cookie,encryption key"', lineStart, line.length);
      continue;
    }
    const field = (s: string, at: number) => {
      const lead = s.length - s.trimStart().length;
      const t = s.trim();
      const quoted = t.length >= 2 && t.startsWith('"') && t.endsWith('"');
      const inner = quoted ? t.slice(1, -1) : t;
      const bytes = quoted && !/^(?:0x)?[0-9a-fA-F:\s]*$/i.test(inner) ? unescapeUat(inner) : readHex(inner);
      return { bytes, at: at + lead, length: t.length };
    };
    const c = field(line.slice(0, comma), lineStart);
    const k = field(line.slice(comma + 1), lineStart + comma + 1);
    const cookie = c.bytes?.length === 8 ? c.bytes : undefined;
    const key = k.bytes && k.bytes.length > 0 && k.bytes.length <= MAX_KEY_BYTES ? k.bytes : undefined;
    if (!cookie) d.add('BAD_HEX', 'initiator cookie must be 8 bytes (16 hex digits)', c.at, c.length);
    if (!key) d.add('BAD_HEX', `encryption key must be 1 to ${MAX_KEY_BYTES} bytes of hex`, k.at, k.length);
    if (!cookie || !key) continue;
    if (keys >= maxKeys) {
      d.add('TOO_MANY_KEYS', `more than ${maxKeys} keys (maxKeys): the rest of the table is not read`, lineStart, 0);
      break;
    }
    keys += 1;
    const id = toHex(cookie);
    const known = byCookie.get(id);
    if (known) known.encryptionKeys.push(key);
    else byCookie.set(id, { initiatorCookie: cookie, encryptionKeys: [key] });
  }
  return { ikeSas: [...byCookie.values()], diagnostics: d.done() };
}
