/**
 * The capture reader's contract on one file held in memory: it throws nothing but `CaptureError` (known code,
 * offset inside the file), yields exactly one item per frame numbered 1, 2, 3, … (plus at most one final
 * `truncated-record` item, which is not a frame), its summary adds up (`frames === ike + skipped + malformed`, the
 * per-reason counts sum to skipped + malformed, and they match the items), and an IKE datagram's `offset` is where
 * its bytes sit in the file. Every datagram then goes through the ISAKMP codec contract. Finally the frames are
 * written back with the package's writer in the same format and must read back the same (data, lengths, link
 * type, interface, and the time where the resolution is decimal).
 */
import { equalBytes } from '@oaklog/common';
import {
  CaptureError,
  type CaptureFrame,
  type CaptureItem,
  type CaptureSummary,
  type CaptureWriterOptions,
  malformedReasons,
  readCaptureBytes,
  readFramesFromBytes,
  skipReasons,
  writeCapture,
} from '@oaklog/pcap';
import { CODE_SHAPE, ContractViolation, check, hex } from './bytes';
import { checkDatagram } from './isakmp-contract';

// Reasons come from the package's own exported lists, so a reason it adds is known here without a copy.
const SKIP_REASONS: ReadonlySet<string> = new Set(skipReasons);
const MALFORMED_REASONS: ReadonlySet<string> = new Set(malformedReasons);

/** Reads the whole capture; returns its items and summary, or undefined when it threw a well-formed CaptureError. */
export function readAll(data: Uint8Array): { items: CaptureItem[]; summary: CaptureSummary } | undefined {
  const reader = readCaptureBytes(data);
  const items: CaptureItem[] = [];
  try {
    for (const item of reader) items.push(item);
  } catch (error) {
    if (!(error instanceof CaptureError)) {
      const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new ContractViolation(`readCaptureBytes threw ${what} instead of a CaptureError`, { cause: error });
    }
    check(CODE_SHAPE.test(error.code), () => `CaptureError with code ${error.code}`);
    check(
      Number.isInteger(error.offset) && error.offset >= 0 && error.offset <= data.length,
      () => `CaptureError ${error.code} offset ${error.offset} outside the ${data.length}-byte file`,
    );
    check(
      error.frame === undefined || (Number.isInteger(error.frame) && error.frame >= 1),
      () => `CaptureError frame ${error.frame}`,
    );
    checkItems(data, items, undefined);
    return undefined;
  }
  checkItems(data, items, reader.summary);
  checkRewrite(data, reader.summary);
  return { items, summary: reader.summary };
}

function frameList(bytes: Uint8Array): CaptureFrame[] {
  return [...readFramesFromBytes(bytes)].flatMap((e) => (e.kind === 'frame' ? [e] : []));
}

/** What the writer writes reads back identically (writer.ts's own promise), for the frames of a capture. */
function checkRewrite(data: Uint8Array, summary: CaptureSummary): void {
  if (summary.format === undefined || summary.sections > 1 || summary.interfaces.length === 0) return;
  const frames = frameList(data);
  const first = summary.interfaces[0]!;
  const options: CaptureWriterOptions =
    summary.format === 'pcap'
      ? { format: 'pcap', linkType: first.linkType, nanoseconds: first.tsresol === 9, snaplen: first.snaplen }
      : {
          format: 'pcapng',
          interfaces: summary.interfaces.map((i) => ({ linkType: i.linkType, snaplen: i.snaplen, tsresol: i.tsresol })),
        };
  let written: Uint8Array;
  try {
    written = writeCapture(
      frames.map((f) => ({
        time: f.time ?? { seconds: 0, nanoseconds: 0 },
        data: f.data,
        originalLength: f.originalLength,
        interfaceId: f.interfaceId,
      })),
      options,
    );
  } catch (error) {
    if (error instanceof CaptureError) return; // values the writer refuses (it says so with its typed error)
    throw error;
  }
  const again = frameList(written);
  check(again.length === frames.length, () => `rewritten capture reads ${again.length} frames, not ${frames.length}`);
  frames.forEach((f, i) => {
    const g = again[i]!;
    const where = `rewritten frame ${i + 1}`;
    check(equalBytes(f.data, g.data), () => `${where}: data differs`);
    check(
      f.originalLength === g.originalLength,
      () => `${where}: original length ${g.originalLength}, was ${f.originalLength}`,
    );
    check(
      f.linkType === g.linkType && f.interfaceId === g.interfaceId,
      () => `${where}: link type or interface differs`,
    );
    const iface = summary.interfaces[f.interfaceId];
    const decimal = iface !== undefined && (iface.tsresol === 6 || iface.tsresol === 9) && iface.tsoffset === 0;
    if (decimal && f.time && f.time.nanoseconds < 1e9) {
      check(
        g.time?.seconds === f.time.seconds && g.time.nanoseconds === f.time.nanoseconds,
        () => `${where}: time ${JSON.stringify(g.time)}, was ${JSON.stringify(f.time)}`,
      );
    }
  });
}

function checkItems(data: Uint8Array, items: readonly CaptureItem[], summary: CaptureSummary | undefined): void {
  const counts = { ike: 0, skipped: 0, malformed: 0, nonEspMarker: 0 };
  const reasons: Record<string, number> = {};
  let truncatedRecord = false;
  items.forEach((item, i) => {
    const where = `item ${i} (frame ${item.frame}, ${item.kind})`;
    check(!truncatedRecord, () => `${where} follows the truncated-record item`);
    check(
      Number.isInteger(item.offset) && item.offset >= 0 && item.offset <= data.length,
      () => `${where}: offset ${item.offset} outside the ${data.length}-byte file`,
    );
    if (item.kind === 'malformed' && item.reason === 'truncated-record') {
      truncatedRecord = true;
      return;
    }
    check(item.frame === i + 1, () => `${where}: frames must be numbered 1, 2, 3, … but this is item ${i + 1}`);
    counts[item.kind] += 1;
    if (item.kind === 'ike') {
      if (item.nonEspMarker) counts.nonEspMarker += 1;
      if (!item.fragments) {
        const inFile = data.subarray(item.offset, item.offset + item.bytes.length);
        check(
          equalBytes(inFile, item.bytes),
          () => `${where}: bytes ${hex(item.bytes, 16)} are not at file offset ${item.offset}`,
        );
      }
      if (!item.truncated) checkDatagram(item.bytes);
    } else {
      const known = item.kind === 'skipped' ? SKIP_REASONS : MALFORMED_REASONS;
      check(known.has(item.reason), () => `${where}: reason ${item.reason}`);
      reasons[item.reason] = (reasons[item.reason] ?? 0) + 1;
    }
  });
  if (!summary) return;
  check(summary.done, 'summary not done after iteration');
  check(
    summary.truncated === truncatedRecord,
    () => `summary.truncated ${summary.truncated}, items say ${truncatedRecord}`,
  );
  check(
    summary.frames === summary.ike + summary.skipped + summary.malformed,
    () =>
      `frames ${summary.frames} != ike ${summary.ike} + skipped ${summary.skipped} + malformed ${summary.malformed}`,
  );
  check(
    summary.frames === counts.ike + counts.skipped + counts.malformed,
    () => `summary counts ${summary.frames} frames, items ${counts.ike + counts.skipped + counts.malformed}`,
  );
  check(
    summary.ike === counts.ike && summary.skipped === counts.skipped && summary.malformed === counts.malformed,
    () => {
      return `summary ike/skipped/malformed ${summary.ike}/${summary.skipped}/${summary.malformed}, items ${counts.ike}/${counts.skipped}/${counts.malformed}`;
    },
  );
  check(summary.nonEspMarker === counts.nonEspMarker, 'summary.nonEspMarker disagrees with the items');
  const summed = Object.values(summary.reasons).reduce((n, c) => n + (c ?? 0), 0);
  check(summed === summary.skipped + summary.malformed, () => `reasons add up to ${summed}, not skipped + malformed`);
  for (const [reason, n] of Object.entries(reasons)) {
    check(summary.reasons[reason as keyof typeof summary.reasons] === n, () => `summary.reasons.${reason} != ${n}`);
  }
  check(summary.reassembled <= summary.frames, 'more datagrams reassembled than frames read');
  if (summary.frames > 0) check(summary.format !== undefined, 'frames read but no format detected');
}
