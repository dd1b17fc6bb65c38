import { toHex } from '@oaklog/common';
import type { Codec } from './codec';
import type { Reader } from './reader';
import type { Writer } from './writer';

/** A data attribute in TV form (AF bit set): a 15-bit type and a 16-bit value. */
export interface TvAttribute {
  /** Attribute type, 15 bits (the AF bit is the form). */
  type: number;
  /** The 16-bit value. */
  value: number;
}

/** A data attribute in TLV form (AF bit clear): a 15-bit type and variable-length data. */
export interface TlvAttribute {
  /** Attribute type, 15 bits (the AF bit is the form). */
  type: number;
  /** The value bytes. */
  data: Uint8Array;
}

/** A data attribute as it arrived: TV (`value`) or TLV (`data`); the form is kept for the byte-exact round trip. */
export type DataAttribute = TvAttribute | TlvAttribute;

/** True when the attribute arrived in TV form. */
export function isTv(a: DataAttribute): a is TvAttribute {
  return 'value' in a;
}

/**
 * Data attribute (RFC 2408 3.3):
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !A!       Attribute Type        !    AF=0  Attribute Length     !
 * !F!                             !    AF=1  Attribute Value      !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * .                   AF=0  Attribute Value                       .
 * .                   AF=1  Not Transmitted                       .
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
export const dataAttribute: Codec<DataAttribute> = {
  decode(r: Reader): DataAttribute {
    const start = r.pos;
    const word = r.u16('attribute type');
    const lengthOrValue = r.u16('attribute length');
    const type = word & 0x7fff;
    if (word & 0x8000) return { type, value: lengthOrValue };
    return { type, data: r.take(lengthOrValue, `attribute ${type} data`, start) };
  },
  encode(w: Writer, a: DataAttribute): void {
    if ('value' in a) {
      w.u16(0x8000 | w.check(a.type, 0x7fff, 'attribute type'));
      w.u16(a.value, `attribute ${a.type} value`);
    } else {
      w.u16(w.check(a.type, 0x7fff, 'attribute type'));
      w.u16(a.data.length, `attribute ${a.type} data length`);
      w.raw(a.data);
    }
  },
  length(a: DataAttribute): number {
    return 'value' in a ? 4 : 4 + a.data.length;
  },
};

/** Attributes until fewer than 4 bytes are left; 1–3 leftover bytes stay for the container to keep as trailing. */
export const attributeList: Codec<DataAttribute[]> = {
  decode(r: Reader): DataAttribute[] {
    const list: DataAttribute[] = [];
    while (r.remaining >= 4) list.push(dataAttribute.decode(r));
    return list;
  },
  encode(w: Writer, list: DataAttribute[]): void {
    for (const a of list) dataAttribute.encode(w, a);
  },
  length(list: DataAttribute[]): number {
    let n = 0;
    for (const a of list) n += dataAttribute.length(a);
    return n;
  },
};

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The attribute's value as a number: the TV value, or the TLV data read big-endian (a `bigint` past 2^53).
 * Empty TLV data reads as 0.
 */
export function attributeNumber(a: DataAttribute): number | bigint {
  if ('value' in a) return a.value;
  if (a.data.length <= 6) {
    let n = 0;
    for (const b of a.data) n = n * 256 + b;
    return n;
  }
  // One hex string and one BigInt: linear, where shifting a growing BigInt per byte is quadratic.
  const n = BigInt(`0x${toHex(a.data)}`);
  return n <= MAX_SAFE ? Number(n) : n;
}

/** Builds a TV attribute. */
export function tvAttribute(type: number, value: number): TvAttribute {
  return { type, value };
}

/** Builds a TLV attribute. */
export function tlvAttribute(type: number, data: Uint8Array): TlvAttribute {
  return { type, data };
}

/**
 * Builds the usual form for a numeric attribute: TV when it fits 16 bits, otherwise TLV with the fewest whole
 * 32-bit words (life durations, as most peers send them).
 */
export function numberAttribute(type: number, value: number | bigint): DataAttribute {
  const v = BigInt(value);
  if (v < 0n) throw new RangeError('attribute values are unsigned');
  if (v <= 0xffffn) return { type, value: Number(v) };
  let words = 1;
  while (v >> BigInt(32 * words) > 0n) words++;
  const data = new Uint8Array(4 * words);
  let rest = v;
  for (let i = data.length - 1; i >= 0; i--) {
    data[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return { type, data };
}
