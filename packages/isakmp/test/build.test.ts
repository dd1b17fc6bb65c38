import { describe, expect, it } from 'vitest';
import {
  build,
  type DataAttribute,
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

describe('encode range checks', () => {
  const { tv } = build.attr;
  const sa = (init: { spi?: Uint8Array; number?: number; attributes?: DataAttribute[] }) =>
    build.message({
      exchangeType: ExchangeType.IDENTITY_PROTECTION,
      payloads: [
        build.sa({
          proposals: [
            build.proposal({
              ...(init.spi ? { spi: init.spi } : {}),
              transforms: [build.transform({ id: 1, number: init.number ?? 1, attributes: init.attributes ?? [] })],
            }),
          ],
        }),
      ],
    });

  it.each([
    { name: 'TV attribute value 70000', m: () => sa({ attributes: [tv(1, 70000)] }) },
    { name: 'TV attribute value -1', m: () => sa({ attributes: [tv(1, -1)] }) },
    { name: 'TV attribute value 1.5', m: () => sa({ attributes: [tv(1, 1.5)] }) },
    { name: 'attribute type 0x8001', m: () => sa({ attributes: [tv(0x8001, 5)] }) },
    { name: 'TLV attribute type 0x8001', m: () => sa({ attributes: [build.attr.tlv(0x8001, x('01'))] }) },
    { name: 'transform number 300', m: () => sa({ number: 300 }) },
    { name: 'proposal SPI of 300 bytes', m: () => sa({ spi: new Uint8Array(300) }) },
    {
      name: 'notification SPI of 256 bytes',
      m: () =>
        build.message({
          exchangeType: ExchangeType.INFORMATIONAL,
          payloads: [build.notification({ messageType: 14, spi: new Uint8Array(256) })],
        }),
    },
    { name: 'message id 2^32', m: () => build.message({ exchangeType: 2, messageId: 2 ** 32 }) },
    { name: 'message id NaN', m: () => build.message({ exchangeType: 2, messageId: Number.NaN }) },
    { name: 'exchange type 256', m: () => build.message({ exchangeType: 256 }) },
    { name: 'major version 16', m: () => build.message({ exchangeType: 2, majorVersion: 16 }) },
    {
      name: 'fragment id 65536',
      m: () =>
        build.message({
          exchangeType: 2,
          payloads: [build.fragment({ fragmentId: 65536, fragmentNumber: 1, last: true, data: x('01') })],
        }),
    },
  ])('rejects $name with RangeError instead of truncating', ({ m }) => {
    const msg = m();
    expect(() => encode(msg)).toThrow(RangeError);
    expect(() => encodeInto(msg, new Uint8Array(1024))).toThrow(RangeError);
  });

  it('still encodes the largest values that fit', () => {
    const m = sa({ number: 255, spi: new Uint8Array(255), attributes: [tv(0x7fff, 0xffff)] });
    const d = decode(encode(m));
    expect(d.warnings).toBeUndefined();
    expect(encode(d)).toEqual(encode(m));
  });

  it.each([
    { offset: 0.5 },
    { offset: Number.NaN },
    { offset: -1 },
    { offset: Number.POSITIVE_INFINITY },
    { offset: 1000 },
  ])('encodeInto rejects offset $offset with RangeError', ({ offset }) => {
    const m = build.message({ exchangeType: 2 });
    const out = new Uint8Array(64);
    expect(() => encodeInto(m, out, offset)).toThrow(RangeError);
    expect(out.every((b) => b === 0)).toBe(true);
  });
});

describe('encode after an edit', () => {
  it('keeps the stale header length byte-exact; encode(finalize(m)) recomputes it, as the README says', () => {
    const m = decode(x(vectors[0]!.hex));
    m.payloads.push(build.vendorId(x('01020304')));
    const stale = encode(m);
    expect(new DataView(stale.buffer).getUint32(24)).toBe(m.header.length);
    const fixed = encode(finalize(m));
    expect(new DataView(fixed.buffer).getUint32(24)).toBe(fixed.length);
    expect(decode(fixed).warnings).toBeUndefined();
    m.payloads.unshift(build.nonce(x('aa')));
    expect(encode(finalize(m))[16]).toBe(PayloadType.NONCE);
  });
});

describe('encode consistency checks', () => {
  it('rejects a delete SPI whose length differs from spiSize', () => {
    const p = build.delete({ protocolId: ProtocolId.IPSEC_ESP, spis: [x('01020304')] });
    p.spis.push(x('0102'));
    expect(() => encode(build.message({ exchangeType: ExchangeType.INFORMATIONAL, payloads: [p] }))).toThrow(
      RangeError,
    );
  });

  it('rejects a labeled-domain category bitmap whose size disagrees with its bit length', () => {
    const level = { level: x('01'), categoryBits: 16, categories: x('ff') };
    const sa = build.sa({ situation: 2, labeledDomain: { domain: 1, secrecy: level }, proposals: [] });
    expect(() => encode(build.message({ exchangeType: 2, payloads: [sa] }))).toThrow(RangeError);
  });
});

describe('GDOI SA consistency', () => {
  it('rejects a GDOI part next to proposals, and a DOI 2 SA without its GDOI part', () => {
    const proposal = build.proposal({ transforms: [] });
    const both = build.sa({ doi: 2, proposals: [proposal], gdoi: { nextPayload: 0, payloads: [] } });
    expect(() => encode(build.message({ exchangeType: 32, payloads: [both] }))).toThrow(RangeError);
    const missing = build.sa({ doi: 2, proposals: [] });
    expect(() => encode(build.message({ exchangeType: 32, payloads: [missing] }))).toThrow(RangeError);
    const ok = build.sa({ doi: 2, proposals: [], gdoi: { nextPayload: 16, payloads: [{ type: 16, data: x('01') }] } });
    const bytes = encode(build.message({ exchangeType: 32, payloads: [ok] }));
    expect(decode(bytes).payloads[0]).toMatchObject({ gdoi: { payloads: [{ type: 16, data: x('01') }] } });
  });
});
