/**
 * Compares our decoding of a message with tshark's (`-T json --no-duplicate-keys`, isakmp layer): header, payload
 * sequence, and each payload's main fields. Returns the disagreements as readable lines (empty when they agree).
 */

import { ikev2Chain } from '../src/ikev2';
import {
  type DataAttribute,
  type Ikev2Message,
  Ikev2PayloadType,
  ikev2ExchangeTypeName,
  ikev2NotifyTypeName,
  isIkev2Payload,
  isTv,
  type Message,
  type Payload,
  PayloadType,
} from '../src/index';
import { payloadChainLength } from '../src/payload';
import type { Proposal, Transform } from '../src/payloads/sa';

/** One node of tshark's JSON tree. */
export type Tree = { readonly [field: string]: unknown };

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const colon = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(':');
const hex = (n: number, bytes: number): string =>
  colon(Uint8Array.from({ length: bytes }, (_, i) => (n >>> (8 * (bytes - 1 - i))) & 0xff));

class Diff {
  readonly lines: string[] = [];
  /** What could not be compared, and why: counted so that a test can keep it small. */
  readonly skipped: string[] = [];
  skip(path: string, why: string): void {
    this.skipped.push(`${path}: ${why}`);
  }
  /** Records a mismatch unless tshark's field equals ours (numbers parse decimal or 0x-hex). */
  eq(path: string, ours: string | number, theirs: unknown): void {
    if (theirs === undefined) {
      this.lines.push(`${path}: tshark has no such field (ours ${ours})`);
      return;
    }
    const t = String(theirs);
    const same =
      typeof ours === 'number' ? Number(t.startsWith('0x') ? Number.parseInt(t, 16) : t) === ours : t === ours;
    if (!same) this.lines.push(`${path}: ours ${ours}, tshark ${t}`);
  }
  /** Same lengths, else a mismatch. */
  count(path: string, ours: number, theirs: number): boolean {
    if (ours === theirs) return true;
    this.lines.push(`${path}: ours ${ours} items, tshark ${theirs}`);
    return false;
  }
}

function attributes(d: Diff, path: string, ours: readonly DataAttribute[], trees: Tree[], prefix: string): void {
  if (!d.count(path, ours.length, trees.length)) return;
  ours.forEach((a, i) => {
    const t = trees[i]!;
    const at = `${path}[${i}]`;
    d.eq(`${at}.format`, isTv(a) ? 1 : 0, t[`${prefix}.format`]);
    d.eq(`${at}.type`, a.type, t[`${prefix}.type`]);
    if (isTv(a)) d.eq(`${at}.value`, hex(a.value, 2), t[`${prefix}.value`]);
    else {
      d.eq(`${at}.length`, a.data.length, t[`${prefix}.length`]);
      if (a.data.length > 0) d.eq(`${at}.value`, colon(a.data), t[`${prefix}.value`]);
    }
  });
}

function transform(d: Diff, path: string, protocolId: number, x: Transform, t: Tree): void {
  d.eq(`${path}.number`, x.number, t['isakmp.trans.number']);
  d.eq(`${path}.id`, x.id, t['isakmp.trans.id']);
  const prefix = protocolId === 1 ? 'isakmp.ike.attr' : 'isakmp.ipsec.attr';
  attributes(d, `${path}.attributes`, x.attributes, list(t[prefix] as Tree | Tree[]), prefix);
}

function proposal(d: Diff, path: string, p: Proposal, t: Tree): void {
  d.eq(`${path}.number`, p.number, t['isakmp.prop.number']);
  d.eq(`${path}.protocolId`, p.protocolId, t['isakmp.prop.protoid']);
  d.eq(`${path}.spiSize`, p.spi.length, t['isakmp.spisize']);
  d.eq(`${path}.transformCount`, p.transformCount ?? p.transforms.length, t['isakmp.prop.transforms']);
  if (p.spi.length > 0) d.eq(`${path}.spi`, colon(p.spi), t['isakmp.spi']);
  const trees = list(t['isakmp.typepayload_tree'] as Tree | Tree[]);
  if (!d.count(`${path}.transforms`, p.transforms.length, trees.length)) return;
  p.transforms.forEach((x, i) => {
    transform(d, `${path}.transforms[${i}]`, p.protocolId, x, trees[i]!);
  });
}

type Fields = (d: Diff, path: string, p: never, t: Tree) => void;
const opaque =
  (field: string): Fields =>
  (d, path, p: { data: Uint8Array }, t) => {
    if (p.data.length > 0) d.eq(`${path}.data`, colon(p.data), t[field]);
  };

/** Main fields of each payload type, as tshark names them. GDOI SA KEK/TEK/KD/POP/GAP stay unchecked. */
const payloadFields: Partial<Record<number, Fields>> = {
  [PayloadType.SA]: (d, path, p: Extract<Payload, { type: 1 }>, t) => {
    d.eq(`${path}.doi`, p.doi, t['isakmp.sa.doi']);
    d.eq(`${path}.situation`, hex(p.situation, 4), t['isakmp.sa.situation']);
    // tshark 4.0 does not read labeled-domain situations (RFC 2407 4.6.1) and takes those bytes for proposals.
    if (p.labeledDomain) {
      d.skip(`${path}.proposals`, 'tshark does not read labeled domains');
      return;
    }
    if (p.gdoi) {
      // tshark 4.0 reads the GDOI attribute next payload as 2 bytes and the reserved as 2 (RFC 3547's drawing).
      const g = p.gdoi;
      const reserved = g.reserved ?? 0;
      d.eq(
        `${path}.gdoi.nextPayload`,
        colon(Uint8Array.of(g.nextPayload, reserved >>> 16)),
        t['isakmp.sa.next_attribute_payload'],
      );
      d.eq(`${path}.gdoi.reserved`, hex(reserved & 0xffff, 2), t['isakmp.reserved2']);
      return;
    }
    const trees = list(t['isakmp.typepayload_tree'] as Tree | Tree[]);
    if (!d.count(`${path}.proposals`, p.proposals.length, trees.length)) return;
    p.proposals.forEach((x, i) => {
      proposal(d, `${path}.proposals[${i}]`, x, trees[i]!);
    });
  },
  [PayloadType.KE]: opaque('isakmp.key_exchange.data'),
  [PayloadType.ID]: (d, path, p: Extract<Payload, { type: 5 }>, t) => {
    d.eq(`${path}.idType`, p.idType, t['isakmp.id.type']);
    d.eq(`${path}.protocolId`, p.protocolId, t['isakmp.id.protoid']);
    d.eq(`${path}.port`, p.port, t['isakmp.id.port']);
    const data = (t['isakmp.id.data'] ?? {}) as Tree;
    const v = p.value;
    if (!v) {
      const key = data['isakmp.id.data.key_id'];
      if (p.idType === 11 && p.data.length > 0) d.eq(`${path}.data`, colon(p.data), key);
      else if (p.data.length > 0) d.skip(`${path}.data`, `ID type ${p.idType} without a typed value`);
      return;
    }
    if ('name' in v)
      d.eq(`${path}.name`, v.name, data[p.idType === 2 ? 'isakmp.id.data.fqdn' : 'isakmp.id.data.user_fqdn']);
    const family = p.idType === 1 || p.idType === 4 || p.idType === 7 ? 'ipv4' : 'ipv6';
    if ('address' in v) d.eq(`${path}.address`, v.address, data[`isakmp.id.data.${family}_addr`]);
    if ('mask' in v) d.eq(`${path}.mask`, v.mask, data[`isakmp.id.data.${family}_subnet`]);
    if ('start' in v) {
      d.eq(`${path}.start`, v.start, data[`isakmp.id.data.${family}_range_start`]);
      d.eq(`${path}.end`, v.end, data[`isakmp.id.data.${family}_range_end`]);
    }
  },
  [PayloadType.CERT]: (d, path, p: Extract<Payload, { type: 6 }>, t) => {
    d.eq(`${path}.encoding`, p.encoding, t['isakmp.cert.encoding']);
    // tshark shows certificate data as a BER tree, not bytes.
    if (p.data.length > 0) d.skip(`${path}.data`, 'tshark shows a BER tree');
  },
  [PayloadType.CR]: (d, path, p: Extract<Payload, { type: 7 }>, t) => {
    d.eq(`${path}.certType`, p.certType, t['isakmp.certreq.type']);
    if (p.authority.length > 0) d.skip(`${path}.authority`, 'tshark shows a BER tree');
  },
  [PayloadType.HASH]: opaque('isakmp.hash'),
  [PayloadType.SIG]: opaque('isakmp.sig'),
  [PayloadType.NONCE]: opaque('isakmp.nonce'),
  [PayloadType.NOTIFICATION]: (d, path, p: Extract<Payload, { type: 11 }>, t) => {
    d.eq(`${path}.doi`, p.doi, t['isakmp.notify.doi']);
    d.eq(`${path}.protocolId`, p.protocolId, t['isakmp.notify.protoid']);
    d.eq(`${path}.spiSize`, p.spi.length, t['isakmp.spisize']);
    d.eq(`${path}.messageType`, p.messageType, t['isakmp.notify.msgtype']);
    if (p.spi.length > 0) d.eq(`${path}.spi`, colon(p.spi), t['isakmp.spi']);
    const tree = t['isakmp.notify.data_tree'] as Tree | undefined;
    const prefix = 'isakmp.notify.data.resp_lifetime.ipsec.attr';
    if (p.attributes && tree?.[prefix])
      attributes(d, `${path}.attributes`, p.attributes, list(tree[prefix] as Tree | Tree[]), prefix);
    else if (p.attributes) d.lines.push(`${path}.attributes: ours ${p.attributes.length}, tshark none`);
    else if (tree?.[prefix]) d.lines.push(`${path}.attributes: ours none, tshark has them`);
  },
  [PayloadType.DELETE]: (d, path, p: Extract<Payload, { type: 12 }>, t) => {
    d.eq(`${path}.doi`, p.doi, t['isakmp.delete.doi']);
    d.eq(`${path}.protocolId`, p.protocolId, t['isakmp.delete.protoid']);
    d.eq(`${path}.spiSize`, p.spiSize, t['isakmp.spisize']);
    d.eq(`${path}.spiCount`, p.spiCount ?? p.spis.length, t['isakmp.spinum']);
    const spis = list(t['isakmp.delete.spi'] as string | string[]);
    if (d.count(`${path}.spis`, p.spis.length, spis.length))
      p.spis.forEach((s, i) => {
        d.eq(`${path}.spis[${i}]`, colon(s), spis[i]);
      });
  },
  [PayloadType.VENDOR_ID]: opaque('isakmp.vid_bytes'),
  [PayloadType.ATTRIBUTES]: (d, path, p: Extract<Payload, { type: 14 }>, t) => {
    d.eq(`${path}.cfgType`, p.cfgType, t['isakmp.cfg.type']);
    d.eq(`${path}.identifier`, p.identifier, t['isakmp.cfg.identifier']);
    attributes(d, `${path}.attributes`, p.attributes, list(t['isakmp.cfg.attr'] as Tree | Tree[]), 'isakmp.cfg.attr');
  },
  [PayloadType.SEQ]: (d, path, p: Extract<Payload, { type: 18 }>, t) => {
    if (p.sequence !== undefined) d.eq(`${path}.sequence`, p.sequence, t['isakmp.seq.seq']);
  },
  [PayloadType.NAT_D]: opaque('isakmp.ike.nat_hash'),
  [PayloadType.NAT_D_DRAFT]: opaque('isakmp.ike.nat_hash'),
  [PayloadType.NAT_OA]: natOa,
  [PayloadType.NAT_OA_DRAFT]: natOa,
  [PayloadType.FRAGMENT]: (d, path, p: Extract<Payload, { type: 132 }>, t) => {
    d.eq(`${path}.fragmentId`, p.fragmentId, t['isakmp.frag.packetid']);
    d.eq(`${path}.fragmentNumber`, p.fragmentNumber, t['isakmp.frag.seq']);
    d.eq(`${path}.last`, p.last ? 1 : 0, t['isakmp.frag.last']);
  },
};

function natOa(d: Diff, path: string, p: Extract<Payload, { type: 21 | 131 }>, t: Tree): void {
  if (p.address === undefined) {
    d.skip(`${path}.address`, 'no address of its type');
    return;
  }
  const field = p.idType === 1 ? 'isakmp.ike.nat_original_address_ipv4' : 'isakmp.ike.nat_original_address_ipv6';
  d.eq(`${path}.address`, p.address, t[field]);
}

/**
 * Disagreements between our decoding and tshark's isakmp layer for the same bytes. What cannot be compared is
 * pushed to `skipped` (path and reason), so that callers can count it.
 */
export function compareWithTshark(m: Message, layer: Tree, skipped: string[] = []): string[] {
  const d = new Diff();
  const lines = compare(d, m, layer);
  skipped.push(...d.skipped);
  return lines;
}

function compare(d: Diff, m: Message, layer: Tree): string[] {
  const h = m.header;
  d.eq('header.initiatorCookie', colon(h.initiatorCookie), layer['isakmp.ispi']);
  d.eq('header.responderCookie', colon(h.responderCookie), layer['isakmp.rspi']);
  d.eq('header.nextPayload', h.nextPayload, layer['isakmp.nextpayload']);
  d.eq('header.version', (h.majorVersion << 4) | h.minorVersion, layer['isakmp.version']);
  d.eq('header.exchangeType', h.exchangeType, layer['isakmp.exchangetype']);
  d.eq('header.flags', h.flags, layer['isakmp.flags']);
  d.eq('header.messageId', h.messageId, layer['isakmp.messageid']);
  d.eq('header.length', h.length, layer['isakmp.length']);
  const types = list(layer['isakmp.typepayload'] as string | string[]).map(Number);
  const trees = list(layer['isakmp.typepayload_tree'] as Tree | Tree[]);
  if (m.encrypted) {
    d.count('payloads (encrypted)', 0, types.length);
    return d.lines;
  }
  if (!d.count('payloads', m.payloads.length, types.length)) {
    d.lines.push(`types: ours ${m.payloads.map((p) => p.type)}, tshark ${types}`);
    return d.lines;
  }
  m.payloads.forEach((p, i) => {
    const path = `payloads[${i}]`;
    const t = trees[i]!;
    d.eq(`${path}.type`, p.type, types[i]);
    d.eq(`${path}.next`, m.payloads[i + 1]?.type ?? 0, t['isakmp.nextpayload']);
    d.eq(`${path}.length`, payloadChainLength([p]), t['isakmp.payloadlength']);
    d.eq(`${path}.reserved`, hex(p.reserved ?? 0, 1), list(t['isakmp.reserved'] as string | string[])[0]);
    if ('raw' in p) {
      if (p.raw.length > 0) d.eq(`${path}.raw`, colon(p.raw), t['isakmp.datapayload']);
      return;
    }
    const fields = payloadFields[p.type];
    if (fields) fields(d, path, p as never, t);
    else d.skip(path, `payload type ${p.type} fields not compared`);
  });
  // tshark shows bytes after the last payload (inside the header length) as extra data.
  const extra = layer['isakmp.extradata'];
  if (m.trailing && m.trailing.length > 0 && m.header.length >= 28 + payloadChainLength(m.payloads) + m.trailing.length)
    d.eq('trailing', colon(m.trailing), extra);
  else if (m.trailing && m.trailing.length > 0) d.skip('trailing', 'beyond the header length');
  else if (extra !== undefined) d.lines.push(`trailing: ours none, tshark extra data ${String(extra)}`);
  return d.lines;
}

/** The names tshark shows for a message (see `tsharkNames`). */
export interface TsharkNames {
  readonly exchange: string;
  readonly notifies: readonly string[];
}

/**
 * Disagreements between our IKEv2 decoding and tshark's: header, payload types, each generic header (next payload,
 * critical bit, reserved bits, length), Notify/Vendor ID/SKF fields, trailing bytes, and the exchange and notify
 * names. A name tshark 4.0 does not know ("Unknown") is pushed to `skipped`.
 */
export function compareIkev2WithTshark(
  m: Ikev2Message,
  layer: Tree,
  names: TsharkNames,
  skipped: string[] = [],
): string[] {
  const d = new Diff();
  const h = m.header;
  d.eq('header.initiatorSpi', colon(h.initiatorCookie), layer['isakmp.ispi']);
  d.eq('header.responderSpi', colon(h.responderCookie), layer['isakmp.rspi']);
  d.eq('header.nextPayload', h.nextPayload, layer['isakmp.nextpayload']);
  d.eq('header.version', (h.majorVersion << 4) | h.minorVersion, layer['isakmp.version']);
  d.eq('header.exchangeType', h.exchangeType, layer['isakmp.exchangetype']);
  d.eq('header.flags', h.flags, layer['isakmp.flags']);
  d.eq('header.messageId', h.messageId, layer['isakmp.messageid']);
  d.eq('header.length', h.length, layer['isakmp.length']);
  const ours = ikev2ExchangeTypeName.get(h.exchangeType) ?? 'Unknown';
  if (names.exchange === 'Unknown' && ours !== 'Unknown') d.skip('header.exchangeName', `tshark does not name ${ours}`);
  else d.eq('header.exchangeName', ours, names.exchange);
  const types = list(layer['isakmp.typepayload'] as string | string[]).map(Number);
  const trees = list(layer['isakmp.typepayload_tree'] as Tree | Tree[]);
  if (!d.count('payloads', m.payloads.length, types.length)) {
    d.lines.push(`types: ours ${m.payloads.map((p) => p.type)}, tshark ${types}`);
    return d.lines;
  }
  const notifies: string[] = [];
  m.payloads.forEach((p, i) => {
    const path = `payloads[${i}]`;
    const t = trees[i]!;
    d.eq(`${path}.type`, p.type, types[i]);
    const next = 'firstPayload' in p ? p.firstPayload : (m.payloads[i + 1]?.type ?? 0);
    d.eq(`${path}.next`, next, t['isakmp.nextpayload']);
    d.eq(`${path}.critical`, p.critical ? 1 : 0, t['isakmp.criticalpayload']);
    d.eq(`${path}.reserved`, p.reserved ?? 0, t['isakmp.reserved7']);
    d.eq(`${path}.length`, ikev2Chain.length([p]), t['isakmp.payloadlength']);
    if (isIkev2Payload(p, Ikev2PayloadType.N)) {
      d.eq(`${path}.protocolId`, p.protocolId, t['isakmp.notify.protoid']);
      d.eq(`${path}.spiSize`, p.spi.length, t['isakmp.spisize']);
      d.eq(`${path}.messageType`, p.messageType, t['isakmp.notify.msgtype']);
      if (p.spi.length > 0) d.eq(`${path}.spi`, colon(p.spi), t['isakmp.spi']);
      d.eq(`${path}.data`, colon(p.data), t['isakmp.notify.data']);
      notifies.push(ikev2NotifyTypeName.get(p.messageType) ?? 'Unknown');
    } else if (isIkev2Payload(p, Ikev2PayloadType.V)) d.eq(`${path}.data`, colon(p.data), t['isakmp.vid_bytes']);
    else if (isIkev2Payload(p, Ikev2PayloadType.SKF)) {
      d.eq(`${path}.fragmentNumber`, p.fragmentNumber, t['isakmp.frag.number']);
      d.eq(`${path}.totalFragments`, p.totalFragments, t['isakmp.frag.total']);
    }
  });
  if (d.count('notify names', notifies.length, names.notifies.length))
    notifies.forEach((n, i) => {
      d.eq(`notifies[${i}].name`, n, names.notifies[i]);
    });
  const extra = layer['isakmp.extradata'];
  if (m.trailing && m.trailing.length > 0) d.eq('trailing', colon(m.trailing), extra);
  else if (extra !== undefined) d.lines.push(`trailing: ours none, tshark extra data ${String(extra)}`);
  skipped.push(...d.skipped);
  return d.lines;
}
