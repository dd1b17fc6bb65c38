/**
 * `@oaklog/crypto`: IKEv1 key derivation (RFC 2409), IV chains, decryption of ISAKMP messages with given keys, and
 * encryption for synthesized exchanges. Browser-safe.
 */

export { fromHex, toHex } from '@oaklog/common';
export {
  type DecryptBodyInput,
  type DecryptedBody,
  decryptBody,
  type EncryptBodyInput,
  type EncryptedBody,
  encryptBody,
  isSanePadding,
  type PaddingMode,
  type PaddingOptions,
  type PaddingStyle,
  paddingStyle,
  padPlaintext,
} from './body';
export { CIPHER_NAMES, type CipherName, type CipherSpec, cbcDecrypt, cbcEncrypt, cipherSpec } from './ciphers';
export {
  bigintToBytes,
  bytesToBigint,
  type DhKeyPair,
  dhKeyPair,
  dhSharedSecret,
  type ModpGroup,
  type ModpGroupId,
  modPow,
  modpGroup,
} from './dh';
export { CryptoError, type CryptoErrorCode } from './errors';
export { NOT_DECRYPTED_REASONS, type NotDecryptedReason } from './evidence';
export { digest, HASH_NAMES, type HashName, type HashSpec, hashSpec, prf } from './hash';
export {
  createIkeSaState,
  type IkeSaKeys,
  type IkeSaState,
  type IkeSaStateOptions,
  type IvSource,
  type MessageMeta,
  type MessageOutcome,
} from './ike-sa';
export { lastBlock, phase1Iv, phase2Iv } from './iv';
export {
  KEY_FILE_LIMITS,
  type KeyFileDiagnostic,
  type KeyFileDiagnosticCode,
  type KeyFileLimits,
  type KeyFileResult,
  parseKeysJson,
  parseWiresharkKeyTable,
} from './key-files';
export {
  CHARON_KEYS_SOURCE,
  type CombineKeyLogsOptions,
  charonProposalAlgorithms,
  combineKeyLogs,
  extractCharonKeys,
  KEY_LOG_LIMITS,
  type KeyLogDiagnostic,
  type KeyLogDiagnosticCode,
  type KeyLogLimits,
  type KeyLogResult,
  type LabelledKeyLog,
  type LoggedIkeSa,
} from './key-logs';
export {
  type FormatKeysJsonOptions,
  formatKeysJson,
  formatWiresharkKeyTable,
  type KeyRecord,
  keyRecordToIkeSaKeys,
} from './key-writers';
export {
  derivePhase1Keys,
  deriveSkeyid,
  deriveSkeyidSet,
  encryptionKey,
  expandKey,
  type Phase1Keys,
  type SkeyidInput,
  type SkeyidSet,
} from './keys';
export {
  type CaptureOutcome,
  createMessageDecryptor,
  decryptMessages,
  MAX_REMEMBERED_SAS,
  type MessageDecryptor,
  type MessageDecryptorOptions,
  type MessageInput,
} from './messages';
