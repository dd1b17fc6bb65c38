import { describe, expect, it } from 'vitest';
import {
  build,
  decode,
  decodePlaintext,
  ExchangeType,
  encode,
  encodeInto,
  encodePlaintext,
  finalize,
  HeaderFlag,
  IdType,
  idData,
  idValue,
  PayloadType,
  ProtocolId,
} from '../src/index';
import { toHex, x } from './helpers';
import { vectors } from './vectors/vectors.mjs';

describe('builders', () => {
  it('build the main-mode SA vector byte for byte', () => {
    const { tv, tlv } = build.attr;
    const m = build.message({
      initiatorCookie: x('0011223344556677'),
      exchangeType: ExchangeType.IDENTITY_PROTECTION,
      payloads: [
        build.sa({
          proposals: [
            build.proposal({
              transforms: [
                build.transform({
                  number: 1,
                  id: 1,
                  attributes: [tv(1, 7), tv(14, 128), tv(2, 2), tv(3, 1), tv(4, 14), tv(11, 1), tlv(12, x('00015180'))],
                }),
                build.transform({
                  number: 2,
                  id: 1,
                  attributes: [tv(1, 5), tv(2, 1), tv(3, 1), tv(4, 2), tv(11, 1), tv(12, 28800)],
                }),
              ],
            }),
          ],
        }),
      ],
    });
    expect(encode(m)).toEqual(x(vectors[0]!.hex));
  });

  it('numberAttribute picks TV up to 16 bits, else TLV in whole 32-bit words', () => {
    expect(build.attr.number(12, 28800)).toEqual({ type: 12, value: 28800 });
    expect(build.attr.number(12, 86400)).toEqual({ type: 12, data: x('00015180') });
    expect(build.attr.number(12, 2n ** 40n)).toEqual({ type: 12, data: x('0000010000000000') });
  });

  it('ID from a typed value sets data and value alike', () => {
    const p = build.id({ idType: IdType.IPV6_ADDR_SUBNET, value: { address: '2001:db8::', mask: 'ffff:ffff::' } });
    expect(toHex(p.data)).toBe('20010db8000000000000000000000000ffffffff000000000000000000000000');
    expect(p.value).toEqual({ address: '2001:db8::', mask: 'ffff:ffff::' });
    expect(idValue(IdType.FQDN, x('00'))).toBeUndefined();
    expect(() => idData(IdType.DER_ASN1_DN, { name: 'x' })).toThrow(RangeError);
    expect(() => build.id({ idType: IdType.FQDN, value: { name: 'bücher.example' } })).toThrow(RangeError);
  });

  it('notification from attributes encodes them as data', () => {
    const p = build.notification({
      messageType: 24576,
      protocolId: ProtocolId.IPSEC_ESP,
      spi: x('01020304'),
      attributes: [build.attr.tv(1, 1), build.attr.number(2, 86400)],
    });
    expect(p.data).toEqual(x('80010001 0002 0004 00015180'));
  });

  it('an encrypted message keeps its first payload type and sets the flag', () => {
    const m = build.message({ exchangeType: 32, encrypted: x('00'.repeat(16)), nextPayload: PayloadType.HASH });
    expect(m.header).toMatchObject({ flags: HeaderFlag.ENCRYPTION, nextPayload: 8, length: 44 });
    expect(decode(encode(m))).toStrictEqual(m);
  });

  it('finalize recomputes next payload and length after an edit', () => {
    const m = build.message({ exchangeType: 2, payloads: [build.nonce(x('01'))] });
    m.payloads.push(build.vendorId(x('0203')));
    const f = finalize(m);
    expect(f.header).toMatchObject({ nextPayload: 10, length: 28 + 5 + 6 });
    expect(decode(encode(f))).toStrictEqual(f);
  });

  it('refuses values the wire cannot hold', () => {
    const big = build.message({ exchangeType: 2, payloads: [build.ke(new Uint8Array(70000))] });
    expect(() => encode(big)).toThrow(RangeError);
    const m = build.message({ exchangeType: 2, payloads: [] });
    expect(() => encodeInto(m, new Uint8Array(27))).toThrow(RangeError);
    expect(() => build.message({ exchangeType: 2, initiatorCookie: x('01') })).toThrow(RangeError);
    expect(() => build.attr.number(12, -1)).toThrow(RangeError);
    const attr = build.message({
      exchangeType: 6,
      payloads: [build.attributes({ cfgType: 1, attributes: [build.attr.tlv(1, new Uint8Array(0x10000))] })],
    });
    expect(() => encode(attr)).toThrow(RangeError);
    expect(() => build.delete({ protocolId: 3, spis: [x('01020304'), x('0102')] })).toThrow(RangeError);
    expect(() => build.fragments(x('00'), 0, { exchangeType: 2, fragmentId: 1 })).toThrow(RangeError);
  });
});

describe('decrypted bodies', () => {
  it('decodePlaintext reads the payloads and keeps the padding', () => {
    const body = x('08 00 000c 01 00 0000 0a000001   00 00 0008 01020304   000000000003');
    const p = decodePlaintext(body, PayloadType.ID);
    expect(p.payloads.map((q) => q.type)).toEqual([5, 8]);
    expect(p.trailing).toEqual(x('000000000003'));
    expect(encodePlaintext(p)).toEqual(body);
  });

  it('decodePlaintext reports offsets from the start of the body', () => {
    expect(() => decodePlaintext(x('ff 00 0002 0000'), PayloadType.HASH, 2)).toThrow(
      expect.objectContaining({ code: 'BAD_LENGTH', offset: 0 }),
    );
  });
});
