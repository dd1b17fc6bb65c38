/**
 * `oaklog diagnose FILE`: how each connection and phase ended, with the evidence and the next step, for a View Log or
 * for a capture. The file's first four bytes tell which: a pcap or pcapng magic number is a capture, anything else is
 * read as a log (a binary file that is no capture gets the log path's answer: too little of it read to judge).
 *
 * Both paths end in one `@oaklog/viewlog` diagnoser and one printer. A log's events come from the grammar; a capture's
 * from `@oaklog/pipeline`'s `viewCapture`, the pass `oaklog view` prints, each event given the place its lines have
 * in that View Log, so the diagnoser reads exactly what it would read from `oaklog view x.pcap > x.log`. The evidence
 * of a capture names the frame it came from instead of a line number.
 */

import type { CaptureSummary } from '@oaklog/pcap';
import type { ViewSummary } from '@oaklog/pipeline';
import {
  createDiagnoser,
  type DiagnoseResult,
  type Evidence,
  MIN_READ_SHARE,
  type Source,
  verdict,
} from '@oaklog/viewlog';
import { UsageError } from '../errors';
import type { Output } from '../output';
import {
  type CaptureOptions,
  captureExitCode,
  datagramCount,
  ikev2FrameList,
  localWarning,
  looksLikeCapture,
  malformedFrameList,
  openCapture,
  problemLine,
  undecryptedCount,
} from './capture';
import { bytesOf, entriesOf, readLog } from './viewlog';

/** The options `diagnose` takes: a capture's (a log takes none). */
export type DiagnoseCommandOptions = CaptureOptions;

/** The command-line spelling of each capture option, to name the ones a log was given. */
const CAPTURE_FLAGS: Readonly<Record<keyof CaptureOptions, string>> = {
  keys: '--keys',
  noKeys: '--no-keys',
  local: '--local',
  peer: '--peer',
  cookie: '--cookie',
  connection: '--connection',
};

/** A file opened once: its first bytes (at least four, unless the file is shorter), and all its bytes again. */
interface Peeked {
  readonly head: Uint8Array;
  readonly bytes: AsyncGenerator<Uint8Array>;
  /** Closes the file when the bytes will not be read. */
  close(): Promise<void>;
}

/**
 * Opens `path` and reads until its first four bytes are in: a pipe cannot be opened twice, so what was read to look
 * at them is given back at the front of the bytes.
 */
async function peek(path: string): Promise<Peeked> {
  const source = bytesOf(path);
  const first: Uint8Array[] = [];
  let length = 0;
  let ended = false;
  while (length < 4) {
    const next = await source.next();
    if (next.done) {
      ended = true;
      break;
    }
    first.push(next.value);
    length += next.value.length;
  }
  const head = new Uint8Array(Math.min(4, length));
  let at = 0;
  for (const chunk of first) {
    if (at >= head.length) break;
    const part = chunk.subarray(0, head.length - at);
    head.set(part, at);
    at += part.length;
  }
  return {
    head,
    bytes: (async function* () {
      try {
        yield* first;
        first.length = 0;
        if (!ended) yield* source;
      } finally {
        await source.return(undefined);
      }
    })(),
    close: async () => {
      await source.return(undefined);
    },
  };
}

/**
 * `oaklog diagnose <capture|log>`: the outcome of each connection and phase, with evidence and the next step. A
 * capture is read as `oaklog view` reads it (same keys, same options); a log takes no options.
 */
export async function diagnoseCommand(
  path: string,
  options: DiagnoseCommandOptions,
  out: Output,
  format: { readonly json?: boolean } = {},
): Promise<number> {
  const input = await peek(path);
  if (looksLikeCapture(input.head)) return diagnoseCapture(path, options, input, out, format.json === true);
  const given = (Object.keys(CAPTURE_FLAGS) as (keyof CaptureOptions)[]).filter((k) => options[k] !== undefined);
  if (given.length > 0) {
    await input.close();
    throw new UsageError(
      `${path} is not a pcap/pcapng capture, so it is read as a View Log, and ${given.map((k) => CAPTURE_FLAGS[k]).join(', ')} ${given.length === 1 ? 'applies' : 'apply'} to captures only`,
    );
  }
  return diagnoseLog(path, input.bytes, out, format.json === true);
}

/** The JSON schema name of `oaklog diagnose --json` objects. */
export const DIAGNOSE_SCHEMA = 'oaklog.diagnose/1';

/** Outcomes that are not a failure: up, or ended after being up. */
const FINE: ReadonlySet<string> = new Set(['established', 'deleted']);

/**
 * Whether a phase failed: the last attempt of some connection's phase ended in anything but `established` or
 * `deleted` (a failed attempt that a later attempt of the same phase recovered from does not count).
 */
export function failedPhase(result: DiagnoseResult): boolean {
  const last = new Map<string, string>();
  for (const d of result.diagnoses) last.set(`${d.connection ?? d.peer ?? ''}\u0000${d.phase}`, d.outcome);
  return [...last.values()].some((outcome) => !FINE.has(outcome));
}

/** A log: each event as the grammar reads it; evidence by line number. Exit 1 when a phase failed. */
async function diagnoseLog(
  path: string,
  bytes: AsyncIterable<Uint8Array>,
  out: Output,
  json: boolean,
): Promise<number> {
  const diagnoser = createDiagnoser();
  for await (const { event } of entriesOf(readLog(path, bytes))) diagnoser.push(event);
  const result = diagnoser.finish();
  // Too little read to judge, or nothing about IKE at all: said first, plainly, with the share of lines read.
  const overall = verdict(result);
  if (json) {
    if (overall !== undefined) out.stdout(JSON.stringify({ schema: DIAGNOSE_SCHEMA, type: 'note', text: overall }));
    printDiagnosesJson(result, (evidence) => ({ line: evidence.line }), out);
  } else {
    if (overall !== undefined) out.stdout(overall);
    printDiagnoses(result, (evidence) => `line ${evidence.line}`, out);
  }
  return failedPhase(result) ? 1 : 0;
}

/** Each diagnosis as one JSON object (evidence located by `where`: `{line}` or `{frame}`), then a summary. */
export function printDiagnosesJson(
  result: DiagnoseResult,
  where: (evidence: Evidence) => Record<string, number | null>,
  out: Output,
): void {
  for (const d of result.diagnoses)
    out.stdout(
      JSON.stringify({
        schema: DIAGNOSE_SCHEMA,
        type: 'diagnosis',
        connection: d.connection ?? null,
        peer: d.peer ?? null,
        phase: d.phase,
        outcome: d.outcome,
        failed: !FINE.has(d.outcome),
        implied: d.implied === true,
        notify: d.notify ?? null,
        summary: d.summary,
        reason: d.reason ?? null,
        evidence: d.evidence.map((e) => ({ ...where(e), text: e.text })),
        omittedEvidence: d.omittedEvidence ?? 0,
        nextStep: d.nextStep,
      }),
    );
  out.stdout(
    JSON.stringify({
      schema: DIAGNOSE_SCHEMA,
      type: 'summary',
      diagnoses: result.diagnoses.length,
      omitted: result.omitted,
      failed: failedPhase(result),
    }),
  );
}

/**
 * The capture frame of each event pushed to the diagnoser, by push order (an evidence's `index`): 4 bytes per event,
 * 0 for the lines written at the end of the capture (frames count from 1).
 */
class FrameIndex {
  private frames = new Uint32Array(1024);
  private length = 0;

  push(frame: number | undefined): void {
    if (this.length === this.frames.length) {
      const grown = new Uint32Array(this.frames.length * 2);
      grown.set(this.frames);
      this.frames = grown;
    }
    this.frames[this.length++] = frame ?? 0;
  }

  /** Where the evidence came from: its frame, or the end of the capture. */
  where(evidence: Evidence): string {
    const frame = evidence.index < this.length ? this.frames[evidence.index] : 0;
    return frame === undefined || frame === 0 ? 'end of capture' : `frame ${frame}`;
  }

  /** The same for JSON: `{frame}`, null at the end of the capture. */
  at(evidence: Evidence): { frame: number | null } {
    const frame = evidence.index < this.length ? this.frames[evidence.index] : 0;
    return { frame: frame === undefined || frame === 0 ? null : frame };
  }
}

/** A sentence `verdict` wrote about a log, said of the View Log the capture renders (the events the diagnoser read). */
function ofCapture(sentence: string): string {
  return sentence.replace(/\b([Tt])(?:his|he) log\b/g, (_m, t: string) => `${t}he View Log of this capture`);
}

/**
 * A capture: its events as `oaklog view` renders them, each given the lines it prints there as its source (so the
 * diagnoser reads what it would read from the View Log); evidence by frame. Problems go to stderr as `view` prints
 * them, and the exit code follows `view`'s rule.
 */
async function diagnoseCapture(
  path: string,
  options: CaptureOptions,
  input: Peeked,
  out: Output,
  json: boolean,
): Promise<number> {
  // A key file that cannot be used stops the command before the capture is read: close it then.
  const { view, reader, keys } = await openCapture(path, options, out, { bytes: input.bytes }).catch(
    async (error: unknown) => {
      await input.close();
      throw error;
    },
  );
  const diagnoser = createDiagnoser();
  const frames = new FrameIndex();
  let line = 1;
  let offset = 0;
  for await (const item of view) {
    if (item.kind === 'problem') {
      out.stderr(problemLine(item));
      continue;
    }
    const raw = `${item.lines.join('\n')}\n`;
    const source: Source = {
      line,
      endLine: line + item.lines.length - 1,
      start: offset,
      end: offset + raw.length,
      raw,
    };
    line += item.lines.length;
    offset += raw.length;
    frames.push(item.frame);
    diagnoser.push({ ...item.event, source });
  }
  const result = diagnoser.finish();
  const { summary } = reader;
  const seen = view.summary;
  const local = localWarning(options, seen);
  if (local !== undefined) out.stderr(local);
  const note = (text: string) =>
    out.stdout(json ? JSON.stringify({ schema: DIAGNOSE_SCHEMA, type: 'note', text }) : text);
  for (const sentence of captureFacts(result, summary, seen, keys.length > 0)) note(sentence);
  if (result.coverage.lines > 0) {
    const overall = verdict(result);
    if (overall !== undefined) note(ofCapture(overall));
    if (json) printDiagnosesJson(result, (evidence) => frames.at(evidence), out);
    else printDiagnoses(result, (evidence) => frames.where(evidence), out);
  }
  return Math.max(captureExitCode(summary, seen, keys), failedPhase(result) ? 1 : 0);
}

/**
 * What the capture itself says about the ground the diagnoses stand on, said before them: nothing to judge (no IKE,
 * nothing matching the filter, IKEv2 only, nothing readable), or what they cannot rest on (IKEv2 left out, datagrams
 * that did not decode, malformed frames, a truncated file, negotiations cut by the capture's end, messages not
 * decrypted).
 */
function captureFacts(result: DiagnoseResult, summary: CaptureSummary, seen: ViewSummary, keyed: boolean): string[] {
  const { frames } = summary;
  if (seen.datagrams === 0)
    return [
      `This capture holds no IKE datagram (${frames} frame${frames === 1 ? '' : 's'} read): there is nothing to judge.`,
    ];
  if (seen.filtered === seen.datagrams)
    return [
      `No IKE datagram of this capture matches --peer/--cookie (${datagramCount(seen.datagrams)} left out): there is nothing to judge.`,
    ];
  const wanted = seen.datagrams - seen.filtered;
  const ikev1 = wanted - seen.ikev2;
  const ikev2 = `${datagramCount(seen.ikev2, 'IKEv2')}: ${ikev2FrameList(seen)}`;
  if (ikev1 === 0)
    return [
      `This capture holds IKEv2 only (${ikev2}), which oaklog does not judge: it reads IKEv1 (ISAKMP) negotiations, as the VPN clients logged them.`,
    ];
  const facts: string[] = [];
  if (seen.ikev2 > 0)
    facts.push(
      `This capture also holds IKEv2 (${ikev2}), which oaklog does not judge: what follows rests on its ${datagramCount(ikev1, 'IKEv1')} only.`,
    );
  if (seen.problems > 0) {
    // Undecodable datagrams may not be IKEv1 at all: counted among the IKE datagrams that are not IKEv2.
    const among = `${seen.problems} of its ${datagramCount(ikev1)}${seen.ikev2 > 0 ? ' that are not IKEv2' : ''} did not decode whole (listed on stderr)`;
    facts.push(
      (ikev1 - seen.problems) / ikev1 < MIN_READ_SHARE
        ? `Too little of this capture was understood to judge it: ${among}.${result.diagnoses.length > 0 ? ' The diagnoses below rest on the datagrams it read.' : ''}`
        : `${among}: what they said is missing from what follows.`,
    );
  }
  if (summary.malformed > 0)
    facts.push(
      `${summary.malformed} frame${summary.malformed === 1 ? ' is' : 's are'} malformed (${malformedFrameList(summary)}; see oaklog decode --all): what ${summary.malformed === 1 ? 'it' : 'they'} carried is missing from what follows.`,
    );
  if (summary.truncated)
    facts.push('The capture file ends inside a record (truncated file): whatever came after is missing.');
  if (seen.cut > 0)
    facts.push(
      `The capture ends while ${seen.cut} negotiation${seen.cut === 1 ? ' was' : 's were'} still being retried: it shows the resends, not whether the client gave up.`,
    );
  const undecrypted = undecryptedCount(seen);
  if (undecrypted > 0)
    facts.push(
      keyed
        ? `${undecrypted} of ${seen.encrypted} encrypted messages could not be decrypted (wrong or missing keys, or the message their IV comes from is not in the capture): they are read by their first payload only.`
        : `${seen.encrypted} encrypted messages were read without keys, by their first payload only (pass --keys to read them whole).`,
    );
  if (result.coverage.lines === 0)
    facts.push('No IKEv1 message of this capture could be read: there is nothing to judge.');
  return facts;
}

/** Each diagnosis: who and which phase, the outcome, why, the evidence (located by `where`), the next step. */
export function printDiagnoses(result: DiagnoseResult, where: (evidence: Evidence) => string, out: Output): void {
  for (const diagnosis of result.diagnoses) {
    const who = diagnosis.connection ?? diagnosis.peer ?? '(unnamed connection)';
    out.stdout(`${who} phase ${diagnosis.phase}: ${diagnosis.outcome}${diagnosis.implied ? ' (implied)' : ''}`);
    out.stdout(`  ${diagnosis.summary}`);
    if (diagnosis.reason !== undefined) out.stdout(`  reason: ${diagnosis.reason}`);
    for (const evidence of diagnosis.evidence) out.stdout(`  ${where(evidence)}: ${evidence.text}`);
    if (diagnosis.omittedEvidence !== undefined)
      out.stdout(`  (${diagnosis.omittedEvidence} more lines of evidence not shown)`);
    out.stdout(`  next step: ${diagnosis.nextStep}`);
  }
  if (result.omitted > 0) out.stdout(`${result.omitted} later phase attempts not shown: only the first ones are kept`);
}
