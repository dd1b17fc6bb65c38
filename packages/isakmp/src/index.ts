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
