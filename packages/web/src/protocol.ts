/**
 * What the page and its worker say to each other. Everything here is structured-clone data: the page sends files
 * (`Blob`s: only a handle crosses, the bytes are read in the worker) and options; the worker sends back entries in
 * batches, progress, and at the end the diagnosis, the conversations and the notices.
 */
import type { LadderMessage, LadderNote } from './ladder';
import type { TreeNode } from './tree';

/** The view options of a capture: whose side the log is written from, which conversation, which time zone. */
export interface CaptureView {
  /** "Us": the address whose log this is (`@oaklog/pipeline`'s `local`); absent: each IKE SA's initiator. */
  readonly local?: string;
  /** Only this conversation: its initiator cookie, 16 hex digits (`@oaklog/pipeline`'s `cookie`). */
  readonly cookie?: string;
  /** Minutes east of UTC for the printed times. */
  readonly utcOffsetMinutes: number;
}

/** A key file as the page got it. */
export interface KeyFileInput {
  readonly name: string;
  readonly file: Blob;
}

export type Request =
  | {
      readonly type: 'capture';
      readonly job: number;
      readonly name: string;
      readonly file: Blob;
      readonly keys?: KeyFileInput;
      readonly view: CaptureView;
    }
  | { readonly type: 'log'; readonly job: number; readonly name: string; readonly file?: Blob; readonly text?: string }
  | { readonly type: 'tree'; readonly job: number; readonly frame: number };

/** One event of the log (its lines), or one datagram that did not decode (no lines). */
export interface Entry {
  /** The event's kind (`ike-message`, `phase1-start`, …), or `problem`. */
  readonly kind: string;
  /** Line number of its first and last line (1-based); for a problem, the line it comes before. */
  readonly line: number;
  readonly endLine: number;
  /** Index in the explanation table; -1: nothing to explain (a blank line). */
  readonly explanation: number;
  /** Capture frame that produced it. */
  readonly frame?: number;
  /** The group (conversation, or connection of a log) it belongs to; -1 none. */
  readonly group: number;
  /** For a SENDING/RECEIVED line: its arrow in the ladder. */
  readonly message?: LadderMessage;
  /** For a line the ladder marks (established, failures, resends, phase starts). */
  readonly note?: LadderNote;
  /** A problem's sentence, worded as `oaklog view` words it on stderr. */
  readonly text?: string;
}

/**
 * Rows: the physical lines of the log as the page lists them, and the datagrams that did not decode (line 0). Each is
 * touched by a run of entries, `first` to `last` (more than one where events share a line: run-on messages).
 */
export interface Rows {
  readonly text: readonly string[];
  readonly first: readonly number[];
  readonly last: readonly number[];
  /** Line number; 0 for a row that is not a line of the log (a datagram that did not decode). */
  readonly line: readonly number[];
}

/** A conversation of a capture (an IKE SA, by initiator cookie), or a connection of a log. */
export interface Group {
  readonly index: number;
  /** What the page calls it: `192.0.2.1 → 192.0.2.2 · 5abc904d36f1256b`, or the connection name. */
  readonly label: string;
  /** Capture: the initiator cookie, 16 hex digits (the pipeline's `cookie` filter). */
  readonly cookie?: string;
  /** Capture: the initiator's and the responder's addresses. */
  readonly initiator?: string;
  readonly responder?: string;
  /** Capture: the first and the last frame of the conversation. */
  readonly firstFrame?: number;
  readonly lastFrame?: number;
  /** Log: the connection name or peer address the lines carry. */
  readonly connection?: string;
}

/** One line of evidence of a diagnosis. */
export interface EvidenceLine {
  /** First line number of the event (0: not known). */
  readonly line: number;
  /** Its number of lines. */
  readonly lines: number;
  /** The line(s) as written, trimmed (a log); absent for a capture, whose lines the page holds. */
  readonly text?: string;
}

/** One diagnosis (`@oaklog/viewlog`'s `Diagnosis`), with evidence by line. */
export interface DiagnosisView {
  /** Connection name, peer address, or `(unnamed connection)`, as `oaklog diagnose` heads it. */
  readonly who: string;
  readonly phase: 1 | 2;
  readonly outcome: string;
  readonly implied: boolean;
  readonly summary: string;
  readonly reason?: string;
  readonly evidence: readonly EvidenceLine[];
  readonly omittedEvidence?: number;
  readonly nextStep: string;
  /** The group of the evidence lines (the conversation), -1 when not known. */
  readonly group: number;
}

/** A notice about the input, worded for the page (what `oaklog view` says on stderr). */
export interface Notice {
  readonly level: 'info' | 'warning';
  readonly text: string;
}

export interface Result {
  readonly input: 'capture' | 'log';
  readonly groups: readonly Group[];
  readonly diagnoses: readonly DiagnosisView[];
  /** The verdict on the whole log, when it is too little read or has no IKE (`@oaklog/viewlog`'s `verdict`). */
  readonly verdict?: string;
  /** Phase attempts left out of the diagnosis (past the diagnoser's bound). */
  readonly omitted: number;
  readonly notices: readonly Notice[];
  /** Lines in all (also those past what the page keeps). */
  readonly lines: number;
  /** Capture: whether the key file decrypted anything; the key file's name. */
  readonly keys?: string;
  /** Log: its dialect and encoding. */
  readonly dialect?: string;
  readonly encoding?: string;
  /** Capture: every address that sent an IKE datagram (for the side switch), at most 64. */
  readonly addresses?: readonly string[];
}

export type Response =
  | {
      readonly type: 'progress';
      readonly job: number;
      readonly done: number;
      readonly total: number;
      readonly stage: string;
    }
  | {
      readonly type: 'entries';
      readonly job: number;
      readonly entries: readonly Entry[];
      /** Explanations new in this batch, appended to the table in order. */
      readonly explanations: readonly string[];
      readonly rows: Rows;
    }
  | { readonly type: 'done'; readonly job: number; readonly result: Result }
  /** The input could not be read at all: one sentence. `keys`: it was the key file that could not be used. */
  | { readonly type: 'failed'; readonly job: number; readonly message: string; readonly keys?: boolean }
  | {
      readonly type: 'tree';
      readonly job: number;
      readonly frame: number;
      readonly tree?: TreeNode;
      /** Why there is no tree. */
      readonly message?: string;
    };
