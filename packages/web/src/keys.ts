/**
 * Reading a key file: our per-IKE-SA JSON or Wireshark's `ikev1_decryption_table`, by `@oaklog/pipeline`'s
 * `readKeyFile`, as `oaklog view --keys` reads it; worded for the page.
 */
import type { IkeSaKeys } from '@oaklog/crypto';
import { KEY_FILE_CAPS, readKeyFile as readKeys } from '@oaklog/pipeline';

/** A key file's keys, or why it cannot be used (one sentence, then the parser's diagnostics). */
export type KeyFileResult =
  | { readonly ok: true; readonly keys: IkeSaKeys[]; readonly format: 'json' | 'wireshark' }
  | { readonly ok: false; readonly message: string; readonly details: readonly string[] };

/** A key file's bytes read, with what the page says when none of its keys can be used. */
export function readKeyFile(name: string, bytes: Uint8Array): KeyFileResult {
  const read = readKeys(bytes);
  const details = read.diagnostics.map((d) => `${name}:${d.line}:${d.column} ${d.severity} ${d.code}: ${d.message}`);
  if (read.ok) return { ok: true, keys: read.keys, format: read.format };
  const message = {
    'too-large': `${name} is larger than ${KEY_FILE_CAPS.maxBytes / 1024 / 1024} MiB, too large for a key file.`,
    binary: `${name} is not a key file: it holds binary data (read as ${read.encoding}).`,
    errors: `${name} has errors, so none of its keys are used.`,
    empty: `${name} holds no IKE SA keys.`,
  }[read.problem];
  return { ok: false, message, details };
}
