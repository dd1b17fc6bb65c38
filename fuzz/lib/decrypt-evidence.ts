/**
 * Independent evidence that a message `@oaklog/crypto` reports as decrypted really was: written from RFC 2408/2409
 * and the isakmp codec, not from the decryptor's own acceptance rules, so a wrong key or IV that happens to give a
 * plausible first byte is caught. Shared by the decrypt and pipeline targets.
 */
import { equalBytes } from '@oaklog/common';
import { type CaptureOutcome, cipherSpec, type MessageOutcome } from '@oaklog/crypto';
import { decodePlaintext, ExchangeType, PayloadType, payloadTypeName } from '@oaklog/isakmp';
import { check } from './bytes';

type Decrypted = Extract<MessageOutcome, { kind: 'decrypted' }>;

const P = PayloadType;
/** Payload types each exchange carries in its encrypted messages (RFC 2409 5.1-5.7, RFC 3947, mode config). */
const PAYLOADS_BY_EXCHANGE: Readonly<Partial<Record<number, readonly number[]>>> = {
  [ExchangeType.IDENTITY_PROTECTION]: [P.ID, P.CERT, P.CR, P.HASH, P.SIG, P.NOTIFICATION, P.VENDOR_ID],
  [ExchangeType.AGGRESSIVE]: [
    P.SA,
    P.KE,
    P.ID,
    P.CERT,
    P.CR,
    P.HASH,
    P.SIG,
    P.NONCE,
    P.NOTIFICATION,
    P.VENDOR_ID,
    P.NAT_D,
    P.NAT_D_DRAFT,
  ],
  [ExchangeType.QUICK_MODE]: [P.HASH, P.SA, P.KE, P.ID, P.NONCE, P.NOTIFICATION, P.NAT_OA, P.NAT_OA_DRAFT],
  [ExchangeType.INFORMATIONAL]: [P.HASH, P.NOTIFICATION, P.DELETE],
  [ExchangeType.TRANSACTION]: [P.HASH, P.ATTRIBUTES],
  [ExchangeType.NEW_GROUP_MODE]: [P.HASH, P.SA],
};
/** Exchanges whose every message starts with HASH right after the header (RFC 2409 5.5, 5.6, 5.7). */
const HASH_FIRST: readonly number[] = [
  ExchangeType.QUICK_MODE,
  ExchangeType.INFORMATIONAL,
  ExchangeType.NEW_GROUP_MODE,
];

/**
 * Padding RFC 2409 and the implementations allow: up to one block (fewest bytes to the block boundary, or a whole
 * block as strongSwan pads an aligned chain), or zeros or other bytes ending in a byte that counts them (with or
 * without itself), up to 255 bytes.
 */
function paddingAllowed(padding: Uint8Array, blockSize: number): boolean {
  if (padding.length <= blockSize) return true;
  const last = padding[padding.length - 1] ?? 0;
  return padding.length <= 255 && (last === padding.length || last === padding.length - 1);
}

/** Checks the evidence for one decrypted message. */
export function checkDecrypted(o: Decrypted, what: string): void {
  const { header } = o.message;
  const { plaintext, padding, payloads } = o.body;
  const blockSize = cipherSpec(o.cipher).blockSize;
  check(
    plaintext.length > 0 && plaintext.length % blockSize === 0,
    () => `${what}: ${plaintext.length}-byte plaintext under ${o.cipher} (${blockSize}-byte blocks)`,
  );
  let chain: ReturnType<typeof decodePlaintext> | undefined;
  let failure: unknown;
  try {
    chain = decodePlaintext(plaintext, header.nextPayload);
  } catch (error) {
    failure = error;
  }
  check(chain, () => `${what}: reported decrypted, but its plaintext does not decode: ${String(failure)}`);
  const trailing = chain.trailing ?? new Uint8Array(0);
  check(
    equalBytes(padding, trailing),
    () => `${what}: padding of ${padding.length} bytes reported, the chain leaves ${trailing.length}`,
  );
  check(chain.payloads.length === payloads.length, `${what}: payload count differs from a fresh decode`);
  check(
    paddingAllowed(trailing, blockSize),
    () => `${what}: the chain ends ${trailing.length} bytes before the end (${blockSize}-byte blocks)`,
  );
  const types = chain.payloads.map((p) => p.type);
  check(types.length > 0, `${what}: decrypted to an empty chain`);
  const allowed = PAYLOADS_BY_EXCHANGE[header.exchangeType];
  for (const type of types)
    check(
      allowed ? allowed.includes(type) : payloadTypeName.has(type),
      () => `${what}: payload ${type} in exchange ${header.exchangeType} (chain ${types.join(', ')})`,
    );
  if (HASH_FIRST.includes(header.exchangeType))
    check(types[0] === P.HASH, () => `${what}: exchange ${header.exchangeType} starts with ${types[0]}, not HASH`);
}

/** The decrypted message of an outcome (after reassembly for a completing IKE fragment), if any. */
export function decryptedOf(o: CaptureOutcome): Decrypted | undefined {
  if (o.kind === 'decrypted') return o;
  if (o.kind === 'fragment' && o.reassembled?.kind === 'decrypted') return o.reassembled;
  return undefined;
}
