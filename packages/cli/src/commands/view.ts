import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createSession } from '@oaklog/bridge';
import { type CaptureOutcome, createMessageDecryptor, type MessageDecryptor } from '@oaklog/crypto';
import { HeaderFlag, type Payload } from '@oaklog/isakmp';
import type { IkeDatagram } from '@oaklog/pcap';
import { readCaptureFile } from '@oaklog/pcap/node';
import { loadKeyFile } from '../key-file';
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

/** The ISAKMP header's encryption flag (byte 19, bit 0), read without decoding the message. */
function isEncrypted(bytes: Uint8Array): boolean {
  return bytes.length > 19 && ((bytes[19] ?? 0) & HeaderFlag.ENCRYPTION) !== 0;
}

/** Key files the corpus and Wireshark users keep next to a capture, in the order they are tried. */
const SIBLING_KEY_FILES = ['keys.json', 'ikev1_decryption_table'];

function findSiblingKeys(capture: string): string | undefined {
  return SIBLING_KEY_FILES.map((name) => join(dirname(capture), name)).find((path) => existsSync(path));
}

/** How many encrypted messages were shown with their whole payload list, and how many only with the first type. */
interface DecryptionCount {
  encrypted: number;
  decrypted: number;
}

/**
 * The decrypted payload chain of an outcome, when decryption (possibly after fragment reassembly) worked. Every other
 * outcome (no keys, failed, not decrypted) leaves the message encrypted, and it is counted so.
 */
function decryptedPayloads(outcome: CaptureOutcome | undefined): Payload[] | undefined {
  if (outcome === undefined) return undefined;
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
  const keys = keyFile ? await loadKeyFile(keyFile, out) : [];
  const decryptor: MessageDecryptor | undefined = keys.length > 0 ? createMessageDecryptor(keys) : undefined;
  let item: IkeDatagram | undefined;
  let problems = 0;
  const session = createSession({
    // Printed as they come (nothing kept), worded as `oaklog decode` words the same frame, to match them by number.
    onProblem: (problem) => {
      problems += 1;
      const where =
        item === undefined ? '' : `#${item.frame} ${item.src}:${item.srcPort} -> ${item.dst}:${item.dstPort} `;
      out.stderr(
        `${where}undecodable: ${problem.reassembled ? `IKE fragments completed by this frame: ${problem.message}` : problem.message}`,
      );
    },
    ...(options.local === undefined ? {} : { local: options.local }),
    ...(options.connection === undefined ? {} : { connection: options.connection }),
    ...(options.utcOffset === undefined ? {} : { utcOffsetMinutes: options.utcOffset }),
  });
  const eol = options.crlf ? '\r\n' : '\n';
  const write = (lines: readonly string[]) => {
    for (const line of lines) out.stdout(line + (eol === '\n' ? '' : '\r'));
  };
  const reader = readCaptureFile(path);
  const count: DecryptionCount = { encrypted: 0, decrypted: 0 };
  let localSent = false;
  for await (const next of reader) {
    if (next.kind !== 'ike') continue;
    item = next;
    if (item.src === options.local) localSent = true;
    const outcome = decryptor?.push({ bytes: item.bytes, sender: `${item.src}:${item.srcPort}` });
    const plaintext = decryptedPayloads(outcome);
    if (isEncrypted(item.bytes)) {
      count.encrypted++;
      if (plaintext) count.decrypted++;
    }
    write(
      session.push({ bytes: item.bytes, src: item.src, dst: item.dst, time: item.time, frame: item.frame }, plaintext),
    );
  }
  write(session.finish());
  const { summary } = reader;
  if (options.local !== undefined && !localSent)
    out.stderr(`oaklog: ${options.local} sent no IKE datagram in this capture; every message shows as RECEIVED`);
  const undecrypted = count.encrypted - count.decrypted;
  if (undecrypted > 0)
    out.stderr(
      keys.length > 0
        ? `oaklog: ${undecrypted} of ${count.encrypted} encrypted messages could not be decrypted (wrong or missing keys); they show their first payload only`
        : `oaklog: ${count.encrypted} encrypted messages show their first payload only (no keys; pass --keys)`,
    );
  if (summary.malformed > 0) out.stderr(`oaklog: ${summary.malformed} malformed frames (see oaklog decode --all)`);
  if (summary.truncated) out.stderr('oaklog: the capture ends inside a record (truncated file)');
  return summary.malformed > 0 || summary.truncated || problems > 0 || (keys.length > 0 && undecrypted > 0) ? 1 : 0;
}
