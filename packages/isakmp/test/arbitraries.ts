/**
 * fast-check arbitraries for well-formed messages: every payload type, both attribute forms, reserved bytes,
 * labeled-domain situations, unknown payload types, encrypted bodies. Built through `build` so that the typed views
 * (ID values, notification attributes, fragment `last`) agree with the raw bytes, as `decode` produces them.
 */
import fc from 'fast-check';
import {
  build,
  type DataAttribute,
  encodingLength,
  type GdoiSa,
  type GdoiSaAttribute,
  type Ikev2Message,
  type Ikev2Payload,
  type LabeledDomain,
  type LabeledLevel,
  type Message,
  natOaAddress,
  type Payload,
  PayloadType,
  type Proposal,
  type Transform,
} from '../src/index';

const bytes = (maxLength = 24, minLength = 0) => fc.uint8Array({ minLength, maxLength });
const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
/** A value that is absent or non-zero (absent and zero encode the same, and decode gives absent). */
const nonZero = (max: number) => fc.option(fc.integer({ min: 1, max }), { nil: undefined });

function withOptional<T extends object>(value: T, extra: Record<string, unknown>): T {
  const out = { ...value } as Record<string, unknown>;
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) out[k] = v;
  return out as T;
}

const attributeType = fc.integer({ min: 0, max: 0x7fff });
export const attribute: fc.Arbitrary<DataAttribute> = fc.oneof(
  fc.tuple(attributeType, u16).map(([type, value]) => build.attr.tv(type, value)),
  fc.tuple(attributeType, bytes(12)).map(([type, data]) => build.attr.tlv(type, data)),
);

export const transform: fc.Arbitrary<Transform> = fc
  .tuple(u8, u8, fc.array(attribute, { maxLength: 6 }), nonZero(0xffff), nonZero(0xff))
  .map(([number, id, attributes, reserved2, reserved]) =>
    withOptional(build.transform({ number, id, attributes }), { reserved2, reserved }),
  );

export const proposal: fc.Arbitrary<Proposal> = fc
  .tuple(u8, u8, bytes(16), fc.array(transform, { maxLength: 4 }), nonZero(0xff))
  .map(([number, protocolId, spi, transforms, reserved]) =>
    withOptional(build.proposal({ number, protocolId, spi, transforms }), { reserved }),
  );

const level: fc.Arbitrary<LabeledLevel> = fc
  .tuple(bytes(7), fc.integer({ min: 0, max: 40 }))
  .chain(([lv, bits]) =>
    bytes((bits + 7) >> 3, (bits + 7) >> 3).map((categories) => ({ level: lv, categoryBits: bits, categories })),
  );

/** The GDOI SA part: SA KEK / SA TEK / GAP payloads, reserved bytes, and a chain cut short (a non-zero last next). */
const gdoi: fc.Arbitrary<GdoiSa> = fc
  .tuple(
    fc.array(
      fc
        .tuple(fc.oneof(fc.constantFrom(15, 16, 22), fc.integer({ min: 1, max: 255 })), bytes(12), nonZero(0xff))
        .map(([type, data, reserved]) => withOptional({ type, data } as GdoiSaAttribute, { reserved })),
      { maxLength: 3 },
    ),
    u8,
    nonZero(0xffffff),
    nonZero(0xff),
  )
  .map(([payloads, first, reserved, next]) => {
    const last = payloads.at(-1);
    if (last && next !== undefined) last.next = next;
    return withOptional({ nextPayload: payloads[0]?.type ?? first, payloads } as GdoiSa, { reserved });
  });

const sa = fc
  .tuple(fc.constantFrom(0, 1, 2), u32, fc.array(proposal, { maxLength: 3 }), u32, level, level, gdoi)
  .map(([doi, situation, proposals, domain, secrecy, integrity, g]) => {
    let labeledDomain: LabeledDomain | undefined;
    if (doi === 1 && situation & 6) {
      labeledDomain = { domain };
      if (situation & 2) labeledDomain.secrecy = secrecy;
      if (situation & 4) labeledDomain.integrity = integrity;
    }
    if (doi === 2) return build.sa({ doi, situation, proposals: [], gdoi: g });
    return build.sa({ doi, situation, proposals, ...(labeledDomain ? { labeledDomain } : {}) });
  });

/** Data of the exact size each typed ID needs, any data for the others. */
const idPayload = fc.integer({ min: 0, max: 14 }).chain((idType) => {
  const size: Partial<Record<number, number>> = { 1: 4, 4: 8, 5: 16, 6: 32, 7: 8, 8: 32 };
  const n = size[idType];
  const data = n === undefined ? fc.oneof(bytes(20), fc.stringMatching(/^[a-z0-9.@-]{0,20}$/)) : bytes(n, n);
  return fc.tuple(data, u8, u16).map(([d, protocolId, port]) =>
    build.id({
      idType,
      protocolId,
      port,
      data: typeof d === 'string' ? Uint8Array.from(d, (c) => c.charCodeAt(0)) : d,
    }),
  );
});

const notification = fc
  .tuple(fc.constantFrom(1, 14, 24576, 24578, 36136), u8, bytes(16), bytes(8), fc.array(attribute, { maxLength: 3 }))
  .map(([messageType, protocolId, spi, data, attributes]) =>
    messageType === 24576
      ? build.notification({ messageType, protocolId, spi, attributes })
      : build.notification({ messageType, protocolId, spi, data }),
  );

const deletion = fc
  .integer({ min: 1, max: 16 })
  .chain((size) =>
    fc
      .tuple(u8, fc.array(bytes(size, size), { maxLength: 4 }))
      .map(([protocolId, spis]) => build.delete({ protocolId, spis, spiSize: size })),
  );

const natOa = fc
  .tuple(fc.boolean(), fc.boolean(), bytes(16, 16), nonZero(0xffffff))
  .map(([v6, draft, b, reserved3]) => {
    const idType = v6 ? 5 : 1;
    const data = v6 ? b : b.slice(0, 4);
    const type = draft ? PayloadType.NAT_OA_DRAFT : PayloadType.NAT_OA;
    return withOptional({ type, idType, data, address: natOaAddress(idType, data)! } as Payload, { reserved3 });
  });

const unknownType = fc.oneof(fc.integer({ min: 23, max: 129 }), fc.integer({ min: 133, max: 255 }));

export const payload: fc.Arbitrary<Payload> = fc
  .tuple(
    fc.oneof(
      sa,
      bytes(40).map(build.ke),
      idPayload,
      fc.tuple(u8, bytes(30)).map(([e, d]) => build.cert(e, d)),
      fc.tuple(u8, bytes(30)).map(([t, a]) => build.certRequest(t, a)),
      bytes(24).map(build.hash),
      bytes(24).map(build.sig),
      bytes(24).map(build.nonce),
      notification,
      deletion,
      bytes(20).map(build.vendorId),
      fc
        .tuple(u8, u16, fc.array(attribute, { maxLength: 5 }))
        .map(([cfgType, identifier, attributes]) => build.attributes({ cfgType, identifier, attributes })),
      fc.tuple(fc.constantFrom(15, 16, 17, 19, 22), bytes(12)).map(([type, data]) => ({ type, data }) as Payload),
      fc.oneof(
        u32.map(build.seq),
        bytes(3).map((data) => ({ type: PayloadType.SEQ, data }) as Payload),
      ),
      fc.tuple(bytes(20), fc.boolean()).map(([d, draft]) => build.natD(d, draft)),
      natOa,
      fc
        .tuple(u16, u8, fc.boolean(), bytes(30))
        .map(([fragmentId, fragmentNumber, last, data]) => build.fragment({ fragmentId, fragmentNumber, last, data })),
      fc.tuple(unknownType, bytes(16)).map(([t, raw]) => build.unknown(t, raw)),
    ),
    nonZero(0xff),
  )
  .map(([p, reserved]) => withOptional(p, { reserved }));

/** A well-formed message: payloads, or an encrypted body, never trailing bytes (see `messageWithTrailing`). */
export const message: fc.Arbitrary<Message> = fc
  .record({
    initiatorCookie: bytes(8, 8),
    responderCookie: bytes(8, 8),
    exchangeType: u8,
    flags: u8.map((f) => f & ~1),
    messageId: u32,
    majorVersion: fc.integer({ min: 0, max: 15 }),
    minorVersion: fc.integer({ min: 0, max: 15 }),
    body: fc.oneof(
      { weight: 4, arbitrary: fc.array(payload, { maxLength: 8 }).map((payloads) => ({ payloads })) },
      { weight: 1, arbitrary: fc.tuple(bytes(48), u8).map(([encrypted, nextPayload]) => ({ encrypted, nextPayload })) },
    ),
  })
  .map(({ body, ...header }) => build.message({ ...header, ...body }));

/** A message with bytes after its last payload (kept as `trailing`, with a TRAILING_DATA warning). */
export const messageWithTrailing: fc.Arbitrary<Message> = fc
  .tuple(message, bytes(12, 1))
  .filter(([m]) => !m.encrypted)
  .map(([m, trailing]) =>
    build.message({
      ...m.header,
      payloads: m.payloads,
      trailing,
    }),
  );

// ---------------------------------------------------------------------------------------------------------------
// Odd but byte-exact messages: every field the round-trip promise covers beyond well-formed input. Decoding them
// reports warnings, so the law for these compares without `warnings`.

/** A next-payload byte other than 0 and `link` (an unexpected chain link, kept as `next`). */
const oddLink = (link: number) => u8.filter((v) => v !== 0 && v !== link);

/** Items of a chain, some with unexpected links: any non-zero value on the last, anything but 0/link before. */
function oddChain<T extends { next?: number }>(items: fc.Arbitrary<T[]>, link: number): fc.Arbitrary<T[]> {
  return items.chain((list) =>
    fc
      .tuple(
        ...list.map((_, i) =>
          fc.option(i === list.length - 1 ? fc.integer({ min: 1, max: 255 }) : oddLink(link), { nil: undefined }),
        ),
      )
      .map((links) => list.map((item, i) => (links[i] === undefined ? item : { ...item, next: links[i] as number }))),
  );
}

const oddTransform: fc.Arbitrary<Transform> = fc
  .tuple(transform, fc.option(bytes(3, 1), { nil: undefined }))
  .map(([t, trailing]) => withOptional(t, { trailing }));

const oddProposal: fc.Arbitrary<Proposal> = fc
  .tuple(proposal, oddChain(fc.array(oddTransform, { maxLength: 3 }), 3), u8, fc.boolean(), bytes(8, 1))
  .map(([p, transforms, count, withTrailing, trailing]) =>
    withOptional(
      { ...p, transforms },
      {
        transformCount: count !== transforms.length ? count : undefined,
        // Bytes after the transforms are kept only when a transform ends the chain (next 0).
        trailing: withTrailing && transforms.length > 0 && transforms.at(-1)!.next === undefined ? trailing : undefined,
      },
    ),
  );

/** A labeled level with non-zero reserved fields and padding. */
const oddLevel: fc.Arbitrary<LabeledLevel> = fc
  .tuple(level, nonZero(0xffff), nonZero(0xffff), fc.boolean(), fc.boolean())
  .chain(([lv, levelReserved, categoriesReserved, padLevel, padCategories]) => {
    const pad = (n: number, on: boolean) =>
      on && (4 - (n & 3)) & 3 ? bytes((4 - (n & 3)) & 3, (4 - (n & 3)) & 3) : fc.constant(undefined);
    return fc
      .tuple(pad(lv.level.length, padLevel), pad(lv.categories.length, padCategories))
      .map(([levelPadding, categoriesPadding]) =>
        withOptional(lv, {
          levelReserved,
          categoriesReserved,
          levelPadding: levelPadding?.some((b) => b !== 0) ? levelPadding : undefined,
          categoriesPadding: categoriesPadding?.some((b) => b !== 0) ? categoriesPadding : undefined,
        }),
      );
  });

const oddSa: fc.Arbitrary<Payload> = fc
  .tuple(
    fc.integer({ min: 0, max: 0xffffffff }),
    oddChain(fc.array(oddProposal, { minLength: 1, maxLength: 3 }), 2),
    u32,
    oddLevel,
    oddLevel,
    fc.option(bytes(8, 1), { nil: undefined }),
  )
  .map(([situation, proposals, domain, secrecy, integrity, trailing]) => {
    const labeledDomain: LabeledDomain | undefined = situation & 6 ? { domain } : undefined;
    if (labeledDomain && situation & 2) labeledDomain.secrecy = secrecy;
    if (labeledDomain && situation & 4) labeledDomain.integrity = integrity;
    const sa = build.sa({ doi: 1, situation, proposals, ...(labeledDomain ? { labeledDomain } : {}) });
    return withOptional(sa, { trailing: proposals.at(-1)!.next === undefined ? trailing : undefined });
  });

const oddPayload: fc.Arbitrary<Payload> = fc.oneof(
  oddSa,
  payload,
  oddProposal.map((p) => ({ ...p, type: PayloadType.PROPOSAL }) as Payload),
  oddTransform.map((t) => ({ ...t, type: PayloadType.TRANSFORM }) as Payload),
  // Delete with SPI size 0 and a count (kept as spiCount), or with bytes after the SPIs.
  fc
    .tuple(u8, fc.integer({ min: 1, max: 0xffff }))
    .map(([protocolId, spiCount]) => ({ ...build.delete({ protocolId, spis: [], spiSize: 0 }), spiCount }) as Payload),
  fc
    .tuple(deletion, bytes(6, 1))
    .map(([d, trailing]) => ({ ...d, trailing }) as Payload)
    .filter((d) => (d as { spiSize: number }).spiSize > 0),
  // Fragment flags other than 0/1.
  fc.tuple(u16, u8, u8, bytes(12)).map(([fragmentId, fragmentNumber, flags, data]) => ({
    ...build.fragment({ fragmentId, fragmentNumber, last: (flags & 1) === 1, data }),
    flags,
  })),
  // Mode config with a non-zero RESERVED after the type and 1-3 bytes after the attributes.
  fc
    .tuple(u8, u16, fc.array(attribute, { maxLength: 3 }), nonZero(0xff), fc.option(bytes(3, 1), { nil: undefined }))
    .map(([cfgType, identifier, attributes, reserved2, trailing]) =>
      withOptional(build.attributes({ cfgType, identifier, attributes }), { reserved2, trailing }),
    ),
);

/**
 * A message exercising every byte-exact promise: unexpected chain links, count mismatches, SPI size 0, trailing
 * bytes in payloads, labeled-domain reserved fields and padding, top-level proposal/transform payloads, odd
 * fragment flags, and a header length short of the datagram (the rest kept as trailing).
 */
export const oddMessage: fc.Arbitrary<Message> = fc
  .tuple(message, fc.array(oddPayload, { minLength: 1, maxLength: 5 }), bytes(10), fc.nat())
  .filter(([m]) => !m.encrypted)
  .map(([m, payloads, trailing, cut]) => {
    const built = build.message({ ...m.header, payloads, ...(trailing.length > 0 ? { trailing } : {}) });
    // The header may state fewer bytes than the datagram, as long as the payloads fit inside it.
    const short = trailing.length === 0 ? 0 : cut % (trailing.length + 1);
    return { ...built, header: { ...built.header, length: built.header.length - short } };
  });

// ---------------------------------------------------------------------------------------------------------------
// IKEv2: the generic chain with Notify, Vendor ID and raw payloads, ending in SK or SKF or not.

const ikev2Framed = fc.record(
  { critical: fc.boolean(), reserved: fc.integer({ min: 1, max: 0x7f }) },
  { requiredKeys: ['critical'] },
);
/** A type that decodes to `Ikev2GenericPayload`: not 0 (ends the chain) and not a structured type. */
const ikev2GenericType = fc.integer({ min: 1, max: 255 }).filter((t) => ![41, 43, 46, 53].includes(t));

const ikev2Payload: fc.Arbitrary<Ikev2Payload> = fc
  .tuple(
    ikev2Framed,
    fc.oneof(
      fc.tuple(ikev2GenericType, bytes(16)).map(([type, raw]): Ikev2Payload => ({ type, raw, critical: false })),
      fc.tuple(u8, bytes(8), u16, bytes(12)).map(
        ([protocolId, spi, messageType, data]): Ikev2Payload => ({
          type: 41,
          protocolId,
          spi,
          messageType,
          data,
          critical: false,
        }),
      ),
      bytes(16).map((data): Ikev2Payload => ({ type: 43, data, critical: false })),
    ),
  )
  .map(([framed, p]) => ({ ...p, ...framed }));

const ikev2Last: fc.Arbitrary<Ikev2Payload | undefined> = fc.option(
  fc.tuple(ikev2Framed, u8, bytes(32), u16, u16, fc.boolean()).map(
    ([framed, firstPayload, data, fragmentNumber, totalFragments, fragment]): Ikev2Payload => ({
      ...(fragment
        ? { type: 53, firstPayload, fragmentNumber, totalFragments, data }
        : { type: 46, firstPayload, data }),
      ...framed,
    }),
  ),
  { nil: undefined },
);

/** A well-formed IKEv2 message (major version 2, any minor), its header length and next payload consistent. */
export const ikev2Message: fc.Arbitrary<Ikev2Message> = fc
  .record({
    initiatorCookie: bytes(8, 8),
    responderCookie: bytes(8, 8),
    exchangeType: u8,
    flags: u8,
    messageId: u32,
    minorVersion: fc.integer({ min: 0, max: 15 }),
    payloads: fc.array(ikev2Payload, { maxLength: 6 }),
    last: ikev2Last,
  })
  .map(({ payloads, last, ...h }) => {
    const all = last ? [...payloads, last] : payloads;
    const m: Ikev2Message = {
      version: 2,
      header: { ...h, majorVersion: 2, nextPayload: all[0]?.type ?? 0, length: 0 },
      payloads: all,
    };
    m.header.length = encodingLength(m);
    return m;
  });
