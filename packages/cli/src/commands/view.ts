import { createDiagnoser } from '@oaklog/viewlog';
import { EXCHANGE_ABBREVIATIONS, type RecordFilter } from '../filters';
import { toJson } from '../json';
import type { Output } from '../output';
import { type TimeOptions, utcOffsetOf } from '../time';
import {
  type CaptureOptions,
  captureExitCode,
  datagramCount,
  filterWarning,
  forgottenWarning,
  ikev2FrameList,
  localWarning,
  malformedFrameList,
  openCapture,
  problemLine,
  undecryptedCount,
} from './capture';
import { failedPhase } from './diagnose';

/** Options of `oaklog view`: those of every capture command, plus how the lines are printed. */
export interface ViewCommandOptions extends CaptureOptions, RecordFilter {
  /** Minutes east of UTC for the printed times (older spelling of `time.utcOffsetMinutes`). */
  readonly utcOffset?: number;
  /** How times print: a fixed offset or an IANA zone. */
  readonly time?: TimeOptions;
  /** Write CRLF line endings, as the Windows clients did. */
  readonly crlf?: boolean;
  /** NDJSON: one object per event, then a summary. */
  readonly json?: boolean;
  /** Exit 1 when a phase failed, as `diagnose` judges it. */
  readonly strict?: boolean;
}

/** The JSON schema name of `oaklog view --json` objects. */
export const VIEW_SCHEMA = 'oaklog.view/1';

/** The exchange type number a View Log exchange word stands for (`MM`, `QM`, ... or a number). */
function exchangeNumber(word: string): number | undefined {
  return EXCHANGE_ABBREVIATIONS[word] ?? (/^\d+$/.test(word) ? Number(word) : undefined);
}

/**
 * `oaklog view <capture>`: the capture as the VPN client's View Log. Encrypted messages show their whole payload list
 * when keys are at hand, otherwise only the first payload type (the only one readable without keys). The pass itself
 * is `@oaklog/pipeline`'s `viewCapture`; the command finds the files, prints, and chooses the exit code.
 */
export async function viewCommand(path: string, options: ViewCommandOptions, out: Output): Promise<number> {
  const time = options.time ?? (options.utcOffset === undefined ? {} : { utcOffsetMinutes: options.utcOffset });
  // A zone's offset changes with daylight saving time: each line is printed at the offset of its own time.
  const utcOffsetMinutes = utcOffsetOf(time);
  const { view, reader, keys } = await openCapture(
    path,
    options,
    out,
    utcOffsetMinutes === undefined ? {} : { utcOffsetMinutes },
  );
  const cr = options.crlf ? '\r' : '';
  const judge = options.strict ? createDiagnoser() : undefined;
  let shown = 0;
  // With --exchange, the lines a datagram of that exchange wrote: its message line and the others from its frame.
  let exchangeFrame: number | undefined;
  for await (const item of view) {
    if (item.kind === 'problem') {
      // Printed as they come (nothing kept), worded as `oaklog decode` words the same frame, to match them by number.
      out.stderr(problemLine(item));
      continue;
    }
    judge?.push(item.event);
    const frame = item.frame;
    if (options.frames !== undefined && (frame === undefined || frame < options.frames[0] || frame > options.frames[1]))
      continue;
    if (options.exchange !== undefined) {
      if (item.event.kind === 'ike-message') {
        exchangeFrame = exchangeNumber(item.event.exchange) === options.exchange ? frame : undefined;
        if (exchangeFrame === undefined) continue;
      } else if (frame === undefined || frame !== exchangeFrame) continue;
    }
    if (options.count !== undefined && shown >= options.count) continue;
    shown += 1;
    const { lines } = item;
    if (options.json)
      out.stdout(
        JSON.stringify({
          schema: VIEW_SCHEMA,
          type: 'event',
          frame: frame ?? null,
          kind: item.event.kind,
          lines,
          event: toJson({ ...item.event, source: undefined }),
        }),
      );
    else for (const line of lines) out.stdout(line + cr);
    // A reader slower than the capture (a pipe to a pager) is waited for, not queued in memory.
    const full = out.drain?.();
    if (full !== undefined) await full;
  }
  const { summary } = reader;
  const seen = view.summary;
  const local = localWarning(options, seen);
  if (local !== undefined) out.stderr(local);
  if (seen.ikev2 > 0)
    out.stderr(
      `oaklog: ${datagramCount(seen.ikev2, 'IKEv2')} left out of the View Log (the clients never logged IKEv2): ${ikev2FrameList(seen)}`,
    );
  if (seen.cut > 0)
    out.stderr(
      `oaklog: the capture ends while ${seen.cut} negotiation${seen.cut === 1 ? ' was' : 's were'} still being retried: the log ends where the capture does (no "Exceeded" line without the silence after the last resend)`,
    );
  const filter = filterWarning(options, seen);
  if (filter !== undefined) out.stderr(filter);
  const forgotten = forgottenWarning(seen);
  if (forgotten !== undefined) out.stderr(forgotten);
  const undecrypted = undecryptedCount(seen);
  if (undecrypted > 0)
    out.stderr(
      keys.length > 0
        ? `oaklog: ${undecrypted} of ${seen.encrypted} encrypted messages could not be decrypted (wrong or missing keys, or the message their IV comes from is not in the capture); they show their first payload only`
        : `oaklog: ${seen.encrypted} encrypted messages show their first payload only (no keys; pass --keys)`,
    );
  if (summary.malformed > 0)
    out.stderr(
      `oaklog: ${summary.malformed} malformed frame${summary.malformed === 1 ? '' : 's'}: ${malformedFrameList(summary)} (see oaklog decode --all)`,
    );
  if (summary.truncated) out.stderr('oaklog: the capture ends inside a record (truncated file)');
  const failed = judge !== undefined && failedPhase(judge.finish());
  if (options.json)
    out.stdout(
      JSON.stringify({
        schema: VIEW_SCHEMA,
        type: 'summary',
        shown,
        datagrams: seen.datagrams,
        filtered: seen.filtered,
        encrypted: seen.encrypted,
        decrypted: seen.decrypted,
        problems: seen.problems,
        ikev2: seen.ikev2,
        cut: seen.cut,
        malformed: summary.malformed,
        truncated: summary.truncated,
        ...(judge === undefined ? {} : { failed }),
      }),
    );
  return Math.max(captureExitCode(summary, seen, keys), failed ? 1 : 0);
}
