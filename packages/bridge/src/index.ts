/**
 * @oaklog/bridge: decoded IKEv1 packets as View Log lines, as the Cisco Secure VPN Client / SafeNet SoftRemote logged
 * them. `render` prints one message; `createSession` follows a whole capture and adds the lines around the messages.
 */
export {
  createMessageReader,
  type MessageReader,
  type MessageReaderOptions,
  ReaderProblem,
  type ReadResult,
} from './messages';
export {
  ARROW,
  exchangeWord,
  formatTime,
  messageEvent,
  messageItems,
  payloadItem,
  payloadWord,
  type RenderMeta,
  render,
  UNREADABLE,
  type UtcOffset,
} from './render';
export {
  createSession,
  type RenderCaptureOptions,
  renderCapture,
  type Session,
  type SessionDatagram,
  type SessionEvent,
  type SessionOptions,
  type SessionProblem,
  type SessionStats,
} from './sa-tracker';
