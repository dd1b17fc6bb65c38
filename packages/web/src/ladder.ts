/**
 * The ladder (sequence) diagram of an exchange, as a model: one arrow per SENDING/RECEIVED line, marks for the lines
 * that say how it went (established, resent, refused, given up), and a boundary wherever the exchange moves to another
 * phase (main or aggressive mode, then transaction, then quick mode). Built from `@oaklog/viewlog` events, so a capture
 * (through the pipeline) and a pasted log draw the same way. Pure: the SVG is drawn by `ladder-svg.ts`.
 */
import { formatPayloadItem, isErrorNotify, type LogEvent, notifyNumber } from '@oaklog/viewlog';

/** One message: an arrow from one side to the other. */
export interface LadderMessage {
  /** `sent`: from this side (the log's writer) to the peer. */
  readonly direction: 'sent' | 'received';
  /** The exchange as the line writes it: `MM`, `AG`, `QM`, `INFO`, `TRANS`, … */
  readonly exchange: string;
  /** The payload list as the line writes it, `*` for an encrypted body: `*(HASH, NOTIFY:NO_PROPOSAL_CHOSEN)`. */
  readonly payloads: string;
  readonly encrypted: boolean;
  readonly retransmission: boolean;
  /** What makes it a failure: an error notify it carries, or its unreadable end. */
  readonly failure?: string;
  /** The line's time stamp, when it has one. */
  readonly time?: string;
}

/** A line the ladder marks across both sides. */
export interface LadderNote {
  /** `ok`: something came up; `fail`: something failed or was given up; `resend`: a retransmission; `info`: other. */
  readonly tone: 'ok' | 'fail' | 'resend' | 'info';
  readonly text: string;
  readonly time?: string;
}

/** What a phase of the exchange is called on its boundary. */
export type PhaseName =
  | 'Phase 1 · Main Mode'
  | 'Phase 1 · Aggressive Mode'
  | 'Phase 1'
  | 'Transaction · XAUTH / Mode Config'
  | 'Phase 2 · Quick Mode'
  | 'New Group Mode'
  | 'Informational';

/** The phase an exchange belongs to; informational exchanges stay in the phase they come in (undefined). */
export function phaseOf(exchange: string): PhaseName | undefined {
  switch (exchange) {
    case 'MM':
    case 'IP':
      return 'Phase 1 · Main Mode';
    case 'AG':
      return 'Phase 1 · Aggressive Mode';
    case 'BASE':
    case 'AUTH':
      return 'Phase 1';
    case 'TRANS':
      return 'Transaction · XAUTH / Mode Config';
    case 'QM':
      return 'Phase 2 · Quick Mode';
    case 'NGM':
      return 'New Group Mode';
    default:
      return undefined;
  }
}

/** The arrow of an `ike-message` event; undefined for any other event. */
export function ladderMessage(event: LogEvent): LadderMessage | undefined {
  if (event.kind !== 'ike-message') return undefined;
  const items = event.items.map(formatPayloadItem);
  const failure =
    event.items.find((i) => i.notify !== undefined && isErrorNotify(notifyNumber(i.notify) ?? 0))?.notify ??
    (event.items.some((i) => i.unreadable === true) ? 'unreadable' : undefined);
  return {
    direction: event.direction,
    exchange: event.exchange,
    payloads: `${event.encrypted ? '*' : ''}(${event.retransmission && items.length === 0 ? 'Retransmission' : items.join(', ')})`,
    encrypted: event.encrypted,
    retransmission: event.retransmission,
    ...(failure === undefined ? {} : { failure }),
    ...(event.time === undefined ? {} : { time: event.time }),
  };
}

/** The mark of an event that says how the exchange went; undefined for the others (and for messages). */
export function ladderNote(event: LogEvent): LadderNote | undefined {
  const time = 'time' in event && typeof event.time === 'string' ? { time: event.time } : {};
  const note = (tone: LadderNote['tone'], text: string): LadderNote => ({ tone, text, ...time });
  switch (event.kind) {
    case 'phase1-start':
      return note('info', `Initiating phase 1 with ${event.peer}`);
    case 'ike-sa-established':
      return note('ok', 'IKE SA established');
    case 'phase2-start':
      return note('info', `Initiating phase 2 (message id ${event.messageId.toString(16).padStart(8, '0')})`);
    case 'loading-ipsec-sa':
      return note(
        'ok',
        `IPsec SA loaded: outbound SPI ${event.outboundSpi.toString(16).padStart(8, '0')}, inbound ${event.inboundSpi.toString(16).padStart(8, '0')}`,
      );
    case 'retransmit':
      return note('resend', 'No answer: retransmitting');
    case 'exceeded-attempts':
      return note(
        'fail',
        event.phase === 1
          ? `Gave up after ${event.attempts} IKE SA negotiation attempts`
          : 'Gave up retrying: IPsec SA deleted',
      );
    case 'received-notify':
      return isErrorNotify(notifyNumber(event.notify) ?? 0)
        ? note('fail', `Received ${event.notify}`)
        : note('info', `Received ${event.notify}`);
    case 'deleting-sa':
      return note('info', event.text.trim());
    case 'status':
      return event.status === 'hash-verification-failed' || event.status === 'key-not-found'
        ? note('fail', event.text.trim())
        : undefined;
    case 'sa-established':
      return note('ok', event.text.trim());
    default:
      return undefined;
  }
}

/** A step of a drawn ladder, top to bottom. */
export type LadderStep =
  | { readonly type: 'phase'; readonly name: PhaseName }
  | { readonly type: 'arrow'; readonly entry: number; readonly message: LadderMessage }
  | { readonly type: 'note'; readonly entry: number; readonly note: LadderNote };

/** What the ladder of one group is drawn from: its entries in log order, with their index in the whole log. */
export interface LadderInput {
  readonly index: number;
  readonly message?: LadderMessage;
  readonly note?: LadderNote;
}

/**
 * The steps of one group's ladder: its arrows and marks in log order, a phase boundary before the first message of
 * each phase (an informational exchange before any other opens an "Informational" part; later ones stay in the phase
 * they come in, as a delete or a DPD notify belongs to the SA it concerns).
 */
export function ladderSteps(entries: Iterable<LadderInput>): LadderStep[] {
  const steps: LadderStep[] = [];
  let phase: PhaseName | undefined;
  for (const e of entries) {
    if (e.message !== undefined) {
      const next = phaseOf(e.message.exchange) ?? phase ?? 'Informational';
      if (next !== phase) steps.push({ type: 'phase', name: next });
      phase = next;
      steps.push({ type: 'arrow', entry: e.index, message: e.message });
    } else if (e.note !== undefined) steps.push({ type: 'note', entry: e.index, note: e.note });
  }
  return steps;
}
