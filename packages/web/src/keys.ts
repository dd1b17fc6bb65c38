/**
 * Reading a key file: our per-IKE-SA JSON or Wireshark's `ikev1_decryption_table`, as `oaklog view --keys` reads it.
 */
import {
  type IkeSaKeys,
  KEY_FILE_LIMITS,
  type KeyFileLimits,
  parseKeysJson,
  parseWiresharkKeyTable,
} from '@oaklog/crypto';
import { decodeLogBytes } from '@oaklog/viewlog';

/**
 * What a key file may cost: at most 4 MiB (about 60,000 IKE SAs of a decryption table, far more than a capture holds),
 * checked on the size before it is read; the first 10 errors listed, the rest counted. The same as `oaklog view`.
 */
export const KEY_FILE_CAPS: Required<KeyFileLimits> = { ...KEY_FILE_LIMITS, maxBytes: 4 * 1024 * 1024, maxErrors: 10 };

/** A key file's keys, or why it cannot be used (one sentence, then the parser's diagnostics). */
export type KeyFileResult =
  | { readonly ok: true; readonly keys: IkeSaKeys[]; readonly format: 'json' | 'wireshark' }
  | { readonly ok: false; readonly message: string; readonly details: readonly string[] };

/**
 * Reads a key file's bytes: our per-IKE-SA JSON or Wireshark's `ikev1_decryption_table`, in UTF-8, UTF-16 or
 * windows-1252 (decoded as logs are), parsed by `@oaklog/crypto`. A file with any error is refused whole, as the
 * CLI refuses it: decrypting with half the keys would mislead.
 */
export function readKeyFile(name: string, bytes: Uint8Array): KeyFileResult {
  if (bytes.length > KEY_FILE_CAPS.maxBytes)
    return {
      ok: false,
      message: `${name} is larger than ${KEY_FILE_CAPS.maxBytes / 1024 / 1024} MiB, too large for a key file.`,
      details: [],
    };
  const { text, encoding } = decodeLogBytes(bytes);
  const nul = encoding.startsWith('utf-16') ? text.indexOf('\u0000') : bytes.indexOf(0);
  if (nul >= 0)
    return {
      ok: false,
      message: `${name} is not a key file: it holds binary data (read as ${encoding}).`,
      details: [],
    };
  const json = text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('{');
  const result = (json ? parseKeysJson : parseWiresharkKeyTable)(text, KEY_FILE_CAPS);
  const details = result.diagnostics.map((d) => `${name}:${d.line}:${d.column} ${d.severity} ${d.code}: ${d.message}`);
  if (result.diagnostics.some((d) => d.severity === 'error'))
    return { ok: false, message: `${name} has errors, so none of its keys are used.`, details };
  if (result.ikeSas.length === 0) return { ok: false, message: `${name} holds no IKE SA keys.`, details };
  return { ok: true, keys: result.ikeSas, format: json ? 'json' : 'wireshark' };
}
