/**
 * Reading a key file for `oaklog view`: bytes first (so its size is capped before it costs memory), decoded as logs
 * are (a UTF-16 byte-order mark, UTF-8, else windows-1252: Windows editors save tables as UTF-16), then parsed by
 * `@oaklog/crypto`. Errors stop the command, since decrypting with half the keys would mislead.
 */
import { open } from 'node:fs/promises';
import { type IkeSaKeys, type KeyFileDiagnostic, parseKeysJson, parseWiresharkKeyTable } from '@oaklog/crypto';
import { decodeLogBytes } from '@oaklog/viewlog';
import { UsageError } from './errors';
import type { Output } from './output';

/** Largest key file read: about 60,000 IKE SAs of a decryption table, far more than any capture holds. */
export const MAX_KEY_FILE_BYTES = 4 * 1024 * 1024;
/** Diagnostics printed before the rest are only counted. */
export const MAX_KEY_FILE_DIAGNOSTICS = 10;

/** The file's first `limit + 1` bytes at most: enough to tell it is too large without reading it (or a device) all. */
async function readCapped(path: string, limit: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(limit + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

/** Byte offset of the first NUL character, which no key file holds and every binary file soon does. */
function nulOffset(bytes: Uint8Array, text: string, encoding: string): number | undefined {
  if (encoding.startsWith('utf-16')) {
    const i = text.indexOf('\u0000');
    return i < 0 ? undefined : 2 * i;
  }
  const i = bytes.indexOf(0);
  return i < 0 ? undefined : i;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Prints the first diagnostics, each as `path:line:column severity CODE: message`, then a count of the rest. */
function printDiagnostics(path: string, diagnostics: readonly KeyFileDiagnostic[], out: Output): void {
  for (const d of diagnostics.slice(0, MAX_KEY_FILE_DIAGNOSTICS))
    out.stderr(`${path}:${d.line}:${d.column} ${d.severity} ${d.code}: ${d.message}`);
  const rest = diagnostics.slice(MAX_KEY_FILE_DIAGNOSTICS);
  if (rest.length === 0) return;
  const errors = rest.filter((d) => d.severity === 'error').length;
  const warnings = rest.length - errors;
  const parts = [errors > 0 ? plural(errors, 'more error') : '', warnings > 0 ? plural(warnings, 'more warning') : ''];
  out.stderr(`${path}: … and ${parts.filter((p) => p !== '').join(' and ')}`);
}

/**
 * Reads a key file: our per-IKE-SA JSON or Wireshark's `ikev1_decryption_table`, in UTF-8, UTF-16 (with a byte-order
 * mark) or windows-1252. Throws `UsageError` (exit 2) for a file over {@link MAX_KEY_FILE_BYTES}, a binary file, a file
 * with errors (after printing at most {@link MAX_KEY_FILE_DIAGNOSTICS} of them and a count of the rest) or one with no
 * keys.
 */
export async function loadKeyFile(path: string, out: Output): Promise<IkeSaKeys[]> {
  const bytes = await readCapped(path, MAX_KEY_FILE_BYTES);
  if (bytes.length > MAX_KEY_FILE_BYTES)
    throw new UsageError(`${path}: larger than ${MAX_KEY_FILE_BYTES} bytes, too large for a key file; not read`);
  const { text, encoding } = decodeLogBytes(bytes);
  const nul = nulOffset(bytes, text, encoding);
  if (nul !== undefined)
    throw new UsageError(`${path}: not a key file (binary data: a NUL byte at byte ${nul}, read as ${encoding})`);
  const result = text.trimStart().startsWith('{') ? parseKeysJson(text) : parseWiresharkKeyTable(text);
  printDiagnostics(path, result.diagnostics, out);
  if (result.diagnostics.some((d) => d.severity === 'error'))
    throw new UsageError(`${path}: the key file has errors (see above)`);
  if (result.ikeSas.length === 0) throw new UsageError(`${path}: no IKE SA keys in this file`);
  return result.ikeSas;
}
