import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  AddressPreservation,
  AhTransformId,
  attributeForm,
  attributeName,
  attributeValueName,
  CertificateEncoding,
  CfgAttribute,
  CfgMessageType,
  cfgAttributeValueName,
  Doi,
  EcnTunnel,
  EncapsulationMode,
  EspTransformId,
  ExchangeType,
  ExtendedSequenceNumber,
  GdoiKeyDownloadType,
  GdoiSatProtocolId,
  GdoiTekAttribute,
  IdType,
  IpcompTransformId,
  IpsecAttribute,
  IpsecAuthAlgorithm,
  IpsecLifeType,
  IpsecSituation,
  IsakmpTransformId,
  invert,
  ipsecAttributeForm,
  ipsecSituationFlags,
  isNotifyError,
  NotifyType,
  notifyKind,
  notifyTypeName,
  OakleyAsymmetricAlgorithm,
  OakleyAttribute,
  OakleyAuthenticationMethod,
  OakleyEncryptionAlgorithm,
  OakleyGroup,
  OakleyGroupType,
  OakleyHashAlgorithm,
  OakleyLifeType,
  oakleyAttributeForm,
  PayloadType,
  ProtocolId,
  SaDirection,
  SignatureEncodingAlgorithm,
  transformIdName,
  XauthStatus,
  XauthType,
} from '../src/registry';

/** Every registry with the width of the wire field that carries it. */
const tables: readonly { name: string; table: Record<string, number>; max: number }[] = [
  { name: 'PayloadType', table: PayloadType, max: 0xff },
  { name: 'ExchangeType', table: ExchangeType, max: 0xff },
  { name: 'ProtocolId', table: ProtocolId, max: 0xff },
  { name: 'IdType', table: IdType, max: 0xff },
  { name: 'Doi', table: Doi, max: 0xffffffff },
  { name: 'IpsecSituation', table: IpsecSituation, max: 0xffffffff },
  { name: 'IsakmpTransformId', table: IsakmpTransformId, max: 0xff },
  { name: 'AhTransformId', table: AhTransformId, max: 0xff },
  { name: 'EspTransformId', table: EspTransformId, max: 0xff },
  { name: 'IpcompTransformId', table: IpcompTransformId, max: 0xff },
  { name: 'OakleyAttribute', table: OakleyAttribute, max: 0x7fff },
  { name: 'OakleyEncryptionAlgorithm', table: OakleyEncryptionAlgorithm, max: 0xffff },
  { name: 'OakleyHashAlgorithm', table: OakleyHashAlgorithm, max: 0xffff },
  { name: 'OakleyAuthenticationMethod', table: OakleyAuthenticationMethod, max: 0xffff },
  { name: 'OakleyGroup', table: OakleyGroup, max: 0xffff },
  { name: 'OakleyGroupType', table: OakleyGroupType, max: 0xffff },
  { name: 'OakleyLifeType', table: OakleyLifeType, max: 0xffff },
  { name: 'OakleyAsymmetricAlgorithm', table: OakleyAsymmetricAlgorithm, max: 0xffff },
  { name: 'IpsecAttribute', table: IpsecAttribute, max: 0x7fff },
  { name: 'IpsecLifeType', table: IpsecLifeType, max: 0xffff },
  { name: 'EncapsulationMode', table: EncapsulationMode, max: 0xffff },
  { name: 'IpsecAuthAlgorithm', table: IpsecAuthAlgorithm, max: 0xffff },
  { name: 'EcnTunnel', table: EcnTunnel, max: 0xffff },
  { name: 'ExtendedSequenceNumber', table: ExtendedSequenceNumber, max: 0xffff },
  { name: 'SignatureEncodingAlgorithm', table: SignatureEncodingAlgorithm, max: 0xffff },
  { name: 'AddressPreservation', table: AddressPreservation, max: 0xffff },
  { name: 'SaDirection', table: SaDirection, max: 0xffff },
  { name: 'CertificateEncoding', table: CertificateEncoding, max: 0xff },
  { name: 'NotifyType', table: NotifyType, max: 0xffff },
  { name: 'CfgMessageType', table: CfgMessageType, max: 0xff },
  { name: 'CfgAttribute', table: CfgAttribute, max: 0x7fff },
  { name: 'XauthType', table: XauthType, max: 0xffff },
  { name: 'XauthStatus', table: XauthStatus, max: 0xffff },
  { name: 'GdoiSatProtocolId', table: GdoiSatProtocolId, max: 0xff },
  { name: 'GdoiKeyDownloadType', table: GdoiKeyDownloadType, max: 0xff },
  { name: 'GdoiTekAttribute', table: GdoiTekAttribute, max: 0x7fff },
];

describe.each(tables)('$name', ({ table, max }) => {
  it('round-trips every name through its number', () => {
    const reverse = invert(table);
    for (const [name, value] of Object.entries(table)) expect(reverse.get(value)).toBe(name);
  });

  it('has no duplicate numbers', () => {
    const values = Object.values(table);
    expect(new Set(values).size).toBe(values.length);
  });

  it('fits the wire field that carries it', () => {
    for (const value of Object.values(table)) {
      expect(Number.isInteger(value)).toBe(true);
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(max);
    }
  });
});

describe('spot values from the RFCs and IANA', () => {
  it.each([
    ['RFC 2408 3.4: IPsec DOI', Doi.IPSEC, 1],
    ['RFC 3547: GDOI', Doi.GDOI, 2],
    ['RFC 2407 4.2: SIT_SECRECY', IpsecSituation.SECRECY, 0x02],
    ['RFC 2407 4.4.2: KEY_IKE', IsakmpTransformId.KEY_IKE, 1],
    ['RFC 2407 4.4.3: AH_SHA', AhTransformId.AH_SHA, 3],
    ['RFC 2407 4.4.4: ESP_3DES', EspTransformId.ESP_3DES, 3],
    ['RFC 3602: ESP_AES-CBC', EspTransformId.ESP_AES_CBC, 12],
    ['RFC 3686: ESP_AES-CTR', EspTransformId.ESP_AES_CTR, 13],
    ['RFC 4309: ESP_AES-CCM_16', EspTransformId.ESP_AES_CCM_16, 16],
    ['RFC 4106: ESP_AES-GCM_16', EspTransformId.ESP_AES_GCM_16, 20],
    ['RFC 4312: ESP_CAMELLIA', EspTransformId.ESP_CAMELLIA, 22],
    ['RFC 4543: ESP_NULL_AUTH_AES-GMAC', EspTransformId.ESP_NULL_AUTH_AES_GMAC, 23],
    ['RFC 2407 4.4.5: IPCOMP_DEFLATE', IpcompTransformId.IPCOMP_DEFLATE, 2],
    ['RFC 2409 A: Encryption Algorithm class', OakleyAttribute.ENCRYPTION_ALGORITHM, 1],
    ['RFC 2409 A: Life Duration class', OakleyAttribute.LIFE_DURATION, 12],
    ['RFC 2409 A: Group Order class', OakleyAttribute.GROUP_ORDER, 16],
    ['RFC 2409 A: 3DES-CBC', OakleyEncryptionAlgorithm['3DES_CBC'], 5],
    ['RFC 3602: AES-CBC', OakleyEncryptionAlgorithm.AES_CBC, 7],
    ['RFC 4312: CAMELLIA-CBC', OakleyEncryptionAlgorithm.CAMELLIA_CBC, 8],
    ['RFC 2409 A: Tiger', OakleyHashAlgorithm.TIGER, 3],
    ['RFC 4868: SHA2-512', OakleyHashAlgorithm.SHA2_512, 6],
    ['RFC 2409 A: revised encryption with RSA', OakleyAuthenticationMethod.RSA_REVISED_ENCRYPTION, 5],
    ['RFC 4754: ECDSA with SHA-384 on P-384', OakleyAuthenticationMethod.ECDSA_SHA384_P384, 10],
    ['hybrid auth draft: HybridInitRSA', OakleyAuthenticationMethod.HybridInitRSA, 64221],
    ['XAUTH draft: XAUTHInitPreShared', OakleyAuthenticationMethod.XAUTHInitPreShared, 65001],
    ['XAUTH draft: XAUTHRespRSARevisedEncryption', OakleyAuthenticationMethod.XAUTHRespRSARevisedEncryption, 65010],
    ['RFC 2409 6.1: first Oakley group', OakleyGroup.MODP_768, 1],
    ['RFC 3526: 2048-bit MODP', OakleyGroup.MODP_2048, 14],
    ['RFC 5903: 256-bit random ECP', OakleyGroup.ECP_256, 19],
    ['RFC 5114: 224-bit random ECP', OakleyGroup.ECP_224, 26],
    ['RFC 6932: brainpoolP512r1', OakleyGroup.BRAINPOOL_P512R1, 30],
    ['RFC 2409 A: EC2N group type', OakleyGroupType.EC2N, 3],
    ['RFC 2409 A: kilobytes', OakleyLifeType.KILOBYTES, 2],
    ['RFC 2407 4.5: Encapsulation Mode class', IpsecAttribute.ENCAPSULATION_MODE, 4],
    ['RFC 2407 4.5: Compress Private Algorithm class', IpsecAttribute.COMPRESS_PRIVATE_ALGORITHM, 9],
    ['RFC 4304: Extended Sequence Number class', IpsecAttribute.EXTENDED_SEQUENCE_NUMBER, 11],
    ['RFC 2407 4.5: seconds', IpsecLifeType.SECONDS, 1],
    ['RFC 3947 5.2: UDP-Encapsulated-Transport', EncapsulationMode.UDP_ENCAPSULATED_TRANSPORT, 4],
    ['NAT-T drafts: UDP-Encapsulated-Tunnel', EncapsulationMode.UDP_ENCAPSULATED_TUNNEL_DRAFT, 61443],
    ['RFC 2407 4.5: KPDK', IpsecAuthAlgorithm.KPDK, 4],
    ['RFC 3566: AES-XCBC-MAC', IpsecAuthAlgorithm.AES_XCBC_MAC, 9],
    ['RFC 2408 3.9: PKCS #7 wrapped X.509', CertificateEncoding.PKCS7_WRAPPED_X509, 1],
    ['RFC 2408 3.9: X.509 attribute', CertificateEncoding.X509_ATTRIBUTE, 10],
    ['RFC 2408 3.14.1: NO-PROPOSAL-CHOSEN', NotifyType.NO_PROPOSAL_CHOSEN, 14],
    ['RFC 2408 3.14.1: AUTHENTICATION-FAILED', NotifyType.AUTHENTICATION_FAILED, 24],
    ['RFC 2408 3.14.1: UNEQUAL-PAYLOAD-LENGTHS', NotifyType.UNEQUAL_PAYLOAD_LENGTHS, 30],
    ['RFC 2408 3.14.1: CONNECTED', NotifyType.CONNECTED, 16384],
    ['RFC 2407 4.6.3.1: RESPONDER-LIFETIME', NotifyType.RESPONDER_LIFETIME, 24576],
    ['RFC 2407 4.6.3.3: INITIAL-CONTACT', NotifyType.INITIAL_CONTACT, 24578],
    ['RFC 3706: R-U-THERE-ACK', NotifyType.R_U_THERE_ACK, 36137],
    ['mode-cfg draft: ISAKMP_CFG_ACK', CfgMessageType.ISAKMP_CFG_ACK, 4],
    ['mode-cfg draft: APPLICATION_VERSION', CfgAttribute.APPLICATION_VERSION, 7],
    ['XAUTH draft: XAUTH_TYPE', CfgAttribute.XAUTH_TYPE, 16520],
    ['XAUTH draft: XAUTH_ANSWER', CfgAttribute.XAUTH_ANSWER, 16529],
    ['Cisco Unity: UNITY_BANNER', CfgAttribute.UNITY_BANNER, 28672],
    ['Cisco Unity: UNITY_DDNS_HOSTNAME', CfgAttribute.UNITY_DDNS_HOSTNAME, 28682],
    ['XAUTH draft: S/KEY', XauthType.S_KEY, 3],
    ['RFC 4705: GIGABEAM_RADIO', ProtocolId.GIGABEAM_RADIO, 5],
    ['RFC 6407 5.4: GDOI_PROTO_IPSEC_AH', GdoiSatProtocolId.GDOI_PROTO_IPSEC_AH, 2],
    ['RFC 6407 5.6: KEK', GdoiKeyDownloadType.KEK, 2],
    ['RFC 6407 5.6.1: TEK_SOURCE_AUTH_KEY', GdoiTekAttribute.TEK_SOURCE_AUTH_KEY, 3],
  ])('%s', (_label, actual, expected) => {
    expect(actual).toBe(expected);
  });

  it('numbers the RFC 2408 3.14.1 errors 1..30 without gaps', () => {
    for (let type = 1; type <= 30; type++) expect(notifyTypeName.get(type)).toBeDefined();
    expect(notifyTypeName.get(31)).toBeUndefined();
  });
});

describe('attribute forms (RFC 2409 appendix A, RFC 2407 4.5)', () => {
  it('gives every attribute class a form', () => {
    expect(
      Object.keys(oakleyAttributeForm)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual(Object.values(OakleyAttribute).sort((a, b) => a - b));
    expect(
      Object.keys(ipsecAttributeForm)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual(Object.values(IpsecAttribute).sort((a, b) => a - b));
  });

  it('marks the group parameters, life durations and group order variable, as appendix A does', () => {
    const variable = Object.entries(oakleyAttributeForm)
      .filter(([, form]) => form === 'V')
      .map(([type]) => Number(type));
    expect(variable).toEqual([6, 7, 8, 9, 10, 12, 16]);
    expect(ipsecAttributeForm[IpsecAttribute.SA_LIFE_DURATION]).toBe('V');
    expect(ipsecAttributeForm[IpsecAttribute.ENCAPSULATION_MODE]).toBe('B');
  });

  it('only enumerates values of basic attributes', () => {
    for (const protocol of [ProtocolId.ISAKMP, ProtocolId.IPSEC_ESP]) {
      for (let type = 1; type < 0x8000; type++) {
        const withValues = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 19, 20, 61443, 65001].some(
          (value) => attributeValueName(protocol, type, value) !== undefined,
        );
        if (withValues) expect(attributeForm(protocol, type)).toBe('B');
      }
    }
  });
});

describe('attributeName / attributeValueName', () => {
  it('reads Oakley attributes in ISAKMP proposals', () => {
    expect(attributeName(ProtocolId.ISAKMP, 1)).toBe('ENCRYPTION_ALGORITHM');
    expect(attributeValueName(ProtocolId.ISAKMP, 1, 7)).toBe('AES_CBC');
    expect(attributeValueName(ProtocolId.ISAKMP, 3, 65001)).toBe('XAUTHInitPreShared');
    expect(attributeValueName(ProtocolId.ISAKMP, 4, 2)).toBe('MODP_1024');
    expect(attributeValueName(ProtocolId.ISAKMP, 11, 1)).toBe('SECONDS');
  });

  it('reads IPsec DOI attributes in AH, ESP and IPComp proposals', () => {
    for (const protocol of [ProtocolId.IPSEC_AH, ProtocolId.IPSEC_ESP, ProtocolId.IPCOMP]) {
      expect(attributeName(protocol, 4)).toBe('ENCAPSULATION_MODE');
      expect(attributeValueName(protocol, 4, 61444)).toBe('UDP_ENCAPSULATED_TRANSPORT_DRAFT');
      expect(attributeValueName(protocol, 5, 2)).toBe('HMAC_SHA');
      expect(attributeValueName(protocol, 3, 14)).toBe('MODP_2048');
    }
  });

  it('gives the same class number a different meaning per protocol', () => {
    expect(attributeName(ProtocolId.ISAKMP, 5)).toBe('GROUP_TYPE');
    expect(attributeName(ProtocolId.IPSEC_ESP, 5)).toBe('AUTHENTICATION_ALGORITHM');
  });

  test.prop([fc.integer({ min: 0, max: 0x7fff }), fc.constantFrom(1, 2, 3, 4)])(
    'ignores the AF bit of the attribute type',
    (type, protocol) => {
      expect(attributeName(protocol, type | 0x8000)).toBe(attributeName(protocol, type));
      expect(attributeForm(protocol, type | 0x8000)).toBe(attributeForm(protocol, type));
      expect(attributeValueName(protocol, type | 0x8000, 1)).toBe(attributeValueName(protocol, type, 1));
    },
  );

  test.prop([fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff })])(
    'knows nothing for reserved or unknown protocol ids',
    (type, value) => {
      for (const protocol of [0, 5, 255]) {
        expect(attributeName(protocol, type)).toBeUndefined();
        expect(attributeValueName(protocol, type, value)).toBeUndefined();
        expect(attributeForm(protocol, type)).toBeUndefined();
      }
    },
  );

  it('returns undefined for unknown classes, unknown values and classes without a value table', () => {
    expect(attributeName(ProtocolId.ISAKMP, 18)).toBeUndefined();
    expect(attributeValueName(ProtocolId.ISAKMP, 1, 9)).toBeUndefined();
    expect(attributeValueName(ProtocolId.ISAKMP, OakleyAttribute.KEY_LENGTH, 128)).toBeUndefined();
    expect(attributeValueName(ProtocolId.IPSEC_ESP, IpsecAttribute.SA_LIFE_DURATION, 1)).toBeUndefined();
  });
});

describe('transformIdName', () => {
  it('selects the registry by protocol id', () => {
    expect(transformIdName(ProtocolId.ISAKMP, 1)).toBe('KEY_IKE');
    expect(transformIdName(ProtocolId.IPSEC_AH, 3)).toBe('AH_SHA');
    expect(transformIdName(ProtocolId.IPSEC_ESP, 3)).toBe('ESP_3DES');
    expect(transformIdName(ProtocolId.IPCOMP, 3)).toBe('IPCOMP_LZS');
    expect(transformIdName(ProtocolId.IPSEC_ESP, 17)).toBeUndefined();
    expect(transformIdName(0, 1)).toBeUndefined();
  });
});

describe('notify classification (RFC 2408 3.14.1)', () => {
  test.prop([fc.integer({ min: 1, max: 16383 })])('calls 1..16383 errors', (type) => {
    expect(isNotifyError(type)).toBe(true);
    expect(notifyKind(type)).toBe('error');
  });

  test.prop([fc.integer({ min: 16384, max: 65535 })])('calls 16384..65535 status', (type) => {
    expect(isNotifyError(type)).toBe(false);
    expect(notifyKind(type)).toBe('status');
  });

  it('classifies neither 0 nor values past 16 bits', () => {
    expect(notifyKind(0)).toBeUndefined();
    expect(notifyKind(65536)).toBeUndefined();
    expect(isNotifyError(0)).toBe(false);
  });

  it('files the named types in the right range', () => {
    expect(notifyKind(NotifyType.PAYLOAD_MALFORMED)).toBe('error');
    for (const type of [
      NotifyType.CONNECTED,
      NotifyType.REPLAY_STATUS,
      NotifyType.R_U_THERE,
      NotifyType.UNITY_LOAD_BALANCE,
    ])
      expect(notifyKind(type)).toBe('status');
  });
});

describe('ipsecSituationFlags', () => {
  it('names the RFC 2407 4.2 bits', () => {
    expect(ipsecSituationFlags(1)).toEqual(['IDENTITY_ONLY']);
    expect(ipsecSituationFlags(7)).toEqual(['IDENTITY_ONLY', 'SECRECY', 'INTEGRITY']);
    expect(ipsecSituationFlags(0)).toEqual([]);
    expect(ipsecSituationFlags(0x80000001)).toEqual(['IDENTITY_ONLY', '0x80000000']);
  });

  test.prop([fc.integer({ min: 0, max: 0xffffffff })])('lists one name per set bit', (situation) => {
    const bits = situation.toString(2).replace(/0/g, '').length;
    expect(ipsecSituationFlags(situation)).toHaveLength(bits);
  });
});

describe('cfgAttributeValueName', () => {
  it('names XAUTH_TYPE and XAUTH_STATUS values, with or without the AF bit', () => {
    expect(cfgAttributeValueName(CfgAttribute.XAUTH_TYPE, 1)).toBe('RADIUS_CHAP');
    expect(cfgAttributeValueName(CfgAttribute.XAUTH_STATUS | 0x8000, 1)).toBe('OK');
    expect(cfgAttributeValueName(CfgAttribute.XAUTH_USER_NAME, 1)).toBeUndefined();
    expect(cfgAttributeValueName(CfgAttribute.XAUTH_TYPE, 4)).toBeUndefined();
  });
});
