/**
 * What `oaklog view` and `oaklog diagnose` share when they read a capture: finding and loading the keys, the options
 * they hand to `@oaklog/pipeline`'s `viewCapture`, the stderr line of a datagram that did not decode, the wording of
 * the IKEv2 frames, and the exit code a capture's problems call for. Both commands run the same pass through these, so
 * a capture reads the same whichever command reads it.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type IkeSaKeys, MAX_REMEMBERED_SAS } from '@oaklog/crypto';
import { type CaptureReader, type CaptureSummary, readCapture } from '@oaklog/pcap';
import { readCaptureFile } from '@oaklog/pcap/node';
import { type ViewCapture, type ViewItem, type ViewOptions, type ViewSummary, viewCapture } from '@oaklog/pipeline';
import { bytesOf, captureFileProgress, isStdin } from '../input';
import { loadKeyFile } from '../key-file';
import type { Output } from '../output';
import { PARTLY_UNREADABLE, UNDECODABLE } from './decode';

/** The options of every command that reads a capture through the pipeline (`view`, `diagnose`). */
export interface CaptureOptions {
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
}

/** Key files the corpus and Wireshark users keep next to a capture, in the order they are tried. */
const SIBLING_KEY_FILES = ['keys.json', 'ikev1_decryption_table'];

function findSiblingKeys(capture: string): string | undefined {
  return SIBLING_KEY_FILES.map((name) => join(dirname(capture), name)).find((path) => existsSync(path));
}

/** One pass over a capture file: the pipeline's items, the reader's counts, and the keys it decrypts with. */
export interface CapturePass {
  /** The items (events and problems) as they come; `view.summary` is complete once they have all been read. */
  readonly view: ViewCapture;
  /** The frame reader under it: malformed frames, a truncated file. */
  readonly reader: CaptureReader;
  readonly keys: readonly IkeSaKeys[];
}

/**
 * Opens `path` as a capture for the pipeline: the key file given, else one found next to the capture (unless
 * `noKeys`), and the options passed on. The bytes are those of `bytes` when given (a stream already opened on `path`),
 * else the file's. Throws `UsageError` for a key file that cannot be used.
 */
export async function openCapture(
  path: string,
  options: CaptureOptions,
  out: Output,
  extra: Pick<ViewOptions, 'utcOffsetMinutes'> & { readonly bytes?: AsyncIterable<Uint8Array> } = {},
): Promise<CapturePass> {
  const keyFile = options.keys ?? (options.noKeys || isStdin(path) ? undefined : findSiblingKeys(path));
  const keys = keyFile ? await loadKeyFile(keyFile, out) : [];
  const { bytes: given, ...viewOptions } = extra;
  const bytes = given ?? (isStdin(path) ? bytesOf(path) : undefined);
  const reader = bytes === undefined ? readCaptureFile(path, captureFileProgress(path)) : readCapture(bytes);
  const view = viewCapture(reader, {
    keys,
    ...(options.local === undefined ? {} : { local: options.local }),
    ...(options.peer === undefined ? {} : { peer: options.peer }),
    ...(options.cookie === undefined ? {} : { cookie: options.cookie }),
    ...(options.connection === undefined ? {} : { connection: options.connection }),
    ...viewOptions,
  });
  return { view, reader, keys };
}

/**
 * The stderr line of a datagram that did not decode (whole), worded as `oaklog decode` words the same frame, so the
 * two can be matched by frame number.
 */
export function problemLine(item: Extract<ViewItem, { kind: 'problem' }>): string {
  return `#${item.frame} ${item.src}:${item.srcPort} -> ${item.dst}:${item.dstPort} ${item.partial ? PARTLY_UNREADABLE : UNDECODABLE}: ${item.reassembled ? `IKE fragments completed by this frame: ${item.message}` : item.message}`;
}

/** `2 IKEv2 datagrams` (a count of datagrams, singular or plural). */
export function datagramCount(count: number, what = 'IKE'): string {
  return `${count} ${what} datagram${count === 1 ? '' : 's'}`;
}

/** Frames `3, 4, 7` (and `… and N more` past the summary's list) of the capture's IKEv2 datagrams. */
export function ikev2FrameList(seen: Pick<ViewSummary, 'ikev2' | 'ikev2Frames'>): string {
  const { ikev2: count, ikev2Frames: frames } = seen;
  const more = count - frames.length;
  return `frame${count === 1 ? '' : 's'} ${frames.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/**
 * `frame 5 (bad-udp-length at byte 78), frame 9 (truncated at byte 40)`, and `and N more` past the reader's list: the
 * malformed frames, named so they can be looked up (`oaklog decode --frames 5`).
 */
export function malformedFrameList(summary: Pick<CaptureSummary, 'malformed' | 'firstMalformed'>): string {
  const listed = summary.firstMalformed.map((m) => `frame ${m.frame} (${m.reason} at byte ${m.offset})`);
  const more = summary.malformed - listed.length;
  return `${listed.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/** Encrypted messages that were not decrypted. */
export function undecryptedCount(seen: ViewSummary): number {
  return seen.encrypted - seen.decrypted;
}

/**
 * The exit code a capture's problems call for, once the pass has ended: 1 when a frame was malformed, the file is cut
 * inside a record, a datagram did not decode whole, or a key was given and messages still did not decrypt; else 0.
 */
export function captureExitCode(summary: CaptureSummary, seen: ViewSummary, keys: readonly IkeSaKeys[]): number {
  return summary.malformed > 0 ||
    summary.truncated ||
    seen.problems > 0 ||
    (keys.length > 0 && undecryptedCount(seen) > 0)
    ? 1
    : 0;
}

/** The warning for `--local` naming an address that sent nothing (the directions would all be wrong). */
export function localWarning(options: CaptureOptions, seen: ViewSummary): string | undefined {
  return options.local !== undefined && !seen.localSent
    ? `oaklog: ${options.local} sent no IKE datagram in this capture (check --local)`
    : undefined;
}

/** The warning for IKE SAs the decryptor forgot to stay within its bound (their later messages may not decrypt). */
export function forgottenWarning(seen: ViewSummary): string | undefined {
  const n = seen.forgottenSas;
  return n > 0
    ? `oaklog: ${n} IKE SA${n === 1 ? '' : 's'} with keys ${n === 1 ? 'was' : 'were'} forgotten to keep memory bounded (${MAX_REMEMBERED_SAS.toLocaleString('en-US')} are remembered, least recently used forgotten first); a later message of ${n === 1 ? 'it' : 'one'} may not decrypt`
    : undefined;
}

/** The warning for `--peer`/`--cookie` that left out every datagram. */
export function filterWarning(options: CaptureOptions, seen: ViewSummary): string | undefined {
  return (options.peer !== undefined || options.cookie !== undefined) && seen.filtered === seen.datagrams
    ? 'oaklog: no IKE datagram of this capture matches --peer/--cookie'
    : undefined;
}

/** First four bytes of pcap (either byte order, µs or ns) and pcapng files. */
const CAPTURE_MAGICS = [0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a];

/** Whether a file that starts with `head` is a pcap or pcapng capture (by its magic number; fewer than 4 bytes: no). */
export function looksLikeCapture(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  return CAPTURE_MAGICS.includes(new DataView(head.buffer, head.byteOffset, 4).getUint32(0));
}
