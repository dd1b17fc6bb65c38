import { type BodyCodec, decodeFrame, encodeFrame, frameLength, readChain } from './codec';
import type { ChainGrammar } from './envelope';
import { HeaderFlag } from './header';
import { type CertPayload, type CrPayload, certBody, crBody } from './payloads/cert';
import { type AttributesPayload, attributesBody } from './payloads/config';
import { type DeletePayload, deleteBody } from './payloads/delete';
import { type FragmentPayload, fragmentBody } from './payloads/fragment';
import { type IdPayload, idBody } from './payloads/id';
import { type NatOaPayload, natOaBody } from './payloads/nat-oa';
import { type NotificationPayload, notificationBody } from './payloads/notification';
import {
  type GdoiPayload,
  type HashPayload,
  type KePayload,
  type NatDPayload,
  type NoncePayload,
  opaqueBody,
  type SeqPayload,
  type SigPayload,
  seqBody,
  type UnknownPayload,
  unknownBody,
  type VendorIdPayload,
} from './payloads/opaque';
import { type Proposal, proposalBody, type SaPayload, saBody, type Transform, transformBody } from './payloads/sa';
import type { Reader } from './reader';
import { PayloadType } from './registry';
import type { Writer } from './writer';

/** A proposal found in the top-level payload chain rather than inside an SA. */
export interface ProposalPayload extends Proposal {
  /** Payload type number. */
  type: typeof PayloadType.PROPOSAL;
}

/** A transform found in the top-level payload chain rather than inside a proposal. */
export interface TransformPayload extends Transform {
  /** Payload type number. */
  type: typeof PayloadType.TRANSFORM;
}

/** Every payload, discriminated by its payload type number. Types without a codec decode to `UnknownPayload`. */
export type Payload =
  | SaPayload
  | ProposalPayload
  | TransformPayload
  | KePayload
  | IdPayload
  | CertPayload
  | CrPayload
  | HashPayload
  | SigPayload
  | NoncePayload
  | NotificationPayload
  | DeletePayload
  | VendorIdPayload
  | AttributesPayload
  | GdoiPayload
  | SeqPayload
  | NatDPayload
  | NatOaPayload
  | FragmentPayload
  | UnknownPayload;

/** Known payloads by type number (unknown types are excluded so that narrowing works). */
export type PayloadOf<T extends number> = Extract<Exclude<Payload, UnknownPayload>, { type: T }>;

function typed<T extends object, N extends number>(c: BodyCodec<T>, type: N): BodyCodec<T & { type: N }> {
  return {
    name: c.name,
    min: c.min,
    decode(r) {
      const v = c.decode(r) as T & { type: N };
      v.type = type;
      return v;
    },
    encode: c.encode,
    length: c.length,
  };
}

/** Payload body codecs by payload type: the only dispatch. A missing entry decodes to `UnknownPayload`. */
const payloadCodecTable = {
  [PayloadType.SA]: saBody,
  [PayloadType.PROPOSAL]: typed(proposalBody, PayloadType.PROPOSAL),
  [PayloadType.TRANSFORM]: typed(transformBody, PayloadType.TRANSFORM),
  [PayloadType.KE]: opaqueBody(PayloadType.KE, 'KE payload'),
  [PayloadType.ID]: idBody,
  [PayloadType.CERT]: certBody,
  [PayloadType.CR]: crBody,
  [PayloadType.HASH]: opaqueBody(PayloadType.HASH, 'HASH payload'),
  [PayloadType.SIG]: opaqueBody(PayloadType.SIG, 'SIG payload'),
  [PayloadType.NONCE]: opaqueBody(PayloadType.NONCE, 'NONCE payload'),
  [PayloadType.NOTIFICATION]: notificationBody,
  [PayloadType.DELETE]: deleteBody,
  [PayloadType.VENDOR_ID]: opaqueBody(PayloadType.VENDOR_ID, 'vendor ID payload'),
  [PayloadType.ATTRIBUTES]: attributesBody,
  [PayloadType.SAK]: opaqueBody(PayloadType.SAK, 'SAK payload'),
  [PayloadType.SAT]: opaqueBody(PayloadType.SAT, 'SAT payload'),
  [PayloadType.KD]: opaqueBody(PayloadType.KD, 'KD payload'),
  [PayloadType.SEQ]: seqBody,
  [PayloadType.POP]: opaqueBody(PayloadType.POP, 'POP payload'),
  [PayloadType.NAT_D]: opaqueBody(PayloadType.NAT_D, 'NAT-D payload'),
  [PayloadType.NAT_OA]: natOaBody(PayloadType.NAT_OA, 'NAT-OA payload'),
  [PayloadType.GAP]: opaqueBody(PayloadType.GAP, 'GAP payload'),
  [PayloadType.NAT_D_DRAFT]: opaqueBody(PayloadType.NAT_D_DRAFT, 'NAT-D payload'),
  [PayloadType.NAT_OA_DRAFT]: natOaBody(PayloadType.NAT_OA_DRAFT, 'NAT-OA payload'),
  [PayloadType.FRAGMENT]: fragmentBody,
} satisfies Partial<Record<PayloadType, BodyCodec<Payload>>>;

/** The table indexed by any wire byte. */
const payloadCodecs: Partial<Record<number, BodyCodec<Payload>>> = payloadCodecTable;

/** The raw-body codec, shared: its `type` is only used when decoding, which goes through `unknownBody(type)`. */
const unknownEncoder = unknownBody(PayloadType.NONE) as BodyCodec<Payload>;

function codecFor(p: Payload): BodyCodec<Payload> {
  return ('raw' in p ? undefined : payloadCodecs[p.type]) ?? unknownEncoder;
}

/** Reads one framed IKEv1 payload of `type` (its codec from the table) and the next payload's type. */
function decodePayload(r: Reader, type: number): [Payload, number] {
  return decodeFrame(r, payloadCodecs[type] ?? unknownBody(type));
}

/** Reads the payload chain starting with type `first` until a next payload of 0. */
export function decodePayloadChain(r: Reader, first: number): Payload[] {
  return readChain(r, first, decodePayload, false).payloads;
}

/**
 * Writes a payload chain, each payload's next-payload byte naming the following one's type and the last one's
 * `last` (0, or the type of an unreadable rest that follows).
 */
export function encodePayloadChain(w: Writer, payloads: readonly Payload[], last: number = PayloadType.NONE): void {
  for (let i = 0; i < payloads.length; i++) {
    const p = payloads[i]!;
    encodeFrame(w, codecFor(p), p, payloads[i + 1]?.type ?? last);
  }
}

/** Encoded size of a payload chain. */
export function payloadChainLength(payloads: readonly Payload[]): number {
  let n = 0;
  for (const p of payloads) n += frameLength(codecFor(p), p);
  return n;
}

/** Narrows a payload to the known payload of type `type` (an `UnknownPayload` never matches). */
export function isPayload<T extends number>(p: Payload, type: T): p is PayloadOf<T> {
  return p.type === type && !('raw' in p);
}

/** The IKEv1 payload chain grammar (RFC 2408 3.2): one generic header per payload, the encryption flag hides it. */
export const ikev1Chain: ChainGrammar<Payload> = {
  step: decodePayload,
  encode: encodePayloadChain,
  length: payloadChainLength,
  opaque: (header, body) => (header.flags & HeaderFlag.ENCRYPTION ? body.rest() : undefined),
};
