import { copyBytes } from '@oaklog/common';
import type { FragmentPayload } from './payloads/fragment';

/** Limits of a fragment reassembler; every one bounds memory. */
export interface ReassemblerOptions {
  /**
   * Highest fragment number accepted (and so most fragments per message). Default 255, all the one-byte field holds:
   * memory is bounded by `maxBytes` and `maxPending` whatever the count.
   */
  maxFragments?: number;
  /** Most data bytes one reassembled message may hold. Default 65535. */
  maxBytes?: number;
  /** Most messages being reassembled at once; the oldest is dropped past it. Default 16. */
  maxPending?: number;
}

/**
 * What pushing one fragment did. `evicted`, on a fragment that started a new message past `maxPending`: the key of
 * the oldest incomplete message, dropped to make room (its fragments will never complete it), so a caller can say so.
 */
export type ReassemblyResult =
  /** Stored; more fragments are needed (`missing` lists the numbers still absent, when the last is known). */
  | { status: 'incomplete'; key: string; received: number; missing?: number[]; evicted?: string }
  /** Every fragment 1..last is present: `message` is the whole ISAKMP message. */
  | { status: 'complete'; key: string; message: Uint8Array; fragments: number; evicted?: string }
  /** Not stored; the reason says why. */
  | { status: 'rejected'; key: string; reason: RejectReason };

/** Why a fragment was not stored. */
export type RejectReason =
  /** Same number, same bytes and same last flag as one already held. */
  | 'duplicate'
  /**
   * Same number as one held but different bytes or a different last flag, or a second last fragment with another
   * number.
   */
  | 'conflict'
  /** Number 0, past `maxFragments`, or past the known last fragment. */
  | 'bad-number'
  /** The message would exceed `maxBytes`. */
  | 'too-large'
  /**
   * A retransmission of a fragment of a message already completed under this key and fragment ID: same number,
   * bytes and last flag. A fragment that differs starts a new message, since peers reuse fragment IDs (libreswan
   * always sends 1).
   */
  | 'already-complete';

/** Reassembles IKEv1 fragment payloads (132) into whole messages, per caller-chosen key (e.g. cookies + peer). */
export interface FragmentReassembler {
  /** Adds one fragment; `key` separates IKE SAs / peers, the fragment ID separates messages within it. */
  push(fragment: FragmentPayload, key?: string): ReassemblyResult;
  /** Messages currently held incomplete. */
  readonly pending: number;
  /** Drops everything held. */
  clear(): void;
}

interface Pending {
  readonly parts: Map<number, Uint8Array>;
  bytes: number;
  last?: number;
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** True when `entry` holds fragment `n` with these bytes and this last flag. */
function holds(entry: Pending, n: number, data: Uint8Array, last: boolean): boolean {
  const held = entry.parts.get(n);
  return held !== undefined && (entry.last === n) === last && same(held, data);
}

function limit(value: number | undefined, fallback: number, max: number, name: string): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1 || v > max) throw new RangeError(`${name} ${v} is not an integer from 1 to ${max}`);
  return v;
}

/**
 * Creates a reassembler with bounded memory that is not fooled by duplicates, gaps, overlaps or a missing last.
 * Throws `RangeError` for a limit that is not a positive integer (`maxFragments` at most 255, the field's range).
 * The last `maxPending` completed messages are remembered (their fragments) to recognise retransmissions.
 */
export function createFragmentReassembler(options: ReassemblerOptions = {}): FragmentReassembler {
  const maxFragments = limit(options.maxFragments, 255, 255, 'maxFragments');
  const maxBytes = limit(options.maxBytes, 65535, Number.MAX_SAFE_INTEGER, 'maxBytes');
  const maxPending = limit(options.maxPending, 16, Number.MAX_SAFE_INTEGER, 'maxPending');
  const pending = new Map<string, Pending>();
  const done = new Map<string, Pending>();

  function remember(key: string, entry: Pending): void {
    done.set(key, entry);
    if (done.size > maxPending) done.delete(done.keys().next().value as string);
  }

  return {
    push(fragment, key = '') {
      const id = `${key}#${fragment.fragmentId}`;
      const n = fragment.fragmentNumber;
      const completed = done.get(id);
      if (completed) {
        if (holds(completed, n, fragment.data, fragment.last))
          return { status: 'rejected', key: id, reason: 'already-complete' };
        done.delete(id);
      }
      let entry = pending.get(id);
      if (n < 1 || n > maxFragments || (entry?.last !== undefined && n > entry.last))
        return { status: 'rejected', key: id, reason: 'bad-number' };
      if (entry) {
        if (entry.parts.has(n))
          return {
            status: 'rejected',
            key: id,
            reason: holds(entry, n, fragment.data, fragment.last) ? 'duplicate' : 'conflict',
          };
        if (fragment.last && entry.last !== undefined) return { status: 'rejected', key: id, reason: 'conflict' };
        if (fragment.last && [...entry.parts.keys()].some((k) => k > n))
          return { status: 'rejected', key: id, reason: 'bad-number' };
      }
      if ((entry?.bytes ?? 0) + fragment.data.length > maxBytes)
        return { status: 'rejected', key: id, reason: 'too-large' };
      let evicted: string | undefined;
      if (!entry) {
        entry = { parts: new Map(), bytes: 0 };
        pending.set(id, entry);
        if (pending.size > maxPending) {
          evicted = pending.keys().next().value as string;
          pending.delete(evicted);
        }
      }
      const dropped = evicted === undefined ? {} : { evicted };
      entry.parts.set(n, copyBytes(fragment.data));
      entry.bytes += fragment.data.length;
      if (fragment.last) entry.last = n;
      if (entry.last === undefined || entry.parts.size < entry.last)
        return {
          status: 'incomplete',
          key: id,
          received: entry.parts.size,
          ...(entry.last === undefined
            ? {}
            : { missing: Array.from({ length: entry.last }, (_, i) => i + 1).filter((i) => !entry.parts.has(i)) }),
          ...dropped,
        };
      const message = new Uint8Array(entry.bytes);
      let at = 0;
      for (let i = 1; i <= entry.last; i++) {
        const part = entry.parts.get(i)!;
        message.set(part, at);
        at += part.length;
      }
      pending.delete(id);
      remember(id, entry);
      return { status: 'complete', key: id, message, fragments: entry.last, ...dropped };
    },
    get pending() {
      return pending.size;
    },
    clear() {
      pending.clear();
      done.clear();
    },
  };
}
