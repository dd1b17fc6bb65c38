import { describe, expect, it } from 'vitest';
import {
  attributeNumber,
  build,
  ipsecAttributes,
  OakleyAttribute,
  oakleyAttributes,
  ProtocolId,
  transformAttributes,
} from '../src/index';
import { x } from './helpers';

const { tv, tlv } = build.attr;

describe('transform attribute views', () => {
  it('names Oakley attributes and pairs each life duration with the life type before it', () => {
    const v = oakleyAttributes([
      tv(1, 7),
      tv(14, 256),
      tv(2, 4),
      tv(3, 65001),
      tv(4, 19),
      tv(11, 1),
      tlv(12, x('00015180')),
      tv(11, 2),
      tlv(12, x('0000000100000000')),
      tlv(6, x('ffff')),
      tv(99, 1),
    ]);
    expect(v).toEqual({
      kind: 'oakley',
      encryptionAlgorithm: 7,
      keyLength: 256,
      hashAlgorithm: 4,
      authenticationMethod: 65001,
      groupDescription: 19,
      groupPrime: x('ffff'),
      lifetimes: [
        { type: 1, duration: 86400 },
        { type: 2, duration: 4294967296 },
      ],
      other: [tv(99, 1)],
    });
  });

  it('names IPsec DOI attributes, with 64-bit-plus durations as bigint', () => {
    const v = ipsecAttributes([tv(1, 1), tlv(2, x('010000000000000000')), tv(4, 3), tv(5, 2), tv(6, 128), tv(3, 14)]);
    expect(v).toMatchObject({
      kind: 'ipsec',
      lifetimes: [{ type: 1, duration: 2n ** 64n }],
      encapsulationMode: 3,
      authenticationAlgorithm: 2,
      keyLength: 128,
      groupDescription: 14,
    });
  });

  it('reads the same attribute number by the proposal protocol', () => {
    const attributes = [tv(1, 5)];
    expect(transformAttributes(ProtocolId.ISAKMP, attributes)).toMatchObject({ encryptionAlgorithm: 5 });
    expect(transformAttributes(ProtocolId.IPSEC_ESP, attributes)).toMatchObject({ lifetimes: [] });
    expect(transformAttributes(ProtocolId.IPCOMP, attributes)?.kind).toBe('ipsec');
    expect(transformAttributes(9, attributes)).toBeUndefined();
  });
});

describe('big attributes', () => {
  const big = new Uint8Array(65000).fill(0xab);

  // Speed belongs to the benchmark; these pin the behaviour that made the quadratic version slow.
  it('attributeNumber reads a 65000-byte TLV exactly', () => {
    const n = attributeNumber(build.attr.tlv(1, big));
    expect(typeof n).toBe('bigint');
    expect((n as bigint).toString(16)).toBe('ab'.repeat(65000));
    expect(attributeNumber(build.attr.tlv(1, x('0000000000000102')))).toBe(258);
    expect(attributeNumber(build.attr.tlv(1, x('0020000000000000')))).toBe(2n ** 53n);
    expect(attributeNumber(build.attr.tlv(1, x('')))).toBe(0);
  });

  it('oakleyAttributes does not turn a 65000-byte group prime into a number', () => {
    const attributes = Array.from({ length: 8 }, () => build.attr.tlv(OakleyAttribute.GROUP_PRIME, big));
    const view = oakleyAttributes(attributes);
    expect(view.groupPrime).toBe(big);
  });
});
