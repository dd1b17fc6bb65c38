/**
 * Reading a key file for `oaklog view`: bytes first (so its size is capped before it costs memory), decoded as logs
 * are (a UTF-16 byte-order mark, UTF-8, else windows-1252: Windows editors save tables as UTF-16), then parsed by
 * `@oaklog/crypto`. Errors stop the command, since decrypting with half the keys would mislead.
 */
import { open } from 'node:fs/promises';
import {
  type IkeSaKeys,
  KEY_FILE_LIMITS,
  type KeyFileLimits,
  parseKeysJson,
  parseWiresharkKeyTable,
} from '@oaklog/crypto';
import { decodeLogBytes } from '@oaklog/viewlog';
import { UsageError } from './errors';
import type { Output } from './output';

/**
 * What a key file may cost `oaklog view`: at most 4 MiB (about 60,000 IKE SAs of a decryption table, far more than any
 * capture holds; each key also costs a decryptor state), checked on the bytes before they are read; the first 10
 * errors listed, the rest counted (by the parser: one `TOO_MANY_ERRORS`).
 */
export const KEY_FILE_CAPS: Required<KeyFileLimits> = {
  ...KEY_FILE_LIMITS,
  maxBytes: 4 * 1024 * 1024,
  maxErrors: 10,
};

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

/**
 * Reads a key file: our per-IKE-SA JSON or Wireshark's `ikev1_decryption_table`, in UTF-8, UTF-16 (with a byte-order
 * mark or recognised without one) or windows-1252. Throws `UsageError` (exit 2) for a file over the size cap
 * ({@link KEY_FILE_CAPS}), a binary file, a file with errors (after printing the first ones and a count of the rest) or
 * one with no keys.
 */
export async function loadKeyFile(path: string, out: Output): Promise<IkeSaKeys[]> {
  const { maxBytes } = KEY_FILE_CAPS;
  const bytes = await readCapped(path, maxBytes);
  if (bytes.length > maxBytes)
    throw new UsageError(`${path}: larger than ${maxBytes} bytes, too large for a key file; not read`);
  const { text, encoding } = decodeLogBytes(bytes);
  const nul = nulOffset(bytes, text, encoding);
  if (nul !== undefined)
    throw new UsageError(`${path}: not a key file (binary data: a NUL byte at byte ${nul}, read as ${encoding})`);
  const parse = text.trimStart().startsWith('{') ? parseKeysJson : parseWiresharkKeyTable;
  const result = parse(text, KEY_FILE_CAPS);
  for (const d of result.diagnostics) out.stderr(`${path}:${d.line}:${d.column} ${d.severity} ${d.code}: ${d.message}`);
  if (result.diagnostics.some((d) => d.severity === 'error'))
    throw new UsageError(`${path}: the key file has errors (see above)`);
  if (result.ikeSas.length === 0) throw new UsageError(`${path}: no IKE SA keys in this file`);
  return result.ikeSas;
}
