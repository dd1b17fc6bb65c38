import { UNREADABLE } from '@oaklog/bridge';
import { toHex as hex } from '@oaklog/crypto';
import {
  attributeName,
  attributeNumber,
  attributeValueName,
  type DataAttribute,
  DecodeError,
  decodeAny,
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
import type { CaptureItem, CaptureSummary } from '@oaklog/pcap';
import { readCaptureFile } from '@oaklog/pcap/node';
import type { Output } from '../output';

function named(name: string | undefined, value: number): string {
  return name ?? String(value);
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
  const name = named(payloadTypeName.get(payload.type), payload.type);
  const detail = (payloadDetails as Record<number, Describer<Payload> | undefined>)[payload.type];
  return detail ? `${name}(${detail(payload)})` : name;
}

/** A one-line reading of a whole ISAKMP message. */
export function describeMessage(message: Message): string {
  const { header } = message;
  const exchange = named(exchangeTypeName.get(header.exchangeType), header.exchangeType);
  const id = header.messageId.toString(16).padStart(8, '0');
  const cookies = `${hex(header.initiatorCookie)}/${hex(header.responderCookie)}`;
  const body =
    header.flags & HeaderFlag.ENCRYPTION
      ? `encrypted, first payload ${named(payloadTypeName.get(header.nextPayload), header.nextPayload)}, ${
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
function describeIkev2Payload(p: Ikev2Payload): string {
  const name = named(ikev2PayloadTypeName.get(p.type), p.type);
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
  const exchange = named(ikev2ExchangeTypeName.get(header.exchangeType), header.exchangeType);
  const id = header.messageId.toString(16).padStart(8, '0');
  const spis = `${hex(header.initiatorCookie)}/${hex(header.responderCookie)}`;
  const role = header.flags & Ikev2HeaderFlag.INITIATOR ? 'initiator' : 'responder';
  const kind = header.flags & Ikev2HeaderFlag.RESPONSE ? 'response' : 'request';
  return `IKEv2 ${exchange} ${spis} msgid ${id} (${role}, ${kind}): ${message.payloads.map(describeIkev2Payload).join(', ')}`;
}

/** A datagram's line, and whether it decoded whole (IKEv1 or IKEv2). */
function describeItem(item: CaptureItem): { line: string; whole: boolean } {
  if (item.kind !== 'ike')
    return { line: `#${item.frame} ${item.kind}: ${item.reason} at byte ${item.offset}`, whole: true };
  const where = `#${item.frame} ${item.src}:${item.srcPort} -> ${item.dst}:${item.dstPort}${item.nonEspMarker ? ' (NAT-T)' : ''}`;
  try {
    const any = decodeAny(item.bytes);
    if (any.version === 'unsupported') return { line: `${where} ${UNDECODABLE}: ${any.error.message}`, whole: false };
    const text = any.version === 2 ? describeIkev2Message(any.message) : describeMessage(any.message);
    // The payloads before the fault, the mark `oaklog view` ends the line with, then the fault, once.
    if (any.error !== undefined)
      return {
        line: `${where} ${text}${any.message.payloads.length > 0 ? ', ' : ''}${UNREADABLE}; ${PARTLY_UNREADABLE}: ${any.error.message}`,
        whole: false,
      };
    return { line: `${where} ${text}`, whole: true };
  } catch (error) {
    if (error instanceof DecodeError) return { line: `${where} ${UNDECODABLE}: ${error.message}`, whole: false };
    throw error;
  }
}

function describeSummary(summary: CaptureSummary): string {
  const reasons = Object.entries(summary.reasons)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
  return `${summary.frames} frames: ${summary.ike} IKE datagrams, ${summary.skipped} skipped, ${summary.malformed} malformed${
    reasons ? ` (${reasons})` : ''
  }`;
}

/** Options of `oaklog decode`. */
export interface DecodeCommandOptions {
  /** Also list frames that were skipped (not IKE) rather than only IKE datagrams and malformed frames. */
  readonly all?: boolean;
}

/**
 * `oaklog decode <capture>`: one line per IKE datagram (IKEv1, or labelled IKEv2), then the accounting of every frame.
 * Exits 1 when a frame is malformed or a datagram did not decode whole, as `oaklog view` does.
 */
export async function decodeCommand(path: string, options: DecodeCommandOptions, out: Output): Promise<number> {
  const reader = readCaptureFile(path);
  let unreadable = 0;
  for await (const item of reader) {
    if (item.kind === 'skipped' && !options.all) continue;
    const { line, whole } = describeItem(item);
    if (!whole) unreadable += 1;
    out.stdout(line);
  }
  out.stdout(describeSummary(reader.summary));
  if (reader.summary.truncated) out.stderr('oaklog: the capture ends inside a record (truncated file)');
  // The exit code `oaklog view` gives the same capture: a datagram that did not decode whole is a failure in both.
  return reader.summary.malformed > 0 || reader.summary.truncated || unreadable > 0 ? 1 : 0;
}
