/** A realistic IKEv1 exchange built with the builders: what the benchmark decodes and encodes. */
import { build, ExchangeType, encode, IdType, PayloadType, ProtocolId } from '../src/index';

const { tv, number } = build.attr;
const fill = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
const icookie = fill(8, 1);
const rcookie = fill(8, 2);
const vids = [
  'afcad71368a1f1c96b8696fc77570100',
  '4a131c81070358455c5728f20e95452f',
  '09002689dfd6b712',
  '4048b7d56ebce88525e7de7f00d6c2d3',
  '882fe56d6fd20dbc2251613b2ebe5beb',
].map((h) => Uint8Array.from(h.match(/../g)!, (b) => Number.parseInt(b, 16)));

const oakley = (n: number, enc: number, hash: number, group: number) =>
  build.transform({
    number: n,
    id: 1,
    attributes: [
      tv(1, enc),
      ...(enc === 7 ? [tv(14, 256)] : []),
      tv(2, hash),
      tv(3, 1),
      tv(4, group),
      tv(11, 1),
      number(12, 86400),
    ],
  });

const esp = (n: number, id: number, auth: number) =>
  build.transform({ number: n, id, attributes: [tv(1, 1), number(2, 28800), tv(4, 1), tv(5, auth), tv(6, 256)] });

const p1 = { initiatorCookie: icookie, exchangeType: ExchangeType.IDENTITY_PROTECTION };
const p1r = { ...p1, responderCookie: rcookie };
const qm = { ...p1r, exchangeType: ExchangeType.QUICK_MODE, messageId: 0x1234abcd };

/** The messages, encoded. */
export const packets: Uint8Array[] = [
  build.message({
    ...p1,
    payloads: [
      build.sa({
        proposals: [
          build.proposal({
            transforms: [oakley(1, 7, 4, 14), oakley(2, 7, 2, 14), oakley(3, 5, 2, 2), oakley(4, 5, 1, 2)],
          }),
        ],
      }),
      ...vids.map(build.vendorId),
    ],
  }),
  build.message({
    ...p1r,
    payloads: [
      build.sa({ proposals: [build.proposal({ transforms: [oakley(1, 7, 4, 14)] })] }),
      ...vids.slice(0, 3).map(build.vendorId),
    ],
  }),
  build.message({
    ...p1r,
    payloads: [
      build.ke(fill(256, 3)),
      build.nonce(fill(32, 4)),
      build.vendorId(vids[0]!),
      build.natD(fill(20, 5)),
      build.natD(fill(20, 6)),
    ],
  }),
  build.message({
    ...p1r,
    payloads: [build.ke(fill(256, 7)), build.nonce(fill(32, 8)), build.natD(fill(20, 9)), build.natD(fill(20, 10))],
  }),
  build.message({ ...p1r, encrypted: fill(64, 11), nextPayload: PayloadType.ID }),
  build.message({ ...p1r, encrypted: fill(80, 12), nextPayload: PayloadType.ID }),
  build.message({
    ...qm,
    payloads: [
      build.hash(fill(20, 13)),
      build.sa({
        proposals: [
          build.proposal({
            protocolId: ProtocolId.IPSEC_ESP,
            spi: fill(4, 14),
            transforms: [esp(1, 12, 2), esp(2, 12, 1), esp(3, 3, 2)],
          }),
        ],
      }),
      build.nonce(fill(32, 15)),
      build.ke(fill(256, 16)),
      build.id({ idType: IdType.IPV4_ADDR_SUBNET, value: { address: '10.1.0.0', mask: '255.255.0.0' } }),
      build.id({ idType: IdType.IPV4_ADDR_SUBNET, value: { address: '10.2.0.0', mask: '255.255.0.0' } }),
    ],
  }),
  build.message({ ...qm, encrypted: fill(48, 17), nextPayload: PayloadType.HASH }),
  build.message({
    ...p1r,
    exchangeType: ExchangeType.INFORMATIONAL,
    messageId: 0x0badcafe,
    payloads: [
      build.hash(fill(20, 18)),
      build.notification({ messageType: 36136, spi: build.concat([icookie, rcookie]), data: fill(4, 19) }),
      build.delete({ protocolId: ProtocolId.IPSEC_ESP, spis: [fill(4, 20), fill(4, 21)] }),
    ],
  }),
  build.message({
    ...p1r,
    exchangeType: ExchangeType.TRANSACTION,
    messageId: 0x0c0ffee0,
    payloads: [
      build.hash(fill(20, 22)),
      build.attributes({
        cfgType: 2,
        identifier: 7,
        attributes: [build.attr.tlv(1, fill(4, 23)), build.attr.tlv(2, fill(4, 24)), build.attr.tlv(3, fill(4, 25))],
      }),
    ],
  }),
].map(encode);
