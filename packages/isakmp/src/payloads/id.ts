import { concatBytes } from '@oaklog/common';
import { asciiBytes, asciiText, formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from '../address';
import type { BodyCodec, Framed } from '../codec';
import { IdType, PayloadType } from '../registry';

/** A single address (IPV4_ADDR, IPV6_ADDR). */
export interface IdAddress {
  /** Address text (dotted quad or RFC 5952). */
  address: string;
}
/** An address and mask (IPV4_ADDR_SUBNET, IPV6_ADDR_SUBNET). */
export interface IdSubnet {
  /** Address text (dotted quad or RFC 5952). */
  address: string;
  /** Mask text, in the same family. */
  mask: string;
}
/** An inclusive address range (IPV4_ADDR_RANGE, IPV6_ADDR_RANGE). */
export interface IdRange {
  /** First address of the range. */
  start: string;
  /** Last address of the range. */
  end: string;
}
/** A name (FQDN, USER_FQDN) in printable ASCII. */
export interface IdName {
  /** The name text. */
  name: string;
}
/** Typed view of identification data, present when the data length fits the type. */
export type IdValue = IdAddress | IdSubnet | IdRange | IdName;

/** Identification payload (5), phase 1 or a quick-mode client ID. `data` is the truth; `value` a typed view of it. */
export interface IdPayload extends Framed {
  /** Payload type number. */
  type: typeof PayloadType.ID;
  /** ID type (`IdType`). */
  idType: number;
  /** IP protocol (IPsec DOI), 0 for any. */
  protocolId: number;
  /** UDP/TCP port (IPsec DOI), 0 for any. */
  port: number;
  /** Identification data as found. */
  data: Uint8Array;
  /** Typed view of `data` for address, subnet, range and name types whose data fits. */
  value?: IdValue;
}

interface IdForm {
  /** Exact data length the type needs, when fixed. */
  readonly length?: number;
  read(d: Uint8Array): IdValue | undefined;
  write(v: IdValue): Uint8Array;
}

function field<K extends string>(v: IdValue, key: K): string {
  const x = (v as unknown as Record<string, unknown>)[key];
  if (typeof x !== 'string') throw new RangeError(`ID value needs "${key}"`);
  return x;
}

function addressForm(size: 4 | 16): Record<'single' | 'subnet' | 'range', IdForm> {
  const fmt = size === 4 ? formatIpv4 : formatIpv6;
  const parse = size === 4 ? parseIpv4 : parseIpv6;
  return {
    single: { length: size, read: (d) => ({ address: fmt(d) }), write: (v) => parse(field(v, 'address')) },
    subnet: {
      length: 2 * size,
      read: (d) => ({ address: fmt(d.subarray(0, size)), mask: fmt(d.subarray(size)) }),
      write: (v) => concatBytes([parse(field(v, 'address')), parse(field(v, 'mask'))]),
    },
    range: {
      length: 2 * size,
      read: (d) => ({ start: fmt(d.subarray(0, size)), end: fmt(d.subarray(size)) }),
      write: (v) => concatBytes([parse(field(v, 'start')), parse(field(v, 'end'))]),
    },
  };
}

const v4 = addressForm(4);
const v6 = addressForm(16);
const nameForm: IdForm = {
  read(d) {
    const name = asciiText(d);
    return name === undefined ? undefined : { name };
  },
  write: (v) => asciiBytes(field(v, 'name')),
};

/** The ID types that have a typed view (RFC 2407 4.6.2.1), by number. */
const idForms: Partial<Record<number, IdForm>> = {
  [IdType.IPV4_ADDR]: v4.single,
  [IdType.FQDN]: nameForm,
  [IdType.USER_FQDN]: nameForm,
  [IdType.IPV4_ADDR_SUBNET]: v4.subnet,
  [IdType.IPV6_ADDR]: v6.single,
  [IdType.IPV6_ADDR_SUBNET]: v6.subnet,
  [IdType.IPV4_ADDR_RANGE]: v4.range,
  [IdType.IPV6_ADDR_RANGE]: v6.range,
};

/** Typed view of identification data; undefined for opaque types (DN, GN, KEY_ID, LIST) or data that does not fit. */
export function idValue(idType: number, data: Uint8Array): IdValue | undefined {
  const form = idForms[idType];
  if (!form || (form.length !== undefined && form.length !== data.length)) return undefined;
  return form.read(data);
}

/** Identification data for a typed value; throws `RangeError` when the type has no typed form or the text is bad. */
export function idData(idType: number, value: IdValue): Uint8Array {
  const form = idForms[idType];
  if (!form) throw new RangeError(`ID type ${idType} has no typed form; give the data bytes`);
  return form.write(value);
}

/** Exact data length an ID type needs, when fixed (addresses, subnets, ranges). */
export function idDataLength(idType: number): number | undefined {
  return idForms[idType]?.length;
}

/**
 * Identification payload (RFC 2408 3.8, IPsec DOI RFC 2407 4.6.2):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !        Payload Length         !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !   ID Type     !  Protocol ID  !             Port              !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                     Identification Data                       ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
export const idBody: BodyCodec<IdPayload> = {
  name: 'ID payload',
  min: 4,
  decode(r) {
    const idType = r.u8();
    const protocolId = r.u8();
    const port = r.u16();
    const at = r.pos;
    const data = r.rest();
    const p: IdPayload = { type: PayloadType.ID, idType, protocolId, port, data };
    const fixed = idDataLength(idType);
    if (fixed !== undefined && fixed !== data.length)
      r.warn('ID_DATA_LENGTH', at, `ID type ${idType} needs ${fixed} bytes of data, found ${data.length}`);
    const value = idValue(idType, data);
    if (value) p.value = value;
    return p;
  },
  encode(w, p) {
    w.u8(p.idType);
    w.u8(p.protocolId);
    w.u16(p.port);
    w.raw(p.data);
  },
  length: (p) => 4 + p.data.length,
};
