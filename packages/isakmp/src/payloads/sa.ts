import { attributeList, type DataAttribute } from '../attributes';
import {
  type BodyCodec,
  type Chained,
  type Codec,
  chainLength,
  decodeChain,
  decodeFrame,
  encodeChain,
  encodeFrame,
  type Framed,
  frameLength,
} from '../codec';
import { DecodeError } from '../errors';
import type { Reader } from '../reader';
import { Doi, IpsecSituation, PayloadType } from '../registry';
import type { Writer } from '../writer';

const SIT_SECRECY = IpsecSituation.SECRECY;
const SIT_INTEGRITY = IpsecSituation.INTEGRITY;

/** One secrecy or integrity part of a labeled-domain situation (RFC 2407 4.6.1). */
export interface LabeledLevel {
  /** Secrecy/integrity level, without its padding. */
  level: Uint8Array;
  /** Category bitmap length in bits. */
  categoryBits: number;
  /** Category bitmap, ceil(categoryBits / 8) bytes, without its padding. */
  categories: Uint8Array;
  /** RESERVED after the level length, when not zero. */
  levelReserved?: number;
  /** Level padding to 32 bits, when not all zero. */
  levelPadding?: Uint8Array;
  /** RESERVED after the bitmap length, when not zero. */
  categoriesReserved?: number;
  /** Bitmap padding to 32 bits, when not all zero. */
  categoriesPadding?: Uint8Array;
}

/** The labeled-domain situation parts present when the situation has SIT_SECRECY and/or SIT_INTEGRITY. */
export interface LabeledDomain {
  /** Labeled Domain Identifier. */
  domain: number;
  /** Present when the situation has SIT_SECRECY. */
  secrecy?: LabeledLevel;
  /** Present when the situation has SIT_INTEGRITY. */
  integrity?: LabeledLevel;
}

/** A transform: number, transform id (meaning depends on the proposal's protocol), attributes in their wire form. */
export interface Transform extends Chained {
  /** Number as found on the wire. */
  number: number;
  /** Transform ID; its meaning depends on the protocol. */
  id: number;
  /** SA attributes, in wire order and form. */
  attributes: DataAttribute[];
  /** The 2-byte RESERVED after the transform id, when not zero. */
  reserved2?: number;
}

/** A proposal: protocol, SPI and transforms; `transformCount` appears only when the wire count disagrees. */
export interface Proposal extends Chained {
  /** Number as found on the wire. */
  number: number;
  /** Protocol (`ProtocolId`). */
  protocolId: number;
  /** SPI; its size is the SPI size field. */
  spi: Uint8Array;
  /** Transforms, in wire order. */
  transforms: Transform[];
  /** The transform count as found, only when it differs from `transforms.length`. */
  transformCount?: number;
}

/** A payload inside a GDOI SA after its header: SA KEK (15), SA TEK (16) or GAP (22); the body kept opaque. */
export interface GdoiSaAttribute extends Chained {
  /** Payload type, from the previous next-payload byte (the first from `GdoiSa.nextPayload`). */
  type: number;
  /** The body after the generic header. */
  data: Uint8Array;
}

/** The GDOI (DOI 2) part of an SA payload (RFC 6407 5.1): what follows the situation instead of proposals. */
export interface GdoiSa {
  /** SA Attribute Next Payload: type of the first SA attribute payload (SA KEK 15, SA TEK 16, GAP 22). */
  nextPayload: number;
  /** The 3 RESERVED bytes after it, when not zero. */
  reserved?: number;
  /** SA attribute payloads inside the SA length, chained by their next-payload bytes until 0. */
  payloads: GdoiSaAttribute[];
}

/** Security Association payload (1). */
export interface SaPayload extends Framed {
  /** Payload type number. */
  type: typeof PayloadType.SA;
  /** Domain of interpretation (`Doi`). */
  doi: number;
  /** Situation bit set (`IpsecSituation` for the IPsec DOI). */
  situation: number;
  /** IPsec DOI labeled-domain parts, present when the situation has the secrecy or integrity bit. */
  labeledDomain?: LabeledDomain;
  /** GDOI SA header fields and the SA KEK / SA TEK / GAP payloads; present when the DOI is 2 (then no proposals). */
  gdoi?: GdoiSa;
  /** Proposals; empty for a GDOI SA. */
  proposals: Proposal[];
}

function pad4(n: number): number {
  return (4 - (n & 3)) & 3;
}

function padding(r: Reader, n: number): Uint8Array | undefined {
  const p = r.take(n, 'padding');
  return p.some((b) => b !== 0) ? p : undefined;
}

function writePadding(w: Writer, n: number, p: Uint8Array | undefined): void {
  if (p) w.raw(p);
  else for (let i = 0; i < n; i++) w.u8(0);
}

/**
 * Secrecy or integrity part (RFC 2407 4.6.1), each variable part padded to 32 bits:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !   Secrecy Length (in octets)  !           RESERVED            !
 * ~                         Secrecy Level                         ~
 * ! Secrecy Cat. Length (in bits) !           RESERVED            !
 * ~                    Secrecy Category Bitmap                    ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
const labeledLevel: Codec<LabeledLevel> = {
  decode(r) {
    const levelLength = r.u16('level length');
    const levelReserved = r.u16('reserved');
    const level = r.take(levelLength, 'level');
    const levelPadding = padding(r, pad4(levelLength));
    const categoryBits = r.u16('category length');
    const categoriesReserved = r.u16('reserved');
    const bytes = (categoryBits + 7) >> 3;
    const categories = r.take(bytes, 'category bitmap');
    const categoriesPadding = padding(r, pad4(bytes));
    const v: LabeledLevel = { level, categoryBits, categories };
    if (levelReserved) v.levelReserved = levelReserved;
    if (levelPadding) v.levelPadding = levelPadding;
    if (categoriesReserved) v.categoriesReserved = categoriesReserved;
    if (categoriesPadding) v.categoriesPadding = categoriesPadding;
    return v;
  },
  encode(w, v) {
    w.u16(v.level.length, 'level length');
    w.u16(v.levelReserved ?? 0);
    w.raw(v.level);
    writePadding(w, pad4(v.level.length), v.levelPadding);
    w.u16(v.categoryBits, 'category length');
    if (v.categories.length !== (v.categoryBits + 7) >> 3)
      throw new RangeError(`category bitmap of ${v.categories.length} bytes for ${v.categoryBits} bits`);
    w.u16(v.categoriesReserved ?? 0);
    w.raw(v.categories);
    writePadding(w, pad4(v.categories.length), v.categoriesPadding);
  },
  length(v) {
    return 8 + v.level.length + pad4(v.level.length) + v.categories.length + pad4(v.categories.length);
  },
};

/**
 * Transform payload (RFC 2408 3.6):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !  Transform #  !  Transform-Id !           RESERVED2           !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                        SA Attributes                          ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
export const transformBody: BodyCodec<Transform> = {
  name: 'transform',
  min: 4,
  decode(r) {
    const number = r.u8();
    const id = r.u8();
    const reserved2 = r.u16();
    const t: Transform = { number, id, attributes: attributeList.decode(r) };
    if (reserved2) t.reserved2 = reserved2;
    return t;
  },
  encode(w, t) {
    w.u8(t.number, 'transform number');
    w.u8(t.id, 'transform id');
    w.u16(t.reserved2 ?? 0);
    attributeList.encode(w, t.attributes);
  },
  length(t) {
    return 4 + attributeList.length(t.attributes);
  },
};

/**
 * Proposal payload (RFC 2408 3.5):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !  Proposal #   !  Protocol-Id  !    SPI Size   !# of Transforms!
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                        SPI (variable)                         !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                  Transforms (payload type 3)                  ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
export const proposalBody: BodyCodec<Proposal> = {
  name: 'proposal',
  min: 4,
  decode(r) {
    const number = r.u8();
    const protocolId = r.u8();
    const spiSize = r.u8();
    const countAt = r.pos;
    const count = r.u8();
    const spi = r.take(spiSize, 'SPI');
    const transforms = decodeChain(r, transformBody, PayloadType.TRANSFORM);
    const p: Proposal = { number, protocolId, spi, transforms };
    if (count !== transforms.length) {
      p.transformCount = count;
      r.warn('COUNT_MISMATCH', countAt, `transform count ${count}, ${transforms.length} present`);
    }
    return p;
  },
  encode(w, p) {
    w.u8(p.number, 'proposal number');
    w.u8(p.protocolId, 'protocol id');
    w.u8(p.spi.length, 'proposal SPI size');
    w.u8(p.transformCount ?? p.transforms.length, 'transform count');
    w.raw(p.spi);
    encodeChain(w, transformBody, p.transforms, PayloadType.TRANSFORM);
  },
  length(p) {
    return 4 + p.spi.length + chainLength(transformBody, p.transforms);
  },
};

const gdoiAttributeBody: BodyCodec<GdoiSaAttribute> = {
  name: 'GDOI SA attribute payload',
  min: 0,
  decode: (r) => ({ type: PayloadType.NONE, data: r.rest() }),
  encode: (w, p) => w.raw(p.data),
  length: (p) => p.data.length,
};

/**
 * GDOI SA payload after the situation (RFC 6407 5.1; RFC 3547 5.1 reserved the same 3 bytes):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! SA Attribute  !                   RESERVED                    !
 * ! Next Payload  !                                               !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~   SA KEK (15) / SA TEK (16) / GAP (22) payloads, generic headers  ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * A payload whose length does not fit what is left ends the chain: the rest stays in the SA's `trailing`.
 */
const gdoiSa: Codec<GdoiSa> = {
  decode(r) {
    const nextPayload = r.u8('SA attribute next payload');
    const reserved = r.u24('reserved');
    const g: GdoiSa = { nextPayload, payloads: [] };
    if (reserved) g.reserved = reserved;
    let type = nextPayload;
    while (type !== PayloadType.NONE && r.fits16(2, 4)) {
      const [p, next] = decodeFrame(r, gdoiAttributeBody);
      p.type = type;
      g.payloads.push(p);
      type = next;
    }
    const last = g.payloads.at(-1);
    if (last && type !== PayloadType.NONE) last.next = type;
    return g;
  },
  encode(w, g) {
    w.u8(g.nextPayload, 'SA attribute next payload');
    w.u24(g.reserved ?? 0, 'reserved');
    const ps = g.payloads;
    for (let i = 0; i < ps.length; i++) encodeFrame(w, gdoiAttributeBody, ps[i]!, ps[i]!.next ?? ps[i + 1]?.type ?? 0);
  },
  length(g) {
    let n = 4;
    for (const p of g.payloads) n += frameLength(gdoiAttributeBody, p);
    return n;
  },
};

/**
 * Security Association payload (RFC 2408 3.4, IPsec DOI situation RFC 2407 4.6.1):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !              Domain of Interpretation  (DOI)                  !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                           Situation                           !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !  Labeled Domain Identifier, secrecy and integrity parts       !
 * ~  (IPsec DOI, only with SIT_SECRECY or SIT_INTEGRITY)          ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                   Proposals (payload type 2)                  ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
export const saBody: BodyCodec<SaPayload> = {
  name: 'SA payload',
  min: 8,
  decode(r) {
    const doi = r.u32();
    const situation = r.u32();
    let labeledDomain: LabeledDomain | undefined;
    let proposals: Proposal[] | undefined;
    if (doi === Doi.IPSEC && situation & (SIT_SECRECY | SIT_INTEGRITY)) {
      const mark = r.mark();
      try {
        labeledDomain = { domain: r.u32('labeled domain identifier') };
        if (situation & SIT_SECRECY) labeledDomain.secrecy = labeledLevel.decode(r);
        if (situation & SIT_INTEGRITY) labeledDomain.integrity = labeledLevel.decode(r);
        proposals = decodeChain(r, proposalBody, PayloadType.PROPOSAL);
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
        // Peers that set the bit without the parts exist; tshark reads proposals here too. Keep the first error
        // when that reading fails as well.
        r.restore(mark);
        labeledDomain = undefined;
        try {
          proposals = decodeChain(r, proposalBody, PayloadType.PROPOSAL);
        } catch {
          throw e;
        }
        r.warn('BAD_LABELED_DOMAIN', mark.pos, `situation ${situation} without readable labeled-domain parts`);
      }
    }
    const gdoi = doi === Doi.GDOI ? gdoiSa.decode(r) : undefined;
    proposals ??= gdoi ? [] : decodeChain(r, proposalBody, PayloadType.PROPOSAL);
    const sa: SaPayload = { type: PayloadType.SA, doi, situation, proposals };
    if (labeledDomain) sa.labeledDomain = labeledDomain;
    if (gdoi) sa.gdoi = gdoi;
    return sa;
  },
  encode(w, sa) {
    // Decoding reads a GDOI part exactly when the DOI is 2, and then no proposals.
    if ((sa.doi === Doi.GDOI) !== (sa.gdoi !== undefined) || (sa.gdoi && sa.proposals.length > 0))
      throw new RangeError('an SA has a GDOI part exactly when its DOI is 2 (GDOI), and then no proposals');
    w.u32(sa.doi);
    w.u32(sa.situation);
    const ld = sa.labeledDomain;
    if (ld) {
      w.u32(ld.domain);
      if (ld.secrecy) labeledLevel.encode(w, ld.secrecy);
      if (ld.integrity) labeledLevel.encode(w, ld.integrity);
    }
    if (sa.gdoi) gdoiSa.encode(w, sa.gdoi);
    encodeChain(w, proposalBody, sa.proposals, PayloadType.PROPOSAL);
  },
  length(sa) {
    const ld = sa.labeledDomain;
    let n = 8 + chainLength(proposalBody, sa.proposals) + (sa.gdoi ? gdoiSa.length(sa.gdoi) : 0);
    if (ld) {
      n += 4;
      if (ld.secrecy) n += labeledLevel.length(ld.secrecy);
      if (ld.integrity) n += labeledLevel.length(ld.integrity);
    }
    return n;
  },
};
