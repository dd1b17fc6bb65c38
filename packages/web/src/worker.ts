/**
 * The page's worker: everything that reads an input runs here, so a big file never blocks the page. A capture streams
 * from `File.stream()` through `@oaklog/pcap`'s reader into `@oaklog/pipeline`'s view pipeline (the pass `oaklog view`
 * runs); a log streams through `@oaklog/viewlog`'s decoder and parser. Each event is explained and diagnosed as it
 * comes; the page gets entries and rows in batches, progress as bytes read, and the diagnosis at the end.
 *
 * A newer request stops the job under way (each loop checks that its job is still the current one).
 */
import { type CaptureOutcome, decryptMessages, type IkeSaKeys, toHex } from '@oaklog/crypto';
import { CaptureError, type CaptureItem, type CaptureSummary, readCapture } from '@oaklog/pcap';
import { createViewPipeline, type ViewItem, type ViewSummary } from '@oaklog/pipeline';
import {
  createDiagnoser,
  createLogDecoder,
  type DiagnoseResult,
  type Diagnosis,
  detectDialect,
  explain,
  type LogEncoding,
  type LogEvent,
  parseStream,
  splitLines,
  verdict,
} from '@oaklog/viewlog';
import { readKeyFile } from './keys';
import { ladderMessage, ladderNote } from './ladder';
import type {
  CaptureView,
  DiagnosisView,
  Entry,
  Group,
  KeyFileInput,
  Notice,
  Request,
  Response,
  Result,
} from './protocol';
import { isCapture } from './sniff';
import { messageTree, type TreeDatagram } from './tree';

interface Scope {
  postMessage(message: Response): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<Request>) => void): void;
}
const scope = self as unknown as Scope;

/** Rows (lines) the page is sent at most; past them the worker still reads, counts and diagnoses. */
export const MAX_ROWS = 1_000_000;
/** Bytes of IKE datagrams kept for the message trees; past them a tree is found by reading the file again. */
const MAX_KEPT_DATAGRAM_BYTES = 64 * 1024 * 1024;
/** Conversations listed at most (each further one counts in the notice). */
const MAX_GROUPS = 10_000;
/** Frames remembered with their conversation, for the events the pipeline tells a little later. */
const FRAME_MEMORY = 65_536;
/** A batch goes to the page after this many rows, or this many milliseconds. */
const BATCH_ROWS = 2_000;
const BATCH_MS = 100;
/** Text read without a complete event that makes a file unreadable as a log (as `oaklog` refuses it). */
const MAX_HELD_CHARS = 16 * 1024 * 1024;
/** Bytes read at a time from a log file. */
const CHUNK_BYTES = 64 * 1024;

let current = 0;

/** Thrown to stop a job that a newer one replaced. */
class Superseded extends Error {}

/** An input that cannot be read at all: its message is the one sentence the page shows. */
class Unreadable extends Error {
  constructor(
    message: string,
    /** It is the key file that cannot be used (the capture may be fine). */
    readonly keys = false,
  ) {
    super(message);
  }
}

function check(job: number): void {
  if (job !== current) throw new Superseded();
}

/** Collects what a job tells the page and sends it in batches. */
class Batcher {
  private entries: Entry[] = [];
  private rowText: string[] = [];
  private rowFirst: number[] = [];
  private rowLast: number[] = [];
  private rowLine: number[] = [];
  private fresh: string[] = [];
  private readonly table = new Map<string, number>();
  private last = performance.now();
  private lastProgress = 0;
  /** Entries told so far (the index of the next one). */
  entryCount = 0;
  /** Rows told so far. */
  rowCount = 0;
  /** Rows past `MAX_ROWS`, not sent. */
  dropped = 0;

  constructor(private readonly job: number) {}

  explanation(text: string): number {
    if (text === '') return -1;
    let i = this.table.get(text);
    if (i === undefined) {
      i = this.table.size;
      this.table.set(text, i);
      this.fresh.push(text);
    }
    return i;
  }

  /** Adds an entry; returns its index. */
  entry(e: Entry): number {
    this.entries.push(e);
    return this.entryCount++;
  }

  /** Adds a row touched by entries `first`..`last` (line 0: not a log line, a problem). */
  row(text: string, first: number, last: number, line: number): void {
    if (this.rowCount >= MAX_ROWS) {
      this.dropped++;
      return;
    }
    this.rowText.push(text);
    this.rowFirst.push(first);
    this.rowLast.push(last);
    this.rowLine.push(line);
    this.rowCount++;
  }

  /** Sends what is collected when enough is, or when `force`. */
  flush(force = false): void {
    const now = performance.now();
    if (!force && this.rowText.length < BATCH_ROWS && now - this.last < BATCH_MS) return;
    this.last = now;
    if (this.entries.length === 0 && this.rowText.length === 0) return;
    check(this.job);
    scope.postMessage({
      type: 'entries',
      job: this.job,
      entries: this.entries,
      explanations: this.fresh,
      rows: { text: this.rowText, first: this.rowFirst, last: this.rowLast, line: this.rowLine },
    });
    this.entries = [];
    this.fresh = [];
    this.rowText = [];
    this.rowFirst = [];
    this.rowLast = [];
    this.rowLine = [];
  }

  progress(done: number, total: number, stage: string): void {
    const now = performance.now();
    if (now - this.lastProgress < BATCH_MS && done < total) return;
    this.lastProgress = now;
    scope.postMessage({ type: 'progress', job: this.job, done, total, stage });
  }
}

/** A file's bytes in chunks, counting them as they are read. */
async function* bytesOf(file: Blob, onBytes: (n: number) => void): AsyncGenerator<Uint8Array> {
  const reader = file.stream().getReader();
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.length;
      onBytes(read);
      // Chunks come as the browser reads them; a log is parsed in pieces of at most CHUNK_BYTES so progress moves.
      for (let i = 0; i < value.length; i += CHUNK_BYTES) yield value.subarray(i, i + CHUNK_BYTES);
    }
  } finally {
    reader.releaseLock();
  }
}

/** The diagnosis as the page shows it, evidence by line. */
function diagnosisViews(
  result: DiagnoseResult,
  evidence: (
    index: number,
    line: number,
    text: string,
  ) => { line: number; lines: number; text?: string; group: number },
): DiagnosisView[] {
  return result.diagnoses.map((d: Diagnosis) => {
    const lines = d.evidence.map((e) => evidence(e.index, e.line, e.text));
    return {
      who: d.connection ?? d.peer ?? '(unnamed connection)',
      phase: d.phase,
      outcome: d.outcome,
      implied: d.implied === true,
      summary: d.summary,
      ...(d.reason === undefined ? {} : { reason: d.reason }),
      evidence: lines.map(({ group: _, ...l }) => l),
      ...(d.omittedEvidence === undefined ? {} : { omittedEvidence: d.omittedEvidence }),
      nextStep: d.nextStep,
      group: lines.find((l) => l.group >= 0)?.group ?? -1,
    };
  });
}

// ---- Captures ----

interface KeptDatagram extends TreeDatagram {
  readonly cookie: string;
}

/** What is kept of the last capture, for the message trees asked for later. */
interface CaptureState {
  readonly file: Blob;
  readonly keys: readonly IkeSaKeys[];
  readonly keysGiven: boolean;
  /** The IKE datagrams, while they fit in `MAX_KEPT_DATAGRAM_BYTES`; undefined past it. */
  kept: KeptDatagram[] | undefined;
  /** Crypto's outcomes per conversation (initiator cookie), by frame, once a tree of it was asked for. */
  readonly outcomes: Map<string, Map<number, CaptureOutcome>>;
}

let captureState: CaptureState | undefined;

/** Initiator cookie (hex) of an IKEv1 datagram; undefined for IKEv2 or a datagram too short to have one. */
function initiatorCookie(bytes: Uint8Array): string | undefined {
  if (bytes.length < 28 || bytes[17]! >> 4 !== 1) return undefined;
  return toHex(bytes.subarray(0, 8));
}

function isZero(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0);
}

async function loadKeys(input: KeyFileInput | undefined): Promise<IkeSaKeys[]> {
  if (input === undefined) return [];
  const bytes = new Uint8Array(await input.file.slice(0, 4 * 1024 * 1024 + 1).arrayBuffer());
  const result = readKeyFile(input.name, bytes);
  if (!result.ok)
    throw new Unreadable(
      `${result.message}${result.details.length > 0 ? ` ${result.details.slice(0, 3).join('; ')}${result.details.length > 3 ? '; …' : ''}` : ''}`,
      true,
    );
  return result.keys;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The notices `oaklog view` prints on stderr, worded for the page. */
function captureNotices(
  view: CaptureView,
  seen: ViewSummary,
  capture: CaptureSummary,
  keysGiven: boolean,
  dropped: number,
  rows: number,
  extraGroups: number,
): Notice[] {
  const notices: Notice[] = [];
  if (capture.ike === 0)
    notices.push({
      level: 'warning',
      text: `This capture holds no IKE datagram (UDP 500 or 4500): ${plural(capture.frames, 'frame')}, ${capture.skipped} skipped, ${capture.malformed} malformed.`,
    });
  if (view.local !== undefined && !seen.localSent)
    notices.push({ level: 'warning', text: `${view.local} sent no IKE datagram in this capture.` });
  if (seen.ikev2 > 0) {
    const more = seen.ikev2 - seen.ikev2Frames.length;
    notices.push({
      level: 'info',
      text: `${plural(seen.ikev2, 'IKEv2 datagram')} left out of the View Log (the clients never logged IKEv2): frame${seen.ikev2 === 1 ? '' : 's'} ${seen.ikev2Frames.join(', ')}${more > 0 ? ` and ${more} more` : ''}.`,
    });
  }
  if (seen.cut > 0)
    notices.push({
      level: 'info',
      text: `The capture ends while ${plural(seen.cut, 'negotiation was', 'negotiations were')} still being retried: the log ends where the capture does, without an “Exceeded” line.`,
    });
  const undecrypted = seen.encrypted - seen.decrypted;
  if (undecrypted > 0)
    notices.push(
      keysGiven
        ? {
            level: 'warning',
            text: `${undecrypted} of ${seen.encrypted} encrypted messages could not be decrypted (wrong or missing keys, or the message their IV comes from is not in the capture); they show their first payload only.`,
          }
        : {
            level: 'info',
            text: `${plural(seen.encrypted, 'encrypted message shows its', 'encrypted messages show their')} first payload only: add a key file to decrypt ${seen.encrypted === 1 ? 'it' : 'them'}.`,
          },
    );
  if (seen.problems > 0)
    notices.push({
      level: 'warning',
      text: `${plural(seen.problems, 'datagram')} did not decode whole (marked in the log).`,
    });
  if (capture.malformed > 0)
    notices.push({ level: 'warning', text: `${plural(capture.malformed, 'frame is', 'frames are')} malformed.` });
  if (capture.truncated) notices.push({ level: 'warning', text: 'The capture ends inside a record (truncated file).' });
  if (dropped > 0)
    notices.push({
      level: 'warning',
      text: `The page shows the first ${rows.toLocaleString('en')} lines of ${(rows + dropped).toLocaleString('en')}; the diagnosis covers them all.`,
    });
  if (extraGroups > 0)
    notices.push({
      level: 'info',
      text: `${plural(extraGroups, 'more conversation')} than the ${MAX_GROUPS.toLocaleString('en')} listed.`,
    });
  return notices;
}

async function runCapture(r: Extract<Request, { type: 'capture' }>): Promise<void> {
  const { job, file, view } = r;
  const keys = await loadKeys(r.keys);
  check(job);
  const out = new Batcher(job);
  const state: CaptureState = { file, keys, keysGiven: r.keys !== undefined, kept: [], outcomes: new Map() };
  let keptBytes = 0;
  captureState = undefined;

  // Conversations (IKE SAs by initiator cookie), the frames' conversations, and who sent IKE at all.
  const groups: Group[] = [];
  const byCookie = new Map<
    string,
    { index: number; first: number; last: number; initiator: string; responder: string }
  >();
  let extraGroups = 0;
  const frameGroup = new Map<number, number>();
  const frameOrder: number[] = [];
  const connectionGroup = new Map<string, number>();
  const addresses = new Set<string>();

  const pipeline = createViewPipeline({
    keys,
    utcOffsetMinutes: view.utcOffsetMinutes,
    ...(view.local === undefined ? {} : { local: view.local }),
    ...(view.cookie === undefined ? {} : { cookie: view.cookie }),
  });
  const diagnoser = createDiagnoser();
  const eventLine: number[] = [];
  const eventLines: number[] = [];
  const eventGroup: number[] = [];
  let line = 1;

  function tell(items: readonly ViewItem[]): void {
    for (const item of items) {
      const group =
        item.frame !== undefined
          ? (frameGroup.get(item.frame) ?? -1)
          : item.kind === 'event' && 'connection' in item.event && item.event.connection !== undefined
            ? (connectionGroup.get(item.event.connection) ?? -1)
            : -1;
      if (item.kind === 'problem') {
        const text = `#${item.frame} ${item.src}:${item.srcPort} -> ${item.dst}:${item.dstPort} ${item.partial ? 'partly unreadable' : 'undecodable'}: ${item.reassembled ? `IKE fragments completed by this frame: ${item.message}` : item.message}`;
        const index = out.entry({
          kind: 'problem',
          line,
          endLine: line,
          explanation: out.explanation(
            item.partial
              ? 'The datagram decoded only in part: its line lists the payloads read before the fault, then UNREADABLE.'
              : 'Nothing of this datagram decoded as ISAKMP, so the View Log has no line for it.',
          ),
          frame: item.frame,
          group,
          note: { tone: 'fail', text: `Frame #${item.frame} ${item.partial ? 'partly unreadable' : 'undecodable'}` },
          text,
        });
        out.row(text, index, index, 0);
        continue;
      }
      const event = item.event;
      if ('connection' in event && event.connection !== undefined && group >= 0)
        connectionGroup.set(event.connection, group);
      const message = ladderMessage(event);
      const note = message === undefined ? ladderNote(event) : undefined;
      const index = out.entry({
        kind: event.kind,
        line,
        endLine: line + item.lines.length - 1,
        explanation: out.explanation(explain(event)),
        ...(item.frame === undefined ? {} : { frame: item.frame }),
        group,
        ...(message === undefined ? {} : { message }),
        ...(note === undefined ? {} : { note }),
      });
      eventLine.push(line);
      for (const text of item.lines) out.row(text, index, index, line++);
      eventLines.push(item.lines.length);
      eventGroup.push(group);
      diagnoser.push(event);
    }
    out.flush();
  }

  const reader = readCapture(bytesOf(file, (n) => out.progress(n, file.size, 'Reading the capture')));
  let firstItem = true;
  try {
    for await (const item of reader) {
      check(job);
      firstItem = false;
      if (item.kind === 'ike') noteDatagram(item);
      tell(pipeline.push(item));
    }
  } catch (error) {
    if (error instanceof CaptureError)
      throw new Unreadable(
        firstItem
          ? `${r.name} is not a readable pcap or pcapng capture: ${error.message}.`
          : `${r.name} could not be read to its end: ${error.message}.`,
      );
    throw error;
  }
  tell(pipeline.finish());
  out.flush(true);
  captureState = state;

  function noteDatagram(item: Extract<CaptureItem, { kind: 'ike' }>): void {
    addresses.add(item.src);
    const cookie = initiatorCookie(item.bytes);
    let group = -1;
    if (cookie !== undefined) {
      let g = byCookie.get(cookie);
      if (g === undefined && byCookie.size < MAX_GROUPS) {
        // The initiator: the sender of a message without a responder cookie; a capture that starts inside an IKE SA
        // is seen from the sender of its first datagram (as the bridge sees it).
        g = { index: byCookie.size, first: item.frame, last: item.frame, initiator: item.src, responder: item.dst };
        if (!isZero(item.bytes.subarray(8, 16)) && item.bytes[16] === 1) {
          // A response carrying an SA (main mode's second message): the initiator is its receiver.
          g.initiator = item.dst;
          g.responder = item.src;
        }
        byCookie.set(cookie, g);
      } else if (g === undefined) extraGroups++;
      if (g !== undefined) {
        g.last = item.frame;
        group = g.index;
      }
    }
    frameGroup.set(item.frame, group);
    frameOrder.push(item.frame);
    if (frameOrder.length > FRAME_MEMORY) frameGroup.delete(frameOrder.shift()!);
    if (state.kept !== undefined && cookie !== undefined) {
      keptBytes += item.bytes.length + 64;
      if (keptBytes > MAX_KEPT_DATAGRAM_BYTES) state.kept = undefined;
      else
        state.kept.push({
          frame: item.frame,
          src: item.src,
          srcPort: item.srcPort,
          dst: item.dst,
          dstPort: item.dstPort,
          nonEspMarker: item.nonEspMarker,
          bytes: item.bytes,
          cookie,
        });
    }
  }

  for (const [cookie, g] of byCookie)
    groups.push({
      index: g.index,
      label: `${g.initiator} → ${g.responder} · ${cookie}`,
      cookie,
      initiator: g.initiator,
      responder: g.responder,
      firstFrame: g.first,
      lastFrame: g.last,
    });
  const result = diagnoser.finish();
  // Evidence by line: the first line of the event the diagnoser counted (events were pushed in line order).
  const diagnoses = diagnosisViews(result, (index) => ({
    line: eventLine[index] ?? 0,
    lines: eventLines[index] ?? 1,
    group: eventGroup[index] ?? -1,
  }));
  const overall = verdict(result);
  const seen = pipeline.summary;
  const done: Result = {
    input: 'capture',
    groups,
    diagnoses,
    ...(overall === undefined ? {} : { verdict: overall }),
    omitted: result.omitted,
    notices: captureNotices(view, seen, reader.summary, state.keysGiven, out.dropped, out.rowCount, extraGroups),
    lines: line - 1,
    ...(r.keys === undefined ? {} : { keys: r.keys.name }),
    addresses: [...addresses].slice(0, 64),
  };
  check(job);
  scope.postMessage({ type: 'done', job, result: done });
}

/** Every IKE datagram of one conversation, read again from the file (when they were too many to keep). */
async function datagramsOf(state: CaptureState, find: { frame: number } | { cookie: string }): Promise<KeptDatagram[]> {
  const found: KeptDatagram[] = [];
  for await (const item of readCapture(bytesOf(state.file, () => {}))) {
    if (item.kind !== 'ike') continue;
    const cookie = initiatorCookie(item.bytes);
    if (cookie === undefined) continue;
    const d: KeptDatagram = { ...item, cookie };
    if ('frame' in find) {
      if (item.frame === find.frame) return [d];
    } else if (cookie === find.cookie) found.push(d);
  }
  return found;
}

async function runTree(r: Extract<Request, { type: 'tree' }>): Promise<void> {
  const state = captureState;
  const reply = (m: Omit<Extract<Response, { type: 'tree' }>, 'type' | 'job' | 'frame'>) =>
    scope.postMessage({ type: 'tree', job: r.job, frame: r.frame, ...m });
  if (state === undefined) return reply({ message: 'No capture is open.' });
  const kept = state.kept;
  const datagram = kept !== undefined ? kept.find((d) => d.frame === r.frame) : (await datagramsOf(state, r))[0];
  if (datagram === undefined) return reply({ message: `Frame ${r.frame} carries no IKEv1 datagram.` });
  let outcomes = state.outcomes.get(datagram.cookie);
  if (outcomes === undefined) {
    const ofSa =
      kept !== undefined ? kept.filter((d) => d.cookie === datagram.cookie) : await datagramsOf(state, datagram);
    // Crypto's own pass over the conversation: routes, reassembles IKE fragments, decrypts with the IV chains.
    const list = decryptMessages(
      ofSa.map((d) => ({ bytes: d.bytes, sender: `${d.src}:${d.srcPort}` })),
      state.keys,
    );
    outcomes = new Map(ofSa.map((d, i) => [d.frame, list[i]!]));
    state.outcomes.set(datagram.cookie, outcomes);
  }
  reply({ tree: messageTree(datagram, outcomes.get(datagram.frame), state.keysGiven) });
}

// ---- Logs ----

/**
 * The encoding `decodeLogBytes` would pick for the whole file: a file that is UTF-8 up to its last byte can only be
 * told from one that turns windows-1252 near its end by reading it all, so a first pass decides (it stops as soon as
 * the answer is known), as `oaklog` does for files.
 */
async function encodingOf(file: Blob, out: Batcher, job: number): Promise<LogEncoding | undefined> {
  const probe = createLogDecoder();
  for await (const bytes of bytesOf(file, (n) => out.progress(n, file.size, 'Finding the encoding'))) {
    check(job);
    probe.decode(bytes);
    if (probe.encoding !== undefined && probe.encoding !== 'utf-8') return probe.encoding;
  }
  probe.end();
  return probe.encoding;
}

async function runLog(r: Extract<Request, { type: 'log' }>): Promise<void> {
  const { job, name } = r;
  const out = new Batcher(job);
  captureState = undefined;
  let encoding: LogEncoding | undefined;
  let total = r.text?.length ?? 0;
  let textRead = 0;
  /** Offset just past the last event taken (in the decoded text). */
  let done = 0;
  let checkedBinary = false;

  function* guard(s: string): Generator<string> {
    if (s === '') return;
    if (!checkedBinary) {
      checkedBinary = true;
      const nul = s.slice(0, 64 * 1024).indexOf('\u0000');
      if (nul >= 0)
        throw new Unreadable(
          `${name} is neither a packet capture (pcap, pcapng) nor a View Log: it holds binary data (a NUL character at character ${nul + 1}).`,
        );
    }
    textRead += s.length;
    if (textRead - done > MAX_HELD_CHARS)
      throw new Unreadable(
        `${name} is not a View Log: more than ${MAX_HELD_CHARS / 1024 / 1024} Mi characters from character ${done} on without a complete line.`,
      );
    yield s;
  }

  let chunks: AsyncGenerator<string>;
  if (r.file !== undefined) {
    const file = r.file;
    const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
    if (isCapture(head)) throw new Unreadable(`${name} is a packet capture, not a log.`);
    encoding = await encodingOf(file, out, job);
    total = file.size;
    chunks = (async function* () {
      const decoder = createLogDecoder(encoding);
      for await (const bytes of bytesOf(file, (n) => out.progress(n, total, 'Reading the log'))) {
        yield* guard(decoder.decode(bytes));
      }
      yield* guard(decoder.end());
      encoding = decoder.encoding ?? encoding;
    })();
  } else {
    const text = r.text ?? '';
    chunks = (async function* () {
      for (let i = 0; i < text.length; i += CHUNK_BYTES) {
        out.progress(i, text.length, 'Reading the log');
        yield* guard(text.slice(i, i + CHUNK_BYTES));
      }
    })();
  }

  const diagnoser = createDiagnoser();
  const groups: Group[] = [];
  const groupOf = new Map<string, number>();
  const eventGroup: number[] = [];
  let currentGroup = -1;
  let lines = 0;
  let dialect: string | undefined;
  /** The first lines, from which the dialect is told (as the parser tells it). */
  const head: string[] = [];
  // The physical line being put together (events can share a line: run-on messages, a record head's message).
  let partial = '';
  let partialFirst = -1;
  let partialLine = 0;

  function groupFor(event: LogEvent): number {
    const name =
      ('connection' in event ? event.connection : undefined) ??
      (event.kind === 'ike-message' ? event.peer : undefined) ??
      (event.kind === 'phase1-start' || event.kind === 'packet-received' ? event.peer : undefined);
    if (name === undefined) return currentGroup;
    let g = groupOf.get(name);
    if (g === undefined && groups.length < MAX_GROUPS) {
      g = groups.length;
      groupOf.set(name, g);
      groups.push({ index: g, label: name, connection: name });
    }
    currentGroup = g ?? -1;
    return currentGroup;
  }

  for await (const { event } of parseStream(chunks)) {
    check(job);
    done = event.source?.end ?? done;
    const group = groupFor(event);
    const message = ladderMessage(event);
    const note = message === undefined ? ladderNote(event) : undefined;
    const source = event.source;
    const first = source?.line ?? lines + 1;
    const index = out.entry({
      kind: event.kind,
      line: first,
      endLine: source?.endLine ?? first,
      explanation: out.explanation(explain(event)),
      group,
      ...(message === undefined ? {} : { message }),
      ...(note === undefined ? {} : { note }),
    });
    eventGroup.push(group);
    diagnoser.push(event);
    for (const piece of splitLines(source?.raw ?? '')) {
      if (partialFirst < 0) {
        partialFirst = index;
        partialLine = lines + 1;
      }
      const body = piece.replace(/(?:\r\r\n|\r\n|\n|\r)$/, '');
      partial += body;
      if (body.length < piece.length) {
        lines++;
        if (head.length < 64) head.push(partial);
        out.row(partial, partialFirst, index, partialLine);
        partial = '';
        partialFirst = -1;
      }
    }
    out.flush();
  }
  if (partialFirst >= 0) {
    lines++;
    out.row(partial, partialFirst, out.entryCount - 1, partialLine);
  }
  out.flush(true);
  const result = diagnoser.finish();
  const diagnoses = diagnosisViews(result, (index, line, text) => ({
    line,
    lines: text.split('\n').length,
    text,
    group: eventGroup[index] ?? -1,
  }));
  const overall = verdict(result);
  const notices: Notice[] = [];
  if (out.dropped > 0)
    notices.push({
      level: 'warning',
      text: `The page shows the first ${out.rowCount.toLocaleString('en')} lines of ${lines.toLocaleString('en')}; the diagnosis covers them all.`,
    });
  if (head.length > 0) dialect = detectDialect(head);
  const doneResult: Result = {
    input: 'log',
    groups,
    diagnoses,
    ...(overall === undefined ? {} : { verdict: overall }),
    omitted: result.omitted,
    notices,
    lines,
    ...(dialect === undefined ? {} : { dialect }),
    ...(encoding === undefined ? {} : { encoding }),
  };
  check(job);
  scope.postMessage({ type: 'done', job, result: doneResult });
}

async function handle(r: Request): Promise<void> {
  if (r.type !== 'tree') current = r.job;
  try {
    if (r.type === 'capture') await runCapture(r);
    else if (r.type === 'log') await runLog(r);
    else await runTree(r);
  } catch (error) {
    if (error instanceof Superseded) return;
    const message =
      error instanceof Unreadable
        ? error.message
        : `${r.type === 'tree' ? 'The message' : 'name' in r ? r.name : 'The input'} could not be read: ${error instanceof Error ? error.message : String(error)}.`;
    if (r.type === 'tree') scope.postMessage({ type: 'tree', job: r.job, frame: r.frame, message });
    else
      scope.postMessage({
        type: 'failed',
        job: r.job,
        message,
        ...(error instanceof Unreadable && error.keys ? { keys: true } : {}),
      });
  }
}

scope.addEventListener('message', (event) => {
  void handle(event.data);
});
