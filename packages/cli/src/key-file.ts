/**
 * Reading a key file for `oaklog view` and `decode`: bytes first (so its size is capped before it costs memory), then
 * `@oaklog/pipeline`'s `readKeyFile` (the web page's too). Errors stop the command, since decrypting with half the
 * keys would mislead.
 */
import { open } from 'node:fs/promises';
import type { IkeSaKeys } from '@oaklog/crypto';
import { KEY_FILE_CAPS, readKeyFile } from '@oaklog/pipeline';
import { UsageError } from './errors';
import type { Output } from './output';

export { KEY_FILE_CAPS };

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

/**
 * Reads a key file: our per-IKE-SA JSON or Wireshark's `ikev1_decryption_table`. Throws `UsageError` (exit 2) for a
 * file over the size cap ({@link KEY_FILE_CAPS}), a binary file, a file with errors (after printing the first ones and
 * a count of the rest) or one with no keys.
 */
export async function loadKeyFile(path: string, out: Output): Promise<IkeSaKeys[]> {
  const { maxBytes } = KEY_FILE_CAPS;
  const read = readKeyFile(await readCapped(path, maxBytes));
  for (const d of read.diagnostics) out.stderr(`${path}:${d.line}:${d.column} ${d.severity} ${d.code}: ${d.message}`);
  if (read.ok) return read.keys;
  switch (read.problem) {
    case 'too-large':
      throw new UsageError(`${path}: larger than ${maxBytes} bytes, too large for a key file; not read`);
    case 'binary':
      throw new UsageError(
        `${path}: not a key file (binary data: a NUL byte at byte ${read.nulOffset}, read as ${read.encoding})`,
      );
    case 'errors':
      throw new UsageError(`${path}: the key file has errors (see above)`);
    case 'empty':
      throw new UsageError(`${path}: no IKE SA keys in this file`);
  }
}
