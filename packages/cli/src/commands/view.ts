import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readCaptureFile } from '@oaklog/pcap/node';
import { viewCapture } from '@oaklog/pipeline';
import { loadKeyFile } from '../key-file';
import type { Output } from '../output';
import { PARTLY_UNREADABLE, UNDECODABLE } from './decode';

/** Options of `oaklog view`. */
export interface ViewCommandOptions {
  /** Key file: our per-IKE-SA JSON or Wireshark's `ikev1_decryption_table`. Default: one found next to the capture. */
  readonly keys?: string;
  /** Do not look for key files next to the capture. */
  readonly noKeys?: boolean;
  /** The local address ("us"); default each IKE SA's initiator (the VPN client's side). */
  readonly local?: string;
  /** Only the conversations with this peer address. */
  readonly peer?: string;
  /** Only the conversations of this cookie (16 hex digits) or cookie pair (32). */
  readonly cookie?: string;
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

/** Frames `3, 4, 7` (and `… and N more` past the summary's list). */
function ikev2FrameList(count: number, frames: readonly number[]): string {
  const more = count - frames.length;
  return `frame${count === 1 ? '' : 's'} ${frames.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/**
 * `oaklog view <capture>`: the capture as the VPN client's View Log. Encrypted messages show their whole payload list
 * when keys are at hand, otherwise only the first payload type (the only one readable without keys). The pass itself
 * is `@oaklog/pipeline`'s `viewCapture`; the command finds the files, prints, and chooses the exit code.
 */
export async function viewCommand(path: string, options: ViewCommandOptions, out: Output): Promise<number> {
  const keyFile = options.keys ?? (options.noKeys ? undefined : findSiblingKeys(path));
  const keys = keyFile ? await loadKeyFile(keyFile, out) : [];
  const reader = readCaptureFile(path);
  const view = viewCapture(reader, {
    keys,
    ...(options.local === undefined ? {} : { local: options.local }),
    ...(options.peer === undefined ? {} : { peer: options.peer }),
    ...(options.cookie === undefined ? {} : { cookie: options.cookie }),
    ...(options.connection === undefined ? {} : { connection: options.connection }),
    ...(options.utcOffset === undefined ? {} : { utcOffsetMinutes: options.utcOffset }),
  });
  const cr = options.crlf ? '\r' : '';
  for await (const item of view) {
    if (item.kind === 'event') for (const line of item.lines) out.stdout(line + cr);
    // Printed as they come (nothing kept), worded as `oaklog decode` words the same frame, to match them by number.
    else
      out.stderr(
        `#${item.frame} ${item.src}:${item.srcPort} -> ${item.dst}:${item.dstPort} ${item.partial ? PARTLY_UNREADABLE : UNDECODABLE}: ${item.reassembled ? `IKE fragments completed by this frame: ${item.message}` : item.message}`,
      );
  }
  const { summary } = reader;
  const seen = view.summary;
  if (options.local !== undefined && !seen.localSent)
    out.stderr(`oaklog: ${options.local} sent no IKE datagram in this capture (check --local)`);
  if (seen.ikev2 > 0)
    out.stderr(
      `oaklog: ${seen.ikev2} IKEv2 datagram${seen.ikev2 === 1 ? '' : 's'} left out of the View Log (the clients never logged IKEv2): ${ikev2FrameList(seen.ikev2, seen.ikev2Frames)}`,
    );
  if (seen.cut > 0)
    out.stderr(
      `oaklog: the capture ends while ${seen.cut} negotiation${seen.cut === 1 ? ' was' : 's were'} still being retried: the log ends where the capture does (no "Exceeded" line without the silence after the last resend)`,
    );
  if ((options.peer !== undefined || options.cookie !== undefined) && seen.filtered === seen.datagrams)
    out.stderr('oaklog: no IKE datagram of this capture matches --peer/--cookie');
  const undecrypted = seen.encrypted - seen.decrypted;
  if (undecrypted > 0)
    out.stderr(
      keys.length > 0
        ? `oaklog: ${undecrypted} of ${seen.encrypted} encrypted messages could not be decrypted (wrong or missing keys, or the message their IV comes from is not in the capture); they show their first payload only`
        : `oaklog: ${seen.encrypted} encrypted messages show their first payload only (no keys; pass --keys)`,
    );
  if (summary.malformed > 0) out.stderr(`oaklog: ${summary.malformed} malformed frames (see oaklog decode --all)`);
  if (summary.truncated) out.stderr('oaklog: the capture ends inside a record (truncated file)');
  return summary.malformed > 0 || summary.truncated || seen.problems > 0 || (keys.length > 0 && undecrypted > 0)
    ? 1
    : 0;
}
