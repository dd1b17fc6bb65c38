import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createSession } from '@oaklog/bridge';
import {
  type CaptureOutcome,
  createMessageDecryptor,
  type IkeSaKeys,
  type MessageDecryptor,
  parseKeysJson,
  parseWiresharkKeyTable,
} from '@oaklog/crypto';
import type { Payload } from '@oaklog/isakmp';
import { readCaptureFile } from '@oaklog/pcap/node';
import type { Output } from '../output';

/** Options of `oaklog view`. */
export interface ViewCommandOptions {
  /** Key file: our per-IKE-SA JSON or Wireshark's `ikev1_decryption_table`. Default: one found next to the capture. */
  readonly keys?: string;
  /** Do not look for key files next to the capture. */
  readonly noKeys?: boolean;
  /** The local address ("us"); default the sender of the first datagram. */
  readonly local?: string;
  /** Connection name printed on every line; default the peer's address. */
  readonly connection?: string;
  /** Minutes east of UTC for the printed times. */
  readonly utcOffset?: number;
  /** Write CRLF line endings, as the Windows clients did. */
  readonly crlf?: boolean;
}

/** Key files the corpus and Wireshark users keep next to a capture, in the order they are tried. */
const SIBLING_KEY_FILES = ['keys.json', 'ikev1_decryption_table'];

function findSiblingKeys(capture: string): string | undefined {
  return SIBLING_KEY_FILES.map((name) => join(dirname(capture), name)).find((path) => existsSync(path));
}

async function loadKeys(path: string, out: Output): Promise<IkeSaKeys[]> {
  const text = await readFile(path, 'utf8');
  const result = text.trimStart().startsWith('{') ? parseKeysJson(text) : parseWiresharkKeyTable(text);
  for (const d of result.diagnostics) out.stderr(`${path}:${d.line}:${d.column} ${d.severity} ${d.code}: ${d.message}`);
  return result.ikeSas;
}

/** The decrypted payload chain of an outcome, when decryption (possibly after fragment reassembly) worked. */
function decryptedPayloads(outcome: CaptureOutcome): Payload[] | undefined {
  if (outcome.kind === 'decrypted') return outcome.body.payloads;
  if (outcome.kind === 'fragment' && outcome.reassembled?.kind === 'decrypted')
    return outcome.reassembled.body.payloads;
  return undefined;
}

/**
 * `oaklog view <capture>`: the capture as the VPN client's View Log. Encrypted messages show their whole payload list
 * when keys are at hand, otherwise only the first payload type (the only one readable without keys).
 */
export async function viewCommand(path: string, options: ViewCommandOptions, out: Output): Promise<number> {
  const keyFile = options.keys ?? (options.noKeys ? undefined : findSiblingKeys(path));
  const keys = keyFile ? await loadKeys(keyFile, out) : [];
  const decryptor: MessageDecryptor | undefined = keys.length > 0 ? createMessageDecryptor(keys) : undefined;
  const session = createSession({
    ...(options.local === undefined ? {} : { local: options.local }),
    ...(options.connection === undefined ? {} : { connection: options.connection }),
    ...(options.utcOffset === undefined ? {} : { utcOffsetMinutes: options.utcOffset }),
  });
  const eol = options.crlf ? '\r\n' : '\n';
  const write = (lines: readonly string[]) => {
    for (const line of lines) out.stdout(line + (eol === '\n' ? '' : '\r'));
  };
  const reader = readCaptureFile(path);
  for await (const item of reader) {
    if (item.kind !== 'ike') continue;
    const plaintext = decryptor
      ? decryptedPayloads(decryptor.push({ bytes: item.bytes, sender: `${item.src}:${item.srcPort}` }))
      : undefined;
    write(session.push({ bytes: item.bytes, src: item.src, dst: item.dst, time: item.time }, plaintext));
  }
  write(session.finish());
  for (const problem of session.problems)
    out.stderr(`datagram ${problem.index + 1}: ${problem.code} at byte ${problem.offset}: ${problem.message}`);
  const { summary } = reader;
  if (summary.malformed > 0) out.stderr(`${summary.malformed} malformed frames (see oaklog decode --all)`);
  return summary.malformed > 0 || session.problems.length > 0 ? 1 : 0;
}
