import type { Output } from '../output';
import {
  type CaptureOptions,
  captureExitCode,
  datagramCount,
  filterWarning,
  ikev2FrameList,
  localWarning,
  openCapture,
  problemLine,
  undecryptedCount,
} from './capture';

/** Options of `oaklog view`: those of every capture command, plus how the lines are printed. */
export interface ViewCommandOptions extends CaptureOptions {
  /** Minutes east of UTC for the printed times. */
  readonly utcOffset?: number;
  /** Write CRLF line endings, as the Windows clients did. */
  readonly crlf?: boolean;
}

/**
 * `oaklog view <capture>`: the capture as the VPN client's View Log. Encrypted messages show their whole payload list
 * when keys are at hand, otherwise only the first payload type (the only one readable without keys). The pass itself
 * is `@oaklog/pipeline`'s `viewCapture`; the command finds the files, prints, and chooses the exit code.
 */
export async function viewCommand(path: string, options: ViewCommandOptions, out: Output): Promise<number> {
  const { view, reader, keys } = await openCapture(
    path,
    options,
    out,
    options.utcOffset === undefined ? {} : { utcOffsetMinutes: options.utcOffset },
  );
  const cr = options.crlf ? '\r' : '';
  for await (const item of view) {
    if (item.kind === 'event') for (const line of item.lines) out.stdout(line + cr);
    // Printed as they come (nothing kept), worded as `oaklog decode` words the same frame, to match them by number.
    else out.stderr(problemLine(item));
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
  const undecrypted = undecryptedCount(seen);
  if (undecrypted > 0)
    out.stderr(
      keys.length > 0
        ? `oaklog: ${undecrypted} of ${seen.encrypted} encrypted messages could not be decrypted (wrong or missing keys, or the message their IV comes from is not in the capture); they show their first payload only`
        : `oaklog: ${seen.encrypted} encrypted messages show their first payload only (no keys; pass --keys)`,
    );
  if (summary.malformed > 0) out.stderr(`oaklog: ${summary.malformed} malformed frames (see oaklog decode --all)`);
  if (summary.truncated) out.stderr('oaklog: the capture ends inside a record (truncated file)');
  return captureExitCode(summary, seen, keys);
}
