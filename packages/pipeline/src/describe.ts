/**
 * One-line readings of decoded messages, as `oaklog decode` prints them and the web page heads its trees: the registry
 * names of the exchange and each payload, with the fields an engineer looks at first (proposals and transforms,
 * notify types, vendor names, delete SPIs, IDs, fragment numbers). IKEv2 messages are labelled and read with the RFC
 * 7296 names. Browser-safe.
 */
import { toHex as hex } from '@oaklog/crypto';
import {
  attributeName,
  attributeNumber,
  attributeValueName,
  type DataAttribute,
  exchangeTypeName,
  HeaderFlag,
  Ikev2HeaderFlag,
  type Ikev2Message,
  type Ikev2Payload,
  Ikev2PayloadType,
  ikev2ExchangeTypeName,
  ikev2NotifyTypeName,
  ikev2PayloadTypeName,
  isIkev2Payload,
  isTv,
  type Message,
  notifyTypeName,
  type Payload,
  PayloadType,
  payloadTypeName,
  protocolIdName,
  recognizeVendorId,
  transformIdName,
} from '@oaklog/isakmp';

/**
 * A registry name, or the number: as `<WHAT>_<n>` (`EXCHANGE_16`, `PAYLOAD_133`, the words the View Log uses) where a
 * bare number would not say what it is.
 */
function named(name: string | undefined, value: number, what?: 'EXCHANGE' | 'PAYLOAD'): string {
  return name ?? (what === undefined ? String(value) : `${what}_${value}`);
}

/** One transform's attributes as `NAME=VALUE`, named through the registry of the proposal's protocol. */
function describeAttributes(protocolId: number, attributes: readonly DataAttribute[]): string {
  return attributes
    .map((attribute) => {
      const key = named(attributeName(protocolId, attribute.type), attribute.type);
      if (!isTv(attribute) && attribute.data.length > 8) return `${key}=0x${hex(attribute.data)}`;
      const value = attributeNumber(attribute);
      const valueName = typeof value === 'number' ? attributeValueName(protocolId, attribute.type, value) : undefined;
      return `${key}=${valueName ?? String(value)}`;
    })
    .join(' ');
}

type Describer<P> = (payload: P) => string;
type PayloadWith<T extends number> = Extract<Payload, { type: T }>;

function describeSa(payload: PayloadWith<typeof PayloadType.SA>): string {
  return payload.proposals
    .map((proposal) => {
      const protocol = named(protocolIdName.get(proposal.protocolId), proposal.protocolId);
      const spi = proposal.spi.length > 0 ? ` spi=${hex(proposal.spi)}` : '';
      const transforms = proposal.transforms
        .map(
          (transform) =>
            `${named(transformIdName(proposal.protocolId, transform.id), transform.id)}(${describeAttributes(
              proposal.protocolId,
              transform.attributes,
            )})`,
        )
        .join(' | ');
      return `#${proposal.number} ${protocol}${spi}: ${transforms}`;
    })
    .join('; ');
}

/** What each payload type shows beyond its name; types without an entry show the name alone. */
const payloadDetails: { readonly [T in PayloadType]?: Describer<PayloadWith<T>> } = {
  [PayloadType.SA]: describeSa,
  [PayloadType.NOTIFICATION]: (payload) => named(notifyTypeName.get(payload.messageType), payload.messageType),
  [PayloadType.VENDOR_ID]: (payload) => recognizeVendorId(payload.data)?.description ?? hex(payload.data),
  [PayloadType.DELETE]: (payload) =>
    `${named(protocolIdName.get(payload.protocolId), payload.protocolId)} ${payload.spis.map(hex).join(',')}`,
  [PayloadType.ID]: (payload) => (payload.value ? JSON.stringify(payload.value) : hex(payload.data)),
  [PayloadType.FRAGMENT]: (payload) =>
    `id=${payload.fragmentId} #${payload.fragmentNumber}${payload.last ? ' last' : ''}`,
};

/** A short reading of one payload: its registry name plus the fields an engineer looks at first. */
export function describePayload(payload: Payload): string {
  const name = named(payloadTypeName.get(payload.type), payload.type, 'PAYLOAD');
  const detail = (payloadDetails as Record<number, Describer<Payload> | undefined>)[payload.type];
  return detail ? `${name}(${detail(payload)})` : name;
}

/** A one-line reading of a whole ISAKMP message. */
export function describeMessage(message: Message): string {
  const { header } = message;
  const exchange = named(exchangeTypeName.get(header.exchangeType), header.exchangeType, 'EXCHANGE');
  const id = header.messageId.toString(16).padStart(8, '0');
  const cookies = `${hex(header.initiatorCookie)}/${hex(header.responderCookie)}`;
  const body =
    header.flags & HeaderFlag.ENCRYPTION
      ? `encrypted, first payload ${named(payloadTypeName.get(header.nextPayload), header.nextPayload, 'PAYLOAD')}, ${
          message.encrypted?.length ?? 0
        } bytes`
      : message.payloads.map(describePayload).join(', ');
  return `${exchange} ${cookies} msgid ${id}: ${body}`;
}

/** The word before the decoder's error when nothing of a datagram decoded (`oaklog view` words its stderr so too). */
export const UNDECODABLE = 'undecodable';
/** The word before the decoder's error when a message decoded only in part (its payloads before the fault are shown). */
export const PARTLY_UNREADABLE = 'partly unreadable';

/** One IKEv2 payload: its RFC name, with the notify type, or the first inner payload of SK/SKF. */
export function describeIkev2Payload(p: Ikev2Payload): string {
  const name = named(ikev2PayloadTypeName.get(p.type), p.type, 'PAYLOAD');
  if (isIkev2Payload(p, Ikev2PayloadType.N))
    return `${name}(${named(ikev2NotifyTypeName.get(p.messageType), p.messageType)})`;
  if (isIkev2Payload(p, Ikev2PayloadType.SK) || isIkev2Payload(p, Ikev2PayloadType.SKF)) {
    const first = named(ikev2PayloadTypeName.get(p.firstPayload), p.firstPayload);
    const part = isIkev2Payload(p, Ikev2PayloadType.SKF) ? ` #${p.fragmentNumber}/${p.totalFragments}` : '';
    return `${name}(encrypted${part}, first payload ${first}, ${p.data.length} bytes)`;
  }
  return name;
}

/** A one-line reading of an IKEv2 message (RFC 7296 names, as tshark shows them), labelled IKEv2. */
export function describeIkev2Message(message: Ikev2Message): string {
  const { header } = message;
  const exchange = named(ikev2ExchangeTypeName.get(header.exchangeType), header.exchangeType, 'EXCHANGE');
  const id = header.messageId.toString(16).padStart(8, '0');
  const spis = `${hex(header.initiatorCookie)}/${hex(header.responderCookie)}`;
  const role = header.flags & Ikev2HeaderFlag.INITIATOR ? 'initiator' : 'responder';
  const kind = header.flags & Ikev2HeaderFlag.RESPONSE ? 'response' : 'request';
  return `IKEv2 ${exchange} ${spis} msgid ${id} (${role}, ${kind}): ${message.payloads.map(describeIkev2Payload).join(', ')}`;
}
