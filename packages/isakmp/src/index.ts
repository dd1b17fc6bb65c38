export { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from './address';
export {
  attributeNumber,
  type DataAttribute,
  isTv,
  numberAttribute,
  type TlvAttribute,
  type TvAttribute,
  tlvAttribute,
  tvAttribute,
} from './attributes';
export { build, finalize, type MessageInit } from './build';
export { DecodeError, type DecodeErrorCode, type DecodeWarning, type DecodeWarningCode } from './errors';
export { HEADER_LENGTH, type Header, HeaderFlag } from './header';
export {
  DEFAULT_MAX_PAYLOADS,
  type DecodeOptions,
  decode,
  decodePlaintext,
  encode,
  encodeInto,
  encodePlaintext,
  encodingLength,
  type Message,
  type Plaintext,
} from './message';
export { isPayload, type Payload, type PayloadOf, type ProposalPayload, type TransformPayload } from './payload';
export type { CertPayload, CrPayload } from './payloads/cert';
export type { AttributesPayload } from './payloads/config';
export type { DeletePayload } from './payloads/delete';
export { type FragmentPayload, LAST_FRAGMENT } from './payloads/fragment';
export {
  type IdAddress,
  type IdName,
  type IdPayload,
  type IdRange,
  type IdSubnet,
  type IdValue,
  idData,
  idValue,
} from './payloads/id';
export { type NatOaPayload, natOaAddress } from './payloads/nat-oa';
export { type NotificationPayload, notificationAttributes } from './payloads/notification';
export type {
  GdoiPayload,
  HashPayload,
  KePayload,
  NatDPayload,
  NoncePayload,
  OpaquePayload,
  SeqPayload,
  SigPayload,
  UnknownPayload,
  VendorIdPayload,
} from './payloads/opaque';
export type { LabeledDomain, LabeledLevel, Proposal, SaPayload, Transform } from './payloads/sa';
export {
  createFragmentReassembler,
  type FragmentReassembler,
  type ReassemblerOptions,
  type ReassemblyResult,
  type RejectReason,
} from './reassembly';
export {
  ExchangeType,
  exchangeTypeName,
  IdType,
  idTypeName,
  invert,
  PayloadType,
  ProtocolId,
  payloadTypeName,
  protocolIdName,
} from './registry';
export {
  type IpsecAttributes,
  ipsecAttributes,
  type Lifetime,
  type OakleyAttributes,
  oakleyAttributes,
  transformAttributes,
} from './views';
