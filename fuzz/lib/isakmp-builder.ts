/**
 * Builds plausible ISAKMP datagrams from fuzzer choices, so the codec's deep structures (SA → proposal → transform
 * → attributes, notification data, mode-config attributes, IDs of each type, fragments) get exercised rather than
 * the first length check. Written straight to bytes (not with the package's own builders) so a shared bug in the
 * codec cannot cancel itself out. Lengths are computed to fit, and then sometimes deliberately broken.
 */
import { concatBytes } from '@oaklog/common';
import { type ByteSource, be16, be32 } from './bytes';

const PAYLOAD_TYPES = [
  1, 1, 1, 4, 5, 5, 6, 7, 8, 9, 10, 11, 11, 12, 13, 13, 14, 14, 15, 18, 20, 21, 130, 131, 132, 2, 3, 200,
];
const EXCHANGES = [1, 2, 3, 4, 5, 6, 32, 33, 0, 255];
/** Oakley attribute types (RFC 2409 appendix A), IPsec DOI attribute types (RFC 2407 4.5), mode-config / XAUTH. */
const OAKLEY_ATTRIBUTES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18];
const IPSEC_ATTRIBUTES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const CONFIG_ATTRIBUTES = [
  1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 13, 14, 15, 16, 0x4088, 0x4089, 0x408a, 0x408b, 0x408c, 0x408f,
];
const NOTIFY_TYPES = [1, 14, 16, 24, 30, 16384, 24576, 24576, 24577, 24578, 36136, 36137, 40500, 8193];
const ID_TYPES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0, 200];

/** One data attribute: TV (high bit, 2-byte value) or TLV (2-byte length, value). */
function attribute(s: ByteSource, types: readonly number[]): Uint8Array {
  const type = s.chance(16) ? s.u16() & 0x7fff : s.pick(types);
  if (s.chance(3)) {
    const length = s.pick([0, 1, 2, 4, 4, 4, 8, 16, s.int(0, 64)]);
    return concatBytes([be16(type), be16(length), s.bytes(length)]);
  }
  return concatBytes([be16(0x8000 | type), be16(s.pick([0, 1, 2, 3, 5, 7, 14, 0xfde9, s.u16()]))]);
}

function attributes(s: ByteSource, types: readonly number[], max: number): Uint8Array {
  return concatBytes(Array.from({ length: s.int(0, max) }, () => attribute(s, types)));
}

/** A generic-header-framed structure; `lengthFix` lets the caller break the length on purpose. */
function framed(s: ByteSource, next: number, body: Uint8Array, broken: boolean): Uint8Array {
  let length = 4 + body.length;
  if (broken && s.chance(6)) length = s.pick([0, 3, 4, length - 1, length + 1, s.u16()]);
  const reserved = s.chance(20) ? s.u8() : 0;
  return concatBytes([Uint8Array.of(next, reserved), be16(length & 0xffff), body]);
}

function transform(s: ByteSource, next: number, protocol: number, broken: boolean): Uint8Array {
  const types = protocol === 1 ? OAKLEY_ATTRIBUTES : IPSEC_ATTRIBUTES;
  const body = concatBytes([
    Uint8Array.of(s.int(0, 4), s.pick([1, 2, 3, 4, 5, 7, 11, 12, s.u8()])),
    be16(s.chance(20) ? s.u16() : 0),
    attributes(s, types, 8),
  ]);
  return framed(s, next, body, broken);
}

function proposal(s: ByteSource, next: number, broken: boolean): Uint8Array {
  const protocol = s.pick([1, 1, 2, 3, 3, 4, s.u8()]);
  const spiSize = s.pick(protocol === 1 ? [0, 0, 16, 8] : [4, 4, 2, 0, 16]);
  const count = s.int(0, 4);
  const transforms = Array.from({ length: count }, (_, i) =>
    transform(s, i === count - 1 ? 0 : s.chance(16) ? s.u8() : 3, protocol, broken),
  );
  const wireCount = s.chance(10) ? s.u8() : count;
  const body = concatBytes([Uint8Array.of(s.int(1, 3), protocol, spiSize, wireCount), s.bytes(spiSize), ...transforms]);
  return framed(s, next, body, broken);
}

function labeledLevel(s: ByteSource): Uint8Array {
  const level = s.bytes(s.int(0, 6));
  const bits = s.int(0, 40);
  const categories = s.bytes(Math.ceil(bits / 8));
  const pad = (n: number) => new Uint8Array((4 - (n & 3)) & 3);
  return concatBytes([
    be16(level.length),
    be16(0),
    level,
    pad(level.length),
    be16(bits),
    be16(0),
    categories,
    pad(categories.length),
  ]);
}

function saBody(s: ByteSource, broken: boolean): Uint8Array {
  const doi = s.chance(8) ? s.u32() : 1;
  const situation = s.pick([1, 1, 1, 2, 4, 6, 3, s.u32()]);
  const parts = [be32(doi), be32(situation)];
  if (doi === 1 && situation & 6) {
    parts.push(be32(s.u32()));
    if (situation & 2) parts.push(labeledLevel(s));
    if (situation & 4) parts.push(labeledLevel(s));
  }
  const count = s.int(0, 3);
  for (let i = 0; i < count; i++) parts.push(proposal(s, i === count - 1 ? 0 : s.chance(16) ? s.u8() : 2, broken));
  return concatBytes(parts);
}

function idData(s: ByteSource, type: number): Uint8Array {
  const sizes: Record<number, number> = { 1: 4, 4: 8, 5: 16, 6: 32, 7: 8, 8: 32 };
  const size = sizes[type];
  if (size !== undefined && !s.chance(8)) return s.bytes(size);
  if (type === 2 || type === 3)
    return new TextEncoder().encode(s.pick(['vpn.example.com', 'user@example.com', '', 'a']));
  return s.bytes(s.int(0, 40));
}

function notificationBody(s: ByteSource, broken: boolean): Uint8Array {
  const type = s.pick(NOTIFY_TYPES);
  const protocol = s.pick([1, 3, 2, 0, s.u8()]);
  const spiSize = s.pick([0, 4, 16, s.int(0, 20)]);
  const data =
    type === 24576 && !s.chance(4)
      ? attributes(s, IPSEC_ATTRIBUTES, 4)
      : type === 24577 || type === 36136 || type === 36137
        ? s.bytes(4)
        : s.bytes(s.int(0, 24));
  void broken;
  return concatBytes([
    be32(s.chance(8) ? s.u32() : 1),
    Uint8Array.of(protocol, spiSize),
    be16(type),
    s.bytes(spiSize),
    data,
  ]);
}

function payloadBody(s: ByteSource, type: number, broken: boolean): Uint8Array {
  switch (type) {
    case 1:
      return saBody(s, broken);
    case 2:
      return proposal(s, 0, broken).subarray(4);
    case 3:
      return transform(s, 0, s.pick([1, 3]), broken).subarray(4);
    case 5: {
      const id = s.pick(ID_TYPES);
      return concatBytes([
        Uint8Array.of(id, s.pick([0, 17, 6, s.u8()])),
        be16(s.pick([0, 500, 4500, s.u16()])),
        idData(s, id),
      ]);
    }
    case 6:
    case 7:
      return concatBytes([Uint8Array.of(s.pick([4, 1, 2, 3, 10, s.u8()])), s.bytes(s.int(0, 48))]);
    case 11:
      return notificationBody(s, broken);
    case 12: {
      const spiSize = s.pick([16, 4, 0, s.int(0, 20)]);
      const count = s.int(0, 4);
      const wireCount = broken && s.chance(8) ? s.u16() : count;
      return concatBytes([
        be32(1),
        Uint8Array.of(s.pick([1, 3, 2]), spiSize),
        be16(wireCount),
        s.bytes(spiSize * count),
      ]);
    }
    case 14:
      return concatBytes([
        Uint8Array.of(s.pick([1, 2, 3, 4, s.u8()]), 0),
        be16(s.u16()),
        attributes(s, CONFIG_ATTRIBUTES, 8),
      ]);
    case 18:
      return be32(s.u32());
    case 21:
    case 131: {
      const id = s.pick([1, 5, 1, 2]);
      return concatBytes([Uint8Array.of(id, 0), be16(0), idData(s, id)]);
    }
    case 132: {
      const flags = s.pick([0, 1, 1, s.u8()]);
      return concatBytes([be16(s.u16()), Uint8Array.of(s.int(0, 4), flags), s.bytes(s.int(0, 64))]);
    }
    default:
      return s.bytes(s.pick([0, 4, 16, 20, 32, s.int(0, 128)]));
  }
}

/** A whole datagram: header, payload chain, maybe an encrypted body, trailing bytes, a non-ESP marker. */
export function buildDatagram(s: ByteSource): Uint8Array {
  const broken = s.chance(4);
  const encrypted = s.chance(6);
  const types = Array.from({ length: s.int(0, 8) }, () => s.pick(PAYLOAD_TYPES));
  let body: Uint8Array;
  let first: number;
  if (encrypted) {
    first = s.pick([8, 1, 5, 11]);
    body = s.bytes(8 * s.int(0, 12));
  } else {
    first = types[0] ?? 0;
    body = concatBytes(types.map((type, i) => framed(s, types[i + 1] ?? 0, payloadBody(s, type, broken), broken)));
  }
  const trailing = s.chance(8) ? s.bytes(s.int(1, 8)) : new Uint8Array(0);
  let length = 28 + body.length + (s.chance(3) ? trailing.length : 0);
  if (broken && s.chance(4)) length = s.pick([0, 27, 28, length - 1, length + 1, s.u32()]);
  const header = concatBytes([
    s.bytes(8),
    s.chance(3) ? new Uint8Array(8) : s.bytes(8),
    Uint8Array.of(
      first,
      s.chance(16) ? s.u8() : 0x10,
      s.pick(EXCHANGES),
      (encrypted ? 1 : 0) | (s.chance(8) ? s.u8() & 6 : 0),
    ),
    be32(s.chance(2) ? 0 : s.u32()),
    be32(length >>> 0),
  ]);
  const datagram = concatBytes([header, body, trailing]);
  // A few byte flips past the header reach the checks the computed lengths avoid.
  if (broken && datagram.length > 28)
    for (let i = s.int(0, 2); i > 0; i--) datagram[s.int(28, datagram.length - 1)] = s.u8();
  return datagram;
}
