/**
 * IANA "Magic Numbers for ISAKMP Protocol", "Internet Key Exchange (IKE) Attributes" and IPsec DOI (RFC 2407) registries,
 * plus the private numbers real peers send (Cisco, Microsoft, Check Point, libreswan, Wireshark's findings).
 * Each registry is an `as const` name→number map with one derived number→name lookup. Never a switch.
 * Attribute meanings depend on the enclosing proposal's protocol: see `attributeName` and `attributeValueName`.
 * The payload, exchange and notify registries are `@oaklog/common`'s, shared with the View Log grammar; this module
 * re-exports them so the codec has one registry module.
 */
import { invert, isErrorNotify } from '@oaklog/common';

export {
  ExchangeType,
  exchangeTypeName,
  invert,
  isErrorNotify,
  NotifyType,
  notifyKind,
  notifyTypeName,
  PayloadType,
  payloadTypeName,
} from '@oaklog/common';

/** @deprecated Use {@link isErrorNotify}, the one name the packages share for this test; this is the same function. */
export const isNotifyError: (type: number) => boolean = isErrorNotify;

/** Protocol identifiers (RFC 2407 4.4.1, RFC 4705 for GIGABEAM_RADIO). */
export const ProtocolId = { RESERVED: 0, ISAKMP: 1, IPSEC_AH: 2, IPSEC_ESP: 3, IPCOMP: 4, GIGABEAM_RADIO: 5 } as const;
/** A `ProtocolId` value. */
export type ProtocolId = (typeof ProtocolId)[keyof typeof ProtocolId];
/** Protocol id number → registry name. */
export const protocolIdName = invert(ProtocolId);

/** Identification types (RFC 2407 4.6.2.1). */
export const IdType = {
  RESERVED: 0,
  IPV4_ADDR: 1,
  FQDN: 2,
  USER_FQDN: 3,
  IPV4_ADDR_SUBNET: 4,
  IPV6_ADDR: 5,
  IPV6_ADDR_SUBNET: 6,
  IPV4_ADDR_RANGE: 7,
  IPV6_ADDR_RANGE: 8,
  DER_ASN1_DN: 9,
  DER_ASN1_GN: 10,
  KEY_ID: 11,
  LIST: 12,
} as const;
/** A `IdType` value. */
export type IdType = (typeof IdType)[keyof typeof IdType];
/** ID type number → registry name. */
export const idTypeName = invert(IdType);

/** Domains of Interpretation (RFC 2408 2.1 and 3.4, RFC 2407, RFC 6407 GDOI). */
export const Doi = { ISAKMP: 0, IPSEC: 1, GDOI: 2 } as const;
/** A `Doi` value. */
export type Doi = (typeof Doi)[keyof typeof Doi];
/** DOI number → registry name. */
export const doiName = invert(Doi);

/** IPsec DOI situation bits (RFC 2407 4.2); a situation is a bit set of these. */
export const IpsecSituation = { IDENTITY_ONLY: 0x01, SECRECY: 0x02, INTEGRITY: 0x04 } as const;
/** A `IpsecSituation` value. */
export type IpsecSituation = (typeof IpsecSituation)[keyof typeof IpsecSituation];
/** Situation bit → registry name. */
export const ipsecSituationName = invert(IpsecSituation);

/** Names the bits set in an IPsec DOI situation, lowest first; unknown bits appear as `0x…`. */
export function ipsecSituationFlags(situation: number): string[] {
  const names: string[] = [];
  for (let bit = 0; bit < 32; bit++) {
    const mask = 2 ** bit;
    if (Math.floor(situation / mask) % 2 === 1) names.push(ipsecSituationName.get(mask) ?? `0x${mask.toString(16)}`);
  }
  return names;
}

/** ISAKMP (phase 1) transform identifiers (RFC 2407 4.4.2). */
export const IsakmpTransformId = { KEY_IKE: 1 } as const;
/** A `IsakmpTransformId` value. */
export type IsakmpTransformId = (typeof IsakmpTransformId)[keyof typeof IsakmpTransformId];
/** ISAKMP transform id → registry name. */
export const isakmpTransformIdName = invert(IsakmpTransformId);

/** AH transform identifiers (IANA "IPSEC AH Transform Identifiers", RFC 2407 4.4.3; 251 private, KAME via libreswan). */
export const AhTransformId = {
  AH_MD5: 2,
  AH_SHA: 3,
  AH_DES: 4,
  AH_SHA2_256: 5,
  AH_SHA2_384: 6,
  AH_SHA2_512: 7,
  AH_RIPEMD: 8,
  AH_AES_XCBC_MAC: 9,
  AH_RSA: 10,
  AH_AES_128_GMAC: 11,
  AH_AES_192_GMAC: 12,
  AH_AES_256_GMAC: 13,
  AH_NULL: 251,
} as const;
/** A `AhTransformId` value. */
export type AhTransformId = (typeof AhTransformId)[keyof typeof AhTransformId];
/** AH transform id → registry name. */
export const ahTransformIdName = invert(AhTransformId);

/** ESP transform identifiers (IANA "IPSEC ESP Transform Identifiers", RFC 2407 4.4.4; 249–253 private, via libreswan). */
export const EspTransformId = {
  ESP_DES_IV64: 1,
  ESP_DES: 2,
  ESP_3DES: 3,
  ESP_RC5: 4,
  ESP_IDEA: 5,
  ESP_CAST: 6,
  ESP_BLOWFISH: 7,
  ESP_3IDEA: 8,
  ESP_DES_IV32: 9,
  ESP_RC4: 10,
  ESP_NULL: 11,
  ESP_AES_CBC: 12,
  ESP_AES_CTR: 13,
  ESP_AES_CCM_8: 14,
  ESP_AES_CCM_12: 15,
  ESP_AES_CCM_16: 16,
  ESP_AES_GCM_8: 18,
  ESP_AES_GCM_12: 19,
  ESP_AES_GCM_16: 20,
  ESP_SEED_CBC: 21,
  ESP_CAMELLIA: 22,
  ESP_NULL_AUTH_AES_GMAC: 23,
  ESP_MARS: 249,
  ESP_RC6: 250,
  ESP_KAME_NULL: 251,
  ESP_SERPENT: 252,
  ESP_TWOFISH: 253,
} as const;
/** A `EspTransformId` value. */
export type EspTransformId = (typeof EspTransformId)[keyof typeof EspTransformId];
/** ESP transform id → registry name. */
export const espTransformIdName = invert(EspTransformId);

/** IPComp transform identifiers (IANA "IPSEC IPCOMP Transform Identifiers", RFC 2407 4.4.5, RFC 3051). */
export const IpcompTransformId = { IPCOMP_OUI: 1, IPCOMP_DEFLATE: 2, IPCOMP_LZS: 3, IPCOMP_LZJH: 4 } as const;
/** A `IpcompTransformId` value. */
export type IpcompTransformId = (typeof IpcompTransformId)[keyof typeof IpcompTransformId];
/** IPComp transform id → registry name. */
export const ipcompTransformIdName = invert(IpcompTransformId);

/** Transform id tables by proposal protocol id (RFC 2407 4.4.1). */
const transformIdNames: ReadonlyMap<number, ReadonlyMap<number, string>> = new Map<number, ReadonlyMap<number, string>>(
  [
    [ProtocolId.ISAKMP, isakmpTransformIdName],
    [ProtocolId.IPSEC_AH, ahTransformIdName],
    [ProtocolId.IPSEC_ESP, espTransformIdName],
    [ProtocolId.IPCOMP, ipcompTransformIdName],
  ],
);

/** Names a transform id in the registry its proposal's protocol selects; undefined for unknowns. */
export function transformIdName(protocolId: number, transformId: number): string | undefined {
  return transformIdNames.get(protocolId)?.get(transformId);
}

/** Data attribute form (RFC 2408 3.3, RFC 2409 appendix A): B = basic (TV, 2-byte value), V = variable (TLV). */
export type AttributeForm = 'B' | 'V';

/** The AF bit of a data attribute type: set for the basic (TV) form (RFC 2408 3.3). */
export const ATTRIBUTE_FORMAT_TV = 0x8000;

/** Oakley attribute classes in ISAKMP proposals (RFC 2409 appendix A, IANA "IKE Attributes"; 17 and 20 as Wireshark decodes them). */
export const OakleyAttribute = {
  ENCRYPTION_ALGORITHM: 1,
  HASH_ALGORITHM: 2,
  AUTHENTICATION_METHOD: 3,
  GROUP_DESCRIPTION: 4,
  GROUP_TYPE: 5,
  GROUP_PRIME: 6,
  GROUP_GENERATOR_ONE: 7,
  GROUP_GENERATOR_TWO: 8,
  GROUP_CURVE_A: 9,
  GROUP_CURVE_B: 10,
  LIFE_TYPE: 11,
  LIFE_DURATION: 12,
  PRF: 13,
  KEY_LENGTH: 14,
  FIELD_SIZE: 15,
  GROUP_ORDER: 16,
  BLOCK_SIZE: 17,
  ASYMMETRIC_ALGORITHM_TYPE: 20,
} as const;
/** A `OakleyAttribute` value. */
export type OakleyAttribute = (typeof OakleyAttribute)[keyof typeof OakleyAttribute];
/** Oakley attribute class → registry name. */
export const oakleyAttributeName = invert(OakleyAttribute);

/** Form of each Oakley attribute class as RFC 2409 appendix A marks it (17 and 20, outside the RFC, taken as basic). */
export const oakleyAttributeForm: Readonly<Record<OakleyAttribute, AttributeForm>> = {
  [OakleyAttribute.ENCRYPTION_ALGORITHM]: 'B',
  [OakleyAttribute.HASH_ALGORITHM]: 'B',
  [OakleyAttribute.AUTHENTICATION_METHOD]: 'B',
  [OakleyAttribute.GROUP_DESCRIPTION]: 'B',
  [OakleyAttribute.GROUP_TYPE]: 'B',
  [OakleyAttribute.GROUP_PRIME]: 'V',
  [OakleyAttribute.GROUP_GENERATOR_ONE]: 'V',
  [OakleyAttribute.GROUP_GENERATOR_TWO]: 'V',
  [OakleyAttribute.GROUP_CURVE_A]: 'V',
  [OakleyAttribute.GROUP_CURVE_B]: 'V',
  [OakleyAttribute.LIFE_TYPE]: 'B',
  [OakleyAttribute.LIFE_DURATION]: 'V',
  [OakleyAttribute.PRF]: 'B',
  [OakleyAttribute.KEY_LENGTH]: 'B',
  [OakleyAttribute.FIELD_SIZE]: 'B',
  [OakleyAttribute.GROUP_ORDER]: 'V',
  [OakleyAttribute.BLOCK_SIZE]: 'B',
  [OakleyAttribute.ASYMMETRIC_ALGORITHM_TYPE]: 'B',
};

/**
 * Oakley encryption algorithms (IANA "IKE Attributes" class 1, RFC 2409 appendix A, RFC 3602, RFC 4312); 13–27 are
 * IKEv2 ENCR numbers libreswan also uses in IKEv1, 127–129 Chinese GM/T values from Wireshark, 65001+ libreswan private.
 */
export const OakleyEncryptionAlgorithm = {
  DES_CBC: 1,
  IDEA_CBC: 2,
  BLOWFISH_CBC: 3,
  RC5_R16_B64_CBC: 4,
  '3DES_CBC': 5,
  CAST_CBC: 6,
  AES_CBC: 7,
  CAMELLIA_CBC: 8,
  AES_CTR: 13,
  AES_CCM_8: 14,
  AES_CCM_12: 15,
  AES_CCM_16: 16,
  AES_GCM_8: 18,
  AES_GCM_12: 19,
  AES_GCM_16: 20,
  CAMELLIA_CTR: 24,
  CAMELLIA_CCM_8: 25,
  CAMELLIA_CCM_12: 26,
  CAMELLIA_CCM_16: 27,
  SM4_CBC_DEPRECATED: 127,
  SM1_CBC: 128,
  SM4_CBC: 129,
  MARS_CBC: 65001,
  RC6_CBC: 65002,
  SERPENT_CBC: 65004,
  TWOFISH_CBC: 65005,
  TWOFISH_CBC_SSH: 65289,
} as const;
/** A `OakleyEncryptionAlgorithm` value. */
export type OakleyEncryptionAlgorithm = (typeof OakleyEncryptionAlgorithm)[keyof typeof OakleyEncryptionAlgorithm];
/** Oakley encryption algorithm number → name. */
export const oakleyEncryptionAlgorithmName = invert(OakleyEncryptionAlgorithm);

/** Oakley hash algorithms (IANA "IKE Attributes" class 2, RFC 2409 appendix A, RFC 4868; 20 SM3 from Wireshark). */
export const OakleyHashAlgorithm = {
  MD5: 1,
  SHA: 2,
  TIGER: 3,
  SHA2_256: 4,
  SHA2_384: 5,
  SHA2_512: 6,
  SM3: 20,
} as const;
/** A `OakleyHashAlgorithm` value. */
export type OakleyHashAlgorithm = (typeof OakleyHashAlgorithm)[keyof typeof OakleyHashAlgorithm];
/** Oakley hash algorithm number → name. */
export const oakleyHashAlgorithmName = invert(OakleyHashAlgorithm);

/**
 * Oakley authentication methods (IANA "IKE Attributes" class 3, RFC 2409 appendix A, RFC 4754), plus the private
 * hybrid (draft-ietf-ipsec-isakmp-hybrid-auth-05) and XAUTH (draft-beaulieu-ike-xauth-02) values, named as Wireshark does.
 */
export const OakleyAuthenticationMethod = {
  PRESHARED_KEY: 1,
  DSS_SIGNATURES: 2,
  RSA_SIGNATURES: 3,
  RSA_ENCRYPTION: 4,
  RSA_REVISED_ENCRYPTION: 5,
  ELGAMAL_ENCRYPTION: 6,
  ELGAMAL_REVISED_ENCRYPTION: 7,
  ECDSA_SIGNATURES: 8,
  ECDSA_SHA256_P256: 9,
  ECDSA_SHA384_P384: 10,
  ECDSA_SHA512_P521: 11,
  HybridInitRSA: 64221,
  HybridRespRSA: 64222,
  HybridInitDSS: 64223,
  HybridRespDSS: 64224,
  XAUTHInitPreShared: 65001,
  XAUTHRespPreShared: 65002,
  XAUTHInitDSS: 65003,
  XAUTHRespDSS: 65004,
  XAUTHInitRSA: 65005,
  XAUTHRespRSA: 65006,
  XAUTHInitRSAEncryption: 65007,
  XAUTHRespRSAEncryption: 65008,
  XAUTHInitRSARevisedEncryption: 65009,
  XAUTHRespRSARevisedEncryption: 65010,
} as const;
/** A `OakleyAuthenticationMethod` value. */
export type OakleyAuthenticationMethod = (typeof OakleyAuthenticationMethod)[keyof typeof OakleyAuthenticationMethod];
/** Oakley authentication method number → name. */
export const oakleyAuthenticationMethodName = invert(OakleyAuthenticationMethod);

/**
 * Group descriptions (IANA "IKE Attributes" class 4: RFC 2409, RFC 3526, RFC 5114, RFC 5903, RFC 6932, EC2N 6–13 from
 * draft-ietf-ipsec-ike-ecc-groups); 31–34 share the IKEv2 Transform Type 4 numbering (RFC 8031, RFC 9385).
 * Used by both Oakley class 4 and IPsec DOI class 3.
 */
export const OakleyGroup = {
  MODP_768: 1,
  MODP_1024: 2,
  EC2N_155: 3,
  EC2N_185: 4,
  MODP_1536: 5,
  EC2N_163_1: 6,
  EC2N_163_2: 7,
  EC2N_283_1: 8,
  EC2N_283_2: 9,
  EC2N_409_1: 10,
  EC2N_409_2: 11,
  EC2N_571_1: 12,
  EC2N_571_2: 13,
  MODP_2048: 14,
  MODP_3072: 15,
  MODP_4096: 16,
  MODP_6144: 17,
  MODP_8192: 18,
  ECP_256: 19,
  ECP_384: 20,
  ECP_521: 21,
  MODP_1024_S160: 22,
  MODP_2048_S224: 23,
  MODP_2048_S256: 24,
  ECP_192: 25,
  ECP_224: 26,
  BRAINPOOL_P224R1: 27,
  BRAINPOOL_P256R1: 28,
  BRAINPOOL_P384R1: 29,
  BRAINPOOL_P512R1: 30,
  CURVE25519: 31,
  CURVE448: 32,
  GOST3410_2012_256: 33,
  GOST3410_2012_512: 34,
} as const;
/** A `OakleyGroup` value. */
export type OakleyGroup = (typeof OakleyGroup)[keyof typeof OakleyGroup];
/** Group description number → name. */
export const oakleyGroupName = invert(OakleyGroup);

/** Oakley group types (IANA "IKE Attributes" class 5, RFC 2409 appendix A). */
export const OakleyGroupType = { MODP: 1, ECP: 2, EC2N: 3 } as const;
/** A `OakleyGroupType` value. */
export type OakleyGroupType = (typeof OakleyGroupType)[keyof typeof OakleyGroupType];
/** Oakley group type number → name. */
export const oakleyGroupTypeName = invert(OakleyGroupType);

/** Oakley life types (IANA "IKE Attributes" class 11, RFC 2409 appendix A). */
export const OakleyLifeType = { SECONDS: 1, KILOBYTES: 2 } as const;
/** A `OakleyLifeType` value. */
export type OakleyLifeType = (typeof OakleyLifeType)[keyof typeof OakleyLifeType];
/** Oakley life type number → name. */
export const oakleyLifeTypeName = invert(OakleyLifeType);

/** Asymmetric algorithm types for Oakley class 20 (GM/T 0022 private use, as Wireshark decodes it). */
export const OakleyAsymmetricAlgorithm = { RSA: 1, SM2: 2 } as const;
/** A `OakleyAsymmetricAlgorithm` value. */
export type OakleyAsymmetricAlgorithm = (typeof OakleyAsymmetricAlgorithm)[keyof typeof OakleyAsymmetricAlgorithm];
/** Asymmetric algorithm type number → name. */
export const oakleyAsymmetricAlgorithmName = invert(OakleyAsymmetricAlgorithm);

/** IPsec DOI SA attribute classes in AH/ESP/IPComp proposals (RFC 2407 4.5, IANA; 32001 libreswan's labeled IPsec). */
export const IpsecAttribute = {
  SA_LIFE_TYPE: 1,
  SA_LIFE_DURATION: 2,
  GROUP_DESCRIPTION: 3,
  ENCAPSULATION_MODE: 4,
  AUTHENTICATION_ALGORITHM: 5,
  KEY_LENGTH: 6,
  KEY_ROUNDS: 7,
  COMPRESS_DICTIONARY_SIZE: 8,
  COMPRESS_PRIVATE_ALGORITHM: 9,
  ECN_TUNNEL: 10,
  EXTENDED_SEQUENCE_NUMBER: 11,
  AUTHENTICATION_KEY_LENGTH: 12,
  SIGNATURE_ENCODING_ALGORITHM: 13,
  ADDRESS_PRESERVATION: 14,
  SA_DIRECTION: 15,
  SECCTX: 32001,
} as const;
/** A `IpsecAttribute` value. */
export type IpsecAttribute = (typeof IpsecAttribute)[keyof typeof IpsecAttribute];
/** IPsec DOI attribute class → registry name. */
export const ipsecAttributeName = invert(IpsecAttribute);

/** Form of each IPsec DOI attribute class (RFC 2407 4.5, RFC 3168, RFC 4304, RFC 4359, RFC 6407). */
export const ipsecAttributeForm: Readonly<Record<IpsecAttribute, AttributeForm>> = {
  [IpsecAttribute.SA_LIFE_TYPE]: 'B',
  [IpsecAttribute.SA_LIFE_DURATION]: 'V',
  [IpsecAttribute.GROUP_DESCRIPTION]: 'B',
  [IpsecAttribute.ENCAPSULATION_MODE]: 'B',
  [IpsecAttribute.AUTHENTICATION_ALGORITHM]: 'B',
  [IpsecAttribute.KEY_LENGTH]: 'B',
  [IpsecAttribute.KEY_ROUNDS]: 'B',
  [IpsecAttribute.COMPRESS_DICTIONARY_SIZE]: 'B',
  [IpsecAttribute.COMPRESS_PRIVATE_ALGORITHM]: 'V',
  [IpsecAttribute.ECN_TUNNEL]: 'B',
  [IpsecAttribute.EXTENDED_SEQUENCE_NUMBER]: 'B',
  [IpsecAttribute.AUTHENTICATION_KEY_LENGTH]: 'B',
  [IpsecAttribute.SIGNATURE_ENCODING_ALGORITHM]: 'B',
  [IpsecAttribute.ADDRESS_PRESERVATION]: 'B',
  [IpsecAttribute.SA_DIRECTION]: 'B',
  [IpsecAttribute.SECCTX]: 'V',
};

/** IPsec SA life types (RFC 2407 4.5 "SA Life Type"). */
export const IpsecLifeType = { SECONDS: 1, KILOBYTES: 2 } as const;
/** A `IpsecLifeType` value. */
export type IpsecLifeType = (typeof IpsecLifeType)[keyof typeof IpsecLifeType];
/** IPsec SA life type number → name. */
export const ipsecLifeTypeName = invert(IpsecLifeType);

/** Encapsulation modes (RFC 2407 4.5, RFC 3947 5.2; 61440 Check Point and 61443/61444 NAT-T drafts, via Wireshark). */
export const EncapsulationMode = {
  TUNNEL: 1,
  TRANSPORT: 2,
  UDP_ENCAPSULATED_TUNNEL: 3,
  UDP_ENCAPSULATED_TRANSPORT: 4,
  CHECKPOINT_UDP_ENCAPSULATION: 61440,
  UDP_ENCAPSULATED_TUNNEL_DRAFT: 61443,
  UDP_ENCAPSULATED_TRANSPORT_DRAFT: 61444,
} as const;
/** A `EncapsulationMode` value. */
export type EncapsulationMode = (typeof EncapsulationMode)[keyof typeof EncapsulationMode];
/** Encapsulation mode number → name. */
export const encapsulationModeName = invert(EncapsulationMode);

/** IPsec authentication algorithms (RFC 2407 4.5, RFC 2857, RFC 3566, RFC 4359, RFC 4543 errata 1821; 251 KAME, via libreswan). */
export const IpsecAuthAlgorithm = {
  HMAC_MD5: 1,
  HMAC_SHA: 2,
  DES_MAC: 3,
  KPDK: 4,
  HMAC_SHA2_256: 5,
  HMAC_SHA2_384: 6,
  HMAC_SHA2_512: 7,
  HMAC_RIPEMD: 8,
  AES_XCBC_MAC: 9,
  SIG_RSA: 10,
  AES_128_GMAC: 11,
  AES_192_GMAC: 12,
  AES_256_GMAC: 13,
  NULL_KAME: 251,
} as const;
/** A `IpsecAuthAlgorithm` value. */
export type IpsecAuthAlgorithm = (typeof IpsecAuthAlgorithm)[keyof typeof IpsecAuthAlgorithm];
/** IPsec authentication algorithm number → name. */
export const ipsecAuthAlgorithmName = invert(IpsecAuthAlgorithm);

/** ECN tunnel values (RFC 3168 9.2.1). */
export const EcnTunnel = { ALLOWED: 1, FORBIDDEN: 2 } as const;
/** A `EcnTunnel` value. */
export type EcnTunnel = (typeof EcnTunnel)[keyof typeof EcnTunnel];
/** ECN tunnel value → name. */
export const ecnTunnelName = invert(EcnTunnel);

/** Extended sequence number values (RFC 4304 2). */
export const ExtendedSequenceNumber = { ESN_64_BIT: 1 } as const;
/** A `ExtendedSequenceNumber` value. */
export type ExtendedSequenceNumber = (typeof ExtendedSequenceNumber)[keyof typeof ExtendedSequenceNumber];
/** Extended sequence number value → name. */
export const extendedSequenceNumberName = invert(ExtendedSequenceNumber);

/** Signature encoding algorithms (RFC 4359 3). */
export const SignatureEncodingAlgorithm = { RSASSA_PKCS1_V1_5: 1, RSASSA_PSS: 2 } as const;
/** A `SignatureEncodingAlgorithm` value. */
export type SignatureEncodingAlgorithm = (typeof SignatureEncodingAlgorithm)[keyof typeof SignatureEncodingAlgorithm];
/** Signature encoding algorithm value → name. */
export const signatureEncodingAlgorithmName = invert(SignatureEncodingAlgorithm);

/** Address preservation values (RFC 6407 5.3.1). */
export const AddressPreservation = {
  NONE: 1,
  SOURCE_ONLY: 2,
  DESTINATION_ONLY: 3,
  SOURCE_AND_DESTINATION: 4,
} as const;
/** A `AddressPreservation` value. */
export type AddressPreservation = (typeof AddressPreservation)[keyof typeof AddressPreservation];
/** Address preservation value → name. */
export const addressPreservationName = invert(AddressPreservation);

/** SA direction values (RFC 6407 5.3.1). */
export const SaDirection = { SENDER_ONLY: 1, RECEIVER_ONLY: 2, SYMMETRIC: 3 } as const;
/** A `SaDirection` value. */
export type SaDirection = (typeof SaDirection)[keyof typeof SaDirection];
/** SA direction value → name. */
export const saDirectionName = invert(SaDirection);

/** One attribute family: class names, forms and the value table of each class that has one. */
interface AttributeFamily {
  readonly names: ReadonlyMap<number, string>;
  readonly forms: Readonly<Record<number, AttributeForm>>;
  readonly values: ReadonlyMap<number, ReadonlyMap<number, string>>;
}

const oakleyFamily: AttributeFamily = {
  names: oakleyAttributeName,
  forms: oakleyAttributeForm,
  values: new Map<number, ReadonlyMap<number, string>>([
    [OakleyAttribute.ENCRYPTION_ALGORITHM, oakleyEncryptionAlgorithmName],
    [OakleyAttribute.HASH_ALGORITHM, oakleyHashAlgorithmName],
    [OakleyAttribute.AUTHENTICATION_METHOD, oakleyAuthenticationMethodName],
    [OakleyAttribute.GROUP_DESCRIPTION, oakleyGroupName],
    [OakleyAttribute.GROUP_TYPE, oakleyGroupTypeName],
    [OakleyAttribute.LIFE_TYPE, oakleyLifeTypeName],
    [OakleyAttribute.ASYMMETRIC_ALGORITHM_TYPE, oakleyAsymmetricAlgorithmName],
  ]),
};

const ipsecFamily: AttributeFamily = {
  names: ipsecAttributeName,
  forms: ipsecAttributeForm,
  values: new Map<number, ReadonlyMap<number, string>>([
    [IpsecAttribute.SA_LIFE_TYPE, ipsecLifeTypeName],
    [IpsecAttribute.GROUP_DESCRIPTION, oakleyGroupName],
    [IpsecAttribute.ENCAPSULATION_MODE, encapsulationModeName],
    [IpsecAttribute.AUTHENTICATION_ALGORITHM, ipsecAuthAlgorithmName],
    [IpsecAttribute.ECN_TUNNEL, ecnTunnelName],
    [IpsecAttribute.EXTENDED_SEQUENCE_NUMBER, extendedSequenceNumberName],
    [IpsecAttribute.SIGNATURE_ENCODING_ALGORITHM, signatureEncodingAlgorithmName],
    [IpsecAttribute.ADDRESS_PRESERVATION, addressPreservationName],
    [IpsecAttribute.SA_DIRECTION, saDirectionName],
  ]),
};

/** Attribute family by proposal protocol id: ISAKMP → Oakley, AH/ESP/IPComp → IPsec DOI. */
const attributeFamilies: ReadonlyMap<number, AttributeFamily> = new Map<number, AttributeFamily>([
  [ProtocolId.ISAKMP, oakleyFamily],
  [ProtocolId.IPSEC_AH, ipsecFamily],
  [ProtocolId.IPSEC_ESP, ipsecFamily],
  [ProtocolId.IPCOMP, ipsecFamily],
]);

/** Names a data attribute class for a proposal's protocol id (the AF bit is ignored); undefined for unknowns. */
export function attributeName(protocolId: number, type: number): string | undefined {
  return attributeFamilies.get(protocolId)?.names.get(type & 0x7fff);
}

/** Gives a data attribute class's registered form, B or V, for a proposal's protocol id; undefined for unknowns. */
export function attributeForm(protocolId: number, type: number): AttributeForm | undefined {
  return attributeFamilies.get(protocolId)?.forms[type & 0x7fff];
}

/** Names a data attribute's value when its class has a value table; undefined otherwise or for unknown values. */
export function attributeValueName(protocolId: number, type: number, value: number): string | undefined {
  return attributeFamilies
    .get(protocolId)
    ?.values.get(type & 0x7fff)
    ?.get(value);
}

/**
 * Certificate encodings (RFC 2408 3.9, IANA); 11–15 are IKEv2 values (RFC 7296 3.6, RFC 4806, RFC 7670) that IKE stacks
 * sharing one certificate-encoding list may also emit in IKEv1.
 */
export const CertificateEncoding = {
  NONE: 0,
  PKCS7_WRAPPED_X509: 1,
  PGP: 2,
  DNS_SIGNED_KEY: 3,
  X509_SIGNATURE: 4,
  X509_KEY_EXCHANGE: 5,
  KERBEROS_TOKENS: 6,
  CRL: 7,
  ARL: 8,
  SPKI: 9,
  X509_ATTRIBUTE: 10,
  RAW_RSA_KEY: 11,
  HASH_AND_URL_X509: 12,
  HASH_AND_URL_X509_BUNDLE: 13,
  OCSP_CONTENT: 14,
  RAW_PUBLIC_KEY: 15,
} as const;
/** A `CertificateEncoding` value. */
export type CertificateEncoding = (typeof CertificateEncoding)[keyof typeof CertificateEncoding];
/** Certificate encoding number → name. */
export const certificateEncodingName = invert(CertificateEncoding);

/** Attribute payload message types (draft-ietf-ipsec-isakmp-mode-cfg-05 3.2). */
export const CfgMessageType = {
  ISAKMP_CFG_REQUEST: 1,
  ISAKMP_CFG_REPLY: 2,
  ISAKMP_CFG_SET: 3,
  ISAKMP_CFG_ACK: 4,
} as const;
/** A `CfgMessageType` value. */
export type CfgMessageType = (typeof CfgMessageType)[keyof typeof CfgMessageType];
/** Attribute payload message type number → name. */
export const cfgMessageTypeName = invert(CfgMessageType);

/**
 * Mode-config and XAUTH attribute types (draft-ietf-ipsec-isakmp-mode-cfg-05 3.3, draft-beaulieu-ike-xauth-02 6, RFC 5739
 * numbering for 15–19), plus Check Point (16387–16402, Wireshark), Microsoft (23456/23457, libreswan) and Cisco Unity
 * (28672–28683; 28678 is strongSwan's UNITY_LOCAL_LAN) private values.
 */
export const CfgAttribute = {
  INTERNAL_IP4_ADDRESS: 1,
  INTERNAL_IP4_NETMASK: 2,
  INTERNAL_IP4_DNS: 3,
  INTERNAL_IP4_NBNS: 4,
  INTERNAL_ADDRESS_EXPIRY: 5,
  INTERNAL_IP4_DHCP: 6,
  APPLICATION_VERSION: 7,
  INTERNAL_IP6_ADDRESS: 8,
  INTERNAL_IP6_NETMASK: 9,
  INTERNAL_IP6_DNS: 10,
  INTERNAL_IP6_NBNS: 11,
  INTERNAL_IP6_DHCP: 12,
  INTERNAL_IP4_SUBNET: 13,
  SUPPORTED_ATTRIBUTES: 14,
  INTERNAL_IP6_SUBNET: 15,
  MIP6_HOME_PREFIX: 16,
  INTERNAL_IP6_LINK: 17,
  INTERNAL_IP6_PREFIX: 18,
  HOME_AGENT_ADDRESS: 19,
  CHKPT_DEF_DOMAIN: 16387,
  CHKPT_MAC_ADDRESS: 16388,
  CHKPT_MARCIPAN_REASON_CODE: 16389,
  CHKPT_UNKNOWN1: 16400,
  CHKPT_UNKNOWN2: 16401,
  CHKPT_UNKNOWN3: 16402,
  XAUTH_TYPE: 16520,
  XAUTH_USER_NAME: 16521,
  XAUTH_USER_PASSWORD: 16522,
  XAUTH_PASSCODE: 16523,
  XAUTH_MESSAGE: 16524,
  XAUTH_CHALLENGE: 16525,
  XAUTH_DOMAIN: 16526,
  XAUTH_STATUS: 16527,
  XAUTH_NEXT_PIN: 16528,
  XAUTH_ANSWER: 16529,
  INTERNAL_IP4_SERVER: 23456,
  INTERNAL_IP6_SERVER: 23457,
  UNITY_BANNER: 28672,
  UNITY_SAVE_PASSWD: 28673,
  UNITY_DEF_DOMAIN: 28674,
  UNITY_SPLIT_DOMAIN: 28675,
  UNITY_SPLIT_INCLUDE: 28676,
  UNITY_NATT_PORT: 28677,
  UNITY_SPLIT_EXCLUDE: 28678,
  UNITY_PFS: 28679,
  UNITY_FW_TYPE: 28680,
  UNITY_BACKUP_SERVERS: 28681,
  UNITY_DDNS_HOSTNAME: 28682,
  UNITY_UNKNOWN_28683: 28683,
} as const;
/** A `CfgAttribute` value. */
export type CfgAttribute = (typeof CfgAttribute)[keyof typeof CfgAttribute];
/** Mode-config attribute type number → name. */
export const cfgAttributeName = invert(CfgAttribute);

/** XAUTH_TYPE values (draft-beaulieu-ike-xauth-02 6.1). */
export const XauthType = { GENERIC: 0, RADIUS_CHAP: 1, OTP: 2, S_KEY: 3 } as const;
/** A `XauthType` value. */
export type XauthType = (typeof XauthType)[keyof typeof XauthType];
/** XAUTH_TYPE value → name. */
export const xauthTypeName = invert(XauthType);

/** XAUTH_STATUS values (draft-beaulieu-ike-xauth-02 6.1). */
export const XauthStatus = { FAIL: 0, OK: 1 } as const;
/** A `XauthStatus` value. */
export type XauthStatus = (typeof XauthStatus)[keyof typeof XauthStatus];
/** XAUTH_STATUS value → name. */
export const xauthStatusName = invert(XauthStatus);

/** Value tables of the mode-config attributes that carry enumerated values. */
const cfgAttributeValues: ReadonlyMap<number, ReadonlyMap<number, string>> = new Map<
  number,
  ReadonlyMap<number, string>
>([
  [CfgAttribute.XAUTH_TYPE, xauthTypeName],
  [CfgAttribute.XAUTH_STATUS, xauthStatusName],
]);

/** Names a mode-config attribute's value (XAUTH_TYPE, XAUTH_STATUS); the AF bit of `type` is ignored. */
export function cfgAttributeValueName(type: number, value: number): string | undefined {
  return cfgAttributeValues.get(type & 0x7fff)?.get(value);
}

/** GDOI SA TEK payload protocol ids (RFC 6407 5.4). */
export const GdoiSatProtocolId = { GDOI_PROTO_IPSEC_ESP: 1, GDOI_PROTO_IPSEC_AH: 2 } as const;
/** A `GdoiSatProtocolId` value. */
export type GdoiSatProtocolId = (typeof GdoiSatProtocolId)[keyof typeof GdoiSatProtocolId];
/** GDOI SA TEK protocol id → name. */
export const gdoiSatProtocolIdName = invert(GdoiSatProtocolId);

/** GDOI Key Download payload key packet types (RFC 6407 5.6). */
export const GdoiKeyDownloadType = { TEK: 1, KEK: 2, LKH: 3, SID: 4 } as const;
/** A `GdoiKeyDownloadType` value. */
export type GdoiKeyDownloadType = (typeof GdoiKeyDownloadType)[keyof typeof GdoiKeyDownloadType];
/** GDOI key download type → name. */
export const gdoiKeyDownloadTypeName = invert(GdoiKeyDownloadType);

/** GDOI TEK download attributes (RFC 6407 5.6.1). */
export const GdoiTekAttribute = { TEK_ALGORITHM_KEY: 1, TEK_INTEGRITY_KEY: 2, TEK_SOURCE_AUTH_KEY: 3 } as const;
/** A `GdoiTekAttribute` value. */
export type GdoiTekAttribute = (typeof GdoiTekAttribute)[keyof typeof GdoiTekAttribute];
/** GDOI TEK download attribute → name. */
export const gdoiTekAttributeName = invert(GdoiTekAttribute);
