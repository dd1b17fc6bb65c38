/**
 * The decoded tree of one datagram: what `oaklog decode` prints for it (the root's label is that line, word for word),
 * opened up into the header's fields and each payload's, and, where keys were given, the decrypted body with the IV it
 * was decrypted with. Pure and browser-safe.
 *
 * The one-line readings (`describeMessage`, `describePayload`, `describeIkev2Message`) are `@oaklog/pipeline`'s, the
 * ones `oaklog decode` prints.
 */
import { type CaptureOutcome, toHex as hex, type MessageOutcome } from '@oaklog/crypto';
import {
  attributeName,
  attributeNumber,
  attributeValueName,
  type CertPayload,
  type CrPayload,
  certificateEncodingName,
  cfgAttributeName,
  cfgAttributeValueName,
  cfgMessageTypeName,
  type DataAttribute,
  DecodeError,
  decodeAny,
  doiName,
  exchangeTypeName,
  type Header,
  HeaderFlag,
  idTypeName,
  ipsecSituationFlags,
  isTv,
  type Message,
  type NatOaPayload,
  notifyKind,
  notifyTypeName,
  type Payload,
  PayloadType,
  payloadTypeName,
  protocolIdName,
  recognizeVendorId,
  transformIdName,
} from '@oaklog/isakmp';
import {
  describeIkev2Message,
  describeIkev2Payload,
  describeMessage,
  describePayload,
  PARTLY_UNREADABLE,
  UNDECODABLE,
} from '@oaklog/pipeline';
import { UNREADABLE } from '@oaklog/viewlog';

type PayloadWith<T extends number> = Extract<Payload, { type: T }>;

/** One node of the tree: a label, an optional value, and what it holds. */
export interface TreeNode {
  readonly label: string;
  readonly value?: string;
  readonly children?: readonly TreeNode[];
  /** `error`: a fault; `muted`: a detail most readers skip (hex). */
  readonly tone?: 'error' | 'ok' | 'muted';
}

/** The datagram the tree is of, as `@oaklog/pcap` gives it. */
export interface TreeDatagram {
  readonly frame: number;
  readonly src: string;
  readonly srcPort: number;
  readonly dst: string;
  readonly dstPort: number;
  readonly nonEspMarker?: boolean;
  readonly bytes: Uint8Array;
}

/** At most this many bytes of a value are shown in hex. */
const MAX_HEX_BYTES = 256;

function hexValue(bytes: Uint8Array): string {
  const shown = bytes.length > MAX_HEX_BYTES ? bytes.subarray(0, MAX_HEX_BYTES) : bytes;
  const groups = hex(shown).replace(/(.{8})(?!$)/g, '$1 ');
  return bytes.length > MAX_HEX_BYTES ? `${groups} … (${bytes.length - MAX_HEX_BYTES} more bytes)` : groups;
}

function named(name: string | undefined, value: number): string {
  return name ?? String(value);
}

/** `NAME (n)`, or the number alone. */
function numbered(name: string | undefined, value: number): string {
  return name === undefined ? String(value) : `${name} (${value})`;
}

function bytesNode(label: string, bytes: Uint8Array): TreeNode {
  return {
    label,
    value: `${bytes.length} byte${bytes.length === 1 ? '' : 's'}`,
    ...(bytes.length > 0 ? { children: [{ label: 'hex', value: hexValue(bytes), tone: 'muted' as const }] } : {}),
  };
}

// ---- The one-line readings, as `oaklog decode` prints them. ----

/** `oaklog decode`'s line for one datagram (`#7 192.0.2.1:500 -> 192.0.2.2:500 MM …`). */
export function describeDatagram(d: TreeDatagram): string {
  const where = `#${d.frame} ${d.src}:${d.srcPort} -> ${d.dst}:${d.dstPort}${d.nonEspMarker ? ' (NAT-T)' : ''}`;
  try {
    const any = decodeAny(d.bytes);
    if (any.version === 'unsupported') return `${where} ${UNDECODABLE}: ${any.error.message}`;
    const text = any.version === 2 ? describeIkev2Message(any.message) : describeMessage(any.message);
    if (any.error !== undefined)
      return `${where} ${text}${any.message.payloads.length > 0 ? ', ' : ''}${UNREADABLE}; ${PARTLY_UNREADABLE}: ${any.error.message}`;
    return `${where} ${text}`;
  } catch (error) {
    if (error instanceof DecodeError) return `${where} ${UNDECODABLE}: ${error.message}`;
    throw error;
  }
}

// ---- The tree. ----

function flagNames(flags: number): string {
  const names = [
    flags & HeaderFlag.ENCRYPTION ? 'encryption' : undefined,
    flags & HeaderFlag.COMMIT ? 'commit' : undefined,
    flags & HeaderFlag.AUTHENTICATION_ONLY ? 'authentication only' : undefined,
  ].filter((n) => n !== undefined);
  const other = flags & ~0x07;
  if (other !== 0) names.push(`0x${other.toString(16)}`);
  return `0x${flags.toString(16).padStart(2, '0')}${names.length > 0 ? ` (${names.join(', ')})` : ''}`;
}

function headerNode(header: Header, datagramBytes: number): TreeNode {
  return {
    label: 'Header',
    children: [
      { label: 'Initiator cookie', value: hex(header.initiatorCookie) },
      { label: 'Responder cookie', value: hex(header.responderCookie) },
      { label: 'Next payload', value: numbered(payloadTypeName.get(header.nextPayload), header.nextPayload) },
      { label: 'Version', value: `${header.majorVersion}.${header.minorVersion}` },
      { label: 'Exchange type', value: numbered(exchangeTypeName.get(header.exchangeType), header.exchangeType) },
      { label: 'Flags', value: flagNames(header.flags) },
      { label: 'Message ID', value: `0x${header.messageId.toString(16).padStart(8, '0')}` },
      {
        label: 'Length',
        value: `${header.length} bytes${header.length !== datagramBytes ? ` (the datagram has ${datagramBytes})` : ''}`,
      },
    ],
  };
}

function attributeNodes(protocolId: number, attributes: readonly DataAttribute[]): TreeNode[] {
  return attributes.map((a) => {
    const key = numbered(attributeName(protocolId, a.type), a.type);
    if (!isTv(a) && a.data.length > 8) return bytesNode(key, a.data);
    const value = attributeNumber(a);
    const valueName = typeof value === 'number' ? attributeValueName(protocolId, a.type, value) : undefined;
    return { label: key, value: valueName === undefined ? String(value) : `${valueName} (${String(value)})` };
  });
}

function cfgAttributeNodes(attributes: readonly DataAttribute[]): TreeNode[] {
  return attributes.map((a) => {
    const key = numbered(cfgAttributeName.get(a.type), a.type);
    if (!isTv(a)) {
      const text = a.data.every((b) => b >= 0x20 && b < 0x7f) && a.data.length > 0;
      return text
        ? { label: key, value: JSON.stringify(String.fromCharCode(...a.data)) }
        : a.data.length === 4 && /ADDRESS|NETMASK|DNS|NBNS|DHCP/.test(key)
          ? { label: key, value: Array.from(a.data).join('.') }
          : bytesNode(key, a.data);
    }
    const valueName = cfgAttributeValueName(a.type, a.value);
    return { label: key, value: valueName === undefined ? String(a.value) : `${valueName} (${a.value})` };
  });
}

/** The fields of one payload. */
function payloadChildren(p: Payload): TreeNode[] {
  if ('raw' in p) return [bytesNode('Body', p.raw)];
  switch (p.type) {
    case PayloadType.SA: {
      const sa = p as PayloadWith<typeof PayloadType.SA>;
      return [
        { label: 'DOI', value: numbered(doiName.get(sa.doi), sa.doi) },
        {
          label: 'Situation',
          value: `0x${sa.situation.toString(16)} (${ipsecSituationFlags(sa.situation).join(', ')})`,
        },
        ...sa.proposals.map((proposal) => ({
          label: `Proposal #${proposal.number}`,
          value: `${named(protocolIdName.get(proposal.protocolId), proposal.protocolId)}${proposal.spi.length > 0 ? `, SPI ${hex(proposal.spi)}` : ''}, ${proposal.transforms.length} transform${proposal.transforms.length === 1 ? '' : 's'}`,
          children: proposal.transforms.map((t) => ({
            label: `Transform #${t.number}`,
            value: numbered(transformIdName(proposal.protocolId, t.id), t.id),
            children: attributeNodes(proposal.protocolId, t.attributes),
          })),
        })),
      ];
    }
    case PayloadType.ID: {
      const id = p as PayloadWith<typeof PayloadType.ID>;
      return [
        { label: 'ID type', value: numbered(idTypeName.get(id.idType), id.idType) },
        { label: 'Protocol', value: String(id.protocolId) },
        { label: 'Port', value: String(id.port) },
        id.value !== undefined
          ? { label: 'Identification', value: Object.values(id.value).join(id.value && 'mask' in id.value ? '/' : '–') }
          : bytesNode('Identification data', id.data),
      ];
    }
    case PayloadType.CERT: {
      const c = p as CertPayload;
      return [
        { label: 'Encoding', value: numbered(certificateEncodingName.get(c.encoding), c.encoding) },
        bytesNode('Certificate', c.data),
      ];
    }
    case PayloadType.CR: {
      const c = p as CrPayload;
      return [
        { label: 'Certificate type', value: numbered(certificateEncodingName.get(c.certType), c.certType) },
        bytesNode('Authority', c.authority),
      ];
    }
    case PayloadType.NOTIFICATION: {
      const n = p as PayloadWith<typeof PayloadType.NOTIFICATION>;
      const kind = notifyKind(n.messageType);
      return [
        {
          label: 'Notify message type',
          value: `${numbered(notifyTypeName.get(n.messageType), n.messageType)}${kind ? `, ${kind}` : ''}`,
          ...(kind === 'error' ? { tone: 'error' as const } : {}),
        },
        { label: 'DOI', value: numbered(doiName.get(n.doi), n.doi) },
        { label: 'Protocol', value: numbered(protocolIdName.get(n.protocolId), n.protocolId) },
        ...(n.spi.length > 0 ? [{ label: 'SPI', value: hex(n.spi) }] : []),
        ...(n.attributes !== undefined
          ? [{ label: 'Attributes', children: attributeNodes(n.protocolId, n.attributes) }]
          : n.data.length > 0
            ? [bytesNode('Notification data', n.data)]
            : []),
      ];
    }
    case PayloadType.DELETE: {
      const d = p as PayloadWith<typeof PayloadType.DELETE>;
      return [
        { label: 'DOI', value: numbered(doiName.get(d.doi), d.doi) },
        { label: 'Protocol', value: numbered(protocolIdName.get(d.protocolId), d.protocolId) },
        { label: 'SPIs', value: d.spis.map(hex).join(', ') || '(none)' },
      ];
    }
    case PayloadType.VENDOR_ID: {
      const v = p as PayloadWith<typeof PayloadType.VENDOR_ID>;
      const match = recognizeVendorId(v.data);
      return [{ label: 'Vendor', value: match?.description ?? 'not recognised' }, bytesNode('Vendor ID', v.data)];
    }
    case PayloadType.ATTRIBUTES: {
      const a = p as PayloadWith<typeof PayloadType.ATTRIBUTES>;
      return [
        { label: 'Type', value: numbered(cfgMessageTypeName.get(a.cfgType), a.cfgType) },
        { label: 'Identifier', value: String(a.identifier) },
        ...cfgAttributeNodes(a.attributes),
      ];
    }
    case PayloadType.FRAGMENT: {
      const f = p as PayloadWith<typeof PayloadType.FRAGMENT>;
      return [
        { label: 'Fragment ID', value: String(f.fragmentId) },
        { label: 'Fragment number', value: `${f.fragmentNumber}${f.last ? ' (last)' : ''}` },
        bytesNode('Fragment data', f.data),
      ];
    }
    case PayloadType.NAT_OA:
    case PayloadType.NAT_OA_DRAFT: {
      const o = p as NatOaPayload;
      return [
        { label: 'ID type', value: numbered(idTypeName.get(o.idType), o.idType) },
        o.address !== undefined ? { label: 'Address', value: o.address } : bytesNode('Address data', o.data),
      ];
    }
    default: {
      const data = (p as { data?: Uint8Array }).data;
      return data instanceof Uint8Array
        ? [bytesNode(p.type === PayloadType.KE ? 'Key exchange data' : 'Data', data)]
        : [];
    }
  }
}

function payloadNode(p: Payload): TreeNode {
  const kind = p.type === PayloadType.NOTIFICATION ? notifyKind((p as { messageType: number }).messageType) : undefined;
  return {
    label: named(payloadTypeName.get(p.type), p.type),
    value: describePayload(p),
    children: payloadChildren(p),
    ...(kind === 'error' ? { tone: 'error' as const } : {}),
  };
}

function payloadsNode(label: string, payloads: readonly Payload[], tone?: TreeNode['tone']): TreeNode {
  return {
    label,
    value: `${payloads.length} payload${payloads.length === 1 ? '' : 's'}`,
    children: payloads.map(payloadNode),
    ...(tone === undefined ? {} : { tone }),
  };
}

const IV_SOURCES: Readonly<Record<string, string>> = {
  phase1: 'the phase-1 IV',
  'phase1-chain': 'the last block of the previous phase-1 message',
  phase2: 'hash(last phase-1 block | message ID)',
  'phase2-chain': 'the last block of the previous message of this message ID',
  'phase2-from-initial-iv': 'hash(initial phase-1 IV | message ID), as strongSwan does after a failed MM5',
};

/** What crypto said about one message (a fragment's reassembled message included). */
type Outcome = MessageOutcome | { readonly kind: 'no-keys' } | undefined;

/** The body of an encrypted message: what the decryption gave, or why there is none. */
function encryptedBody(message: Message, outcome: Outcome, keysGiven: boolean): TreeNode[] {
  const size = message.encrypted?.length ?? 0;
  const first = named(payloadTypeName.get(message.header.nextPayload), message.header.nextPayload);
  const cipher: TreeNode = {
    label: 'Encrypted body',
    value: `${size} bytes, first payload ${first}`,
    children: [{ label: 'hex', value: hexValue(message.encrypted ?? new Uint8Array()), tone: 'muted' }],
  };
  if (!keysGiven || outcome === undefined) return [cipher, { label: 'Not decrypted', value: 'no key file given' }];
  switch (outcome.kind) {
    case 'decrypted': {
      const details: TreeNode[] = [
        { label: 'Cipher', value: outcome.cipher },
        { label: 'IV', value: hex(outcome.body.iv) },
        { label: 'IV from', value: IV_SOURCES[outcome.ivSource] ?? outcome.ivSource },
        ...(outcome.recovered
          ? [{ label: 'Recovered', value: 'the expected IV failed; another plausible one worked' }]
          : []),
        ...(outcome.retransmission ? [{ label: 'Retransmission', value: "decrypted with its first copy's IV" }] : []),
        {
          label: 'Padding',
          value: `${outcome.body.padding.length} bytes (${outcome.body.paddingStyle})`,
        },
      ];
      return [
        cipher,
        { label: 'Decryption', value: `${outcome.cipher}, IV from ${outcome.ivSource}`, children: details, tone: 'ok' },
        payloadsNode('Decrypted payloads', outcome.body.payloads),
      ];
    }
    case 'not-decrypted':
      return [
        cipher,
        {
          label: 'Not decrypted',
          value: `no key gave a plausible plaintext (${outcome.reason}): wrong key?`,
          tone: 'error',
        },
      ];
    case 'failed':
      return [
        cipher,
        { label: 'Not decrypted', value: `${outcome.error.code}: ${outcome.error.message}`, tone: 'error' },
      ];
    case 'no-keys':
      return [cipher, { label: 'Not decrypted', value: 'the key file has no key for this IKE SA' }];
    default:
      return [cipher];
  }
}

/** The nodes of a decoded IKEv1 message below its header. */
function messageBody(message: Message, outcome: Outcome, keysGiven: boolean): TreeNode[] {
  if (message.header.flags & HeaderFlag.ENCRYPTION) return encryptedBody(message, outcome, keysGiven);
  return [payloadsNode('Payloads', message.payloads)];
}

/**
 * The tree of one datagram. `outcome` is `@oaklog/crypto`'s outcome for it (`decryptMessages` over its IKE SA's
 * datagrams, with the keys given or none: it also reassembles IKE fragments); `keysGiven` says whether a key file was
 * given at all. An IKE fragment that completed a message also shows the reassembled message, decrypted where it could
 * be.
 */
export function messageTree(d: TreeDatagram, outcome: CaptureOutcome | undefined, keysGiven: boolean): TreeNode {
  const label = describeDatagram(d);
  let any: ReturnType<typeof decodeAny>;
  try {
    any = decodeAny(d.bytes);
  } catch (error) {
    if (error instanceof DecodeError)
      return { label, tone: 'error', children: [{ label: 'Undecodable', value: error.message, tone: 'error' }] };
    throw error;
  }
  if (any.version === 'unsupported')
    return { label, tone: 'error', children: [{ label: 'Undecodable', value: any.error.message, tone: 'error' }] };
  if (any.version === 2)
    return {
      label,
      children: [
        { label: 'IKEv2', value: 'left out of the View Log: the clients never logged IKEv2' },
        ...any.message.payloads.map((p) => ({ label: describeIkev2Payload(p) })),
      ],
    };
  const message = any.message;
  const own: Outcome = outcome === undefined || outcome.kind === 'fragment' ? undefined : outcome;
  const children: TreeNode[] = [headerNode(message.header, d.bytes.length), ...messageBody(message, own, keysGiven)];
  if (any.error !== undefined)
    children.push({
      label: 'Unreadable',
      value: `${any.error.code} at byte ${any.error.offset}: ${any.error.message}`,
      tone: 'error',
    });
  if (outcome?.kind === 'fragment' && outcome.reassembled !== undefined) {
    const whole = outcome.reassembled.message;
    if (whole !== undefined)
      children.push({
        label: 'Reassembled message',
        value: describeMessage(whole),
        children: [
          headerNode(whole.header, whole.header.length),
          ...messageBody(whole, outcome.reassembled, keysGiven),
        ],
      });
    else children.push({ label: 'Reassembled message', value: outcome.reassembled.kind, tone: 'error' });
  }
  return { label, children };
}
