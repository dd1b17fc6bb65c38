/**
 * Reading a key file's bytes, the same for `oaklog` and the web page: our per-IKE-SA JSON or Wireshark's
 * `ikev1_decryption_table`, in UTF-8, UTF-16 (with a byte-order mark or recognised without one) or windows-1252
 * (decoded as logs are: Windows editors save tables as UTF-16), parsed by `@oaklog/crypto`. A file with any error is
 * refused whole, since decrypting with half the keys would mislead. Each caller words the refusal its own way.
 */
import {
  type IkeSaKeys,
  KEY_FILE_LIMITS,
  type KeyFileDiagnostic,
  type KeyFileLimits,
  parseKeysJson,
  parseWiresharkKeyTable,
} from '@oaklog/crypto';
import { decodeLogBytes } from '@oaklog/viewlog';

/**
 * What a key file may cost: at most 4 MiB (about 60,000 IKE SAs of a decryption table, far more than any capture holds;
 * each key also costs a decryptor state), checked on the bytes before they are decoded; the first 10 errors listed,
 * the rest counted (by the parser: one `TOO_MANY_ERRORS`).
 */
export const KEY_FILE_CAPS: Required<KeyFileLimits> = { ...KEY_FILE_LIMITS, maxBytes: 4 * 1024 * 1024, maxErrors: 10 };

/** A key file read: its keys, or why none of them can be used. `diagnostics` are the parser's, with line:column. */
export type KeyFileRead =
  | {
      readonly ok: true;
      readonly keys: IkeSaKeys[];
      readonly format: 'json' | 'wireshark';
      readonly encoding: string;
      readonly diagnostics: readonly KeyFileDiagnostic[];
    }
  | {
      readonly ok: false;
      /**
       * `too-large`: over {@link KEY_FILE_CAPS}' `maxBytes` (not decoded); `binary`: a NUL character, which no key
       * file holds and every binary file soon does (at byte `nulOffset`); `errors`: the parser found errors;
       * `empty`: no IKE SA keys in it.
       */
      readonly problem: 'too-large' | 'binary' | 'errors' | 'empty';
      readonly nulOffset?: number;
      readonly encoding?: string;
      readonly format?: 'json' | 'wireshark';
      readonly diagnostics: readonly KeyFileDiagnostic[];
    };

/** Byte offset of the first NUL character of the decoded file, if any. */
function nulOffset(bytes: Uint8Array, text: string, encoding: string): number | undefined {
  if (encoding.startsWith('utf-16')) {
    const i = text.indexOf('\u0000');
    return i < 0 ? undefined : 2 * i;
  }
  const i = bytes.indexOf(0);
  return i < 0 ? undefined : i;
}

/**
 * Reads a key file's bytes (give at most `maxBytes + 1` of them: one more tells the file is too large). JSON when the
 * text starts with `{`, else a Wireshark table.
 */
export function readKeyFile(bytes: Uint8Array, caps: Required<KeyFileLimits> = KEY_FILE_CAPS): KeyFileRead {
  if (bytes.length > caps.maxBytes) return { ok: false, problem: 'too-large', diagnostics: [] };
  const { text, encoding } = decodeLogBytes(bytes);
  const nul = nulOffset(bytes, text, encoding);
  if (nul !== undefined) return { ok: false, problem: 'binary', nulOffset: nul, encoding, diagnostics: [] };
  const format = text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('{')
    ? 'json'
    : 'wireshark';
  const result = (format === 'json' ? parseKeysJson : parseWiresharkKeyTable)(text, caps);
  const { diagnostics } = result;
  if (diagnostics.some((d) => d.severity === 'error'))
    return { ok: false, problem: 'errors', encoding, format, diagnostics };
  if (result.ikeSas.length === 0) return { ok: false, problem: 'empty', encoding, format, diagnostics };
  return { ok: true, keys: result.ikeSas, format, encoding, diagnostics };
}
