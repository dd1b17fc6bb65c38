import { isErrorNotify, notifyName, notifyNumber } from './tables';
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
  /** One sentence saying what happened. */
  readonly summary: string;
  /** The lines that show it. */
  readonly evidence: readonly Evidence[];
  /** What to check or do next. */
  readonly nextStep: string;
}

interface Attempt {
  connection: string;
  phase: 1 | 2;
  all: Evidence[];
  decisive: Evidence[];
  sent: number;
  received: number;
  /** Received messages since the last sent one. */
  answered: boolean;
  retransmits: number;
  exceeded: boolean;
  sentEncrypted: boolean;
  established: boolean;
  deleted: boolean;
  failure?: { outcome: Outcome; notify: string };
  peer?: string;
}

interface Conn {
  current?: Attempt;
  p1?: Attempt;
  p2?: Attempt;
}

function evidence(e: LogEvent, index: number): Evidence {
  const raw = e.source?.raw.trim();
  return { line: e.source?.line ?? 0, index, text: raw ?? e.kind };
}

function classify(notify: string, a: Attempt): Outcome {
  switch (notifyNumber(notify)) {
    case 14:
      return 'proposal-rejected';
    case 24:
    case 23:
    case 25:
      return 'authentication-failed';
    case 16:
      // Phase 1, after the first encrypted message: the peer could not decrypt it, so the keys differ.
      return a.phase === 1 && a.sentEncrypted ? 'authentication-failed' : 'peer-error';
    case 18:
      return 'id-rejected';
    default:
      return 'peer-error';
  }
}

const NEXT: Record<Outcome, (d: { phase: 1 | 2; peer?: string; notify?: string }) => string> = {
  established: ({ phase }) =>
    phase === 1
      ? 'Phase 1 is up; if the tunnel still fails, read the phase-2 lines that follow.'
      : 'The tunnel is up; if traffic does not pass, check the client IDs (networks) and routing on both ends.',
  'peer-not-responding': ({ peer }) =>
    `Check IP connectivity to the peer${peer ? ` (${peer})` : ''}: the gateway address in the connection, UDP 500 (and 4500 for NAT-T) through firewalls and NAT, and that IKE runs on the peer.`,
  'proposal-rejected': ({ phase }) =>
    phase === 1
      ? 'Compare the phase-1 proposal (encryption, hash, Diffie-Hellman group, authentication method, lifetime) with the peer’s IKE policy.'
      : 'Check the peer’s IPsec proposal configuration: ESP/AH, encryption and hash algorithms, PFS group, tunnel mode and lifetimes must match.',
  'authentication-failed': ({ notify }) =>
    notify !== undefined && notifyNumber(notify) === 16
      ? 'Check the pre-shared key on both ends: a PAYLOAD_MALFORMED right after the encrypted exchange means the peer could not decrypt it.'
      : 'Check the pre-shared key or certificate (and its CA) on both ends, and the identity each side sends.',
  'id-rejected': () =>
    'Make the client IDs match the peer’s policy: local and remote networks (address, subnet or range), protocol and port, and the phase-1 identity type.',
  'peer-error': ({ notify }) =>
    `The peer reported ${notify ?? 'an error'}: look up that notify in the peer’s log and configuration.`,
  deleted: () =>
    'The SA was deleted after it came up: check the peer’s log for the reason (lifetime, idle timeout, policy change, DPD).',
  incomplete: () =>
    'The log ends before the outcome: capture the log from the start of the connection until it fails or connects.',
};

function summary(a: Attempt, outcome: Outcome, notify?: string): string {
  const what = a.phase === 1 ? 'Phase 1 (IKE SA)' : 'Phase 2 (IPsec SA)';
  switch (outcome) {
    case 'established':
      return `${what} was established.`;
    case 'peer-not-responding':
      return `${what} got no answer from the peer${a.retransmits > 0 ? ` after ${a.retransmits} retransmission${a.retransmits > 1 ? 's' : ''}` : ''}${a.exceeded ? ' and the client gave up' : ''}.`;
    case 'proposal-rejected':
      return `${what} failed: the peer accepted none of the proposals (${notify}).`;
    case 'authentication-failed':
      return `${what} failed authentication (${notify}).`;
    case 'id-rejected':
      return `${what} failed: the peer rejected the identities (${notify}).`;
    case 'peer-error':
      return `${what} failed: the peer reported ${notify}.`;
    case 'deleted':
      return `${what} was established, then deleted.`;
    case 'incomplete':
      return `${what} started, but the log ends before it finished.`;
  }
}

/**
 * Reads the negotiation out of the events: per connection and phase attempt, the outcome with the evidence lines and
 * the next step. Lines without a connection name belong to the connection of the line before them.
 */
export function diagnose(events: readonly LogEvent[]): Diagnosis[] {
  const conns = new Map<string, Conn>();
  const attempts: Attempt[] = [];
  const implied = new Set<Attempt>();
  const named = new Set<string>();
  let last = '';

  const start = (c: Conn, key: string, phase: 1 | 2): Attempt => {
    const a: Attempt = {
      connection: key,
      phase,
      all: [],
      decisive: [],
      sent: 0,
      received: 0,
      answered: false,
      retransmits: 0,
      exceeded: false,
      sentEncrypted: false,
      established: false,
      deleted: false,
    };
    attempts.push(a);
    if (phase === 1) c.p1 = a;
    else c.p2 = a;
    c.current = a;
    return a;
  };
  const phaseOf = (c: Conn, key: string, phase: 1 | 2, fresh = false): Attempt => {
    const a = phase === 1 ? c.p1 : c.p2;
    // A new proposal after a concluded attempt starts another attempt; retransmissions and answers stay with theirs.
    if (a && !(fresh && (a.failure || a.exceeded || a.established))) {
      c.current = a;
      return a;
    }
    return start(c, key, phase);
  };

  events.forEach((e, index) => {
    const ev = evidence(e, index);
    let key: string | undefined;
    if ('connection' in e && e.connection !== undefined) {
      key = e.connection;
      named.add(key);
    } else if (e.kind === 'ike-message' && e.peer !== undefined && last === '') key = '';
    key ??= last;
    last = key;
    let c = conns.get(key);
    if (!c) {
      c = {};
      conns.set(key, c);
    }
    const current = (fallback: 1 | 2): Attempt => c.current ?? phaseOf(c, key, fallback);

    switch (e.kind) {
      case 'phase1-start': {
        const a = start(c, key, 1);
        a.peer = e.peer;
        a.all.push(ev);
        break;
      }
      case 'phase2-start': {
        start(c, key, 2).all.push(ev);
        break;
      }
      case 'ike-message': {
        let a: Attempt;
        const fresh = e.direction === 'sent' && !e.retransmission && e.items.some((i) => i.payload === 'SA');
        if (e.exchange === 'MM' || e.exchange === 'AG') a = phaseOf(c, key, 1, fresh);
        else if (e.exchange === 'QM') a = phaseOf(c, key, 2, fresh);
        // An informational message with no phase under way: encryption says the IKE SA already exists.
        else a = current(e.encrypted && e.exchange === 'INFO' ? 2 : 1);
        if (e.peer !== undefined) a.peer ??= e.peer;
        // Gateway lines: source then destination; the peer is the far end.
        const far = e.endpoints?.[e.direction === 'sent' ? 1 : 0];
        if (far !== undefined) a.peer ??= far.address;
        a.all.push(ev);
        // The last message of aggressive mode (encrypted hash) and of quick mode (a lone HASH), in either direction
        // once both sides have spoken, completes the phase.
        const closing =
          !e.retransmission &&
          e.encrypted &&
          ((e.exchange === 'AG' && !e.items.some((i) => i.payload === 'SA')) ||
            (e.exchange === 'QM' && e.items[0]?.payload === 'HASH' && !e.items.some((i) => i.payload === 'SA')));
        if (closing && a.sent + a.received > 0 && (e.direction === 'sent' ? a.received : a.sent) > 0 && !a.failure) {
          a.established = true;
          a.decisive.push(ev);
        }
        if (e.direction === 'sent') {
          a.sent++;
          a.answered = false;
          if (e.encrypted) a.sentEncrypted = true;
          if (e.retransmission) {
            a.retransmits++;
            a.decisive.push(ev);
          }
        } else {
          a.received++;
          a.answered = true;
          for (const item of e.items) {
            if (item.notify !== undefined) {
              const n = notifyNumber(item.notify);
              if (n !== undefined && isErrorNotify(n) && !a.failure) {
                a.failure = { outcome: classify(item.notify, a), notify: notifyName(n) };
                a.decisive.push(ev);
              }
            }
            if (item.payload === 'DEL' && (c.p2?.established || c.p1?.established)) {
              const target = c.p2?.established ? c.p2 : (c.p1 as Attempt);
              target.deleted = true;
              target.decisive.push(ev);
            }
          }
        }
        break;
      }
      case 'ike-sa-established':
      case 'sa-established': {
        const phase = e.kind === 'sa-established' ? e.phase : 1;
        const a = phaseOf(c, key, phase);
        a.established = true;
        a.all.push(ev);
        a.decisive.push(ev);
        break;
      }
      case 'loading-ipsec-sa': {
        const a = phaseOf(c, key, 2);
        a.established = true;
        a.all.push(ev);
        a.decisive.push(ev);
        break;
      }
      case 'retransmit': {
        const a = current(1);
        a.retransmits++;
        a.all.push(ev);
        a.decisive.push(ev);
        break;
      }
      case 'exceeded-attempts': {
        const a = e.phase === 1 ? (c.p1 ?? start(c, key, 1)) : (c.p2 ?? start(c, key, 2));
        a.exceeded = true;
        a.all.push(ev);
        a.decisive.push(ev);
        break;
      }
      case 'received-notify': {
        const a = current(1);
        a.all.push(ev);
        a.decisive.push(ev);
        const n = notifyNumber(e.notify);
        if (n !== undefined && isErrorNotify(n) && !a.failure)
          a.failure = { outcome: classify(e.notify, a), notify: notifyName(n) };
        break;
      }
      case 'deleting-sa': {
        const a = e.sa === 'IKE' ? c.p1 : c.p2;
        if (a) {
          a.all.push(ev);
          if (a.established) {
            a.deleted = true;
            a.decisive.push(ev);
          } else if (e.reason?.includes('PEER_NOT_RESPONDING')) {
            a.exceeded = true;
            a.decisive.push(ev);
          }
        }
        break;
      }
      case 'packet-received': {
        if (c.current) {
          c.current.peer ??= e.peer;
        }
        break;
      }
      default:
        break;
    }
  });

  // Phase-2 traffic means phase 1 was up, even when the log starts after it.
  for (const [key, c] of conns) {
    if (c.p2 !== undefined && c.p1 === undefined) {
      // Before the connection's first phase-2 attempt, not its latest.
      const first = attempts.findIndex((a) => a.connection === key && a.phase === 2);
      const p2 = attempts[first] ?? c.p2;
      const p1: Attempt = {
        ...p2,
        phase: 1,
        all: p2.all.slice(0, 1),
        decisive: p2.all.slice(0, 1),
        established: true,
        deleted: false,
        exceeded: false,
        retransmits: 0,
      };
      delete p1.failure;
      p1.connection = key;
      implied.add(p1);
      attempts.splice(first, 0, p1);
    }
  }

  return attempts.map((a): Diagnosis => {
    let outcome: Outcome;
    let notify: string | undefined;
    if (a.failure) {
      outcome = a.failure.outcome;
      notify = a.failure.notify;
    } else if (a.established) outcome = a.deleted ? 'deleted' : 'established';
    else if (a.exceeded || (a.retransmits > 0 && !a.answered)) outcome = 'peer-not-responding';
    else outcome = 'incomplete';
    const ctx: { phase: 1 | 2; peer?: string; notify?: string } = { phase: a.phase };
    if (a.peer !== undefined) ctx.peer = a.peer;
    if (notify !== undefined) ctx.notify = notify;
    const d: Diagnosis = {
      ...(named.has(a.connection) ? { connection: a.connection } : {}),
      ...(a.peer !== undefined ? { peer: a.peer } : {}),
      phase: a.phase,
      ...(implied.has(a) ? { implied: true as const } : {}),
      outcome,
      ...(notify !== undefined ? { notify } : {}),
      summary: implied.has(a)
        ? 'Phase 1 (IKE SA) was up: the log starts after it, with phase-2 traffic.'
        : summary(a, outcome, notify),
      evidence: a.decisive.length > 0 ? a.decisive : a.all.slice(-1),
      nextStep: NEXT[outcome](ctx),
    };
    return d;
  });
}
