/**
 * Decrypting a capture's worth of ISAKMP messages: routes each to its IKE SA's state by cookies, reassembles IKEv1
 * fragments (payload 132) before decrypting, and reports messages of SAs without keys.
 */

import { equalBytes, toHex } from '@oaklog/common';
import {
  createFragmentReassembler,
  type FragmentPayload,
  type FragmentReassembler,
  HeaderFlag,
  type Message,
  PayloadType,
  type ReassemblyResult,
} from '@oaklog/isakmp';
import { decodeMessage } from './body';
import { CryptoError } from './errors';
import {
  checkIkeSaKeys,
  type IkeSaKeys,
  type IkeSaMemory,
  type IkeSaState,
  type IkeSaStateOptions,
  type MessageOutcome,
  newIkeSaMemory,
  resumeIkeSaState,
  trimIkeSaMemory,
} from './ike-sa';

/** One datagram to decrypt: the ISAKMP bytes (without a NAT-T marker), and who sent it when known. */
export interface MessageInput {
  readonly bytes: Uint8Array;
  /** Sender, e.g. `"192.0.2.1:500"`; lets the states tell initiator from responder. */
  readonly sender?: string;
}

/** What happened to one input datagram. */
export type CaptureOutcome =
  | MessageOutcome
  /** An encrypted message of an IKE SA with no keys (or a plaintext one of such an SA). */
  | { readonly kind: 'no-keys'; readonly message: Message }
  /** An IKEv1 fragment: `reassembly` says what it did; when it completed a message, `reassembled` is its outcome. */
  | {
      readonly kind: 'fragment';
      readonly message: Message;
      readonly reassembly: ReassemblyResult['status'];
      readonly reassembled?: MessageOutcome;
    };

/** Decrypts messages in capture order with a set of IKE SA keys. */
export interface MessageDecryptor {
  push(input: MessageInput | Uint8Array): CaptureOutcome;
  /**
   * Routes one message the caller already decoded (and, for IKE fragments, reassembled) to its IKE SA's state: no
   * decoding, no reassembly here. Give every message of the capture, plaintext ones too (they carry g^x and the chosen
   * transform), in capture order, each once: a caller that recognises resends itself need not pass them again.
   */
  decrypt(message: Message, sender?: string): MessageOutcome | { readonly kind: 'no-keys'; readonly message: Message };
  /**
   * Tries a decoded message that did not decrypt again (`not-decrypted`, or `failed` with `NO_IV`), with every IV its
   * IKE SA knows now: e.g. once the message captured after it, whose last block is its IV, has been decrypted.
   */
  decryptAgain(message: Message): MessageOutcome | { readonly kind: 'no-keys'; readonly message: Message };
  /** Tries a `not-decrypted` outcome again (see `IkeSaState.retry`); returns it unchanged when there is nothing to retry. */
  retry(outcome: CaptureOutcome): CaptureOutcome;
  /** IKE SAs whose memory was dropped so far to stay within `maxRememberedSas`. */
  readonly forgotten: number;
  /** The state of each IKE SA that has keys, in key order (a parked SA's resumed for the reading). */
  readonly states: readonly IkeSaState[];
}

/** Options of a decryptor: those of its states, and how many of them stay live at once. */
export interface MessageDecryptorOptions extends IkeSaStateOptions {
  /**
   * How many IKE SA states are live (functions and key schedules made) at once; the least recently used beyond this
   * are parked, keeping only what they learnt, and resumed by their next message. Default 256.
   */
  readonly maxLiveStates?: number;
  /**
   * How many IKE SAs' memories (chains, learnt g^x and transform, remembered ciphertexts) are kept; past this the
   * least recently used SA is forgotten, and a later message of it starts afresh. Default 10000, the bridge's
   * `maxConversations`.
   */
  readonly maxRememberedSas?: number;
}

/**
 * Live states beyond which the least recently used is parked. Parking costs little (a resumed state remakes its key
 * schedules, about one message's work), and a live state holds several kilobytes of closures and cipher instances: a
 * gateway capture with tens of thousands of IKE SAs held them all live (945 MB for 40,207 SAs).
 */
const MAX_LIVE_STATES = 256;
/**
 * SAs remembered at most: what each learnt is a few kilobytes, and a capture of any length must not make the
 * decryptor grow with it. The View Log forgets conversations past the same number.
 */
export const MAX_REMEMBERED_SAS = 10000;

/** One IKE SA with keys: its memory once a message of it came, its state while live. */
interface Sa {
  readonly keys: IkeSaKeys;
  memory: IkeSaMemory | undefined;
  live: IkeSaState | undefined;
}

/**
 * A decryptor for a stream of messages (see the module comment). Throws `CryptoError` only for keys no state can be
 * made from (`NO_KEYS`, `UNSUPPORTED_ALGORITHM`); the key file parsers never produce such keys. An SA's state is made
 * when its first message comes.
 */
export function createMessageDecryptor(
  keys: readonly IkeSaKeys[],
  options: MessageDecryptorOptions = {},
): MessageDecryptor {
  const { maxLiveStates = MAX_LIVE_STATES, maxRememberedSas = MAX_REMEMBERED_SAS, ...stateOptions } = options;
  for (const [name, value] of [
    ['maxLiveStates', maxLiveStates],
    ['maxRememberedSas', maxRememberedSas],
  ] as const)
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} ${value} is not a positive integer`);
  // Bad keys are refused now, as when every state was made up front, not at the SA's first message.
  for (const k of keys) checkIkeSaKeys(k);
  const sas: Sa[] = keys.map((k) => ({ keys: k, memory: undefined, live: undefined }));
  const byCookie = new Map<string, Sa[]>();
  for (const sa of sas) {
    const id = toHex(sa.keys.initiatorCookie);
    const list = byCookie.get(id);
    if (list) list.push(sa);
    else byCookie.set(id, [sa]);
  }
  /** The live SAs, and those with a memory, least recently used first. */
  const live = new Set<Sa>();
  const remembered = new Set<Sa>();
  let forgotten = 0;

  /** Moves `sa` to the newest end of `set`; returns the oldest when that makes the set larger than `max`. */
  function touch(set: Set<Sa>, sa: Sa, max: number): Sa | undefined {
    set.delete(sa);
    set.add(sa);
    if (set.size <= max) return undefined;
    const oldest = set.values().next().value as Sa;
    set.delete(oldest);
    return oldest;
  }

  /** The SA's state, made or resumed when it is not live, and marked most recently used. */
  function stateOf(sa: Sa): IkeSaState {
    const unremembered = touch(remembered, sa, maxRememberedSas);
    if (unremembered) {
      live.delete(unremembered);
      unremembered.live = undefined;
      unremembered.memory = undefined;
      forgotten += 1;
    }
    const parked = touch(live, sa, maxLiveStates);
    if (parked) {
      parked.live = undefined;
      if (parked.memory) trimIkeSaMemory(parked.memory);
    }
    sa.live ??= resumeIkeSaState(sa.keys, memoryOf(sa), stateOptions);
    return sa.live;
  }

  function memoryOf(sa: Sa): IkeSaMemory {
    sa.memory ??= newIkeSaMemory(sa.keys);
    return sa.memory;
  }

  const reassembler: FragmentReassembler = createFragmentReassembler();

  function statesFor(m: Message): IkeSaState[] {
    const candidates = byCookie.get(toHex(m.header.initiatorCookie)) ?? [];
    const r = m.header.responderCookie;
    if (r.every((b) => b === 0)) return candidates.map(stateOf);
    const exact = candidates.filter((sa) => sa.keys.responderCookie && equalBytes(sa.keys.responderCookie, r));
    if (exact.length > 0) return exact.map(stateOf);
    return candidates
      .filter((sa) => !sa.keys.responderCookie)
      .slice(0, 1)
      .map(stateOf);
  }

  function route(m: Message, sender: string | undefined): MessageOutcome | { kind: 'no-keys'; message: Message } {
    const targets = statesFor(m);
    const meta = sender === undefined ? undefined : { sender };
    const encrypted = (m.header.flags & HeaderFlag.ENCRYPTION) !== 0;
    if (targets.length === 0) return encrypted ? { kind: 'no-keys', message: m } : { kind: 'plaintext', message: m };
    if (!encrypted) {
      for (const s of targets) s.push(m, meta);
      return { kind: 'plaintext', message: m };
    }
    let outcome: MessageOutcome | undefined;
    for (const s of targets) {
      const o = s.push(m, meta);
      if (o.kind === 'decrypted') return o;
      // Several SAs share the cookie: a state that tried keys and rejected them says more than one without an IV.
      if (!outcome || o.kind === 'not-decrypted') outcome = o;
    }
    return outcome ?? { kind: 'no-keys', message: m };
  }

  function push(input: MessageInput | Uint8Array): CaptureOutcome {
    const { bytes, sender } = input instanceof Uint8Array ? { bytes: input, sender: undefined } : input;
    let m: Message;
    try {
      m = decodeMessage(bytes, options.decodeOptions);
    } catch (e) {
      const error = e instanceof CryptoError ? e : new CryptoError('DECODE_FAILED', String(e));
      return { kind: 'failed', error, retransmission: false };
    }
    const fragment = m.payloads.find((p): p is FragmentPayload => p.type === PayloadType.FRAGMENT);
    if (!(m.header.flags & HeaderFlag.ENCRYPTION) && fragment) {
      const key = `${toHex(m.header.initiatorCookie)}:${toHex(m.header.responderCookie)}:${sender ?? ''}`;
      const result = reassembler.push(fragment, key);
      if (result.status !== 'complete') return { kind: 'fragment', message: m, reassembly: result.status };
      const whole = push({ bytes: result.message, ...(sender === undefined ? {} : { sender }) });
      const reassembled: MessageOutcome =
        whole.kind === 'no-keys'
          ? {
              kind: 'failed',
              message: whole.message,
              error: new CryptoError('NO_KEYS', 'no keys for this IKE SA'),
              retransmission: false,
            }
          : whole.kind === 'fragment'
            ? {
                kind: 'failed',
                message: whole.message,
                error: new CryptoError('DECODE_FAILED', 'a fragment inside a fragment'),
                retransmission: false,
              }
            : whole;
      return { kind: 'fragment', message: m, reassembly: result.status, reassembled };
    }
    return route(m, sender);
  }

  function retry(outcome: CaptureOutcome): CaptureOutcome {
    if (outcome.kind === 'fragment' && outcome.reassembled?.kind === 'failed') {
      const again = retry(outcome.reassembled);
      return again.kind === 'decrypted' ? { ...outcome, reassembled: again } : outcome;
    }
    // A wrong key stays wrong, but a message captured before its predecessor gets its IV only now.
    if (outcome.kind !== 'not-decrypted') return outcome;
    const again = decryptAgain(outcome.message);
    return again.kind === 'decrypted' ? again : outcome;
  }

  function decryptAgain(m: Message): MessageOutcome | { kind: 'no-keys'; message: Message } {
    const targets = statesFor(m);
    if (targets.length === 0) return { kind: 'no-keys', message: m };
    let outcome: MessageOutcome | undefined;
    for (const s of targets) {
      const again = s.retry(m);
      if (again.kind === 'decrypted') return again;
      outcome ??= again;
    }
    return outcome ?? { kind: 'no-keys', message: m };
  }

  return {
    push,
    decrypt: route,
    decryptAgain,
    retry,
    get forgotten() {
      return forgotten;
    },
    // A view of each SA that is not live; made here, it is not counted as live and parks nothing.
    get states() {
      return sas.map((sa) => sa.live ?? resumeIkeSaState(sa.keys, memoryOf(sa), stateOptions));
    },
  };
}

/**
 * Decrypts every message of a capture with the given keys, one outcome per input: in capture order, then once more
 * for messages that failed, since a message captured before its predecessor only gets its IV from it.
 */
export function decryptMessages(
  inputs: Iterable<MessageInput | Uint8Array>,
  keys: readonly IkeSaKeys[],
  options: MessageDecryptorOptions = {},
): CaptureOutcome[] {
  const d = createMessageDecryptor(keys, options);
  const outcomes = Array.from(inputs, (i) => d.push(i));
  return outcomes.map((o) => d.retry(o));
}
