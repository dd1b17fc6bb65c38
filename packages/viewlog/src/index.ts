/**
 * @oaklog/viewlog: the IPsec VPN client "View Log" grammar. Parse every line of the SafeNet/Cisco Secure VPN Client View
 * Log, the Cisco VPN Client Log Viewer and gateway OAK lines to typed events, print them back byte-exact, explain them
 * and diagnose the negotiation.
 */

export { checkEvent, FormatError, format, formatEvent } from './check';
export {
  type Coverage,
  createDiagnoser,
  type DiagnoseResult,
  type Diagnoser,
  type DiagnoserOptions,
  type Diagnosis,
  diagnose,
  type Evidence,
  MIN_READ_SHARE,
  type Outcome,
  verdict,
} from './diagnose';
export { type DiagnosticCode, DiagnosticCodes, formatDiagnostic } from './diagnostics';
export { explain, explainNotify } from './explain';
export { canonicalLines, formatClientId, formatCookie, formatPayloadItem } from './format';
export {
  DEL_REASONS,
  type Family,
  KNOWN_MESSAGES,
  type KnownMessage,
  LOG_VIEWER_IDS,
  lookupReason,
  REASONS,
  type ReasonEntry,
  type Signal,
} from './knowledge';
export { createLineIndex, type LineIndex } from './line-index';
export { detectDialect, type Entry, parse, splitLines } from './parse';
export {
  createLogDecoder,
  type DecodedLog,
  decodeLogBytes,
  type LogDecoder,
  type LogEncoding,
  parseStream,
  type StreamOptions,
} from './stream';
export {
  Exchange,
  type ExchangeName,
  exchangeName,
  exchangeNumber,
  exchangeWord,
  isErrorNotify,
  NOTIFY_STATUS_BASE,
  Notify,
  type NotifyName,
  notifyName,
  notifyNumber,
  Payload,
  type PayloadName,
  payloadName,
  payloadNumber,
  payloadWord,
  UNREADABLE,
  UNREADABLE_ITEM,
} from './tables';
export type {
  BannerEvent,
  BlankEvent,
  ClientId,
  ClientIdAddress,
  DeletingSaEvent,
  Diagnostic,
  Dialect,
  Direction,
  Endpoint,
  EventBase,
  ExceededAttemptsEvent,
  GatewayHeader,
  GatewayRow,
  IkeMessageEvent,
  IkeSaEstablishedEvent,
  KnownMessageEvent,
  LinePrefix,
  LoadingIpsecSaEvent,
  LogEvent,
  LogEventKind,
  MessageTextEvent,
  NoteEvent,
  NoteKind,
  PacketReceivedEvent,
  ParseOptions,
  ParseResult,
  PayloadItem,
  Phase1StartEvent,
  Phase2StartEvent,
  ReceivedNotifyEvent,
  RecordEvent,
  RetransmitEvent,
  SaEstablishedEvent,
  Source,
  StatusEvent,
  UnknownEvent,
} from './types';
