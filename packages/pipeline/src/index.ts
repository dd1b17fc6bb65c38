/**
 * @oaklog/pipeline: a packet capture as the VPN client's View Log, in one pass (datagram → message → plaintext →
 * events → lines) over `@oaklog/bridge`, `@oaklog/crypto` and `@oaklog/isakmp`. What `oaklog view` runs; browser-safe.
 */

export {
  describeIkev2Message,
  describeIkev2Payload,
  describeMessage,
  describePayload,
  PARTLY_UNREADABLE,
  UNDECODABLE,
} from './describe';
export { KEY_FILE_CAPS, type KeyFileRead, readKeyFile } from './key-file';
export {
  createViewPipeline,
  type DecodeCapture,
  type DecodedDatagram,
  type DecodeItem,
  type Decryption,
  decodeCapture,
  type ViewCapture,
  type ViewItem,
  type ViewOptions,
  type ViewPipeline,
  type ViewSummary,
  viewCapture,
  viewLog,
} from './view';
