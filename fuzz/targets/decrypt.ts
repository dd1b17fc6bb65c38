import { concatBytes, equalBytes } from '@oaklog/common';
import {
  CIPHER_NAMES,
  type CipherName,
  CryptoError,
  cipherSpec,
  createIkeSaState,
  decryptMessages,
  HASH_NAMES,
  type IkeSaKeys,
  type MessageInput,
  type PaddingMode,
} from '@oaklog/crypto';
import { build, ExchangeType, encode, type Payload, PayloadType } from '@oaklog/isakmp';
import { ByteSource, be32, check } from '../lib/bytes';
import { checkDecrypted, decryptedOf } from '../lib/decrypt-evidence';

/**
 * `decryptMessages` with keys and messages the input chooses: a few IKE SAs' keys (cookies from a small pool, so
 * messages and keys meet; random Ka, cipher, hash, IV, g^x), and messages that are either encrypted for real with
 * one of those keys (by a twin `createIkeSaState`, maybe with a byte flipped afterwards) or random ciphertext under
 * a plausible header. It must never throw; one outcome per message; every message it reports decrypted must pass
 * independent evidence (`lib/decrypt-evidence.ts`); and a message encrypted for real and left intact that it reports
 * decrypted must give back the plaintext that was encrypted, past its first block (any other is a wrong key that
 * passed).
 */

const EXCHANGES = [
  ExchangeType.IDENTITY_PROTECTION,
  ExchangeType.AGGRESSIVE,
  ExchangeType.QUICK_MODE,
  ExchangeType.QUICK_MODE,
  ExchangeType.INFORMATIONAL,
  ExchangeType.INFORMATIONAL,
  ExchangeType.TRANSACTION,
];
const FIRST_PAYLOADS = [PayloadType.HASH, PayloadType.HASH, PayloadType.ID, PayloadType.SA, PayloadType.NOTIFICATION];
const PADDINGS: readonly PaddingMode[] = ['zero', 'zero-block', 'pad-length'];

function keysFrom(s: ByteSource, cookies: readonly Uint8Array[], responders: readonly Uint8Array[]): IkeSaKeys {
  const cipher: CipherName | undefined = s.chance(4) ? undefined : s.pick(CIPHER_NAMES);
  const hash = s.chance(4) ? undefined : s.pick(HASH_NAMES);
  const length = cipher && !s.chance(6) ? cipherSpec(cipher).keyLength : s.pick([8, 16, 24, 32, 20]);
  const encryptionKeys = Array.from({ length: s.int(1, 2) }, () => s.bytes(length));
  const blockSize = cipher ? cipherSpec(cipher).blockSize : s.pick([8, 16]);
  return {
    initiatorCookie: s.pick(cookies),
    ...(s.chance(2) ? { responderCookie: s.pick(responders) } : {}),
    encryptionKeys,
    ...(cipher ? { cipher } : {}),
    ...(hash ? { hash } : {}),
    ...(s.chance(4) ? {} : { initialIv: s.bytes(blockSize) }),
    ...(s.chance(3) ? { gxi: s.bytes(s.pick([96, 128, 256])), gxr: s.bytes(s.pick([96, 128, 256])) } : {}),
  };
}

/** A payload chain of the kind `exchange` carries encrypted (HASH first where RFC 2409 puts it). */
function chainFor(s: ByteSource, exchange: number): Payload[] {
  const hash: Payload = { type: PayloadType.HASH, data: s.bytes(s.pick([16, 20, 32])) };
  const notify = () =>
    build.notification({ messageType: s.pick([24578, 36136, 14, 36137]), data: s.bytes(s.int(0, 8)) });
  const id = () => build.id({ idType: 1, data: s.bytes(4) });
  switch (exchange) {
    case ExchangeType.IDENTITY_PROTECTION:
    case ExchangeType.AGGRESSIVE:
      return [id(), hash, ...(s.chance(2) ? [notify()] : [])];
    case ExchangeType.QUICK_MODE:
      return [hash, { type: PayloadType.NONCE, data: s.bytes(s.int(8, 32)) }, ...(s.chance(2) ? [id(), id()] : [])];
    case ExchangeType.INFORMATIONAL:
      return [hash, s.chance(2) ? notify() : build.delete({ protocolId: 1, spis: [s.bytes(16)], spiSize: 16 })];
    default:
      return [hash, build.attributes({ cfgType: s.int(1, 4), identifier: s.u16(), attributes: [] })];
  }
}

export function fuzz(data: Uint8Array): void {
  const s = new ByteSource(data);
  const cookies = [s.bytes(8), s.bytes(8)];
  const responders = [s.bytes(8), new Uint8Array(8)];
  const keys = Array.from({ length: s.int(1, 3) }, () => keysFrom(s, cookies, responders));
  const twins = keys.map((k) => createIkeSaState(k));
  const inputs: MessageInput[] = [];
  /** For messages encrypted for real and left intact: the padded plaintext that went in. */
  const expected: (Uint8Array | undefined)[] = [];
  const count = s.int(1, 8);
  for (let i = 0; i < count && s.remaining > 0; i++) {
    const sender = s.pick(['192.0.2.1:500', '198.51.100.2:500']);
    const which = s.int(0, keys.length - 1);
    const key = keys[which]!;
    const exchange = s.pick(EXCHANGES);
    const messageId =
      exchange === ExchangeType.IDENTITY_PROTECTION || exchange === ExchangeType.AGGRESSIVE ? 0 : s.u32();
    if (s.chance(2)) {
      try {
        const { message, body } = twins[which]!.encrypt(
          {
            initiatorCookie: key.initiatorCookie,
            responderCookie: key.responderCookie ?? s.pick(responders),
            exchangeType: exchange,
            messageId,
            payloads: chainFor(s, exchange),
          },
          { padding: s.pick(PADDINGS) },
        );
        const bytes = encode(message);
        const flip = s.chance(4);
        const at = s.int(28, bytes.length - 1);
        if (flip && at < bytes.length) bytes[at] = (bytes[at] ?? 0) ^ (1 + s.int(0, 254));
        inputs.push({ bytes, sender });
        expected.push(flip ? undefined : body.plaintext);
        continue;
      } catch (error) {
        // The twin cannot encrypt with these keys (no IV, no cipher): send random ciphertext instead.
        if (!(error instanceof CryptoError)) throw error;
      }
    }
    const body = s.bytes(s.pick([8, 16]) * s.int(1, 6));
    const header = concatBytes([
      s.chance(8) ? s.bytes(8) : s.pick(cookies),
      s.pick(responders),
      Uint8Array.of(s.pick(FIRST_PAYLOADS), 0x10, exchange, 1 | (s.chance(8) ? 2 : 0)),
      be32(messageId),
      be32(28 + body.length),
    ]);
    inputs.push({ bytes: concatBytes([header, body]), sender });
    expected.push(undefined);
  }

  const outcomes = decryptMessages(inputs, keys);
  check(outcomes.length === inputs.length, `${inputs.length} messages gave ${outcomes.length} outcomes`);
  for (const [i, outcome] of outcomes.entries()) {
    const decrypted = decryptedOf(outcome);
    if (!decrypted) continue;
    checkDecrypted(decrypted, `message ${i + 1}`);
    // A wrong IV changes only the first CBC block, and an IV the decryptor may rightly try (the last block of an
    // earlier message the input made up) can differ from the true one only in bytes the evidence cannot see. A wrong
    // key changes every block: past the first, the bytes must be the ones encrypted.
    const sent = expected[i];
    const block = cipherSpec(decrypted.cipher).blockSize;
    check(
      sent === undefined || equalBytes(decrypted.body.plaintext.subarray(block), sent.subarray(block)),
      () => `message ${i + 1}: encrypted for real, but "decrypted" to other bytes (ivSource ${decrypted.ivSource})`,
    );
  }
}
