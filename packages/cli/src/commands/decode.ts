import { toHex as hex } from '@oaklog/crypto';
import {
  attributeName,
  attributeNumber,
  attributeValueName,
  type DataAttribute,
  DecodeError,
  decode,
  exchangeTypeName,
  HeaderFlag,
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

function describeItem(item: CaptureItem): string | undefined {
  if (item.kind !== 'ike') return `#${item.frame} ${item.kind}: ${item.reason} at byte ${item.offset}`;
  const where = `#${item.frame} ${item.src}:${item.srcPort} -> ${item.dst}:${item.dstPort}${item.nonEspMarker ? ' (NAT-T)' : ''}`;
  try {
    return `${where} ${describeMessage(decode(item.bytes))}`;
  } catch (error) {
    if (error instanceof DecodeError) return `${where} undecodable: ${error.message}`;
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

/** `oaklog decode <capture>`: one line per IKE datagram, then the accounting of every frame. */
export async function decodeCommand(path: string, options: DecodeCommandOptions, out: Output): Promise<number> {
  const reader = readCaptureFile(path);
  for await (const item of reader) {
    if (item.kind === 'skipped' && !options.all) continue;
    const line = describeItem(item);
    if (line) out.stdout(line);
  }
  out.stdout(describeSummary(reader.summary));
  if (reader.summary.truncated) out.stderr('oaklog: the capture ends inside a record (truncated file)');
  return reader.summary.malformed > 0 || reader.summary.truncated ? 1 : 0;
}
