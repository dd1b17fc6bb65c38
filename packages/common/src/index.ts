/**
 * `@oaklog/common`: what several oaklog packages need and none of them should own. Private and never published:
 * the packages bundle it (see README.md), so `@oaklog/isakmp`, `@oaklog/pcap` and `@oaklog/viewlog` stay free of
 * runtime dependencies and viewlog still does not depend on the codec.
 */
export { formatIpv4, formatIpv6, ipv4Bytes, ipv6Bytes } from './address';
export { concatBytes, copyBytes, equalBytes, fromHex, toHex } from './bytes';
export {
  DpdNotify,
  ExchangeType,
  exchangeTypeName,
  invert,
  isErrorNotify,
  NOTIFY_STATUS_BASE,
  NotifyError,
  NotifyStatus,
  NotifyType,
  notifyKind,
  notifyTypeName,
  PayloadType,
  payloadTypeName,
} from './registry';
export type { CaptureTime } from './time';
