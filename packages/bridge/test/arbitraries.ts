/**
 * fast-check arbitraries for the bridge: payload chains of every type viewlog names, built with isakmp's builders,
 * messages of every exchange the client names, capture times and datagram sequences for sessions.
 */
import { build, type Message, type Payload, PayloadType } from '@oaklog/isakmp';
import { Exchange } from '@oaklog/viewlog';
import fc from 'fast-check';

const bytes = (maxLength = 24, minLength = 0) => fc.uint8Array({ minLength, maxLength });
const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });

const transform = fc.tuple(u8, u8).map(([number, id]) => build.transform({ number, id }));
const proposal = fc
  .tuple(u8, fc.integer({ min: 0, max: 5 }), bytes(8), fc.array(transform, { maxLength: 3 }))
  .map(([number, protocolId, spi, transforms]) => build.proposal({ number, protocolId, spi, transforms }));

const address = fc.ipV4();
const id = fc.oneof(
  address.map((a) => build.id({ idType: 1, value: { address: a } })),
  fc.tuple(address, address).map(([a, m]) => build.id({ idType: 4, value: { address: a, mask: m } })),
  fc.tuple(address, address).map(([s, e]) => build.id({ idType: 7, value: { start: s, end: e } })),
  fc.tuple(fc.integer({ min: 0, max: 14 }), bytes(20)).map(([idType, data]) => build.id({ idType, data })),
);

/** One payload of a type the client's name table has a word for. */
export const namedPayload: fc.Arbitrary<Payload> = fc.oneof(
  fc.array(proposal, { maxLength: 3 }).map((proposals) => build.sa({ proposals })),
  proposal.map((p): Payload => ({ ...p, type: PayloadType.PROPOSAL })),
  transform.map((t): Payload => ({ ...t, type: PayloadType.TRANSFORM })),
  bytes(64).map(build.ke),
  id,
  fc.tuple(u8, bytes(32)).map(([encoding, data]) => build.cert(encoding, data)),
  fc.tuple(u8, bytes(16)).map(([certType, authority]) => build.certRequest(certType, authority)),
  bytes(20).map(build.hash),
  bytes(40).map(build.sig),
  bytes(32).map(build.nonce),
  fc
    .tuple(u16, fc.integer({ min: 0, max: 5 }), bytes(8))
    .map(([messageType, protocolId, spi]) => build.notification({ messageType, protocolId, spi })),
  fc
    .tuple(fc.integer({ min: 0, max: 5 }), fc.array(bytes(4, 4), { maxLength: 3 }))
    .map(([protocolId, spis]) => build.delete({ protocolId, spis, spiSize: 4 })),
  bytes(16).map(build.vendorId),
  fc.tuple(u8, u16).map(([cfgType, identifier]) => build.attributes({ cfgType, identifier, attributes: [] })),
  fc.tuple(bytes(20), fc.boolean()).map(([data, draft]) => build.natD(data, draft)),
  fc.tuple(address, fc.boolean()).map(([a, draft]) => build.natOa(a, draft)),
  fc
    .tuple(u16, fc.integer({ min: 1, max: 8 }), fc.boolean(), bytes(32))
    .map(([fragmentId, fragmentNumber, last, data]) => build.fragment({ fragmentId, fragmentNumber, last, data })),
);

/** Payload types the client's name table has no word for (GDOI's and numbers no registry knows). */
export const unnamedPayloadType: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(15, 16, 17, 18, 19, 22),
  fc.integer({ min: 23, max: 129 }),
  fc.integer({ min: 133, max: 255 }),
);

/** Exchange numbers the client names. */
export const namedExchange: fc.Arbitrary<number> = fc.constantFrom(...Object.values(Exchange));

/** A plain or encrypted message of a named exchange, and the payload chain it carries (in clear or as plaintext). */
export const message: fc.Arbitrary<{ message: Message; chain: Payload[]; encrypted: boolean }> = fc
  .record({
    exchangeType: namedExchange,
    chain: fc.array(namedPayload, { maxLength: 8 }),
    encrypted: fc.boolean(),
    flags: fc.integer({ min: 0, max: 0xfe }),
    messageId: fc.integer({ min: 0, max: 0xffffffff }),
    initiatorCookie: bytes(8, 8),
    responderCookie: bytes(8, 8),
    ciphertext: bytes(48, 8),
  })
  .map((r) => {
    const common = {
      exchangeType: r.exchangeType,
      flags: r.flags & ~1,
      messageId: r.messageId,
      initiatorCookie: r.initiatorCookie,
      responderCookie: r.responderCookie,
    };
    const m = r.encrypted
      ? build.message({ ...common, encrypted: r.ciphertext, nextPayload: r.chain[0]?.type ?? 0 })
      : build.message({ ...common, payloads: r.chain });
    return { message: m, chain: r.chain, encrypted: r.encrypted };
  });

/** A capture time: any second of 1970–2100 and any nanosecond. */
export const captureTime = fc.record({
  seconds: fc.integer({ min: 0, max: 4_102_444_800 }),
  nanoseconds: fc.integer({ min: 0, max: 999_999_999 }),
});

/**
 * A connection name as the Policy Editor allows: words, spaces, `\` folders; not starting like a date (`12-03-2003`),
 * which viewlog reads as the line's stamp.
 */
export const connectionName = fc
  .stringMatching(/^[A-Za-z0-9][A-Za-z0-9 _.\\-]{0,30}[A-Za-z0-9]$/)
  .filter((name) => !/^\d{1,4}-\d{1,2}[-:]/.test(name))
  // `0. A` reads as a pasted list item `A` (viewlog strips list markers from pasted logs): no name to round-trip.
  .filter((name) => !/^\d{1,4}\.[ \t]/.test(name));
