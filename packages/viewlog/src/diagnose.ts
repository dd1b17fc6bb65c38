import { toHex } from '@oaklog/common';
import {
  type Attempt,
  type Conn,
  type DiagnoseResult,
  type Diagnoser,
  type DiagnoserOptions,
  type Diagnosis,
  type Evidence,
  type Outcome,
  push,
  remove,
  unshift,
} from './diagnose-model';
import { DEL_REASONS, type KnownMessage, knownMessage, lookupReason, type Signal } from './knowledge';
import { detached } from './lines';
import { exchangeName, exchangeNumber, isErrorNotify, Notify, notifyName, notifyNumber } from './tables';
import type { GatewayRow, KnownMessageEvent, LogEvent, LogEventKind } from './types';

export type {
  Coverage,
  DiagnoseResult,
  Diagnoser,
  DiagnoserOptions,
  Diagnosis,
  Evidence,
  Outcome,
} from './diagnose-model';

/** The rule for one kind of event: reads it into the state of its connection. */
type EventRule<K extends LogEventKind> = (
  c: Conn,
  key: string,
  e: Extract<LogEvent, { kind: K }>,
  ev: Evidence,
) => void;
/** The rules, keyed by event kind. */
type EventRules = { readonly [K in LogEventKind]?: EventRule<K> };

/** Below this share of lines read, a log is not understood well enough to judge. */
export const MIN_READ_SHARE = 0.5;

/** Kinds that say nothing about IKE or the tunnel. */
const IRRELEVANT = new Set<LogEvent['kind']>(['blank', 'unknown', 'note', 'banner', 'message-text', 'record']);

/**
 * The verdict on the log as a whole when its diagnoses alone would mislead: too little of it read to judge, no line
 * about IKE or the tunnel at all, or such lines but no negotiation. `undefined` when the diagnoses speak for the log.
 */
export function verdict(result: Pick<DiagnoseResult, 'diagnoses' | 'coverage'>): string | undefined {
  const { lines, read, relevant } = result.coverage;
  const share = lines === 0 ? 0 : read / lines;
  const counted = `read ${read} of ${lines} non-blank lines (${Math.floor(share * 100)}%)`;
  if (lines === 0) return 'The log is empty: there is nothing to judge.';
  if (share < MIN_READ_SHARE)
    return `Too little of this log was understood to judge it: oaklog ${counted}.${result.diagnoses.length > 0 ? ' The diagnoses below rest on the lines it read.' : ''}`;
  if (result.diagnoses.length > 0) return undefined;
  if (relevant === 0) return `No line of this log describes IKE or the tunnel (oaklog ${counted}).`;
  const about =
    relevant === 1
      ? 'its one line about IKE or the tunnel starts'
      : `its ${relevant} lines about IKE or the tunnel start`;
  return `This log shows no IKE negotiation: ${about} no phase (oaklog ${counted}).`;
}

/** Dead peer detection (RFC 3706) notifies: liveness checks, not negotiation. */
const DPD_NOTIFIES: ReadonlySet<number> = new Set([Notify.DPD_R_U_THERE, Notify.DPD_R_U_THERE_ACK]);
/** Our unanswered R-U-THERE messages that mean the peer is gone (strongSwan and libreswan give up after a few). */
const DPD_DEAD = 2;

/** Notifies that say the phase-1 authentication failed. */
const AUTH_NOTIFIES: ReadonlySet<number> = new Set([
  Notify.PAYLOAD_MALFORMED,
  Notify.INVALID_HASH_INFORMATION,
  Notify.AUTHENTICATION_FAILED,
  Notify.INVALID_SIGNATURE,
]);
/** Gateway and Log Viewer wording for a peer that stopped answering. */
const NO_RESPONSE = /No response - remote party timeout|negotiation aborted due to timeout|PEER_NOT_RESPONDING/i;
/** XAUTH (user authentication) rejected, as the Cisco client and gateways say it. */
const XAUTH_FAILED = /User Authentication failed|XAUTH[^\n]*(?:fail|reject)|Authentication rejected/i;
/** The pre-shared key (or Cisco group password) differs. */
const HASH_FAILED = /Hash verification failed|invalid group password|pre-?shared key[^\n]*mismatch/i;

/** A gateway row's date and time as a sortable string (`2012-03-02 14:05:19.610`). */
function rowStamp(row: GatewayRow): string | undefined {
  if (row.time === undefined || row.date === undefined) return undefined;
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(row.date);
  const date = us ? `${us[3]}-${us[1]?.padStart(2, '0')}-${us[2]?.padStart(2, '0')}` : row.date;
  return `${date} ${row.time.padStart(12, '0')}`;
}

/** The `MY COOKIE` bytes a deleting line names (`(MY COOKIE 1f f5 e4 d 84 30 f9 5c)`), as hex. */
function cookieIn(text: string): string | undefined {
  const m = /MY COOKIE ((?:[0-9a-f]{1,2} ){7}[0-9a-f]{1,2})\b/i.exec(text);
  return m?.[1]
    ?.split(' ')
    .map((b) => b.toLowerCase().padStart(2, '0'))
    .join('');
}

function evidence(e: LogEvent, index: number): Evidence {
  const raw = e.source?.raw.trim();
  return { line: e.source?.line ?? 0, index, text: raw === undefined ? e.kind : detached(raw) };
}

function classify(notify: string, a: Attempt): Outcome {
  switch (notifyNumber(notify)) {
    case Notify.NO_PROPOSAL_CHOSEN:
      return 'proposal-rejected';
    case Notify.AUTHENTICATION_FAILED:
    case Notify.INVALID_HASH_INFORMATION:
    case Notify.INVALID_SIGNATURE:
      return 'authentication-failed';
    case Notify.PAYLOAD_MALFORMED:
      // Phase 1, after the first encrypted message: the peer could not decrypt it, so the keys differ.
      // During XAUTH / mode config the keys already worked: a malformed attribute exchange, not a key mismatch.
      return a.phase === 1 && a.sentEncrypted && a.stage !== 'xauth' ? 'authentication-failed' : 'peer-error';
    case Notify.INVALID_ID_INFORMATION:
      return 'id-rejected';
    default:
      return 'peer-error';
  }
}

interface NextContext {
  phase: 1 | 2;
  peer?: string;
  notify?: string;
  stage?: 'xauth';
  local?: true;
  closedBy?: 'local' | 'peer';
}

const NEXT: Record<Outcome, (d: NextContext) => string> = {
  established: ({ phase }) =>
    phase === 1
      ? 'Phase 1 is up; if the tunnel still fails, read the phase-2 lines that follow.'
      : 'The tunnel is up; if traffic does not pass, check the client IDs (networks) and routing on both ends.',
  'peer-not-responding': ({ peer }) =>
    `Check IP connectivity to the peer${peer ? ` (${peer})` : ''}: the gateway address in the connection, UDP 500 (and 4500 for NAT-T) through firewalls and NAT, and that IKE runs on the peer.`,
  'proposal-rejected': ({ phase, local }) =>
    local
      ? `This side accepted none of the peer’s ${phase === 1 ? 'phase-1' : 'IPsec'} proposals: compare its offer with this side’s ${phase === 1 ? 'IKE policy (encryption, hash, DH group, authentication)' : 'IPsec proposal (ESP/AH, algorithms, PFS group, lifetimes)'}.`
      : phase === 1
        ? 'Compare the phase-1 proposal (encryption, hash, Diffie-Hellman group, authentication method, lifetime) with the peer’s IKE policy.'
        : 'Check the peer’s IPsec proposal configuration: ESP/AH, encryption and hash algorithms, PFS group, tunnel mode and lifetimes must match.',
  'authentication-failed': ({ notify, stage }) =>
    stage === 'xauth'
      ? 'Check the user name and password (XAUTH) and the user’s group on the gateway or its RADIUS/AAA server.'
      : notify !== undefined && notifyNumber(notify) === Notify.PAYLOAD_MALFORMED
        ? 'Check the pre-shared key on both ends: a PAYLOAD_MALFORMED right after the encrypted exchange means the peer could not decrypt it.'
        : 'Check the pre-shared key or certificate (and its CA) on both ends, and the identity each side sends.',
  'id-rejected': () =>
    'Make the client IDs match the peer’s policy: local and remote networks (address, subnet or range), protocol and port, and the phase-1 identity type.',
  'peer-error': ({ notify, local }) =>
    local
      ? `This side rejected a message of the peer with ${notify ?? 'an error'}: look up that notify in this side’s log and compare both ends’ settings.`
      : `The peer reported ${notify ?? 'an error'}: look up that notify in the peer’s log and configuration.`,
  deleted: ({ closedBy }) =>
    closedBy === 'local'
      ? 'Nothing failed: this side closed the SA after it came up (disconnect, lifetime or rekey); if that was unexpected, check this side’s lifetimes and idle settings.'
      : 'The SA was deleted after it came up: check the peer’s log for the reason (lifetime, idle timeout, policy change, DPD).',
  'peer-dead': ({ peer }) =>
    `The tunnel was up, then the peer stopped answering dead peer detection: check that the peer${peer ? ` (${peer})` : ''} is still running and reachable (UDP 500/4500, NAT mappings, a restart on its side).`,
  'exchange-rejected': () =>
    'The peer is answering, so connectivity is fine: its messages were rejected. Check the pre-shared key on both ends first, then the phase-1 IDs (type and value) and the proposal.',
  'local-failure': () => 'Something on this machine failed before the negotiation could finish: see the reason.',
  lost: ({ peer }) =>
    `The tunnel was up, then the connection to the gateway${peer ? ` (${peer})` : ''} was lost: check this machine’s network (a change of interface or address, sleep, Wi-Fi), then the path to the gateway.`,
  failed: ({ notify, stage }) =>
    stage === 'xauth'
      ? `XAUTH / mode config after phase 1 failed${notify ? ` (${notify})` : ''}: compare the XAUTH and mode-config (client address, DNS, split-tunnel) settings of both ends.`
      : `The negotiation failed${notify ? ` (${notify})` : ''}: read the lines just before it for the cause and compare both ends’ settings.`,
  incomplete: () =>
    'The log ends before the outcome: capture the log from the start of the connection until it fails or connects.',
};

/**
 * Whether an SA that traffic alone showed up (no `Established` or `Loading IPsec SA` line) is in doubt: after this side
 * sent the exchange's last message, the peer resent its own earlier one, so that last message had not reached it.
 */
function doubted(a: Attempt): boolean {
  return a.established && !a.confirmed && (a.resentAfterClose ?? 0) > 0;
}

function times(n: number): string {
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`;
}

/** The next step for a doubted SA (see `doubted`). */
const DOUBTED_NEXT =
  "This side's last message of the exchange did not reach the peer, or not in time: check the path from this side to the peer for lost UDP 500/4500 datagrams (a firewall, NAT or MTU problem), and the peer's log for this exchange.";

function summary(a: Attempt, outcome: Outcome, notify?: string): string {
  const what = a.phase === 1 ? 'Phase 1 (IKE SA)' : 'Phase 2 (IPsec SA)';
  switch (outcome) {
    case 'established':
      if (a.rekey) return `${what} was established again with new cookies (a rekey).`;
      if (a.accepted && !a.established)
        return `${what}: the peer accepted the proposal (its reply arrived, resent when this side's final hash did not reach it); the log shows no final hash from this side.`;
      if (doubted(a))
        return `${what} was completed by this side, but the peer then resent its earlier message ${times(a.resentAfterClose ?? 0)}: it had not received this side's last one, so it may not have set up the SA.`;
      return `${what} was established.`;
    case 'incomplete':
      if (a.clipped) return `${what} was probably established, but the log is cut inside its last message.`;
      return `${what} started, but the log ends before it finished.`;
    case 'peer-not-responding':
      return `${what} got no answer from the peer${a.retransmits > 0 ? ` after ${a.retransmits} retransmission${a.retransmits > 1 ? 's' : ''}` : ''}${a.exceeded ? ' and the client gave up' : ''}.`;
    case 'proposal-rejected':
      if (a.failure?.local) return `${what} failed: this side accepted none of the peer’s proposals (sent ${notify}).`;
      if (notify === undefined) return `${what} most likely failed: ${a.failure?.reason ?? 'the peer rejected it'}.`;
      return `${what} failed: the peer accepted none of the proposals (${notify}).`;
    case 'authentication-failed':
      if (a.stage === 'xauth')
        return `User authentication (XAUTH) after phase 1 failed${notify ? ` (${notify})` : ''}: the peer rejected the user name or password.`;
      if (a.failure?.local && notify !== undefined)
        return `${what} failed authentication: this side rejected the peer (sent ${notify}).`;
      return `${what} failed authentication (${notify ?? a.failure?.reason ?? 'no notify'}).`;
    case 'id-rejected':
      return `${what} failed: the peer rejected the identities (${notify}).`;
    case 'peer-error':
      if (a.failure?.local) return `${what} failed: this side rejected the peer’s message (sent ${notify}).`;
      return `${what} failed: the peer reported ${notify}.`;
    case 'deleted':
      return `${what} was ${a.rekey ? 'rekeyed (new cookies)' : 'established'}, then ${a.closedBy === 'local' ? 'closed by this side' : a.closedBy === 'peer' ? 'closed by the peer' : 'deleted'}${a.closeReason ? ` (${a.closeReason})` : ''}.`;
    case 'peer-dead':
      return `${what} was established, then the peer stopped answering dead peer detection (${a.dpdUnanswered ?? 0} R-U-THERE unanswered).`;
    case 'exchange-rejected':
      return `${what} failed: the peer kept answering, but its messages were rejected (${a.failure?.reason ?? 'rejected'}).`;
    case 'local-failure':
      return `${what} failed on this machine: ${a.failure?.reason ?? 'a local error'}.`;
    case 'lost':
      return `${what} was established, then the connection was lost${a.closeReason ? ` (${a.closeReason})` : ''}.`;
    case 'failed':
      if (a.stage === 'xauth')
        return `XAUTH / mode config after phase 1 failed${notify ? `: ${a.failure?.local ? 'this side sent' : 'the peer sent'} ${notify}` : ''}.`;
      return `${what} failed (${a.failure?.reason ?? notify ?? 'no reason given'}).`;
  }
}

/** Default {@link DiagnoserOptions.maxAttempts}. */
const MAX_ATTEMPTS = 10_000;
/** Default {@link DiagnoserOptions.maxConnections}. */
const MAX_CONNECTIONS = 65_536;

/**
 * Reads the negotiation as events arrive: per connection and phase attempt, the outcome with the evidence lines and
 * the next step. Lines without a connection name belong to the connection of the line before them. Time is linear in
 * the events; the state is the attempts reported (at most `maxAttempts`, each with at most 32 evidence lines) plus
 * what each connection is doing now.
 */
export function createDiagnoser(options: DiagnoserOptions = {}): Diagnoser {
  const { push, finish } = countingDiagnoser(options);
  return { push, finish };
}

/**
 * {@link createDiagnoser}, plus the work it did: events read and earlier attempts visited. Tests check that it grows
 * linearly with the log (a clock would not say why, and flakes on a loaded machine).
 */
export function countingDiagnoser(
  options: DiagnoserOptions = {},
): Diagnoser & { readonly work: number; readonly connections: number } {
  const maxAttempts = options.maxAttempts ?? MAX_ATTEMPTS;
  const maxConnections = options.maxConnections ?? MAX_CONNECTIONS;
  const conns = new Map<string, Conn>();
  /** The connections holding no reported attempt: the ones that may be forgotten. */
  const transient = new Set<string>();
  /**
   * Their names in the order they were first seen, oldest from `transientHead` on (a name no longer in `transient`
   * is skipped). An array with a moving head, not the Set's own order: reading the first entry of a Map or Set that
   * had its front deleted again and again walks every deleted slot in V8.
   */
  let transientOrder: string[] = [];
  let transientHead = 0;
  /** Forgets the oldest connection that holds no reported attempt, other than `keep` (the one just seen). */
  const forgetOne = (keep: string): void => {
    while (transientHead < transientOrder.length) {
      const name = transientOrder[transientHead++] as string;
      if (name === keep) {
        // `keep` is the newest: everything older is gone or reported, so nothing can be forgotten now.
        transientOrder.push(name);
        break;
      }
      if (transient.delete(name)) {
        conns.delete(name);
        break;
      }
    }
    if (transientHead > 1024 && transientHead * 2 > transientOrder.length) {
      transientOrder = transientOrder.slice(transientHead);
      transientHead = 0;
    }
  };
  /** The reported attempts, in start order. */
  const attempts: Attempt[] = [];
  let started = 0;
  let last = '';
  let index = 0;
  let work = 0;

  const coverage = { lines: 0, read: 0, relevant: 0 };
  let counted = 0;
  /** Counts the event's lines once each (a run-on line holds several events). */
  const count = (e: LogEvent): void => {
    if (e.kind === 'blank') return;
    const from = Math.max(e.source?.line ?? counted + 1, counted + 1);
    const to = e.source?.endLine ?? from;
    const n = Math.max(0, to - from + 1);
    counted = Math.max(counted, to);
    coverage.lines += n;
    if (e.kind !== 'unknown') coverage.read += n;
    if (!IRRELEVANT.has(e.kind)) coverage.relevant += n;
  };
  const remembered = (a: Attempt): boolean => a.seq < maxAttempts;
  const held = (c: Conn, a: Attempt): boolean => a === c.current || a === c.p1 || a === c.p2;
  const up = (a: Attempt): boolean => a.established && !a.deleted;
  const see = (a: Attempt, ev: Evidence): void => {
    a.first ??= ev;
    a.last = ev;
  };

  const start = (c: Conn, key: string, phase: 1 | 2): Attempt => {
    const a: Attempt = {
      connection: key,
      conn: c,
      seq: started++,
      phase,
      decisive: { items: [], omitted: 0 },
      sent: 0,
      received: 0,
      answered: false,
      retransmits: 0,
      exceeded: false,
      sentEncrypted: false,
      receivedEncrypted: false,
      established: false,
      deleted: false,
    };
    if (remembered(a)) {
      transient.delete(key);
      attempts.push(a);
      if (phase === 2) c.firstP2 ??= a;
    }
    // A phase 2 goes to the peer its phase 1 went to.
    if (phase === 2 && c.p1?.peer !== undefined) a.peer = c.p1.peer;
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

  /** Records the cookie an `Established IKE SA` line gives `a`, and whether another IKE SA was up then (a rekey). */
  const setCookie = (c: Conn, a: Attempt, cookie: string): void => {
    const before = a.cookie;
    a.cookie = cookie;
    // Only reported attempts need either index: later ones change nothing reported (no reported attempt starts after
    // them), and a delete naming their cookie finds no reported attempt.
    if (!remembered(a)) return;
    c.byCookie ??= new Map();
    c.live ??= new Map();
    if (before !== cookie) {
      if (before !== undefined) c.live.get(before)?.delete(a);
      const list = c.byCookie.get(cookie);
      if (list === undefined) c.byCookie.set(cookie, [a]);
      else if (!list.includes(a)) {
        // Start order, as a search of all attempts would find them (an attempt may name several cookies in turn).
        let at = list.length;
        while (at > 0 && (list[at - 1] as Attempt).seq > a.seq) {
          work++;
          at--;
        }
        list.splice(at, 0, a);
      }
    }
    let rekey = false;
    for (const [other, group] of c.live) {
      work++;
      if (other === cookie) continue;
      for (const x of group) {
        work++;
        if (up(x)) {
          rekey = true;
          break;
        }
        if (!held(c, x)) group.delete(x);
      }
      if (group.size === 0) c.live.delete(other);
      if (rekey) break;
    }
    a.rekey = rekey;
    const group = c.live.get(cookie);
    if (group === undefined) c.live.set(cookie, new Set([a]));
    else group.add(a);
  };
  /** The first attempt of the connection whose IKE SA has this cookie. */
  const byCookie = (c: Conn, cookie: string): Attempt | undefined =>
    c.byCookie?.get(cookie)?.find((x) => {
      work++;
      return x.cookie === cookie;
    });

  /**
   * The attempt an error belongs to: the one under way, unless it already concluded as established. An error after
   * phase 1 came up concerns phase 2 (a quick mode the log may not show); an error after phase 2 came up is a new
   * attempt of its own, so the established one stays.
   */
  const errorTarget = (c: Conn, key: string, hint: 1 | 2, notify?: number): Attempt => {
    // After phase 1, during a transaction exchange (XAUTH / mode config) and before any quick mode: that stage failed.
    if (c.lastExchange === 'TRANS' && c.p1?.established) {
      if (c.current?.stage === 'xauth' && !c.current.failure) return c.current;
      const x = start(c, key, 1);
      x.stage = 'xauth';
      if (c.p1.peer !== undefined) x.peer = c.p1.peer;
      return x;
    }
    const a = c.current ?? phaseOf(c, key, hint);
    if (!a.established) return a;
    // An authentication error right after the last main-mode message: phase 1 only looked complete.
    if (a.phase === 1 && !a.confirmed && notify !== undefined && AUTH_NOTIFIES.has(notify)) {
      a.established = false;
      return a;
    }
    if (a.phase === 1) {
      const p2 = c.p2;
      if (p2 && !p2.established && !p2.failure && !p2.exceeded && p2.seq > a.seq) return p2;
    }
    return start(c, key, 2);
  };
  const fail = (a: Attempt, ev: Evidence, failure: NonNullable<Attempt['failure']>) => {
    if (a.failure) return;
    // An error notify during XAUTH / mode config ends that stage, whatever the notify's usual meaning.
    a.failure = a.stage === 'xauth' && failure.outcome === 'peer-error' ? { ...failure, outcome: 'failed' } : failure;
    if (!a.decisive.items.includes(ev)) push(a.decisive, ev);
    see(a, ev);
  };
  /** Phase-2 or config-mode traffic (or the closing message) shows phase 1 up, unless it failed. */
  const phase1Up = (c: Conn, ev: Evidence) => {
    const p1 = c.p1;
    if (p1 && !p1.established && !p1.failure && !p1.exceeded) {
      p1.established = true;
      push(p1.decisive, ev);
    }
  };
  const freeText = (c: Conn, key: string, text: string, ev: Evidence) => {
    if (NO_RESPONSE.test(text)) {
      const a = c.current ?? phaseOf(c, key, 1);
      a.exceeded = true;
      see(a, ev);
      push(a.decisive, ev);
    } else if (XAUTH_FAILED.test(text)) xauthFailed(c, key, text, ev);
    else if (HASH_FAILED.test(text)) {
      fail(phase1Error(c, key), ev, { outcome: 'authentication-failed', reason: detached(text.trim()) });
    }
  };
  /** User authentication (XAUTH) after phase 1 failed: an attempt of its own; phase 1 stays up. */
  const xauthFailed = (c: Conn, key: string, text: string, ev: Evidence) => {
    {
      const p1 = c.p1;
      const x = start(c, key, 1);
      x.stage = 'xauth';
      if (p1) {
        if (p1.peer !== undefined && p1.peer !== '') x.peer = p1.peer;
        // The delete that came with the failure belongs to it, not to an SA deleted later.
        if (p1.deleted && p1.lastDelete !== undefined) {
          p1.deleted = false;
          remove(p1.decisive, p1.lastDelete);
          push(x.decisive, p1.lastDelete);
        }
        p1.established ||= !p1.failure;
        c.p1 = p1;
      }
      fail(x, ev, { outcome: 'authentication-failed', reason: detached(text.trim()) });
    }
  };
  /**
   * The attempt a phase-1 authentication error (`Hash verification failed`, `Key not found`) belongs to: phase 1,
   * whose success inferred from the last main-mode message it overrules; after an `Established IKE SA` line, a new one.
   */
  const phase1Error = (c: Conn, key: string): Attempt => {
    const p1 = c.p1 ?? phaseOf(c, key, 1);
    if (!p1.established) return p1;
    if (p1.confirmed) return start(c, key, 1);
    p1.established = false;
    return p1;
  };

  // --- Messages the knowledge table knows: one rule per signal ---------------------------------------------------

  /** The phase-1 attempt a message of an attempt's start or outcome belongs to (an open one, or a new one). */
  const phase1For = (c: Conn, key: string): Attempt => {
    const p1 = c.p1;
    if (p1 !== undefined && (c.reversed ? !p1.opened : !(p1.failure || p1.exceeded || p1.established))) return p1;
    if (p1 !== undefined && c.current === p1 && !p1.opened && !p1.failure && !p1.exceeded) return p1;
    return start(c, key, 1);
  };
  /** The SA that was up last: the tunnel (phase 2), else the IKE SA. */
  const upOne = (c: Conn): Attempt | undefined =>
    c.p2?.established ? c.p2 : c.p1?.established && (c.p2 === undefined || c.p2.seq < c.p1.seq) ? c.p1 : undefined;
  const decide = (a: Attempt, ev: Evidence) => {
    see(a, ev);
    if (!a.decisive.items.includes(ev)) push(a.decisive, ev);
  };
  const teardown = (c: Conn, key: string, ev: Evidence, by: 'local' | 'peer', reason?: string, next?: string) => {
    const a = upOne(c);
    if (a === undefined) {
      const x = c.current ?? phase1For(c, key);
      if (by === 'peer') fail(x, ev, { outcome: 'peer-error', ...(reason !== undefined ? { reason } : {}) });
      else see(x, ev);
      if (next !== undefined) x.nextStep ??= next;
      return;
    }
    a.deleted = true;
    a.closedBy ??= by;
    if (reason !== undefined) a.closeReason ??= reason;
    if (next !== undefined) a.nextStep ??= next;
    decide(a, ev);
  };
  const notResponding = (c: Conn, key: string, ev: Evidence, reason?: string) => {
    const up = upOne(c);
    if (up !== undefined) {
      up.lost = true;
      if (reason !== undefined) up.closeReason ??= reason;
      decide(up, ev);
      return;
    }
    const a = c.current ?? phase1For(c, key);
    a.exceeded = true;
    if (c.tcpPort !== undefined && a.received === 0)
      a.nextStep ??= `The client opened IPsec over TCP to port ${c.tcpPort} and nothing answered: check that the gateway has IPsec over TCP enabled on that port and that firewalls pass TCP ${c.tcpPort}, or switch the profile to UDP (TunnelingMode=0).`;
    decide(a, ev);
  };
  const localFailure = (c: Conn, key: string, ev: Evidence, cause: string, next?: string) => {
    const a = c.current ?? phase1For(c, key);
    fail(a, ev, { outcome: 'local-failure', reason: cause });
    if (next !== undefined) a.nextStep ??= next;
    decide(a, ev);
  };
  /** The host of a gateway endpoint (`198.51.100.7, 500 (jdoe)`, `198.51.100.7:500:X1`). */
  const hostOf = (endpoint: string | undefined): string | undefined => {
    const h = endpoint?.split(/[,\s]/)[0];
    if (h === undefined || h === '') return undefined;
    return /^\d{1,3}(?:\.\d{1,3}){3}:/.test(h) ? h.slice(0, h.indexOf(':')) : h;
  };
  const peerOf = (e: KnownMessageEvent): string | undefined => {
    const v = e.values;
    if (v.peer !== undefined) return v.peer;
    // The gateway's own initiator messages go to the peer; everything else comes from it.
    const initiator = /^IKE Initiator/i.test(e.text);
    return (
      hostOf(initiator ? (v.destination ?? v.destinationHost) : (v.source ?? v.sourceHost)) ??
      hostOf(initiator ? e.row?.destination : e.row?.source)
    );
  };

  type SignalRule = (c: Conn, key: string, e: KnownMessageEvent, ev: Evidence, k: KnownMessage) => void;
  const failWith =
    (outcome: Outcome, phase: 1 | 2): SignalRule =>
    (c, key, e, ev, k) => {
      const a = phase === 1 ? phase1For(c, key) : phaseOf(c, key, 2);
      if (phase === 2) phase1Up(c, ev);
      const notes = e.row?.notes;
      const text = e.values.message ?? e.text;
      fail(a, ev, { outcome, reason: detached(notes !== undefined ? `${text}: ${notes}` : text) });
      if (k.nextStep !== undefined) a.nextStep ??= k.nextStep;
    };
  const SIGNAL_RULES: Record<Signal, SignalRule> = {
    attempt: (c, key, e, ev) => {
      const a = phase1For(c, key);
      a.opened = true;
      const peer = peerOf(e);
      // `(balancing)`: the cluster redirected the client; the attempt goes on with the new member.
      if (peer !== undefined && (a.peer === undefined || e.values.balancing !== undefined)) a.peer = detached(peer);
      if (e.values.port !== undefined) c.tcpPort = detached(e.values.port);
      see(a, ev);
    },
    peer: (c, key, e, ev) => SIGNAL_RULES.attempt(c, key, e, ev, knownMessage(e.message) as KnownMessage),
    'phase1-progress': (c, key, _e, ev) => {
      const a = c.p1 ?? phase1For(c, key);
      a.received++;
      a.answered = true;
      see(a, ev);
    },
    'phase1-up': (c, key, _e, ev) => {
      const a = c.p1 !== undefined && !c.p1.failure ? c.p1 : phase1For(c, key);
      a.established = true;
      a.confirmed = true;
      decide(a, ev);
    },
    'phase2-start': (c, key, _e, ev) => {
      phase1Up(c, ev);
      see(phaseOf(c, key, 2), ev);
    },
    'phase2-up': (c, key, _e, ev) => {
      phase1Up(c, ev);
      const a = phaseOf(c, key, 2);
      a.established = true;
      a.confirmed = true;
      decide(a, ev);
    },
    retransmit: (c, _key, _e, ev) => {
      const a = c.current ?? phase1For(c, _key);
      a.retransmits++;
      decide(a, ev);
    },
    'no-response': (c, key, _e, ev) => notResponding(c, key, ev),
    timeout: (c, key, _e, ev) => {
      const a = c.current ?? phase1For(c, key);
      // The peer kept answering: the exchange was rejected, the timeout only ended it.
      if (a.peerAnswering) decide(a, ev);
      else notResponding(c, key, ev);
    },
    'peer-answering-rejected': (c, key, e, ev, k) => {
      const a = c.current ?? phase1For(c, key);
      a.peerAnswering = true;
      a.received++;
      fail(a, ev, {
        outcome: 'exchange-rejected',
        reason: detached(`${e.values.message ?? e.text}: the peer’s messages arrive, but are not accepted`),
      });
      if (k.nextStep !== undefined) a.nextStep ??= k.nextStep;
      decide(a, ev);
    },
    'id-mismatch-1': failWith('id-rejected', 1),
    'id-mismatch-2': failWith('id-rejected', 2),
    'proposal-rejected-1': failWith('proposal-rejected', 1),
    'proposal-rejected-2': failWith('proposal-rejected', 2),
    'auth-failed': (c, key, e, ev, k) => {
      const a = phase1Error(c, key);
      fail(a, ev, { outcome: 'authentication-failed', reason: detached(e.text) });
      if (k.nextStep !== undefined) a.nextStep ??= k.nextStep;
    },
    'xauth-failed': (c, key, e, ev) => xauthFailed(c, key, e.text, ev),
    notify: (c, key, e, ev) => {
      const name = e.values.notify ?? '';
      const n = notifyNumber(name);
      if (n === undefined || !isErrorNotify(n)) return;
      const a = errorTarget(c, key, c.p1?.established ? 2 : 1, n);
      fail(a, ev, { outcome: classify(name, a), notify: notifyName(n) });
      decide(a, ev);
    },
    'del-reason': (c, key, e, ev) => {
      const code = e.values.reason ?? '';
      const known = DEL_REASONS[code];
      const signal = known?.signal;
      if (signal === 'no-response') notResponding(c, key, ev);
      else if (signal === 'auth-failed')
        fail(phase1Error(c, key), ev, { outcome: 'authentication-failed', reason: detached(code) });
      else if (signal === 'teardown-peer' || signal === 'teardown-local')
        teardown(c, key, ev, signal === 'teardown-peer' ? 'peer' : 'local', detached(code));
      else if (upOne(c) === undefined || signal === undefined) {
        const a = c.current ?? phase1For(c, key);
        fail(a, ev, { outcome: 'failed', reason: detached(code) });
        decide(a, ev);
      } else see(upOne(c) as Attempt, ev);
    },
    'teardown-peer': (c, key, e, ev) =>
      teardown(c, key, ev, 'peer', e.values.reason === undefined ? undefined : detached(e.values.reason)),
    'teardown-local': (c, key, _e, ev) => teardown(c, key, ev, 'local'),
    reason: (c, key, e, ev) => {
      const text = e.values.reason ?? '';
      const code = e.values.code === undefined ? undefined : Number(e.values.code);
      const r = lookupReason(text, code);
      const why = detached(text.trim());
      switch (r?.signal) {
        case 'no-response':
          notResponding(c, key, ev, why);
          return;
        case 'lost':
          notResponding(c, key, ev, why);
          return;
        case 'local-failure':
          localFailure(c, key, ev, detached(r.cause ?? why), r.nextStep);
          return;
        case 'xauth-failed':
          xauthFailed(c, key, why, ev);
          return;
        case 'teardown-peer': {
          // The teardown line before this one marked the SA closed by the peer: this is its reason.
          const up = upOne(c);
          if (up?.deleted) {
            up.closeReason = why;
            if (r.nextStep !== undefined) up.nextStep = r.nextStep;
            decide(up, ev);
            return;
          }
          teardown(c, key, ev, 'peer', why, r.nextStep);
          return;
        }
        default: {
          const a = c.current ?? phase1For(c, key);
          if (a.failure) {
            decide(a, ev);
            return;
          }
          // The connection closed normally by this side: nothing failed.
          const up = upOne(c);
          if (up?.deleted && up.closedBy === 'local' && r === undefined) {
            up.closeReason ??= why;
            decide(up, ev);
            return;
          }
          fail(a, ev, { outcome: r?.signal === 'peer-error' ? 'peer-error' : 'failed', reason: why });
          decide(a, ev);
          return;
        }
      }
    },
    'port-in-use': (c, key, e, ev, k) =>
      localFailure(c, key, ev, detached(`UDP port 500 is held by another program (${e.text})`), k.nextStep),
    'interface-lost': (c, key, e, ev, k) => {
      const up = upOne(c);
      if (up === undefined) {
        localFailure(c, key, ev, detached(e.text), k.nextStep);
        return;
      }
      up.lost = true;
      up.closeReason ??= detached(`the local interface went away: ${e.text}`);
      if (k.nextStep !== undefined) up.nextStep ??= k.nextStep;
      decide(up, ev);
    },
    lost: (c, key, _e, ev) => notResponding(c, key, ev),
    info: (c, _key, _e, ev) => {
      if (c.current !== undefined) see(c.current, ev);
    },
  };

  const readKnown = (c: Conn, key: string, e: KnownMessageEvent, ev: Evidence): void => {
    const k = knownMessage(e.message);
    if (k === undefined) {
      freeText(c, key, e.text, ev);
      return;
    }
    SIGNAL_RULES[k.signal](c, key, e, ev, k);
    const a = c.current;
    if (a !== undefined && a.peer === undefined) {
      const peer = peerOf(e);
      if (peer !== undefined) a.peer = detached(peer);
    }
  };

  const currentOf = (c: Conn, key: string, fallback: 1 | 2): Attempt => c.current ?? phaseOf(c, key, fallback);

  /** The rule shared by ike-sa-established, sa-established. */
  const readIkeSaEstablished = (
    c: Conn,
    key: string,
    e: Extract<LogEvent, { kind: 'ike-sa-established' | 'sa-established' }>,
    ev: Evidence,
  ): void => {
    const phase = e.kind === 'sa-established' ? e.phase : 1;
    const a = phaseOf(c, key, phase);
    // The SA came up after an error notify of its own negotiation (a stray or probing one, the exchange went on):
    // the client's own line says it was established, so the notify did not end it.
    if (!a.established && a.failure !== undefined) delete a.failure;
    a.established = true;
    a.confirmed = true;
    // A new IKE SA (new cookies) while an earlier one is still up: a rekey, not a new connection.
    if (e.kind === 'ike-sa-established' && e.myCookie !== undefined) setCookie(c, a, toHex(e.myCookie));
    see(a, ev);
    push(a.decisive, ev);
  };
  /** The rule shared by message-text, unknown. */
  const readMessageText = (
    c: Conn,
    key: string,
    e: Extract<LogEvent, { kind: 'message-text' | 'unknown' }>,
    ev: Evidence,
  ): void => {
    freeText(c, key, e.text, ev);
  };
  /** What each kind of event tells: one rule per kind (kinds without a rule say nothing about the negotiation). */
  const EVENT_RULES: EventRules = {
    'phase1-start': (c, key, e, ev) => {
      const a = start(c, key, 1);
      a.peer = detached(e.peer);
      see(a, ev);
    },
    'phase2-start': (c, key, _e, ev) => {
      see(start(c, key, 2), ev);
    },
    'ike-message': (c, key, e, ev) => {
      const retransmitLine = c.retransmitLine === true;
      c.retransmitLine = false;
      if (e.direction === 'received') c.dpdPending = { items: [], omitted: 0 };
      const notifies = e.items.flatMap((i) => (i.notify === undefined ? [] : [notifyNumber(i.notify) ?? 0]));
      // Dead peer detection is liveness, not negotiation: it is no evidence of a phase; our unanswered R-U-THEREs are.
      if (
        e.exchange === 'INFO' &&
        notifies.length > 0 &&
        notifies.every((n) => DPD_NOTIFIES.has(n)) &&
        !e.items.some((i) => i.payload === 'DEL')
      ) {
        if (e.direction === 'sent' && notifies.includes(Notify.DPD_R_U_THERE)) push(c.dpdPending, ev);
        return;
      }
      // An exchange no client had a word for (`EXCHANGE_77`, or a word the grammar does not know) is no evidence of
      // either phase: its line is read, and judged no part of a negotiation.
      const number = exchangeNumber(e.exchange);
      if (number === undefined || exchangeName(number) === undefined) return;
      if (e.exchange !== 'INFO') c.lastExchange = e.exchange === 'QM' ? 'QM' : detached(e.exchange);
      let a: Attempt;
      const fresh = e.direction === 'sent' && !e.retransmission && e.items.some((i) => i.payload === 'SA');
      // Seen from the responder: the peer proposes phase 1 anew (not a resend) while its last proposal got no answer
      // from this side; that one was given up, and this is another attempt.
      const proposesAgain =
        e.direction === 'received' &&
        !e.retransmission &&
        e.items[0]?.payload === 'SA' &&
        c.p1 !== undefined &&
        !c.p1.established &&
        c.p1.sent === 0 &&
        c.p1.received > 0;
      if ((e.exchange === 'MM' || e.exchange === 'AG') && proposesAgain) {
        const unanswered = c.p1 as Attempt;
        fail(unanswered, ev, {
          outcome: 'failed',
          local: true,
          reason: 'this side never answered the peer’s proposal, and the peer started again',
        });
        unanswered.nextStep ??=
          'This side did not answer the peer’s phase-1 proposal: check that a connection here matches the peer (its address, identity and proposal), and this side’s log for why it stayed silent.';
        decide(unanswered, ev);
        a = start(c, key, 1);
      } else if (e.exchange === 'MM' || e.exchange === 'AG') a = phaseOf(c, key, 1, fresh);
      else if (e.exchange === 'QM') a = phaseOf(c, key, 2, fresh);
      // An error notify goes to the attempt it concerns (see errorTarget).
      else if (e.items.some((i) => i.notify !== undefined && isErrorNotify(notifyNumber(i.notify) ?? 0)))
        a = errorTarget(
          c,
          key,
          e.encrypted && e.exchange === 'INFO' ? 2 : 1,
          e.items.map((i) => (i.notify === undefined ? 0 : (notifyNumber(i.notify) ?? 0))).find(isErrorNotify),
        );
      // An informational message with no phase under way: encryption says the IKE SA already exists.
      else a = currentOf(c, key, e.encrypted && e.exchange === 'INFO' ? 2 : 1);
      if (e.exchange === 'QM' || e.exchange === 'TRANS') phase1Up(c, ev);
      if (e.peer !== undefined) a.peer ??= detached(e.peer);
      // Gateway lines: source then destination; the peer is the far end.
      const far = e.endpoints?.[e.direction === 'sent' ? 1 : 0];
      if (far !== undefined) a.peer ??= detached(far.address);
      see(a, ev);
      // The last message of aggressive mode (encrypted hash) and of quick mode (a lone HASH), in either direction
      // once both sides have spoken, completes the phase. Read without keys, every quick-mode message shows a lone
      // HASH (its first payload): the answer (QM2) is then told from the last message (QM3) by its sender, who has
      // not spoken in the exchange before, unless the other side's message before it showed the SA it answers.
      const noSa = !e.items.some((i) => i.payload === 'SA');
      const spokeBefore = (e.direction === 'sent' ? a.sent : a.received) > 0;
      const answersSa = a.saFrom !== undefined && a.saFrom !== e.direction;
      const closing =
        !e.retransmission &&
        e.encrypted &&
        ((e.exchange === 'AG' && noSa) ||
          (e.exchange === 'QM' && e.items[0]?.payload === 'HASH' && noSa && (spokeBefore || answersSa)) ||
          // Main mode ends with the encrypted identity and hash in both directions.
          (e.exchange === 'MM' &&
            noSa &&
            e.items.some((i) => i.payload === 'HASH') &&
            (e.direction === 'sent' ? a.receivedEncrypted : a.sentEncrypted)));
      if (closing && a.sent + a.received > 0 && (e.direction === 'sent' ? a.received : a.sent) > 0 && !a.failure) {
        // A line cut inside its list (`*(HASH, NOTIFY:NOTIFY_CONN`) probably closed the phase, but was not seen whole.
        if (e.clipped !== undefined) a.clipped = true;
        else {
          a.established = true;
          a.closer ??= e.direction;
        }
        push(a.decisive, ev);
      }
      if ((e.exchange === 'QM' || e.exchange === 'AG') && !e.retransmission && !noSa) a.saFrom = e.direction;
      // This side sent the closing message, and the peer resent its own earlier one: it had not received ours.
      if (
        e.retransmission &&
        e.direction === 'received' &&
        a.closer === 'sent' &&
        !a.confirmed &&
        (e.exchange === 'QM' || e.exchange === 'AG')
      ) {
        a.resentAfterClose = (a.resentAfterClose ?? 0) + 1;
        push(a.decisive, ev);
      }
      // A line cut off mid-list after the phase looked complete from traffic alone (no `Loading IPsec SA` or
      // `Established` line): it may be the message that would have said otherwise; lower the confidence.
      if (e.clipped !== undefined && a.established && !a.confirmed) {
        a.established = false;
        a.clipped = true;
      }
      // The responder's quick-mode answer to our proposal: the peer accepted one. Read without keys the answer shows
      // only its HASH, but it is the peer's first quick-mode message after ours (a refusal would be an INFO).
      const keylessAnswer = e.encrypted && e.items.length === 1 && e.items[0]?.payload === 'HASH' && a.received === 0;
      if (
        e.exchange === 'QM' &&
        e.direction === 'received' &&
        !e.retransmission &&
        a.sent > 0 &&
        (e.items.some((i) => i.payload === 'SA') || keylessAnswer) &&
        !a.failure
      ) {
        a.accepted ??= ev;
      }
      if (e.exchange === 'QM' && e.direction === 'received' && e.retransmission && a.accepted) a.answerResent = true;
      // Who closed the SA: the sender of the DEL.
      if (e.items.some((i) => i.payload === 'DEL' || i.payload === 'DWR')) c.delDirection = e.direction;
      // Without keys an encrypted INFO shows only its HASH: where it stands tells what it most likely says.
      if (e.exchange === 'INFO' && e.encrypted && !e.retransmission && e.items.every((i) => i.payload === 'HASH')) {
        const keyed = a.sentEncrypted || a.receivedEncrypted || (c.lastExchange === 'AG' && a.received > 0);
        if (a.phase === 1 && !a.established && !a.confirmed && keyed)
          a.opaque ??= { ev, local: e.direction === 'sent' };
        else if (
          a.phase === 2 &&
          !a.established &&
          !a.accepted &&
          e.direction === 'received' &&
          a.sent > 0 &&
          a.received === 0 &&
          a.retransmits === 0
        )
          a.opaque ??= { ev, local: false };
      }
      if (e.direction === 'sent') {
        a.sent++;
        a.answered = false;
        if (e.encrypted && !e.retransmission) a.sentEncrypted = true;
        if (e.retransmission) {
          // The `Retransmitting` line before it already counted this resend.
          if (!retransmitLine) a.retransmits++;
          push(a.decisive, ev);
        }
        // An error notify we send: this side rejected the peer (a wrong key shows as AUTHENTICATION_FAILED or
        // INVALID_HASH_INFORMATION going out).
        for (const item of e.items) {
          const n = item.notify === undefined ? undefined : notifyNumber(item.notify);
          if (n !== undefined && isErrorNotify(n) && item.notify !== undefined)
            fail(a, ev, { outcome: classify(item.notify, a), notify: notifyName(n), local: true });
        }
      } else {
        a.received++;
        a.answered = true;
        if (e.encrypted) a.receivedEncrypted = true;
        for (const item of e.items) {
          if (item.notify !== undefined) {
            const n = notifyNumber(item.notify);
            if (n !== undefined && isErrorNotify(n))
              fail(a, ev, { outcome: classify(item.notify, a), notify: notifyName(n) });
          }
          // DWR: Cisco's delete with reason.
          if ((item.payload === 'DEL' || item.payload === 'DWR') && (c.p2?.established || c.p1?.established)) {
            const target = c.p2?.established ? c.p2 : (c.p1 as Attempt);
            target.deleted = true;
            target.closedBy ??= 'peer';
            push(target.decisive, ev);
            target.lastDelete = ev;
          }
        }
      }
    },
    'ike-sa-established': (c, key, e, ev) => readIkeSaEstablished(c, key, e, ev),
    'sa-established': (c, key, e, ev) => readIkeSaEstablished(c, key, e, ev),
    'loading-ipsec-sa': (c, key, _e, ev) => {
      const a = phaseOf(c, key, 2);
      a.established = true;
      a.confirmed = true;
      see(a, ev);
      push(a.decisive, ev);
    },
    retransmit: (c, key, _e, ev) => {
      const a = currentOf(c, key, 1);
      a.retransmits++;
      c.retransmitLine = true;
      see(a, ev);
      push(a.decisive, ev);
    },
    'exceeded-attempts': (c, key, e, ev) => {
      const a = e.phase === 1 ? (c.p1 ?? start(c, key, 1)) : (c.p2 ?? start(c, key, 2));
      a.exceeded = true;
      see(a, ev);
      push(a.decisive, ev);
    },
    'received-notify': (c, key, e, ev) => {
      const n = notifyNumber(e.notify);
      const error = n !== undefined && isErrorNotify(n);
      if (!error) return;
      const a = errorTarget(c, key, 1, n);
      see(a, ev);
      push(a.decisive, ev);
      fail(a, ev, { outcome: classify(e.notify, a), notify: notifyName(n) });
    },
    status: (c, key, e, ev) => {
      if (e.status === 'hash-verification-failed' || e.status === 'key-not-found')
        fail(phase1Error(c, key), ev, { outcome: 'authentication-failed', reason: detached(e.text) });
      else see(currentOf(c, key, 1), ev);
    },
    'known-message': (c, key, e, ev) => {
      readKnown(c, key, e, ev);
    },
    'message-text': (c, key, e, ev) => readMessageText(c, key, e, ev),
    unknown: (c, key, e, ev) => readMessageText(c, key, e, ev),
    'deleting-sa': (c, _key, e, ev) => {
      // A delete naming its IKE SA's cookie (after a rekey, the old SA's) ends that SA, not the latest.
      const cookie = e.sa === 'IKE' ? cookieIn(e.text) : undefined;
      const named = cookie === undefined ? undefined : byCookie(c, cookie);
      const a = named ?? (e.sa === 'IKE' ? c.p1 : c.p2);
      if (a) {
        see(a, ev);
        if (a.established) {
          a.deleted = true;
          if (c.delDirection !== undefined) a.closedBy ??= c.delDirection === 'sent' ? 'local' : 'peer';
          push(a.decisive, ev);
        } else if (e.reason?.includes('PEER_NOT_RESPONDING')) {
          a.exceeded = true;
          push(a.decisive, ev);
        } else if (a.failure) {
          push(a.decisive, ev);
        } else if (e.reason !== undefined && /FAIL|REJECT|INVALID|MISMATCH|ABORT/i.test(e.reason)) {
          // Another reason for giving up a negotiation (`DEL_REASON_IKE_NEG_FAILED`): a failure of its own.
          fail(a, ev, { outcome: 'failed', reason: detached(e.reason) });
        }
      }
    },
    'packet-received': (c, _key, e, _ev) => {
      if (c.current) {
        c.current.peer ??= detached(e.peer);
      }
    },
  };

  const read = (e: LogEvent, index: number): void => {
    const ev = evidence(e, index);
    let key: string | undefined;
    let naming = false;
    if ('connection' in e && e.connection !== undefined) {
      key = e.connection;
      naming = true;
    } else if (e.kind === 'ike-message' && e.peer !== undefined && last === '') key = '';
    key ??= last;
    let c = conns.get(key);
    if (!c) {
      key = detached(key);
      c = { named: false, dpdPending: { items: [], omitted: 0 } };
      conns.set(key, c);
      transient.add(key);
      transientOrder.push(key);
      if (conns.size > maxConnections) forgetOne(key);
    }
    if (naming) c.named = true;
    last = key;
    // A gateway export lists its rows newest first: times that run backwards say so.
    const stamp = e.row === undefined ? undefined : rowStamp(e.row);
    if (stamp !== undefined) {
      if (c.lastRow !== undefined && stamp < c.lastRow) c.reversed = true;
      c.lastRow = stamp;
    }

    (EVENT_RULES[e.kind] as EventRule<LogEventKind> | undefined)?.(c, key, e as never, ev);
  };

  const report = (a: Attempt, implied: boolean): Diagnosis => {
    let outcome: Outcome;
    let notify: string | undefined;
    if (a.failure) {
      outcome = a.failure.outcome;
      notify = a.failure.notify;
    } else if (a.established)
      outcome = a.lost ? 'lost' : a.dpdUnanswered !== undefined ? 'peer-dead' : a.deleted ? 'deleted' : 'established';
    // The peer answered (and resent its answer): it did respond, whatever our retransmissions say.
    else if (a.clipped) outcome = 'incomplete';
    else if (a.accepted && a.answerResent) {
      outcome = 'established';
      unshift(a.decisive, a.accepted);
    } else if (a.exceeded || (a.retransmits > 0 && !a.answered)) outcome = 'peer-not-responding';
    else outcome = 'incomplete';
    const ctx: NextContext = { phase: a.phase };
    if (a.failure?.local) ctx.local = true;
    if (outcome === 'deleted' && a.closedBy !== undefined) ctx.closedBy = a.closedBy;
    if (a.stage !== undefined) ctx.stage = a.stage;
    if (a.peer !== undefined) ctx.peer = a.peer;
    if (notify !== undefined) ctx.notify = notify;
    const decisive = a.decisive.items.length > 0;
    const inDoubt = outcome === 'established' && doubted(a);
    return {
      ...(a.conn.named ? { connection: a.connection } : {}),
      ...(a.peer !== undefined ? { peer: a.peer } : {}),
      phase: a.phase,
      ...(implied ? { implied: true as const } : {}),
      outcome,
      ...(notify !== undefined ? { notify } : {}),
      ...(a.failure?.local ? { local: true as const } : {}),
      ...(a.stage !== undefined ? { stage: a.stage } : {}),
      ...(a.failure?.reason !== undefined
        ? { reason: a.failure.reason }
        : a.closeReason !== undefined && (outcome === 'deleted' || outcome === 'lost')
          ? { reason: a.closeReason }
          : {}),
      ...(outcome === 'deleted' && a.closedBy !== undefined ? { closedBy: a.closedBy } : {}),
      ...(outcome === 'incomplete' && a.clipped ? { note: 'probably established; the log is cut' } : {}),
      ...(inDoubt
        ? { note: 'the peer resent its earlier message after this side’s last one: it may not have the SA' }
        : {}),
      summary: implied
        ? 'Phase 1 (IKE SA) was up: the log starts after it, with phase-2 traffic.'
        : summary(a, outcome, notify),
      evidence: decisive ? a.decisive.items : a.last === undefined ? [] : [a.last],
      ...(decisive && a.decisive.omitted > 0 ? { omittedEvidence: a.decisive.omitted } : {}),
      nextStep: inDoubt
        ? DOUBTED_NEXT
        : outcome === 'established' || a.nextStep === undefined
          ? NEXT[outcome](ctx)
          : a.nextStep,
    };
  };

  return {
    get connections() {
      return conns.size;
    },
    get work() {
      return work;
    },
    push(event) {
      work++;
      count(event);
      read(event, index++);
    },
    finish() {
      deadPeerPass(conns.values());
      const implied = impliedPhase1Pass(conns.values());
      opaquePass(attempts);
      const diagnoses: Diagnosis[] = [];
      for (const a of attempts) {
        const p1 = implied.get(a);
        if (p1 !== undefined) diagnoses.push(report(p1, true));
        diagnoses.push(report(a, false));
      }
      return { diagnoses, omitted: Math.max(0, started - maxAttempts), coverage: { ...coverage } };
    },
  };
}

// --- Passes over the state when the log has been read -------------------------------------------------------------

/** Our last R-U-THEREs went unanswered after the tunnel came up: the peer is gone. */
function deadPeerPass(conns: Iterable<Conn>): void {
  for (const c of conns) {
    const pending = c.dpdPending.items.length + c.dpdPending.omitted;
    if (pending < DPD_DEAD) continue;
    const a = c.p2?.established ? c.p2 : c.p1?.established ? c.p1 : undefined;
    if (a === undefined) continue;
    a.dpdUnanswered = pending;
    for (const ev of c.dpdPending.items) push(a.decisive, ev);
    a.decisive.omitted += c.dpdPending.omitted;
  }
}

/**
 * Phase-2 traffic means phase 1 was up, even when the log starts after it: a phase 1 to report before each
 * connection's first phase-2 attempt (not its latest), keyed by that attempt.
 */
function impliedPhase1Pass(conns: Iterable<Conn>): Map<Attempt, Attempt> {
  const implied = new Map<Attempt, Attempt>();
  for (const c of conns) {
    const p2 = c.firstP2;
    if (p2 === undefined || c.p1 !== undefined) continue;
    const p1: Attempt = {
      ...p2,
      phase: 1,
      decisive: { items: p2.first === undefined ? [] : [p2.first], omitted: 0 },
      established: true,
      deleted: false,
      exceeded: false,
      retransmits: 0,
    };
    if (p2.first === undefined) delete p1.last;
    else p1.last = p2.first;
    delete p1.failure;
    implied.set(p2, p1);
  }
  return implied;
}

/** An encrypted informational message where the exchange's next message was due (a log without keys): what it most likely said. */
function opaquePass(attempts: readonly Attempt[]): void {
  for (const a of attempts)
    if (a.opaque && !a.failure && !a.established && !a.accepted) {
      const { ev, local } = a.opaque;
      a.failure = {
        outcome: a.phase === 1 ? 'authentication-failed' : 'proposal-rejected',
        reason:
          a.phase === 1
            ? `${local ? 'this side' : 'the peer'} answered the encrypted phase-1 exchange with an encrypted informational message (its notify is unreadable without keys): most likely a pre-shared-key mismatch`
            : 'the peer answered the quick mode with an encrypted informational message, not a quick-mode reply (its notify is unreadable without keys): most likely NO_PROPOSAL_CHOSEN',
        ...(local ? { local: true as const } : {}),
      };
      unshift(a.decisive, ev);
    }
}

/**
 * Reads the negotiation out of the events: per connection and phase attempt, the outcome with the evidence lines and
 * the next step. Lines without a connection name belong to the connection of the line before them. Linear time; for
 * a log too big to hold, push its events into {@link createDiagnoser} instead.
 */
export function diagnose(events: readonly LogEvent[]): Diagnosis[] {
  const d = createDiagnoser({ maxAttempts: Number.POSITIVE_INFINITY, maxConnections: Number.POSITIVE_INFINITY });
  for (const e of events) d.push(e);
  return d.finish().diagnoses;
}
