/**
 * When a trial decryption counts as a decryption. Random bytes decrypted with a wrong key decode as a payload
 * chain now and then (a header byte of zero, a plausible length, a type the codec knows), so a decoded chain is not
 * enough: the body must look as a sender writes it, and where SKEYID_a is known the HASH must verify.
 */

import { equalBytes } from '@oaklog/common';
import { ExchangeType, type Payload, PayloadType, payloadTypeName } from '@oaklog/isakmp';
import { type DecryptedBody, isSanePadding } from './body';
import { u32be } from './bytes';
import { HASH_NAMES, type HashSpec, hashSpec, prf } from './hash';

/**
 * Why an encrypted message was not taken as decrypted although a key and IV were there to try (most likely a wrong
 * key). The outcome names the furthest check any key and IV got to, in this order.
 */
export type NotDecryptedReason =
  /** No key and IV gives a plausible first payload header (checked on the first cipher block only). */
  | 'implausible-header'
  /** The plaintext does not decode as a payload chain, or a generic header's reserved byte is set. */
  | 'bad-payload-chain'
  /** Payload types RFC 2409 does not put in this exchange, HASH not first where it must be, a HASH of no hash's size. */
  | 'unexpected-payloads'
  /** Bytes after the chain that no sender writes as padding (see `isSanePadding`, `paddingStyle`). */
  | 'bad-padding'
  /** The HASH payload does not verify with SKEYID_a. */
  | 'hash-mismatch';

/** The reasons from the first check to the last: an outcome reports the furthest any trial reached. */
export const NOT_DECRYPTED_REASONS: readonly NotDecryptedReason[] = [
  'implausible-header',
  'bad-payload-chain',
  'unexpected-payloads',
  'bad-padding',
  'hash-mismatch',
];

const P = PayloadType;

/**
 * Which payloads an encrypted message of an exchange may carry (RFC 2409 sections 5 to 5.7, RFC 3947 for NAT-D/NAT-OA,
 * draft-dukes-ike-mode-cfg for transactions). `first`: what the chain may start with; `rest`: what may follow;
 * `minRest`: how many must follow (an informational without a notification or delete says nothing).
 */
interface ExchangeRule {
  readonly first: readonly number[];
  readonly rest: readonly number[];
  readonly minRest: number;
}

const PHASE1_AUTH = [P.ID, P.HASH, P.SIG, P.CERT, P.CR, P.NOTIFICATION, P.VENDOR_ID];

const EXCHANGE_RULES: Readonly<Partial<Record<number, ExchangeRule>>> = {
  // MM5/MM6: IDii/IDir, [CERT], HASH or SIG, and what implementations add (CR, INITIAL-CONTACT, vendor IDs).
  [ExchangeType.IDENTITY_PROTECTION]: { first: [P.ID], rest: PHASE1_AUTH, minRest: 1 },
  // AM3: [CERT], HASH_I or SIG_I, with NAT-D (strongSwan puts those first), notifications and vendor IDs.
  [ExchangeType.AGGRESSIVE]: {
    first: [P.HASH, P.SIG, P.CERT, P.NAT_D, P.NAT_D_DRAFT, P.NOTIFICATION, P.VENDOR_ID],
    rest: [...PHASE1_AUTH, P.NAT_D, P.NAT_D_DRAFT],
    minRest: 0,
  },
  // HASH(1), N/D.
  [ExchangeType.INFORMATIONAL]: { first: [P.HASH], rest: [P.NOTIFICATION, P.DELETE], minRest: 1 },
  // HASH, ATTR.
  [ExchangeType.TRANSACTION]: { first: [P.HASH], rest: [P.ATTRIBUTES], minRest: 1 },
  // HASH(1..3), SA, Ni/Nr, [KE], [IDci, IDcr], responder-lifetime notifications, NAT-OA.
  [ExchangeType.QUICK_MODE]: {
    first: [P.HASH],
    rest: [P.SA, P.NONCE, P.KE, P.ID, P.NOTIFICATION, P.NAT_OA, P.NAT_OA_DRAFT],
    minRest: 0,
  },
  // HASH(1), SA.
  [ExchangeType.NEW_GROUP_MODE]: { first: [P.HASH], rest: [P.SA], minRest: 1 },
};

/** Payloads that never stand in a chain of their own: SA internals, the chain end, and fragments (plaintext only). */
const NOT_IN_CHAINS: readonly number[] = [P.NONE, P.PROPOSAL, P.TRANSFORM, P.FRAGMENT];

function allowedFirst(exchangeType: number, type: number): boolean {
  const rule = EXCHANGE_RULES[exchangeType];
  if (rule) return rule.first.includes(type);
  return payloadTypeName.has(type) && !NOT_IN_CHAINS.includes(type);
}

function allowedRest(exchangeType: number, type: number): boolean {
  const rule = EXCHANGE_RULES[exchangeType];
  if (rule) return rule.rest.includes(type);
  return payloadTypeName.has(type) && !NOT_IN_CHAINS.includes(type);
}

/**
 * Whether a message with this exchange type and first payload (the header's next-payload byte) could be accepted by
 * any key: a QUICK_MODE message that does not start with HASH cannot, so no key needs trying.
 */
export function plausibleFirstPayload(exchangeType: number, firstPayload: number): boolean {
  return allowedFirst(exchangeType, firstPayload);
}

/** Sizes a HASH payload may have: the known hash's output, else any implemented hash's. */
export function hashLengths(hash: HashSpec | undefined): readonly number[] {
  return hash ? [hash.outputLength] : HASH_NAMES.map((h) => hashSpec(h).outputLength);
}

/**
 * The cheap first check, on the first plaintext block alone: the first payload's generic header (RFC 2408 3.2) must
 * have a zero reserved byte, a next payload allowed in the exchange (or none), and a length that fits the body (for
 * a HASH, exactly a hash's size). A wrong key passes it about once in 2^30 tries, so most keys cost one block.
 *
 *                       1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  ! Next Payload  !   RESERVED    !         Payload Length        !
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
export function plausibleFirstBlock(
  block: Uint8Array,
  exchangeType: number,
  firstPayload: number,
  bodyLength: number,
  hashSizes: readonly number[],
): boolean {
  const next = block[0] ?? 0;
  if (block[1] !== 0) return false;
  if (next !== P.NONE && !allowedRest(exchangeType, next)) return false;
  const length = ((block[2] ?? 0) << 8) | (block[3] ?? 0);
  if (length < 4 || length > bodyLength) return false;
  if (firstPayload === P.HASH && !hashSizes.includes(length - 4)) return false;
  return true;
}

function dataOf(p: Payload | undefined): Uint8Array | undefined {
  return p && 'data' in p && p.data instanceof Uint8Array ? p.data : undefined;
}

/**
 * The structural evidence on a decoded body: every generic header's reserved byte zero, the payload types the
 * exchange carries (HASH first where RFC 2409 puts it), a HASH of a hash's size, and padding as a sender writes it.
 * Undefined when the body passes.
 */
export function structuralReason(
  body: DecryptedBody,
  exchangeType: number,
  blockSize: number,
  hashSizes: readonly number[],
): NotDecryptedReason | undefined {
  // Walk the generic headers: the codec keeps reserved bytes (byte-exact round trip) rather than rejecting them.
  let at = 0;
  const chainEnd = body.plaintext.length - body.padding.length;
  while (at < chainEnd) {
    if (body.plaintext[at + 1] !== 0) return 'bad-payload-chain';
    const length = ((body.plaintext[at + 2] ?? 0) << 8) | (body.plaintext[at + 3] ?? 0);
    if (length < 4) return 'bad-payload-chain';
    at += length;
  }
  if (at !== chainEnd) return 'bad-payload-chain';
  const [first, ...rest] = body.payloads;
  if (!first || !allowedFirst(exchangeType, first.type)) return 'unexpected-payloads';
  if (!rest.every((p) => allowedRest(exchangeType, p.type))) return 'unexpected-payloads';
  if (rest.length < (EXCHANGE_RULES[exchangeType]?.minRest ?? 0)) return 'unexpected-payloads';
  for (const p of body.payloads)
    if (p.type === P.HASH && !hashSizes.includes(dataOf(p)?.length ?? -1)) return 'unexpected-payloads';
  if (body.paddingStyle === 'other' || !isSanePadding(body.padding, blockSize)) return 'bad-padding';
  return undefined;
}

/** What checking a HASH payload against SKEYID_a found. */
export type HashCheck = 'verified' | 'mismatch' | 'unverifiable';

/** Inputs of `checkHash`. */
export interface HashCheckInput {
  readonly body: DecryptedBody;
  readonly exchangeType: number;
  readonly messageId: number;
  readonly skeyidA: Uint8Array;
  /** The negotiated hash when known; else every hash of the HASH payload's size is tried. */
  readonly hash: HashSpec | undefined;
  /** Nonce data (Ni_b, Nr_b) of the exchange's other messages seen so far, oldest first. */
  readonly nonces: readonly Uint8Array[];
}

/**
 * Verifies the HASH that starts a phase-2 style message (RFC 2409 5.5, 5.7; mode-config HASH like 5.7), where
 * `rest` is the chain after the HASH payload:
 * - informational, transaction, new group: HASH(1) = prf(SKEYID_a, M-ID | rest);
 * - quick mode: HASH(1) = prf(SKEYID_a, M-ID | rest), HASH(2) = prf(SKEYID_a, M-ID | Ni_b | rest),
 *   HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b).
 * `unverifiable` when the message has no leading HASH rule (main and aggressive mode hash with SKEYID, which key
 * files rarely carry) or the nonces it needs were not seen.
 */
export function checkHash(input: HashCheckInput): HashCheck {
  const { body, exchangeType, skeyidA } = input;
  const first = body.payloads[0];
  const got = first?.type === P.HASH ? dataOf(first) : undefined;
  if (!got || EXCHANGE_RULES[exchangeType]?.first[0] !== P.HASH || exchangeType === ExchangeType.AGGRESSIVE)
    return 'unverifiable';
  const rest = body.plaintext.subarray(4 + got.length, body.plaintext.length - body.padding.length);
  const mid = u32be(input.messageId);
  const hashes = (input.hash ? [input.hash] : HASH_NAMES.map((h) => hashSpec(h))).filter(
    (h) => h.outputLength === got.length,
  );
  const matches = (...parts: Uint8Array[]) => hashes.some((h) => equalBytes(prf(h, skeyidA, ...parts), got));
  if (exchangeType !== ExchangeType.QUICK_MODE) return matches(mid, rest) ? 'verified' : 'mismatch';
  const ownNonce = dataOf(body.payloads.find((p) => p.type === P.NONCE));
  const others = input.nonces.filter((n) => !ownNonce || !equalBytes(n, ownNonce));
  if (rest.length > 0) {
    if (matches(mid, rest)) return 'verified';
    if (others.some((ni) => matches(mid, ni, rest))) return 'verified';
    return others.length > 0 ? 'mismatch' : 'unverifiable';
  }
  if (input.nonces.length < 2) return 'unverifiable';
  for (const ni of input.nonces)
    for (const nr of input.nonces) if (ni !== nr && matches(Uint8Array.of(0), mid, ni, nr)) return 'verified';
  return 'mismatch';
}
