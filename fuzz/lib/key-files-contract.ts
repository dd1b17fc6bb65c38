/**
 * The contract of `@oaklog/crypto`'s key file parsers, shared by the key-files target and the pipeline target (which
 * feeds the keys it parses on to the decryptor): the parsers never throw, every diagnostic lies inside the text with
 * the line and column its offset has, and every IKE SA they return is one a decryptor can be made from.
 */
import {
  CIPHER_NAMES,
  createMessageDecryptor,
  HASH_NAMES,
  type IkeSaKeys,
  type KeyFileResult,
  parseKeysJson,
  parseWiresharkKeyTable,
} from '@oaklog/crypto';
import { CODE_SHAPE, check } from './bytes';

/** Longest key either format accepts (the crypto README: "keys up to 64 bytes"). */
const MAX_KEY_BYTES = 64;

/** 1-based line and column of a 0-based offset, counting `\n` as the parsers document. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** Errors listed before the rest are only counted in one `TOO_MANY_ERRORS` (crypto's documented default). */
const MAX_LISTED_ERRORS = 10;

function checkDiagnostics(what: string, text: string, result: KeyFileResult): void {
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  const summaries = errors.filter((d) => d.code === 'TOO_MANY_ERRORS').length;
  check(summaries <= 1, `${what}: ${summaries} TOO_MANY_ERRORS diagnostics`);
  check(
    summaries === 0 ? errors.length <= MAX_LISTED_ERRORS : errors.length === MAX_LISTED_ERRORS + 1,
    () => `${what}: ${errors.length} errors listed${summaries ? ' with TOO_MANY_ERRORS' : ''}`,
  );
  for (const d of result.diagnostics) {
    const at = `${what}: ${d.code} at ${d.offset}+${d.length} (${d.line}:${d.column})`;
    check(CODE_SHAPE.test(d.code), `${at}: code has the wrong shape`);
    check(d.severity === 'error' || d.severity === 'warning', `${at}: severity ${d.severity}`);
    check(d.message.length > 0, `${at}: empty message`);
    check(
      Number.isInteger(d.offset) && Number.isInteger(d.length) && d.offset >= 0 && d.length >= 0,
      `${at}: offset and length must be non-negative integers`,
    );
    check(d.offset + d.length <= text.length, `${at}: runs past the end of the ${text.length}-character text`);
    const expected = lineColumn(text, d.offset);
    check(
      d.line === expected.line && d.column === expected.column,
      () => `${at}: offset ${d.offset} is ${expected.line}:${expected.column}`,
    );
  }
}

function checkKeys(what: string, keys: readonly IkeSaKeys[]): void {
  for (const [i, k] of keys.entries()) {
    const at = `${what}: IKE SA ${i}`;
    check(k.initiatorCookie.length === 8, `${at}: initiator cookie of ${k.initiatorCookie.length} bytes`);
    check(k.responderCookie === undefined || k.responderCookie.length === 8, `${at}: responder cookie not 8 bytes`);
    check(k.encryptionKeys.length > 0, `${at}: no encryption key`);
    for (const key of k.encryptionKeys)
      check(key.length >= 1 && key.length <= MAX_KEY_BYTES, `${at}: a key of ${key.length} bytes`);
    check(k.cipher === undefined || CIPHER_NAMES.includes(k.cipher), `${at}: cipher ${k.cipher}`);
    check(k.hash === undefined || HASH_NAMES.includes(k.hash), `${at}: hash ${k.hash}`);
    check(k.initialIv === undefined || [8, 16].includes(k.initialIv.length), `${at}: IV not one block`);
    check(k.gxi === undefined || k.gxi.length > 0, `${at}: empty g^xi`);
    check(k.gxr === undefined || k.gxr.length > 0, `${at}: empty g^xr`);
  }
  // The decryptor throws only for keys no state can be made from, and the parsers promise never to yield those.
  try {
    createMessageDecryptor(keys);
  } catch (error) {
    check(false, `${what}: createMessageDecryptor threw on the parsed keys: ${String(error)}`);
  }
}

/** Lines of a decryption table that are neither blank nor `#` comments (the table's documented syntax). */
function tableLines(text: string): number {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return body.split('\n').filter((raw) => {
    const line = raw.replace(/\r$/, '');
    return line.trim() !== '' && !line.trimStart().startsWith('#');
  }).length;
}

/** Runs `parseWiresharkKeyTable` under its contract and returns what it parsed. */
export function checkedKeyTable(text: string): KeyFileResult {
  const result = parseWiresharkKeyTable(text);
  checkDiagnostics('key table', text, result);
  checkKeys('key table', result.ikeSas);
  // No silent drop: each line gives one key (keys of one cookie are merged, not deduplicated) or an error on it;
  // past the listed errors, the rest are only counted, so then the lines can only be bounded.
  const keys = result.ikeSas.reduce((n, k) => n + k.encryptionKeys.length, 0);
  const listed = result.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'TOO_MANY_ERRORS');
  const refused = new Set(listed.map((d) => d.line)).size;
  const lines = tableLines(text);
  const capped = result.diagnostics.some((d) => d.code === 'TOO_MANY_ERRORS' || d.code === 'TOO_MANY_KEYS');
  check(
    capped ? keys + refused <= lines : keys + refused === lines,
    () => `key table: ${lines} key lines, but ${keys} keys and ${refused} lines with errors`,
  );
  return result;
}

/** Runs `parseKeysJson` under its contract and returns what it parsed. */
export function checkedKeysJson(text: string): KeyFileResult {
  const result = parseKeysJson(text);
  checkDiagnostics('keys JSON', text, result);
  checkKeys('keys JSON', result.ikeSas);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  // Where the engine's JSON.parse reads the text too, each entry of "ikeSas" gives an IKE SA or an error.
  const json = jsonOf(text);
  const entries = json?.ikeSas;
  if (Array.isArray(entries)) {
    check(result.ikeSas.length <= entries.length, 'keys JSON: more IKE SAs than entries');
    check(
      result.ikeSas.length === entries.length || errors.length > 0,
      () => `keys JSON: ${entries.length} entries gave ${result.ikeSas.length} IKE SAs and no error`,
    );
  }
  if (result.ikeSas.length === 0 && errors.length === 0)
    check(Array.isArray(entries) && entries.length === 0, 'keys JSON: no keys and no error');
  return result;
}

/** The text as JSON.parse reads it (a BOM dropped, as the parser does), or undefined. */
function jsonOf(text: string): { ikeSas?: unknown } | undefined {
  try {
    const value: unknown = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
