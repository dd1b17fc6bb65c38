/**
 * The diagnosis model: what `diagnose` reports (outcomes, evidence, diagnoses) and the bounded state it keeps while
 * reading (attempts per connection, evidence lines kept first and last).
 */
import type { LogEvent } from './types';

/** How one phase of one connection ended. */
export type Outcome =
  | 'established'
  | 'peer-not-responding'
  | 'proposal-rejected'
  | 'authentication-failed'
  | 'id-rejected'
  | 'peer-error'
  | 'deleted'
  | 'peer-dead'
  | 'exchange-rejected'
  | 'local-failure'
  | 'lost'
  | 'failed'
  | 'incomplete';

/** A line that supports a diagnosis. */
export interface Evidence {
  /** 1-based line number (0 for built events without a source). */
  readonly line: number;
  /** Index of the event in the array given to `diagnose`. */
  readonly index: number;
  /** The line as written (trimmed), or its kind for built events. */
  readonly text: string;
}

/** The outcome of one phase attempt of one connection. */
export interface Diagnosis {
  /** Connection name; absent when the log names none (Log Viewer, gateways). */
  readonly connection?: string;
  /** Peer address, when the log gives one. */
  readonly peer?: string;
  readonly phase: 1 | 2;
  /** The outcome is inferred from later lines (phase 1 must have been up for phase-2 traffic), not seen. */
  readonly implied?: true;
  readonly outcome: Outcome;
  /** Error notify behind a failed outcome (`NO_PROPOSAL_CHOSEN`, …). */
  readonly notify?: string;
  /** The error notify was sent by this side: it rejected the peer (absent: the peer sent it). */
  readonly local?: true;
  /** `xauth`: the attempt is the user authentication (XAUTH) that follows phase 1, not the IKE SA itself. */
  readonly stage?: 'xauth';
  /** Who closed an SA that came up (`deleted`): this side sent the delete, or the peer did. */
  readonly closedBy?: 'local' | 'peer';
  /** Why confidence is lower than the outcome alone says (a log cut inside its last line). */
  readonly note?: string;
  /** The reason the log gives for a failure without a notify (`DEL_REASON_IKE_NEG_FAILED`, `Hash verification failed`). */
  readonly reason?: string;
  /** One sentence saying what happened. */
  readonly summary: string;
  /** The lines that show it: all of them, or the first and the last ones when there are more than 32. */
  readonly evidence: readonly Evidence[];
  /** Evidence lines left out between the first and the last ones (absent when `evidence` holds them all). */
  readonly omittedEvidence?: number;
  /** What to check or do next. */
  readonly nextStep: string;
}

/**
 * Evidence lines of one attempt, bounded: the first {@link EVIDENCE_HEAD} and the latest ones up to
 * {@link MAX_EVIDENCE}, with a count of those dropped in between (a flood of retransmissions must not grow the state).
 */
export interface Lines {
  items: Evidence[];
  omitted: number;
}

/** Evidence lines kept per attempt (first and last ones). */
export const MAX_EVIDENCE = 32;
/** Of those, the first lines of the attempt, always kept. */
export const EVIDENCE_HEAD = 16;

/** Adds an evidence line, dropping the oldest after the first ones when the bound is reached. */
export function push(l: Lines, ev: Evidence): void {
  l.items.push(ev);
  if (l.items.length > MAX_EVIDENCE) {
    l.items.splice(EVIDENCE_HEAD, 1);
    l.omitted++;
  }
}

/** Puts an evidence line first, within the same bound. */
export function unshift(l: Lines, ev: Evidence): void {
  l.items.unshift(ev);
  if (l.items.length > MAX_EVIDENCE) {
    l.items.splice(EVIDENCE_HEAD, 1);
    l.omitted++;
  }
}

/** Drops `ev` (every copy); one that was already dropped in the middle still counts as gone. */
export function remove(l: Lines, ev: Evidence): void {
  const kept = l.items.filter((d) => d !== ev);
  if (kept.length === l.items.length && l.omitted > 0) l.omitted--;
  l.items = kept;
}

/** The state of one phase attempt of one connection, as the log has shown it so far. */
export interface Attempt {
  connection: string;
  /** The connection state it belongs to (its `named` flag decides whether the diagnosis names the connection). */
  conn: Conn;
  /** Start order: compares attempts without searching the list. */
  seq: number;
  phase: 1 | 2;
  /** First and latest line of the attempt (the evidence when nothing was decisive). */
  first?: Evidence;
  last?: Evidence;
  decisive: Lines;
  sent: number;
  received: number;
  /** Received messages since the last sent one. */
  answered: boolean;
  retransmits: number;
  exceeded: boolean;
  sentEncrypted: boolean;
  receivedEncrypted: boolean;
  established: boolean;
  deleted: boolean;
  /** An `Established …` line said so (not inferred from traffic). */
  confirmed?: boolean;
  /** The DEL message that last deleted this attempt's SA. */
  lastDelete?: Evidence;
  closedBy?: 'local' | 'peer';
  /** The peer answered our quick-mode proposal with its own SA (it accepted one). */
  accepted?: Evidence;
  /** The peer resent its answer after accepting: it waited for our final hash, so it had installed its SAs. */
  answerResent?: boolean;
  /** Who sent the latest message of the exchange that showed an SA payload (a proposal or its answer). */
  saFrom?: 'sent' | 'received';
  /** Who sent the message that completed the phase, when traffic alone said so. */
  closer?: 'sent' | 'received';
  /** Times the peer resent its earlier message after this side's closing one (it did not get that one, or not yet). */
  resentAfterClose?: number;
  /** The closing message's line is cut off: probably complete, not seen whole. */
  clipped?: boolean;
  /**
   * An encrypted informational message whose notify is unreadable (a log rendered without keys shows only `HASH`) where
   * the exchange's next message was due: the side that sent it most likely rejected the other (`local`: this side).
   */
  opaque?: { ev: Evidence; local: boolean };
  /** A new IKE SA established while an earlier one was still up. */
  rekey?: boolean;
  /** Our cookie of the IKE SA an `Established IKE SA` line named (hex), to match the delete that names it. */
  cookie?: string;
  /** Our DPD R-U-THERE messages the peer never answered (after the tunnel was up): how many. */
  dpdUnanswered?: number;
  failure?: { outcome: Outcome; notify?: string; local?: true; reason?: string };
  stage?: 'xauth';
  peer?: string;
  /** A line that starts the attempt was seen (an export newest-first shows it after the outcome). */
  opened?: boolean;
  /** The peer's messages arrived but were rejected (header verification failed, its duplicates dropped). */
  peerAnswering?: boolean;
  /** The tunnel was up, then lost (the gateway stopped answering, the local interface went away). */
  lost?: boolean;
  /** Why an SA that came up was closed, or why the tunnel was lost, as the log says it. */
  closeReason?: string;
  /** The fix a message of the log names (the knowledge table's), in place of the outcome's general next step. */
  nextStep?: string;
}

/** The state of one connection: its attempts under way and what the last lines said. */
export interface Conn {
  /** Some line named this connection (Log Viewer and gateway lines name none: the diagnosis gives the peer). */
  named: boolean;
  current?: Attempt;
  /** A `Retransmitting` line waits for the `(Retransmission)` message it announces (one resend, two lines). */
  retransmitLine?: boolean;
  /** Direction of the last message carrying a DEL: who sent the delete a `Deleting … SA` line reports. */
  delDirection?: 'sent' | 'received';
  /** The last exchange seen: an error during a transaction exchange concerns XAUTH / mode config. */
  lastExchange?: string;
  /** Our R-U-THERE messages since the peer last sent anything. */
  dpdPending: Lines;
  /** Time of the last gateway row (sortable): an earlier one next means the export runs newest first. */
  lastRow?: string;
  reversed?: boolean;
  /** IPsec over TCP: the port the client opened first (`Initiating TCP to …, port 10000`). */
  tcpPort?: string;
  p1?: Attempt;
  p2?: Attempt;
  /** The connection's first phase-2 attempt: an implied phase 1 goes before it when the log shows none. */
  firstP2?: Attempt;
  /** Remembered phase-1 attempts by the cookie they established, in start order: a delete naming one finds it. */
  byCookie?: Map<string, Attempt[]>;
  /**
   * Phase-1 attempts with a cookie that may still be up (established, not deleted), by cookie: a new IKE SA while
   * another is up is a rekey. Attempts no longer current that are down can never come up again and are pruned.
   */
  live?: Map<string, Set<Attempt>>;
}

/** Options of {@link createDiagnoser}. */
export interface DiagnoserOptions {
  /**
   * Phase attempts to report; later ones are still read (they change nothing reported) and only counted. Default
   * 10 000; `Infinity` for no limit.
   */
  readonly maxAttempts?: number;
  /**
   * Connections held at once. Past it, the least recently seen connection that holds no reported attempt is
   * forgotten (it changes nothing reported, only the count of later attempts if it comes back), so a log naming
   * millions of connections is read in bounded memory. Default 65 536; `Infinity` for no limit.
   */
  readonly maxConnections?: number;
}

/** What {@link Diagnoser.finish} returns. */
export interface DiagnoseResult {
  /** The attempts, in the order they started (an implied phase 1 before the phase 2 that implies it). */
  readonly diagnoses: Diagnosis[];
  /** Attempts after the first `maxAttempts`, not reported. */
  readonly omitted: number;
  /** How much of the log the grammar read. */
  readonly coverage: Coverage;
}

/** How much of a log the grammar read: the ground a diagnosis stands on. */
export interface Coverage {
  /** Non-blank lines. */
  readonly lines: number;
  /** Of those, lines read as a typed event (not `unknown`). */
  readonly read: number;
  /** Of those, lines that describe IKE or the tunnel (not notes, banners or free text). */
  readonly relevant: number;
}

/** The streaming form of {@link diagnose}: push events in log order, then finish. State stays bounded. */
export interface Diagnoser {
  /** Reads one event (its evidence `index` is the number of events pushed before it). */
  push(event: LogEvent): void;
  /** The diagnoses of everything pushed so far. Call it once, after the last event. */
  finish(): DiagnoseResult;
}
