import type { ReadResult } from '@oaklog/bridge';
import { UNREADABLE } from '@oaklog/bridge';
import { toHex as hex } from '@oaklog/crypto';
import { HeaderFlag } from '@oaklog/isakmp';
import type { CaptureSummary, CaptureTime } from '@oaklog/pcap';
import {
  type DecodedDatagram,
  type DecodeItem,
  decodeCapture,
  describeIkev2Message,
  describeMessage,
  describePayload,
  PARTLY_UNREADABLE,
  UNDECODABLE,
  type ViewSummary,
} from '@oaklog/pipeline';

export { describeIkev2Message, describeMessage, describePayload, PARTLY_UNREADABLE, UNDECODABLE };

import { type RecordFilter, wantedRecord } from '../filters';
import { captureReader } from '../input';
import { headerJson, type Json, payloadsJson, tree } from '../json';
import { loadKeyFile } from '../key-file';
import type { Output } from '../output';
import { formatTime, type TimeOptions } from '../time';
import { datagramCount, forgottenWarning } from './capture';

/** The JSON schema name of every `oaklog decode --json` object (see schema/decode.v1.json). */
export const DECODE_SCHEMA = 'oaklog.decode/1';

/** The decoded message of a read (IKEv1 or IKEv2), when there is one. */
function messageOf(read: ReadResult | undefined) {
  if (read === undefined || read.kind === 'problem') return undefined;
  return read.message;
}

/** The fault of a read: nothing decoded (`problem`), or only in part (`unreadable`), or a refused fragment. */
function faultOf(read: ReadResult) {
  if (read.kind === 'problem') return { problem: read.problem, partial: false };
  if ((read.kind === 'message' || read.kind === 'fragment' || read.kind === 'ikev2') && read.unreadable !== undefined)
    return { problem: read.unreadable, partial: true };
  if (read.kind === 'fragment' && read.refused !== undefined) return { problem: read.refused, partial: false };
  return undefined;
}

/** The text line of one datagram (with its plaintext when decrypted), as before keys: one line a datagram. */
function datagramLine(record: DecodedDatagram, time: TimeOptions | undefined): string {
  const { item, read, decryption } = record;
  const when = time === undefined || item.time === undefined ? '' : ` ${formatTime(item.time, time)}`;
  const where = `#${item.frame}${when} ${item.src}:${item.srcPort} -> ${item.dst}:${item.dstPort}${item.nonEspMarker ? ' (NAT-T)' : ''}`;
  if (read === undefined) return `${where} (filtered)`;
  const fault = faultOf(read);
  if (read.kind === 'problem') return `${where} ${UNDECODABLE}: ${read.problem.message}`;
  if (read.kind === 'ikev2')
    return fault === undefined
      ? `${where} ${describeIkev2Message(read.message)}`
      : `${where} ${describeIkev2Message(read.message)}${read.message.payloads.length > 0 ? ', ' : ''}${UNREADABLE}; ${PARTLY_UNREADABLE}: ${fault.problem.message}`;
  let text = describeMessage(read.message);
  if (decryption?.kind === 'decrypted') {
    const head = text.slice(0, text.indexOf(': ') + 2);
    text = `${head}decrypted (${decryption.ivSource}${record.read?.kind === 'message' && record.read.retransmission ? ', retransmission' : ''}): ${decryption.payloads.map(describePayload).join(', ')}`;
  } else if (decryption !== undefined)
    text +=
      decryption.kind === 'not-decrypted'
        ? ` (not decrypted: ${decryption.reason})`
        : ` (not decrypted: ${decryption.code})`;
  if (read.kind === 'message' && read.reassembled) text += ' (reassembled from IKE fragments)';
  if (fault !== undefined)
    return fault.partial
      ? `${where} ${text}${read.message.payloads.length > 0 ? ', ' : ''}${UNREADABLE}; ${PARTLY_UNREADABLE}: ${fault.problem.message}`
      : `${where} ${text}; ${UNDECODABLE}: ${fault.problem.message}`;
  return `${where} ${text}`;
}

/** Seconds since the epoch with nanoseconds, as a decimal string (exact, unlike a float). */
function epoch(time: CaptureTime): string {
  return `${time.seconds}.${String(time.nanoseconds).padStart(9, '0')}`;
}

/** The JSON object of one datagram (see schema/decode.v1.json). */
export function datagramJson(record: DecodedDatagram, time: TimeOptions): Record<string, Json> {
  const { item, read, decryption } = record;
  const out: Record<string, Json> = {
    schema: DECODE_SCHEMA,
    type: 'datagram',
    frame: item.frame,
    time: item.time === undefined ? null : formatTime(item.time, { ...time, iso: true }),
    epoch: item.time === undefined ? null : epoch(item.time),
    src: item.src,
    srcPort: item.srcPort,
    dst: item.dst,
    dstPort: item.dstPort,
    natT: item.nonEspMarker,
    length: item.bytes.length,
    filtered: read === undefined,
  };
  if (read === undefined) return out;
  out.read = read.kind;
  const message = messageOf(read);
  const version = read.kind === 'ikev2' ? 2 : 1;
  out.version = version;
  if (read.kind === 'ikev2') out.ikev2 = describeIkev2Message(read.message);
  if (message !== undefined) {
    out.header = headerJson(message.header, version);
    out.payloads = payloadsJson(message.payloads, version);
  }
  if (read.kind === 'message' || read.kind === 'fragment') {
    const encrypted = (read.message.header.flags & HeaderFlag.ENCRYPTION) !== 0;
    out.encrypted = encrypted;
    if (read.message.encrypted !== undefined) out.ciphertext = hex(read.message.encrypted);
    if (read.kind === 'message') {
      out.retransmission = read.retransmission;
      out.reassembled = read.reassembled;
    }
    if (encrypted) {
      out.decrypted = decryption?.kind === 'decrypted';
      if (decryption?.kind === 'decrypted') {
        out.ivSource = decryption.ivSource;
        out.cipher = decryption.cipher;
        out.recovered = decryption.recovered;
        out.plaintext = payloadsJson(decryption.payloads, 1);
      } else if (decryption !== undefined)
        out.decryption =
          decryption.kind === 'not-decrypted'
            ? { kind: decryption.kind, reason: decryption.reason }
            : { kind: decryption.kind, code: decryption.code, message: decryption.message };
    }
  }
  const fault = faultOf(read);
  if (fault !== undefined)
    out.error = {
      code: fault.problem.code,
      offset: fault.problem.offset,
      message: fault.problem.message,
      partial: fault.partial,
      reassembled: fault.problem.reassembled,
    };
  return out;
}

function describeSummary(summary: CaptureSummary): string {
  const reasons = Object.entries(summary.reasons)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
  return `${summary.frames} frame${summary.frames === 1 ? '' : 's'}: ${datagramCount(summary.ike)}, ${summary.skipped} skipped, ${summary.malformed} malformed${
    reasons ? ` (${reasons})` : ''
  }`;
}

/** The final `--json` object: the frame accounting and what the pass saw. */
function summaryJson(summary: CaptureSummary, seen: ViewSummary, shown: number): Record<string, Json> {
  return {
    schema: DECODE_SCHEMA,
    type: 'summary',
    frames: summary.frames,
    ike: summary.ike,
    skipped: summary.skipped,
    malformed: summary.malformed,
    reasons: { ...summary.reasons },
    truncated: summary.truncated,
    shown,
    filtered: seen.filtered,
    encrypted: seen.encrypted,
    decrypted: seen.decrypted,
    problems: seen.problems,
    ikev2: seen.ikev2,
    keys: seen.keys,
  };
}

/** Options of `oaklog decode`. */
export interface DecodeCommandOptions extends RecordFilter {
  /** Also list frames that were skipped (not IKE) rather than only IKE datagrams and malformed frames. */
  readonly all?: boolean;
  /** Key file: decrypt, and show the decrypted payloads in full. */
  readonly keys?: string;
  /** NDJSON: one object per frame, then a summary object. */
  readonly json?: boolean;
  /** The field tree under each line (the default with `keys`). */
  readonly verbose?: boolean;
  /** Only the conversations with this peer. */
  readonly peer?: string;
  /** Only the conversations of this cookie (or initiator cookie prefix). */
  readonly cookie?: string;
  /** How times print. */
  readonly time?: TimeOptions;
}

/** Whether a record's datagram is of the exchange/message ID asked for. */
function exchangeOf(item: DecodeItem): number | undefined {
  if (item.kind !== 'datagram') return undefined;
  const message = messageOf(item.read);
  return message?.header.exchangeType;
}

/**
 * `oaklog decode <capture>`: one line per IKE datagram (IKEv1, or labelled IKEv2), then the accounting of every frame;
 * with `--keys`, the decrypted payloads and (as with `--verbose`) every field as an indented tree; with `--json`,
 * NDJSON. Read through `@oaklog/pipeline`'s `decodeCapture`, the one pass `oaklog view` makes. Exits 1 when a frame is
 * malformed, a datagram did not decode whole, or a key was given and messages still did not decrypt, as `view` does.
 */
export async function decodeCommand(path: string, options: DecodeCommandOptions, out: Output): Promise<number> {
  const keys = options.keys === undefined ? [] : await loadKeyFile(options.keys, out);
  const reader = captureReader(path);
  const pass = decodeCapture(reader, {
    keys,
    ...(options.peer === undefined ? {} : { peer: options.peer }),
    ...(options.cookie === undefined ? {} : { cookie: options.cookie }),
  });
  const time: TimeOptions = options.time ?? {};
  const verbose = options.verbose ?? keys.length > 0;
  let shown = 0;
  for await (const record of pass) {
    // A reader slower than the capture (a pipe to a pager) is waited for, not queued in memory.
    const full = out.drain?.();
    if (full !== undefined) await full;
    if (record.kind === 'other' && record.item.kind === 'skipped' && !options.all) continue;
    if (record.kind === 'datagram' && record.read === undefined) continue;
    const frame = record.item.frame;
    if (
      !wantedRecord(
        options,
        frame,
        exchangeOf(record),
        record.kind === 'datagram' ? messageOf(record.read)?.header.messageId : undefined,
        shown,
      )
    )
      continue;
    if (options.count !== undefined && shown >= options.count) continue;
    shown += 1;
    if (record.kind === 'other') {
      const i = record.item;
      out.stdout(
        options.json
          ? JSON.stringify({ schema: DECODE_SCHEMA, type: i.kind, frame: i.frame, reason: i.reason, offset: i.offset })
          : `#${i.frame} ${i.kind}: ${i.reason} at byte ${i.offset}`,
      );
      continue;
    }
    if (options.json) {
      out.stdout(JSON.stringify(datagramJson(record, time)));
      continue;
    }
    out.stdout(datagramLine(record, undefined));
    if (verbose) {
      const json = datagramJson(record, time);
      const shownTree: Record<string, Json> = {};
      for (const key of ['header', 'payloads', 'plaintext', 'error'])
        if (json[key] !== undefined) shownTree[key] = json[key] as Json;
      if (json.ivSource !== undefined) shownTree.ivSource = json.ivSource as Json;
      for (const line of tree(shownTree)) out.stdout(line);
    }
  }
  const seen = pass.summary;
  const summary = reader.summary;
  if (options.json) out.stdout(JSON.stringify(summaryJson(summary, seen, shown)));
  else out.stdout(describeSummary(summary));
  if (summary.truncated) out.stderr('oaklog: the capture ends inside a record (truncated file)');
  const forgotten = forgottenWarning(seen);
  if (forgotten !== undefined) out.stderr(forgotten);
  const undecrypted = seen.encrypted - seen.decrypted;
  if (keys.length > 0 && undecrypted > 0)
    out.stderr(
      `oaklog: ${undecrypted} of ${seen.encrypted} encrypted messages could not be decrypted (wrong or missing keys?)`,
    );
  // The exit code `oaklog view` gives the same capture: a datagram that did not decode whole is a failure in both.
  return summary.malformed > 0 || summary.truncated || seen.problems > 0 || (keys.length > 0 && undecrypted > 0)
    ? 1
    : 0;
}
