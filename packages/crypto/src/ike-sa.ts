/**
 * Per-IKE-SA decryption state: takes the SA's messages in capture order, learns what the plaintext ones reveal
 * (g^xi, g^xr, the chosen transform), and keeps the IV chains of RFC 2409 appendix B:
 * - phase 1 starts from hash(g^xi | g^xr) (or the logged initial IV) and each encrypted phase-1 message chains from
 *   the last ciphertext block of the one before it;
 * - each phase 2 / informational / transaction exchange (one message ID) starts from hash(last phase-1 block | M-ID)
 *   and chains from the last ciphertext block of the exchange's previous message.
 * A retransmission (same message ID, same ciphertext) is decrypted with the IV its first copy used and leaves the
 * chain alone. When the expected IV does not give a valid payload chain, other plausible IVs are tried (the message
 * is then marked `recovered`). Nothing here throws for a bad message: the outcome says what happened.
 */

import { copyBytes, equalBytes, toHex } from '@oaklog/common';
import {
  build,
  type DecodeOptions,
  ExchangeType,
  HeaderFlag,
  type Message,
  type MessageInit,
  oakleyAttributes,
  PayloadType,
  ProtocolId,
} from '@oaklog/isakmp';
import {
  type DecryptedBody,
  decodeMessage,
  decryptBody,
  type EncryptedBody,
  encryptBody,
  type PaddingOptions,
} from './body';
import { u32be, xorBytes } from './bytes';
import { blockDecryptor, type CipherName, type CipherSpec, cipherSpec } from './ciphers';
import { CryptoError } from './errors';
import {
  checkHash,
  hashLengths,
  NOT_DECRYPTED_REASONS,
  type NotDecryptedReason,
  plausibleFirstBlock,
  plausibleFirstPayload,
  structuralReason,
} from './evidence';
import { digest, HASH_NAMES, type HashName, type HashSpec, hashSpec } from './hash';
import { lastBlock, phase1Iv, phase2Iv } from './iv';

/** What is known about one IKE SA's keys. Only the cookie and one encryption key are required. */
export interface IkeSaKeys {
  /** CKY-I, 8 bytes. */
  readonly initiatorCookie: Uint8Array;
  /** CKY-R, 8 bytes, when known (it separates IKE SAs that share an initiator cookie). */
  readonly responderCookie?: Uint8Array;
  /**
   * Ka. Several when the two peers derived different keys (a pre-shared key mismatch): each is tried. A key longer
   * than the cipher needs is cut to its length (RFC 2409 appendix B), so SKEYID_e itself works for AES-128 and SHA-1.
   */
  readonly encryptionKeys: readonly Uint8Array[];
  /**
   * SKEYID_a of each of `encryptionKeys`, by index (undefined where not known). With it, the HASH that starts a
   * quick mode, informational or transaction message must verify before the message counts as decrypted.
   */
  readonly authenticationKeys?: readonly (Uint8Array | undefined)[];
  /** The phase-1 cipher; learnt from the responder's SA payload (or guessed from the key length) when absent. */
  readonly cipher?: CipherName;
  /** The phase-1 hash, needed for IVs; learnt from the responder's SA payload (or tried in turn) when absent. */
  readonly hash?: HashName;
  /** The phase-1 IV as logged (strongSwan "initial IV"); else computed from g^xi and g^xr. */
  readonly initialIv?: Uint8Array;
  /** g^xi and g^xr; else learnt from the KE payloads of the exchange. */
  readonly gxi?: Uint8Array;
  readonly gxr?: Uint8Array;
}

/** Which IV rule gave the IV a message was decrypted with. */
export type IvSource =
  /** The phase-1 IV: logged, or hash(g^xi | g^xr). */
  | 'phase1'
  /** The last ciphertext block of an earlier phase-1 message. */
  | 'phase1-chain'
  /** hash(a phase-1 block | M-ID): the first message of a phase-2 or informational exchange. */
  | 'phase2'
  /** The last ciphertext block of an earlier message with the same message ID. */
  | 'phase2-chain'
  /**
   * hash(phase-1 IV | M-ID) although phase 1 has encrypted messages: strongSwan, after failing to decrypt MM5 (a
   * pre-shared key mismatch), keeps its initial phase-1 IV and starts its error informational from it.
   */
  | 'phase2-from-initial-iv';

/** What became of one message. */
export type MessageOutcome =
  /** Not encrypted; `message.payloads` is its chain. */
  | { readonly kind: 'plaintext'; readonly message: Message }
  /** Decrypted and decoded. */
  | {
      readonly kind: 'decrypted';
      readonly message: Message;
      readonly body: DecryptedBody;
      readonly cipher: CipherName;
      readonly ivSource: IvSource;
      /** The IV the chain expected did not work; another plausible one (not a named rule) did. */
      readonly recovered: boolean;
      /** Same message ID and ciphertext as an earlier message (decrypted with that one's IV). */
      readonly retransmission: boolean;
    }
  /**
   * Keys and IVs were there to try, but none gave strong evidence of a decryption (most likely a wrong key): shown as
   * "not decrypted (wrong key?)". `reason` is the furthest check any trial reached. No plaintext is kept: what a
   * wrong key yields is noise, and a capture of large messages would hold all of it.
   */
  | {
      readonly kind: 'not-decrypted';
      readonly message: Message;
      readonly reason: NotDecryptedReason;
      readonly retransmission: boolean;
    }
  /** Encrypted but not tried: `error` says why (`NO_IV`, `BAD_KEY_LENGTH`, `NOT_BLOCK_ALIGNED`, ...). */
  | {
      readonly kind: 'failed';
      readonly message?: Message;
      readonly error: CryptoError;
      readonly retransmission: boolean;
    };

/** Options of a state. */
export interface IkeSaStateOptions {
  readonly decodeOptions?: DecodeOptions;
  /** Called once per trial decryption (one key, IV and cipher tried on one message): lets tests and profilers count work. */
  readonly onAttempt?: () => void;
}

/** Who sent a message, when the caller knows (e.g. `"192.0.2.1:500"`); used to tell g^xi from g^xr. */
export interface MessageMeta {
  readonly sender?: string;
}

/** The per-IKE-SA state (see the module comment). */
export interface IkeSaState {
  readonly keys: IkeSaKeys;
  /** Takes the SA's next message (bytes or decoded) in capture order. Never throws. */
  push(message: Uint8Array | Message, meta?: MessageMeta): MessageOutcome;
  /**
   * Encrypts a message to send in this SA: the IV is the one its chain expects next, and the message is recorded
   * as if pushed, so the chain continues. Throws `CryptoError` (`NO_IV`, `NO_KEYS`, ...).
   */
  encrypt(init: Omit<MessageInit, 'encrypted'>, options?: PaddingOptions): { message: Message; body: EncryptedBody };
  /**
   * Tries again a message that failed (e.g. it came before the message whose last block is its IV), with every
   * candidate IV known now. It does not move the chains; a success is marked `recovered`.
   */
  retry(message: Message): MessageOutcome;
  /** The IV the next new message with this ID would be decrypted with, when it can be computed. */
  expectedIv(messageId: number): Uint8Array | undefined;
  /** The last ciphertext block of phase 1 (or the phase-1 IV while phase 1 has no encrypted message). */
  readonly phase1LastBlock: Uint8Array | undefined;
  /** The cipher and hash in use, once known. */
  readonly cipher: CipherName | undefined;
  readonly hash: HashName | undefined;
}

interface Chain {
  /** Last ciphertext block of the newest distinct message. */
  last: Uint8Array | undefined;
  /** The last blocks of the newest `MAX_CHAIN_BLOCKS` distinct messages, oldest first. */
  readonly blocks: Uint8Array[];
  /** Nonce data of the exchange's decrypted messages (Ni_b, Nr_b), for HASH(2) and HASH(3). */
  readonly nonces: Uint8Array[];
}

/** What the first copy of a ciphertext found: the IV that decrypted it (none when it did not), or that it had none. */
interface Seen {
  candidate: Candidate | undefined;
  noIv: boolean;
  /** When every key was rejected: the IVs that were tried (so a retry with no new IV is not redone) and why. */
  rejected?: { readonly ivs: string; readonly reason: NotDecryptedReason };
}

interface Candidate {
  readonly iv: Uint8Array;
  readonly source: IvSource;
  /** Whether the IV came out of the hash (so a success confirms the hash guess). */
  readonly hashed: boolean;
}

/**
 * How many earlier messages' last blocks a chain keeps as fallback IVs. A hostile capture can hold any number of
 * undecryptable messages; trying every earlier block for every message made decryption quadratic (or worse, times
 * the hash guesses and the end-of-capture retry). The peers' real IV is the newest block or one a few messages back
 * (a dropped or reordered message), so a small window keeps recovery and makes the work per message constant.
 */
const MAX_CHAIN_BLOCKS = 4;

/**
 * How many distinct ciphertexts an IKE SA remembers (for retransmissions), and how many exchanges' chains it keeps;
 * the oldest go first. A real SA retransmits within seconds and runs a few exchanges at a time; a hostile capture
 * must not make the state grow with its length.
 */
const MAX_SEEN = 1024;
const MAX_CHAINS = 1024;

/**
 * A fixed-size name for a ciphertext of exchange `mid`: the first 16 bytes of SHA-256 over the message ID and the
 * ciphertext, as a 16-character string (one flat string, the smallest key a Map holds). Keying the retransmission
 * cache on the hex of whole ciphertexts cost about 1.9 MB of heap per 60 KB message, and a `mid:length:hex` key three
 * strings per message of every SA; a collision needs a 128-bit SHA-256 prefix collision.
 */
function ciphertextId(mid: number, ciphertext: Uint8Array): string {
  return String.fromCharCode(...digest('sha2-256', u32be(mid), ciphertext).subarray(0, 16));
}

const KEY_LENGTH_GUESSES: Readonly<Record<number, readonly CipherName[]>> = {
  8: ['des-cbc'],
  16: ['aes-cbc-128'],
  24: ['3des-cbc', 'aes-cbc-192'],
  32: ['aes-cbc-256'],
};

function tryCipher(algorithm: number | undefined, keyLength: number | undefined): CipherSpec | undefined {
  if (algorithm === undefined) return undefined;
  try {
    return cipherSpec(algorithm, keyLength);
  } catch {
    return undefined;
  }
}

function tryHash(algorithm: number | undefined): HashSpec | undefined {
  if (algorithm === undefined) return undefined;
  try {
    return hashSpec(algorithm);
  } catch {
    return undefined;
  }
}

/** The items of `items` that pass `keep`, as they are pulled. */
function* filtered<T>(items: Iterable<T>, keep: (item: T) => boolean): Generator<T> {
  for (const item of items) if (keep(item)) yield item;
}

/**
 * A list pulled from `items` only as far as it is read: `at(i)` computes up to item `i` once, and every later reader
 * (each key tried) reads what was computed; `all()` computes the rest.
 */
export function lazyList<T>(items: Iterable<T>): { at(index: number): T | undefined; all(): readonly T[] } {
  const got: T[] = [];
  const it = items[Symbol.iterator]();
  let done = false;
  const at = (index: number) => {
    while (!done && got.length <= index) {
      const next = it.next();
      if (next.done) done = true;
      else got.push(next.value);
    }
    return got[index];
  };
  return {
    at,
    all: () => {
      at(Number.POSITIVE_INFINITY);
      return got;
    },
  };
}

/**
 * What a state has learnt from its SA's messages: everything but its functions and key schedules. A decryptor that
 * holds many SAs parks an idle one by keeping only this (`trimIkeSaMemory`) and resumes it with `resumeIkeSaState`:
 * a live state's closures and cipher instances cost more than what it has learnt.
 */
export interface IkeSaMemory {
  cipher: CipherSpec | undefined;
  hash: HashSpec | undefined;
  gxi: Uint8Array | undefined;
  gxr: Uint8Array | undefined;
  /** Who sent the SA's first message, to tell g^xi from g^xr. */
  initiatorSender: string | undefined;
  /** Transform of the responder's SA, read when keys leave cipher or hash open. */
  chosen: { cipher?: CipherSpec; hash?: HashSpec } | undefined;
  readonly chains: Map<number, Chain>;
  readonly seen: Map<string, Seen>;
}

/**
 * What the keys say of the cipher and hash. Throws `CryptoError` for keys no state can be made from: no encryption key
 * (`NO_KEYS`), a cipher or hash name not implemented (`UNSUPPORTED_ALGORITHM`).
 */
export function checkIkeSaKeys(keys: IkeSaKeys): { cipher: CipherSpec | undefined; hash: HashSpec | undefined } {
  if (keys.encryptionKeys.length === 0) throw new CryptoError('NO_KEYS', 'an IKE SA needs at least one encryption key');
  return {
    cipher: keys.cipher ? cipherSpec(keys.cipher) : undefined,
    hash: keys.hash ? hashSpec(keys.hash) : undefined,
  };
}

/** What a state knows before its first message: what the keys say. */
export function newIkeSaMemory(keys: IkeSaKeys): IkeSaMemory {
  return {
    ...checkIkeSaKeys(keys),
    gxi: keys.gxi,
    gxr: keys.gxr,
    initiatorSender: undefined,
    chosen: undefined,
    chains: new Map(),
    seen: new Map(),
  };
}

/**
 * How much of a parked SA's memory is kept: the newest exchanges' chains (phase 1's always) and the newest
 * ciphertexts remembered for retransmissions. A parked SA was idle while many others were busy, so an exchange of its
 * own older than these is over, and a resend of an older message is rare; each is still handled, as a new message.
 */
const PARKED_CHAINS = 8;
const PARKED_SEEN = 16;

/** Cuts a memory down to what a parked SA keeps (see `PARKED_CHAINS`). */
export function trimIkeSaMemory(memory: IkeSaMemory): void {
  dropOldest(memory.chains, memory.chains.size - PARKED_CHAINS, (mid) => mid !== 0);
  dropOldest(memory.seen, memory.seen.size - PARKED_SEEN, () => true);
}

/** Deletes up to `count` of the oldest entries (in insertion order) that `may` allows. */
function dropOldest<K>(map: Map<K, unknown>, count: number, may: (key: K) => boolean): void {
  if (count <= 0) return;
  for (const key of map.keys()) {
    if (count === 0) break;
    if (!may(key)) continue;
    map.delete(key);
    count -= 1;
  }
}

/** A state for one IKE SA (see the module comment). */
export function createIkeSaState(keys: IkeSaKeys, options: IkeSaStateOptions = {}): IkeSaState {
  return resumeIkeSaState(keys, newIkeSaMemory(keys), options);
}

/** A state over what an earlier one of the same SA learnt (`memory` is shared, not copied: it goes on learning). */
export function resumeIkeSaState(keys: IkeSaKeys, memory: IkeSaMemory, options: IkeSaStateOptions = {}): IkeSaState {
  const { chains, seen } = memory;
  /** Per cipher, each key's block decryptor: key schedules are made once per SA, not once per message. */
  const headDecryptors = new Map<CipherName, ((block: Uint8Array) => Uint8Array)[]>();

  function headDecryptor(c: CipherSpec, k: number, key: Uint8Array): (block: Uint8Array) => Uint8Array {
    let list = headDecryptors.get(c.name);
    if (!list) {
      list = [];
      headDecryptors.set(c.name, list);
    }
    let d = list[k];
    if (!d) {
      d = blockDecryptor(c, key);
      list[k] = d;
    }
    return d;
  }

  function chain(mid: number): Chain {
    let c = chains.get(mid);
    if (!c) {
      c = { last: undefined, blocks: [], nonces: [] };
      chains.set(mid, c);
      // Phase 1's chain (message ID 0) starts every other exchange's IV: it is never the one evicted.
      dropOldest(chains, chains.size - MAX_CHAINS, (old) => old !== 0 && old !== mid);
    }
    return c;
  }

  function remember(id: string, entry: Seen): void {
    seen.delete(id);
    seen.set(id, entry);
    dropOldest(seen, seen.size - MAX_SEEN, () => true);
  }

  function cipherCandidates(): CipherSpec[] {
    if (memory.cipher) return [memory.cipher];
    if (memory.chosen?.cipher) return [memory.chosen.cipher];
    // Guess from the key length: exact fits first, then ciphers a longer key (e.g. a whole SKEYID_e) is cut for.
    const lengths = [...new Set(keys.encryptionKeys.map((k) => k.length))];
    const exact = lengths.flatMap((n) => KEY_LENGTH_GUESSES[n] ?? []);
    const cut = Object.entries(KEY_LENGTH_GUESSES).flatMap(([n, names]) =>
      lengths.some((l) => l > Number(n)) ? names : [],
    );
    return [...new Set([...exact, ...cut])].map((c) => cipherSpec(c));
  }

  function hashCandidates(): HashSpec[] {
    if (memory.hash) return [memory.hash];
    if (memory.chosen?.hash) return [memory.chosen.hash];
    return HASH_NAMES.map((h) => hashSpec(h));
  }

  function initialIv(h: HashSpec, blockSize: number): Uint8Array | undefined {
    if (keys.initialIv && keys.initialIv.length >= blockSize) return keys.initialIv.slice(0, blockSize);
    if (memory.gxi && memory.gxr) return phase1Iv(h, memory.gxi, memory.gxr, blockSize);
    return undefined;
  }

  /** Candidate IVs for a new message, the expected one first, computed only as far as they are tried. */
  function* candidates(mid: number, h: HashSpec, blockSize: number): Generator<Candidate> {
    const tried = new Set<string>();
    function* add(iv: Uint8Array | undefined, source: IvSource, hashed = source === 'phase2'): Generator<Candidate> {
      if (!iv || iv.length !== blockSize) return;
      const id = toHex(iv);
      if (tried.has(id)) return;
      tried.add(id);
      yield { iv, source, hashed };
    }
    const p1 = chains.get(0);
    const p1Blocks = [...(p1?.blocks ?? [])].reverse();
    if (mid === 0) {
      yield* add(p1?.last, 'phase1-chain');
      yield* add(initialIv(h, blockSize), 'phase1', !keys.initialIv);
      for (const b of p1Blocks) yield* add(b, 'phase1-chain');
      return;
    }
    const own = chains.get(mid);
    yield* add(own?.last, 'phase2-chain');
    const p1Initial = p1?.last ? undefined : initialIv(h, blockSize);
    const p1Last = p1?.last ?? p1Initial;
    if (p1Last) yield* add(phase2Iv(h, p1Last, mid, blockSize), 'phase2');
    const initial = p1Initial ?? initialIv(h, blockSize);
    if (initial && p1?.last) yield* add(phase2Iv(h, initial, mid, blockSize), 'phase2-from-initial-iv', true);
    for (const b of p1Blocks) yield* add(phase2Iv(h, b, mid, blockSize), 'phase2');
    for (const b of [...(own?.blocks ?? [])].reverse()) yield* add(b, 'phase2-chain');
  }

  function learn(m: Message, meta: MessageMeta | undefined): void {
    if (m.header.messageId !== 0) return;
    const zeroResponder = m.header.responderCookie.every((b) => b === 0);
    if (zeroResponder && meta?.sender !== undefined && memory.initiatorSender === undefined)
      memory.initiatorSender = meta.sender;
    const fromInitiator =
      meta?.sender !== undefined && memory.initiatorSender !== undefined
        ? meta.sender === memory.initiatorSender
        : undefined;
    for (const p of m.payloads) {
      if (p.type === PayloadType.KE && 'data' in p) {
        // Copies: the decoded data is a view into the capture's read chunk, which the SA would keep whole otherwise.
        if (fromInitiator === true || (fromInitiator === undefined && memory.gxi === undefined))
          memory.gxi ??= copyBytes(p.data);
        else if (fromInitiator === false || (memory.gxi !== undefined && !equalBytes(memory.gxi, p.data)))
          memory.gxr ??= copyBytes(p.data);
      }
      if (p.type === PayloadType.SA && 'proposals' in p && !zeroResponder && fromInitiator !== true) {
        const proposal = p.proposals[0];
        const transform = proposal?.transforms[0];
        if (
          p.proposals.length === 1 &&
          proposal?.protocolId === ProtocolId.ISAKMP &&
          proposal.transforms.length === 1
        ) {
          const a = oakleyAttributes(transform?.attributes ?? []);
          const c = tryCipher(a.encryptionAlgorithm, a.keyLength);
          const hs = tryHash(a.hashAlgorithm);
          memory.chosen = { ...(c ? { cipher: c } : {}), ...(hs ? { hash: hs } : {}) };
        }
      }
    }
  }

  /** The negotiated hash once known: the prf of HASH payloads, and their size. */
  function knownHash(): HashSpec | undefined {
    return memory.hash ?? memory.chosen?.hash;
  }

  /**
   * A full trial decryption of a candidate that passed the first-block check, judged by the evidence rules
   * (`evidence.ts`): the body when it counts as decrypted, else why not.
   */
  function judge(
    c: CipherSpec,
    key: Uint8Array,
    skeyidA: Uint8Array | undefined,
    iv: Uint8Array,
    m: Message,
  ): DecryptedBody | NotDecryptedReason {
    let body: DecryptedBody;
    try {
      body = decryptBody({
        cipher: c,
        key,
        iv,
        ciphertext: m.encrypted ?? new Uint8Array(0),
        firstPayload: m.header.nextPayload,
        ...(options.decodeOptions ? { decodeOptions: options.decodeOptions } : {}),
      });
    } catch {
      return 'bad-payload-chain';
    }
    const { exchangeType, messageId } = m.header;
    const reason = structuralReason(body, exchangeType, c.blockSize, hashLengths(knownHash()));
    if (reason) return reason;
    if (skeyidA) {
      const nonces = chains.get(messageId)?.nonces ?? [];
      const check = checkHash({ body, exchangeType, messageId, skeyidA, hash: knownHash(), nonces });
      if (check === 'mismatch') return 'hash-mismatch';
    }
    return body;
  }

  function failed(m: Message | undefined, error: CryptoError, retransmission: boolean): MessageOutcome {
    return { kind: 'failed', ...(m ? { message: m } : {}), error, retransmission };
  }

  function record(mid: number, ciphertext: Uint8Array, blockSize: number, iv: Candidate | undefined, id: string) {
    const c = chain(mid);
    const block = lastBlock(ciphertext, blockSize);
    c.last = block;
    c.blocks.push(block);
    if (c.blocks.length > MAX_CHAIN_BLOCKS) c.blocks.shift();
    remember(id, { candidate: iv, noIv: false });
  }

  /** Keeps a quick mode's nonces: HASH(2) and HASH(3) of its later messages are computed over them. */
  function learnNonce(m: Message, body: DecryptedBody): void {
    if (m.header.exchangeType !== ExchangeType.QUICK_MODE) return;
    const nonce = body.payloads.find((p) => p.type === PayloadType.NONCE);
    if (!nonce || !('data' in nonce) || !(nonce.data instanceof Uint8Array)) return;
    const c = chain(m.header.messageId);
    const data = nonce.data;
    if (!c.nonces.some((n) => equalBytes(n, data))) c.nonces.push(data);
    if (c.nonces.length > MAX_CHAIN_BLOCKS) c.nonces.shift();
  }

  /** `again`: a second attempt at a message that failed, now that later messages may have given its IV. */
  function decryptEncrypted(m: Message, again = false): MessageOutcome {
    const ciphertext = m.encrypted ?? new Uint8Array(0);
    const mid = m.header.messageId;
    if (ciphertext.length === 0)
      return failed(m, new CryptoError('NOT_ENCRYPTED', 'encryption flag set but the body is empty'), false);
    const ciphers = cipherCandidates();
    if (ciphers.length === 0)
      return failed(
        m,
        new CryptoError('UNSUPPORTED_ALGORITHM', 'cipher unknown: not in the keys, not negotiated in the capture'),
        false,
      );
    const aligned = ciphers.filter((c) => ciphertext.length % c.blockSize === 0);
    if (aligned.length === 0) {
      const bs = ciphers[0]?.blockSize ?? 8;
      return failed(
        m,
        new CryptoError('NOT_BLOCK_ALIGNED', `${ciphertext.length}-byte body is not whole ${bs}-byte blocks`, {
          offset: ciphertext.length - (ciphertext.length % bs),
        }),
        false,
      );
    }
    const id = ciphertextId(mid, ciphertext);
    const known = seen.get(id);
    const retransmission = !again && known !== undefined;
    const stored = again ? undefined : known?.candidate;
    const { exchangeType, nextPayload: firstPayload } = m.header;
    // A chain that cannot start this way under any key (a quick mode without a leading HASH) costs no decryption.
    const firstOk = plausibleFirstPayload(exchangeType, firstPayload);
    const hashSizes = hashLengths(knownHash());
    let furthest = -1;
    const note = (r: NotDecryptedReason) => {
      furthest = Math.max(furthest, NOT_DECRYPTED_REASONS.indexOf(r));
    };
    let tried = false;
    // The IVs are the same for every key: computed once per message, not once per key. A message's own last
    // block (in its chain once it was recorded) is never its IV.
    const own = lastBlock(ciphertext, aligned[0]?.blockSize ?? 8);
    // Each list is computed as far as it is tried (the expected IV, first, usually decrypts): the IVs of every
    // earlier block hash once each, and most messages never need them.
    const ivsByCipher = aligned.map((c) =>
      hashCandidates().map((h) => ({
        h,
        list: lazyList(
          stored && stored.iv.length === c.blockSize
            ? [stored]
            : filtered(candidates(mid, h, c.blockSize), (x) => !equalBytes(x.iv, own)),
        ),
      })),
    );
    // The IVs tried, as one string: built only where a rejection is remembered or compared, not for every message.
    const ivKey = () =>
      ivsByCipher
        .map((l) =>
          l
            .map((x) =>
              x.list
                .all()
                .map((y) => toHex(y.iv))
                .join(),
            )
            .join(';'),
        )
        .join('|');
    const rejected = known?.rejected;
    if (again && rejected && rejected.ivs === ivKey())
      return { kind: 'not-decrypted', message: m, reason: rejected.reason, retransmission };
    for (const [ci, c] of aligned.entries()) {
      const bs = c.blockSize;
      const ivLists = ivsByCipher[ci] ?? [];
      if (ivLists.every((l) => l.list.at(0) === undefined)) continue;
      const head = ciphertext.subarray(0, bs);
      for (const [k, fullKey] of keys.encryptionKeys.entries()) {
        if (fullKey.length < c.keyLength) continue;
        tried = true;
        if (!firstOk) {
          note('unexpected-payloads');
          break;
        }
        const key = fullKey.subarray(0, c.keyLength);
        // CBC: P1 = D(C1) xor IV, so one block decryption per key rules out most wrong keys for every IV.
        const decryptedHead = headDecryptor(c, k, key)(head);
        for (const { h, list } of ivLists) {
          for (let i = 0, cand = list.at(0); cand !== undefined; cand = list.at(++i)) {
            options.onAttempt?.();
            if (
              !plausibleFirstBlock(
                xorBytes(decryptedHead, cand.iv),
                exchangeType,
                firstPayload,
                ciphertext.length,
                hashSizes,
              )
            ) {
              note('implausible-header');
              continue;
            }
            const body = judge(c, key, keys.authenticationKeys?.[k], cand.iv, m);
            if (typeof body === 'string') {
              note(body);
              continue;
            }
            memory.cipher ??= c;
            if (!memory.hash && cand.hashed) memory.hash = h;
            if (!retransmission && !again) record(mid, ciphertext, bs, cand, id);
            else if (!stored) {
              const entry = seen.get(id);
              if (entry) entry.candidate = cand;
            }
            learnNonce(m, body);
            return {
              kind: 'decrypted',
              message: m,
              body,
              cipher: c.name,
              ivSource: cand.source,
              // The initial-IV rule is a known peer behaviour, not a guess: not marked recovered.
              recovered: again || (i > 0 && cand.source !== 'phase2-from-initial-iv'),
              retransmission,
            };
          }
        }
      }
    }
    if (!retransmission && !again) record(mid, ciphertext, aligned[0]?.blockSize ?? 8, undefined, id);
    const keyFits = keys.encryptionKeys.some((k) => aligned.some((c) => k.length >= c.keyLength));
    // A retransmission needs its first copy's IV: when that one had none, neither does the copy (the chain's newer
    // blocks it was tried with are not its IV), so the reason stays NO_IV rather than a wrong key.
    const firstHadNoIv = seen.get(id)?.noIv ?? false;
    if (!tried || (keyFits && firstHadNoIv && (retransmission || again))) {
      const error = keyFits
        ? new CryptoError('NO_IV', 'the IV cannot be computed: no logged initial IV and g^xi/g^xr not seen')
        : new CryptoError('BAD_KEY_LENGTH', `no key is long enough for ${aligned.map((c) => c.name).join(' or ')}`);
      const first = seen.get(id);
      if (keyFits && !retransmission && !again && first) first.noIv = true;
      return failed(m, error, retransmission);
    }
    const reason = NOT_DECRYPTED_REASONS[furthest] ?? 'implausible-header';
    const entry = seen.get(id);
    if (entry && !retransmission) entry.rejected = { ivs: ivKey(), reason };
    return { kind: 'not-decrypted', message: m, reason, retransmission };
  }

  function push(input: Uint8Array | Message, meta?: MessageMeta): MessageOutcome {
    let m: Message;
    try {
      m = input instanceof Uint8Array ? decodeMessage(input, options.decodeOptions) : input;
    } catch (e) {
      return failed(undefined, e instanceof CryptoError ? e : new CryptoError('DECODE_FAILED', String(e)), false);
    }
    if (!(m.header.flags & HeaderFlag.ENCRYPTION) || m.encrypted === undefined) {
      learn(m, meta);
      return { kind: 'plaintext', message: m };
    }
    return decryptEncrypted(m);
  }

  function retry(m: Message): MessageOutcome {
    if (!(m.header.flags & HeaderFlag.ENCRYPTION) || m.encrypted === undefined)
      return { kind: 'plaintext', message: m };
    return decryptEncrypted(m, true);
  }

  function expectedCandidate(mid: number): Candidate | undefined {
    const cs = cipherCandidates();
    const hs = hashCandidates();
    if (cs.length !== 1 || hs.length !== 1 || !cs[0] || !hs[0]) return undefined;
    return candidates(mid, hs[0], cs[0].blockSize).next().value;
  }

  return {
    keys,
    push,
    retry,
    expectedIv: (mid) => expectedCandidate(mid)?.iv,
    encrypt(init, padding) {
      const c =
        memory.cipher ?? memory.chosen?.cipher ?? (cipherCandidates().length === 1 ? cipherCandidates()[0] : undefined);
      if (!c) throw new CryptoError('UNSUPPORTED_ALGORITHM', 'cipher unknown: give it in the keys');
      const mid = init.messageId ?? 0;
      const expected = expectedCandidate(mid);
      if (!expected)
        throw new CryptoError('NO_IV', 'the IV cannot be computed: give the hash and g^xi/g^xr or the initial IV');
      const key = keys.encryptionKeys[0]?.subarray(0, c.keyLength);
      if (!key || key.length !== c.keyLength)
        throw new CryptoError('BAD_KEY_LENGTH', `${c.name} needs a ${c.keyLength}-byte key`);
      const body = encryptBody({ cipher: c, key, iv: expected.iv, payloads: init.payloads ?? [], ...padding });
      const firstPayload = init.payloads?.[0]?.type ?? PayloadType.NONE;
      const message = build.message({
        initiatorCookie: keys.initiatorCookie,
        ...(keys.responderCookie ? { responderCookie: keys.responderCookie } : {}),
        ...init,
        nextPayload: firstPayload,
        encrypted: body.ciphertext,
      });
      record(mid, body.ciphertext, c.blockSize, expected, ciphertextId(mid, body.ciphertext));
      memory.cipher ??= c;
      return { message, body };
    },
    get phase1LastBlock() {
      const c = cipherCandidates()[0];
      const h = hashCandidates()[0];
      const p1 = chains.get(0)?.last;
      if (p1) return p1;
      return c && h ? initialIv(h, c.blockSize) : undefined;
    },
    get cipher() {
      return (memory.cipher ?? memory.chosen?.cipher)?.name;
    },
    get hash() {
      return (memory.hash ?? memory.chosen?.hash)?.name;
    },
  };
}
