/**
 * IKEv2 (RFC 7296): the header and the generic payload chain, with the light structure that is cheap and exact
 * (Notify, Vendor ID, the SK and SKF framing). Every other payload body stays as found in `raw`; SK and SKF contents
 * stay opaque. The header layout is IKEv1's (`headerCodec`), with the SPIs in the cookie fields.
 */
import type { BodyCodec } from './codec';
import { type ChainGrammar, type Envelope, encodeEnvelope, envelopeLength } from './envelope';
import { DecodeError } from './errors';
import type { Reader } from './reader';
import { Ikev2PayloadType } from './registry-ikev2';
import type { Writer } from './writer';

/** IKEv2 header flag bits (RFC 7296 3.1): `X X R V I X X X`. */
export const Ikev2HeaderFlag = { INITIATOR: 0x08, VERSION: 0x10, RESPONSE: 0x20 } as const;

/** The generic payload header fields every IKEv2 payload keeps (RFC 7296 3.2). */
export interface Ikev2Framed {
  /** The critical bit. */
  critical: boolean;
  /** The 7 RESERVED bits after the critical bit, when not zero. */
  reserved?: number;
}

/** A payload kept as found: every type without a light structure of its own (SA, KE, IDi, AUTH, TSi, …). */
export interface Ikev2GenericPayload extends Ikev2Framed {
  /** Payload type number (`Ikev2PayloadType`). */
  type: number;
  /** The body as found. */
  raw: Uint8Array;
}

/** Notify payload (41, RFC 7296 3.10). */
export interface Ikev2NotifyPayload extends Ikev2Framed {
  /** Payload type number. */
  type: typeof Ikev2PayloadType.N;
  /** Protocol ID of the SA concerned (1 IKE, 2 AH, 3 ESP), 0 when none. */
  protocolId: number;
  /** The SPI, as long as its SPI Size byte said. */
  spi: Uint8Array;
  /** Notify message type (`Ikev2NotifyType`). */
  messageType: number;
  /** Notification data. */
  data: Uint8Array;
}

/** Vendor ID payload (43, RFC 7296 3.12). */
export interface Ikev2VendorIdPayload extends Ikev2Framed {
  /** Payload type number. */
  type: typeof Ikev2PayloadType.V;
  /** The vendor ID bytes. */
  data: Uint8Array;
}

/** Encrypted and Authenticated payload (46, RFC 7296 3.14): always the last payload; its content stays opaque. */
export interface Ikev2EncryptedPayload extends Ikev2Framed {
  /** Payload type number. */
  type: typeof Ikev2PayloadType.SK;
  /** The generic header's next payload: the type of the first payload inside. */
  firstPayload: number;
  /** IV, ciphertext, padding and integrity checksum, as found. */
  data: Uint8Array;
}

/** Encrypted Fragment payload (53, RFC 7383 2.5): always the last payload; its content stays opaque. */
export interface Ikev2EncryptedFragmentPayload extends Ikev2Framed {
  /** Payload type number. */
  type: typeof Ikev2PayloadType.SKF;
  /** The generic header's next payload: the first inner payload's type in fragment 1, 0 in the others. */
  firstPayload: number;
  /** Fragment number, from 1. */
  fragmentNumber: number;
  /** Number of fragments of the message. */
  totalFragments: number;
  /** IV, ciphertext, padding and integrity checksum, as found. */
  data: Uint8Array;
}

/** Every IKEv2 payload, discriminated by type; types without a light structure are `Ikev2GenericPayload`. */
export type Ikev2Payload =
  | Ikev2NotifyPayload
  | Ikev2VendorIdPayload
  | Ikev2EncryptedPayload
  | Ikev2EncryptedFragmentPayload
  | Ikev2GenericPayload;

/** Known IKEv2 payloads by type number (generic ones excluded so that narrowing works). */
export type Ikev2PayloadOf<T extends number> = Extract<Exclude<Ikev2Payload, Ikev2GenericPayload>, { type: T }>;

/** Narrows an IKEv2 payload to the structured payload of type `type` (a generic payload never matches). */
export function isIkev2Payload<T extends number>(p: Ikev2Payload, type: T): p is Ikev2PayloadOf<T> {
  return p.type === type && !('raw' in p);
}

/** A whole IKEv2 message: `version: 2` tells it from an IKEv1 `Message`. */
export interface Ikev2Message extends Envelope<Ikev2Payload> {
  /** Always 2: the discriminant against IKEv1's `Message`. */
  version: 2;
}

/** A body codec without the generic header fields (they are added by the frame). */
type Body<T> = BodyCodec<Omit<T, 'critical' | 'reserved'>>;

/**
 * Notify payload body (RFC 7296 3.10):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Protocol ID  |   SPI Size    |      Notify Message Type      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                Security Parameter Index (SPI)                 ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                       Notification Data                       ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
const notifyBody: Body<Ikev2NotifyPayload> = {
  name: 'Notify payload',
  min: 4,
  decode(r) {
    const protocolId = r.u8('protocol ID');
    const spiSize = r.u8('SPI size');
    const messageType = r.u16('notify message type');
    const spi = r.take(spiSize, 'SPI');
    return { type: Ikev2PayloadType.N, protocolId, spi, messageType, data: r.rest() };
  },
  encode(w, p) {
    w.u8(p.protocolId, 'notify protocol ID');
    w.u8(p.spi.length, 'notify SPI size');
    w.u16(p.messageType, 'notify message type');
    w.raw(p.spi);
    w.raw(p.data);
  },
  length: (p) => 4 + p.spi.length + p.data.length,
};

/**
 * Vendor ID payload body (RFC 7296 3.12):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                        Vendor ID (VID)                        ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
const vendorIdBody: Body<Ikev2VendorIdPayload> = {
  name: 'Vendor ID payload',
  min: 0,
  decode: (r) => ({ type: Ikev2PayloadType.V, data: r.rest() }),
  encode: (w, p) => w.raw(p.data),
  length: (p) => p.data.length,
};

/**
 * Encrypted and Authenticated payload body (RFC 7296 3.14); the generic header's next payload names the first
 * payload inside (kept as `firstPayload` by the frame):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Initialization Vector                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                    Encrypted IKE Payloads                     ~
 * +               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               |             Padding (0-255 octets)            |
 * +-+-+-+-+-+-+-+-+                               +-+-+-+-+-+-+-+-+
 * |                                               |  Pad Length   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                    Integrity Checksum Data                    ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
const encryptedBody: Body<Ikev2EncryptedPayload> = {
  name: 'SK payload',
  min: 0,
  decode: (r) => ({ type: Ikev2PayloadType.SK, firstPayload: 0, data: r.rest() }),
  encode: (w, p) => w.raw(p.data),
  length: (p) => p.data.length,
};

/**
 * Encrypted Fragment payload body (RFC 7383 2.5); next payload as for SK in fragment 1, 0 in the others:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Fragment Number        |        Total Fragments        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Initialization Vector                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                      Encrypted content                        ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                    Integrity Checksum Data                    ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
const encryptedFragmentBody: Body<Ikev2EncryptedFragmentPayload> = {
  name: 'SKF payload',
  min: 4,
  decode(r) {
    const fragmentNumber = r.u16('fragment number');
    const totalFragments = r.u16('total fragments');
    return { type: Ikev2PayloadType.SKF, firstPayload: 0, fragmentNumber, totalFragments, data: r.rest() };
  },
  encode(w, p) {
    w.u16(p.fragmentNumber, 'fragment number');
    w.u16(p.totalFragments, 'total fragments');
    w.raw(p.data);
  },
  length: (p) => 4 + p.data.length,
};

/** The body of any other payload type, kept as found. */
function genericBody(type: number): Body<Ikev2GenericPayload> {
  return {
    name: `payload ${type}`,
    min: 0,
    decode: (r) => ({ type, raw: r.rest() }),
    encode: (w, p) => w.raw(p.raw),
    length: (p) => p.raw.length,
  };
}

/** Body codecs by payload type: the only dispatch. A missing entry decodes to `Ikev2GenericPayload`. */
const bodyCodecTable = {
  [Ikev2PayloadType.N]: notifyBody,
  [Ikev2PayloadType.V]: vendorIdBody,
  [Ikev2PayloadType.SK]: encryptedBody,
  [Ikev2PayloadType.SKF]: encryptedFragmentBody,
} satisfies Partial<Record<Ikev2PayloadType, Body<Ikev2Payload>>>;

/** The table indexed by any wire byte. */
const bodyCodecs: Partial<Record<number, Body<Ikev2Payload>>> = bodyCodecTable;

/** The raw-body codec, shared for encoding (its `type` is only used when decoding). */
const genericEncoder = genericBody(0) as Body<Ikev2Payload>;

function codecFor(p: Ikev2Payload): Body<Ikev2Payload> {
  return ('raw' in p ? undefined : bodyCodecs[p.type]) ?? genericEncoder;
}

/** Payloads whose next payload names their first inner payload: they end the chain (RFC 7296 3.14, RFC 7383 2.5). */
function encloses(p: Ikev2Payload): p is Ikev2EncryptedPayload | Ikev2EncryptedFragmentPayload {
  return 'firstPayload' in p;
}

const CRITICAL = 0x80;

/**
 * Generic payload header (RFC 7296 3.2):
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Reads one payload of `type` and returns it with the next type (0 after SK and SKF, whose next payload is inside).
 */
function decodePayload(r: Reader, type: number): [Ikev2Payload, number] {
  const c = bodyCodecs[type] ?? genericBody(type);
  const start = r.pos;
  r.count(start);
  r.need(4, `${c.name} header`);
  const next = r.u8();
  const flags = r.u8();
  const length = r.u16();
  if (length < 4 + c.min) throw new DecodeError('BAD_LENGTH', start, `${c.name} length ${length} < ${4 + c.min}`);
  const p = c.decode(r.sub(length - 4, `${c.name} body`, start)) as Ikev2Payload;
  p.critical = (flags & CRITICAL) !== 0;
  if (flags & ~CRITICAL) p.reserved = flags & ~CRITICAL;
  if (!encloses(p)) return [p, next];
  p.firstPayload = next;
  return [p, 0];
}

/** Writes one payload with its generic header; the length is patched in once the body is written. */
function encodePayload(w: Writer, p: Ikev2Payload, next: number): void {
  const c = codecFor(p);
  const start = w.pos;
  w.u8(next, 'next payload');
  w.u8((p.critical ? CRITICAL : 0) | w.check(p.reserved ?? 0, 0x7f, `${c.name} reserved`));
  w.u16(0);
  c.encode(w, p);
  w.patch16(start + 2, w.pos - start, `${c.name} length`);
}

/** The IKEv2 chain grammar: each payload's next payload names the following one; SK and SKF name their inside. */
export const ikev2Chain: ChainGrammar<Ikev2Payload> = {
  step: decodePayload,
  encode(w, payloads, last) {
    for (let i = 0; i < payloads.length; i++) {
      const p = payloads[i]!;
      encodePayload(w, p, encloses(p) ? p.firstPayload : (payloads[i + 1]?.type ?? last));
    }
  },
  length(payloads) {
    let n = 0;
    for (const p of payloads) n += 4 + codecFor(p).length(p);
    return n;
  },
};

/** Writes an IKEv2 message at `w.pos`. */
export function encodeIkev2Message(w: Writer, m: Ikev2Message): void {
  encodeEnvelope(w, ikev2Chain, m);
}

/** Encoded size of an IKEv2 message. */
export function ikev2MessageLength(m: Ikev2Message): number {
  return envelopeLength(ikev2Chain, m);
}
