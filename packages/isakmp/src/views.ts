import { attributeNumber, type DataAttribute } from './attributes';
import { IpsecAttribute, OakleyAttribute, ProtocolId } from './registry';

/** One life type/duration pair (RFC 2409 A, RFC 2407 4.5): a duration applies to the life type before it. */
export interface Lifetime {
  /** 1 seconds, 2 kilobytes. */
  type: number;
  /** Duration in units of the life type. */
  duration: number | bigint;
}

/** Named reading of Oakley (phase 1) transform attributes, RFC 2409 appendix A. */
export interface OakleyAttributes {
  /** Which attribute space named these. */
  kind: 'oakley';
  /** Encryption algorithm (1). */
  encryptionAlgorithm?: number;
  /** Hash algorithm (2). */
  hashAlgorithm?: number;
  /** Authentication method (3). */
  authenticationMethod?: number;
  /** Group description. */
  groupDescription?: number;
  /** Group type (5). */
  groupType?: number;
  /** Group prime/irreducible polynomial (6). */
  groupPrime?: Uint8Array;
  /** Group generator one (7). */
  groupGeneratorOne?: Uint8Array;
  /** Group generator two (8). */
  groupGeneratorTwo?: Uint8Array;
  /** Group curve A (9). */
  groupCurveA?: Uint8Array;
  /** Group curve B (10). */
  groupCurveB?: Uint8Array;
  /** PRF (13). */
  prf?: number;
  /** Key length in bits. */
  keyLength?: number;
  /** Field size (15). */
  fieldSize?: number;
  /** Group order (16). */
  groupOrder?: Uint8Array;
  /** Life type/duration pairs, in wire order. */
  lifetimes: Lifetime[];
  /** Attributes with no name here, in wire order. */
  other: DataAttribute[];
}

/** Named reading of IPsec DOI (AH/ESP/IPCOMP) transform attributes, RFC 2407 4.5 and later RFCs. */
export interface IpsecAttributes {
  /** Which attribute space named these. */
  kind: 'ipsec';
  /** Group description. */
  groupDescription?: number;
  /** Encapsulation mode (4). */
  encapsulationMode?: number;
  /** Authentication algorithm (5). */
  authenticationAlgorithm?: number;
  /** Key length in bits. */
  keyLength?: number;
  /** Key rounds (7). */
  keyRounds?: number;
  /** Compress dictionary size (8). */
  compressDictionarySize?: number;
  /** Compress private algorithm (9). */
  compressPrivateAlgorithm?: Uint8Array;
  /** ECN tunnel (10, RFC 3168). */
  ecnTunnel?: number;
  /** Extended sequence number (11, RFC 4304). */
  extendedSequenceNumber?: number;
  /** Authentication key length (12). */
  authenticationKeyLength?: number;
  /** Signature encoding algorithm (13). */
  signatureEncodingAlgorithm?: number;
  /** Address preservation (14). */
  addressPreservation?: number;
  /** SA direction (15). */
  saDirection?: number;
  /** Life type/duration pairs, in wire order. */
  lifetimes: Lifetime[];
  /** Attributes with no name here, in wire order. */
  other: DataAttribute[];
}

type NumberKey<T> = { [K in keyof T]-?: NonNullable<T[K]> extends number ? K : never }[keyof T];
type BytesKey<T> = { [K in keyof T]-?: NonNullable<T[K]> extends Uint8Array ? K : never }[keyof T];

interface Space<T> {
  readonly lifeType: number;
  readonly lifeDuration: number;
  readonly numbers: Partial<Record<number, NumberKey<T>>>;
  readonly bytes: Partial<Record<number, BytesKey<T>>>;
}

/** RFC 2409 appendix A attribute classes. */
const oakley: Space<OakleyAttributes> = {
  lifeType: OakleyAttribute.LIFE_TYPE,
  lifeDuration: OakleyAttribute.LIFE_DURATION,
  numbers: {
    [OakleyAttribute.ENCRYPTION_ALGORITHM]: 'encryptionAlgorithm',
    [OakleyAttribute.HASH_ALGORITHM]: 'hashAlgorithm',
    [OakleyAttribute.AUTHENTICATION_METHOD]: 'authenticationMethod',
    [OakleyAttribute.GROUP_DESCRIPTION]: 'groupDescription',
    [OakleyAttribute.GROUP_TYPE]: 'groupType',
    [OakleyAttribute.PRF]: 'prf',
    [OakleyAttribute.KEY_LENGTH]: 'keyLength',
    [OakleyAttribute.FIELD_SIZE]: 'fieldSize',
  },
  bytes: {
    [OakleyAttribute.GROUP_PRIME]: 'groupPrime',
    [OakleyAttribute.GROUP_GENERATOR_ONE]: 'groupGeneratorOne',
    [OakleyAttribute.GROUP_GENERATOR_TWO]: 'groupGeneratorTwo',
    [OakleyAttribute.GROUP_CURVE_A]: 'groupCurveA',
    [OakleyAttribute.GROUP_CURVE_B]: 'groupCurveB',
    [OakleyAttribute.GROUP_ORDER]: 'groupOrder',
  },
};

/** RFC 2407 4.5 attribute types, plus RFC 3168, RFC 4304, RFC 4359 and later ones. */
const ipsec: Space<IpsecAttributes> = {
  lifeType: IpsecAttribute.SA_LIFE_TYPE,
  lifeDuration: IpsecAttribute.SA_LIFE_DURATION,
  numbers: {
    [IpsecAttribute.GROUP_DESCRIPTION]: 'groupDescription',
    [IpsecAttribute.ENCAPSULATION_MODE]: 'encapsulationMode',
    [IpsecAttribute.AUTHENTICATION_ALGORITHM]: 'authenticationAlgorithm',
    [IpsecAttribute.KEY_LENGTH]: 'keyLength',
    [IpsecAttribute.KEY_ROUNDS]: 'keyRounds',
    [IpsecAttribute.COMPRESS_DICTIONARY_SIZE]: 'compressDictionarySize',
    [IpsecAttribute.ECN_TUNNEL]: 'ecnTunnel',
    [IpsecAttribute.EXTENDED_SEQUENCE_NUMBER]: 'extendedSequenceNumber',
    [IpsecAttribute.AUTHENTICATION_KEY_LENGTH]: 'authenticationKeyLength',
    [IpsecAttribute.SIGNATURE_ENCODING_ALGORITHM]: 'signatureEncodingAlgorithm',
    [IpsecAttribute.ADDRESS_PRESERVATION]: 'addressPreservation',
    [IpsecAttribute.SA_DIRECTION]: 'saDirection',
  },
  bytes: { [IpsecAttribute.COMPRESS_PRIVATE_ALGORITHM]: 'compressPrivateAlgorithm' },
};

function read<T extends { lifetimes: Lifetime[]; other: DataAttribute[] }>(
  space: Space<T>,
  view: T,
  attributes: readonly DataAttribute[],
): T {
  let lifeType = 1;
  const target = view as Record<string, unknown>;
  for (const a of attributes) {
    const numberKey = space.numbers[a.type];
    const bytesKey = space.bytes[a.type];
    // Only numeric attributes are converted: a group prime may be tens of kilobytes.
    const numeric = a.type === space.lifeType || a.type === space.lifeDuration || numberKey !== undefined;
    const n = numeric ? attributeNumber(a) : undefined;
    if (a.type === space.lifeType && typeof n === 'number') lifeType = n;
    else if (a.type === space.lifeDuration && n !== undefined) view.lifetimes.push({ type: lifeType, duration: n });
    else if (numberKey !== undefined && typeof n === 'number') target[numberKey as string] = n;
    else if (bytesKey !== undefined)
      target[bytesKey as string] = 'data' in a ? a.data : Uint8Array.of(a.value >> 8, a.value & 0xff);
    else view.other.push(a);
  }
  return view;
}

/** Names Oakley (phase 1, ISAKMP proposal) transform attributes. */
export function oakleyAttributes(attributes: readonly DataAttribute[]): OakleyAttributes {
  return read(oakley, { kind: 'oakley', lifetimes: [], other: [] }, attributes);
}

/** Names IPsec DOI (AH, ESP, IPCOMP proposal) transform attributes. */
export function ipsecAttributes(attributes: readonly DataAttribute[]): IpsecAttributes {
  return read(ipsec, { kind: 'ipsec', lifetimes: [], other: [] }, attributes);
}

/**
 * Names a transform's attributes the way its proposal's protocol defines them: Oakley for ISAKMP, IPsec DOI for
 * AH/ESP/IPCOMP. Undefined for other protocols.
 */
export function transformAttributes(
  protocolId: number,
  attributes: readonly DataAttribute[],
): OakleyAttributes | IpsecAttributes | undefined {
  const reader = attributeSpaces[protocolId];
  return reader?.(attributes);
}

const attributeSpaces: Partial<Record<number, (a: readonly DataAttribute[]) => OakleyAttributes | IpsecAttributes>> = {
  [ProtocolId.ISAKMP]: oakleyAttributes,
  [ProtocolId.IPSEC_AH]: ipsecAttributes,
  [ProtocolId.IPSEC_ESP]: ipsecAttributes,
  [ProtocolId.IPCOMP]: ipsecAttributes,
};
